CREATE TABLE "customer_tier_changes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"from_tier_id" uuid,
	"to_tier_id" uuid,
	"from_name" text,
	"to_name" text,
	"direction" text NOT NULL,
	"cause" text NOT NULL,
	"source_id" text,
	"criterion" text,
	"figures" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"note" text,
	"actor_id" uuid,
	"business_date" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_tier_changes_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer_tiers" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"tier_id" uuid,
	"floor_tier_id" uuid,
	"since" timestamp with time zone NOT NULL,
	"period_ends_on" date NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_tiers_pkey" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "membership_pending_gifts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"tier_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"face_value_fen" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"status" text NOT NULL,
	"change_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "membership_pending_gifts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "membership_pending_gifts_once_key" UNIQUE("tenant_id","customer_id","tier_id","position")
);
--> statement-breakpoint
CREATE TABLE "membership_tiers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"criteria" jsonb NOT NULL,
	"retention" text NOT NULL,
	"benefits" jsonb NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "membership_tiers_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "membership_top_ups" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"source_id" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"business_date" date NOT NULL,
	"is_refunded" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "membership_top_ups_pkey" PRIMARY KEY("tenant_id","source_id")
);
--> statement-breakpoint
ALTER TABLE "customer_tier_changes" ADD CONSTRAINT "customer_tier_changes_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tiers" ADD CONSTRAINT "customer_tiers_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tiers" ADD CONSTRAINT "customer_tiers_tier_fkey" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."membership_tiers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_tiers" ADD CONSTRAINT "customer_tiers_floor_fkey" FOREIGN KEY ("tenant_id","floor_tier_id") REFERENCES "public"."membership_tiers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_pending_gifts" ADD CONSTRAINT "membership_pending_gifts_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_pending_gifts" ADD CONSTRAINT "membership_pending_gifts_tier_fkey" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."membership_tiers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_tiers" ADD CONSTRAINT "membership_tiers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_top_ups" ADD CONSTRAINT "membership_top_ups_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_tier_changes_customer_idx" ON "customer_tier_changes" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "customer_tiers_period_idx" ON "customer_tiers" USING btree ("tenant_id","period_ends_on");--> statement-breakpoint
CREATE INDEX "customer_tiers_tier_idx" ON "customer_tiers" USING btree ("tenant_id","tier_id");--> statement-breakpoint
CREATE INDEX "membership_tiers_rank_idx" ON "membership_tiers" USING btree ("tenant_id","rank");--> statement-breakpoint
CREATE INDEX "membership_top_ups_customer_idx" ON "membership_top_ups" USING btree ("tenant_id","customer_id","business_date");