-- Setting up a clinic: the clinic's own profile (contact, receipt texts, the hour its business
-- day turns), its logo, stores that close instead of being deleted, and staff accounts that can be
-- reset, forced to change a temporary password, and locked per account and address.
ALTER TABLE "tenants" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "receipt_header" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "receipt_footer" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "business_day_start" text DEFAULT '00:00' NOT NULL;--> statement-breakpoint
CREATE TABLE "tenant_logos" (
	"tenant_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"bytes" bytea NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_logos_pkey" PRIMARY KEY("tenant_id")
);--> statement-breakpoint
ALTER TABLE "tenant_logos" ADD CONSTRAINT "tenant_logos_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "password_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "last_login_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "staff_login_failures" (
	"tenant_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"address" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "staff_login_failures_pkey" PRIMARY KEY("tenant_id","staff_id","address")
);--> statement-breakpoint
ALTER TABLE "staff_login_failures" ADD CONSTRAINT "staff_login_failures_staff_fkey" FOREIGN KEY ("tenant_id","staff_id") REFERENCES "public"."staff_users"("tenant_id","id") ON DELETE no action ON UPDATE no action;
