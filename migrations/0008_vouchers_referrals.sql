CREATE TABLE "referral_codes" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"code" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "referral_codes_pkey" PRIMARY KEY("tenant_id","customer_id"),
	CONSTRAINT "referral_codes_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "referral_rewards" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"side" text NOT NULL,
	"stage" text NOT NULL,
	"kind" text NOT NULL,
	"points" integer,
	"points_entry_id" uuid,
	"voucher_id" uuid,
	"order_id" uuid,
	"status" text NOT NULL,
	"reason" jsonb,
	"value_fen" bigint,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "referral_rewards_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "referral_rewards_once_key" UNIQUE("tenant_id","referral_id","side","stage")
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referrer_id" uuid NOT NULL,
	"referred_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"referred_at" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone,
	"first_visit_id" uuid,
	"dealt_at" timestamp with time zone,
	"first_deal_order_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "referrals_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "referrals_referred_key" UNIQUE("tenant_id","referred_id")
);
--> statement-breakpoint
CREATE TABLE "customer_vouchers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"template_id" uuid,
	"customer_id" uuid NOT NULL,
	"distribution_id" uuid,
	"source" text NOT NULL,
	"source_ref" text,
	"issue_key" text NOT NULL,
	"use_no" integer,
	"code" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"status" text NOT NULL,
	"used_at" timestamp with time zone,
	"used_order_id" uuid,
	"used_store_id" uuid,
	"used_amount_fen" bigint,
	"issued_by" uuid,
	"issued_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_vouchers_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "customer_vouchers_issue_key" UNIQUE("tenant_id","issue_key"),
	CONSTRAINT "customer_vouchers_use_no_key" UNIQUE("tenant_id","template_id","customer_id","use_no"),
	CONSTRAINT "customer_vouchers_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "voucher_distributions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"claim_code" text,
	"audience" jsonb,
	"quantity" integer DEFAULT 1 NOT NULL,
	"schedule" jsonb,
	"scheduled_at" timestamp with time zone,
	"status" text NOT NULL,
	"issued_count" integer DEFAULT 0 NOT NULL,
	"skipped" jsonb,
	"last_run_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "voucher_distributions_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "voucher_distributions_claim_code_key" UNIQUE("tenant_id","claim_code")
);
--> statement-breakpoint
CREATE TABLE "voucher_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"voucher_id" uuid NOT NULL,
	"type" text NOT NULL,
	"order_id" uuid,
	"store_id" uuid,
	"amount_fen" bigint,
	"reason" jsonb,
	"actor_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "voucher_events_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "voucher_templates" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"face_value_fen" bigint,
	"threshold_fen" bigint DEFAULT 0 NOT NULL,
	"discount_basis_points" integer,
	"max_off_fen" bigint,
	"scope" jsonb NOT NULL,
	"channels" jsonb NOT NULL,
	"validity_kind" text NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"valid_days" integer,
	"total_stock" integer,
	"issued_count" integer DEFAULT 0 NOT NULL,
	"per_customer_limit" integer DEFAULT 1 NOT NULL,
	"is_stackable" boolean DEFAULT true NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "voucher_templates_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_rewards" ADD CONSTRAINT "referral_rewards_referral_fkey" FOREIGN KEY ("tenant_id","referral_id") REFERENCES "public"."referrals"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_rewards" ADD CONSTRAINT "referral_rewards_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_fkey" FOREIGN KEY ("tenant_id","referrer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referred_fkey" FOREIGN KEY ("tenant_id","referred_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_order_fkey" FOREIGN KEY ("tenant_id","first_deal_order_id") REFERENCES "public"."orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_vouchers" ADD CONSTRAINT "customer_vouchers_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_vouchers" ADD CONSTRAINT "customer_vouchers_template_fkey" FOREIGN KEY ("tenant_id","template_id") REFERENCES "public"."voucher_templates"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_vouchers" ADD CONSTRAINT "customer_vouchers_distribution_fkey" FOREIGN KEY ("tenant_id","distribution_id") REFERENCES "public"."voucher_distributions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_distributions" ADD CONSTRAINT "voucher_distributions_template_fkey" FOREIGN KEY ("tenant_id","template_id") REFERENCES "public"."voucher_templates"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_events" ADD CONSTRAINT "voucher_events_voucher_fkey" FOREIGN KEY ("tenant_id","voucher_id") REFERENCES "public"."customer_vouchers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_templates" ADD CONSTRAINT "voucher_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_rewards_customer_idx" ON "referral_rewards" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("tenant_id","referrer_id","referred_at");--> statement-breakpoint
CREATE INDEX "customer_vouchers_customer_idx" ON "customer_vouchers" USING btree ("tenant_id","customer_id","status","valid_to");--> statement-breakpoint
CREATE INDEX "customer_vouchers_template_idx" ON "customer_vouchers" USING btree ("tenant_id","template_id");--> statement-breakpoint
CREATE INDEX "customer_vouchers_order_idx" ON "customer_vouchers" USING btree ("tenant_id","used_order_id");--> statement-breakpoint
CREATE INDEX "voucher_events_voucher_idx" ON "voucher_events" USING btree ("tenant_id","voucher_id","created_at");--> statement-breakpoint
-- Referrers already recorded on customers become referrals, dated at the customer's registration.
INSERT INTO "referrals" ("tenant_id", "id", "referrer_id", "referred_id", "channel", "referred_at", "created_at", "updated_at")
SELECT "tenant_id", gen_random_uuid(), "referrer_id", "id", 'staff', "created_at", "created_at", "created_at"
FROM "customers" WHERE "referrer_id" IS NOT NULL;
