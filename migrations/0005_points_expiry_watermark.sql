DROP INDEX "points_lots_due_idx";--> statement-breakpoint
ALTER TABLE "points_accounts" ADD COLUMN "expired_through" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "points_accounts" ADD COLUMN "next_expiry_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "points_accounts_next_expiry_idx" ON "points_accounts" USING btree ("next_expiry_at");--> statement-breakpoint
-- Existing accounts: the sweep looks at each again at its first lot's expiry (lots already expired hold nothing).
UPDATE "points_accounts" a SET "next_expiry_at" = (SELECT min(l."expires_at") FROM "points_lots" l WHERE l."tenant_id" = a."tenant_id" AND l."customer_id" = a."customer_id" AND l."expires_at" IS NOT NULL AND l."expired_at" IS NULL);--> statement-breakpoint
ALTER TABLE "points_lots" DROP COLUMN "expired_at";