CREATE TABLE "card_products" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"validity" text,
	"family_limit" integer,
	"discount_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"bundled_vouchers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"member_limits" jsonb DEFAULT '{"usesPerMember":null,"period":"year"}'::jsonb NOT NULL,
	"bonus_fen" bigint DEFAULT 0 NOT NULL,
	"grants_tier_id" uuid,
	"terms" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_products_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "card_products_item_key" UNIQUE("tenant_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "customer_card_members" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"relation" text,
	"added_by" uuid,
	"added_at" timestamp with time zone NOT NULL,
	"removed_by" uuid,
	"removed_at" timestamp with time zone,
	CONSTRAINT "customer_card_members_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer_card_uses" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"order_id" uuid,
	"order_line_id" uuid,
	"benefit" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reverses_id" uuid,
	"actor_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_card_uses_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "customer_card_uses_reverses_key" UNIQUE("tenant_id","reverses_id")
);
--> statement-breakpoint
CREATE TABLE "customer_cards" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"card_product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"order_id" uuid,
	"order_line_id" uuid,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"family_limit" integer NOT NULL,
	"discount_rules" jsonb NOT NULL,
	"member_limits" jsonb NOT NULL,
	"pending_vouchers" jsonb NOT NULL,
	"status" text NOT NULL,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_cards_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "customer_cards_order_line_key" UNIQUE("tenant_id","order_line_id")
);
--> statement-breakpoint
CREATE TABLE "stored_value_accounts" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"principal_fen" bigint DEFAULT 0 NOT NULL,
	"bonus_fen" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_value_accounts_pkey" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "stored_value_entries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"type" text NOT NULL,
	"principal_fen" bigint NOT NULL,
	"bonus_fen" bigint NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text,
	"reason" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"reverses_id" uuid,
	"actor_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stored_value_entries_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "stored_value_entries_idempotency_key" UNIQUE("tenant_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "stored_value_movements" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"top_up_id" uuid NOT NULL,
	"principal_fen" bigint NOT NULL,
	"bonus_fen" bigint NOT NULL,
	"restores_id" uuid,
	"position" integer NOT NULL,
	CONSTRAINT "stored_value_movements_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "stored_value_top_ups" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"principal_fen" bigint NOT NULL,
	"bonus_fen" bigint NOT NULL,
	"principal_remaining_fen" bigint NOT NULL,
	"bonus_remaining_fen" bigint NOT NULL,
	"card_product_id" uuid,
	"order_id" uuid,
	"order_line_id" uuid,
	"grants_tier_id" uuid,
	"contract" jsonb NOT NULL,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stored_value_top_ups_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "stored_value_top_ups_order_line_key" UNIQUE("tenant_id","order_line_id")
);
--> statement-breakpoint
ALTER TABLE "card_products" ADD CONSTRAINT "card_products_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_products" ADD CONSTRAINT "card_products_item_fkey" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."items"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_card_members" ADD CONSTRAINT "customer_card_members_card_fkey" FOREIGN KEY ("tenant_id","card_id") REFERENCES "public"."customer_cards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_card_members" ADD CONSTRAINT "customer_card_members_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_card_uses" ADD CONSTRAINT "customer_card_uses_card_fkey" FOREIGN KEY ("tenant_id","card_id") REFERENCES "public"."customer_cards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_card_uses" ADD CONSTRAINT "customer_card_uses_reverses_fkey" FOREIGN KEY ("tenant_id","reverses_id") REFERENCES "public"."customer_card_uses"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_cards" ADD CONSTRAINT "customer_cards_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_cards" ADD CONSTRAINT "customer_cards_product_fkey" FOREIGN KEY ("tenant_id","card_product_id") REFERENCES "public"."card_products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_accounts" ADD CONSTRAINT "stored_value_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_accounts" ADD CONSTRAINT "stored_value_accounts_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ADD CONSTRAINT "stored_value_entries_account_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."stored_value_accounts"("tenant_id","customer_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ADD CONSTRAINT "stored_value_entries_reverses_fkey" FOREIGN KEY ("tenant_id","reverses_id") REFERENCES "public"."stored_value_entries"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_movements" ADD CONSTRAINT "stored_value_movements_entry_fkey" FOREIGN KEY ("tenant_id","entry_id") REFERENCES "public"."stored_value_entries"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_movements" ADD CONSTRAINT "stored_value_movements_top_up_fkey" FOREIGN KEY ("tenant_id","top_up_id") REFERENCES "public"."stored_value_top_ups"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_movements" ADD CONSTRAINT "stored_value_movements_restores_fkey" FOREIGN KEY ("tenant_id","restores_id") REFERENCES "public"."stored_value_movements"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_top_ups" ADD CONSTRAINT "stored_value_top_ups_entry_fkey" FOREIGN KEY ("tenant_id","entry_id") REFERENCES "public"."stored_value_entries"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_value_top_ups" ADD CONSTRAINT "stored_value_top_ups_account_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."stored_value_accounts"("tenant_id","customer_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_card_members_active_key" ON "customer_card_members" USING btree ("tenant_id","card_id","customer_id") WHERE "customer_card_members"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "customer_card_members_customer_idx" ON "customer_card_members" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "customer_card_uses_card_idx" ON "customer_card_uses" USING btree ("tenant_id","card_id","created_at");--> statement-breakpoint
CREATE INDEX "customer_cards_customer_idx" ON "customer_cards" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "stored_value_entries_customer_idx" ON "stored_value_entries" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "stored_value_entries_source_idx" ON "stored_value_entries" USING btree ("tenant_id","source_type","source_id");--> statement-breakpoint
CREATE INDEX "stored_value_movements_top_up_idx" ON "stored_value_movements" USING btree ("tenant_id","top_up_id");--> statement-breakpoint
CREATE INDEX "stored_value_movements_entry_idx" ON "stored_value_movements" USING btree ("tenant_id","entry_id");--> statement-breakpoint
CREATE INDEX "stored_value_top_ups_customer_idx" ON "stored_value_top_ups" USING btree ("tenant_id","customer_id","created_at");