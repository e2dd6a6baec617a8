ALTER TABLE "customer_card_uses" ADD COLUMN "benefit_ref" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "pricing" jsonb;