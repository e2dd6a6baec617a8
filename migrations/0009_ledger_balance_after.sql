-- Every ledger entry records the account's balance right after it, so a write checks itself in
-- O(1) (previous balance + amount = balance after = the account row) instead of re-summing the
-- customer's history. `seq` is the write order within an account (writes to one account are
-- serialized by its row lock); existing rows are numbered by (created_at, id) and their
-- balances after are backfilled as the running sum in that order.
ALTER TABLE "points_entries" ADD COLUMN "seq" bigint;--> statement-breakpoint
UPDATE "points_entries" e SET "seq" = r.n FROM (SELECT tenant_id, id, row_number() OVER (ORDER BY created_at, id) AS n FROM "points_entries") r WHERE e.tenant_id = r.tenant_id AND e.id = r.id;--> statement-breakpoint
ALTER TABLE "points_entries" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "points_entries" ALTER COLUMN "seq" ADD GENERATED ALWAYS AS IDENTITY (sequence name "points_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
SELECT setval('points_entries_seq_seq', coalesce((SELECT max("seq") FROM "points_entries"), 0) + 1, false);--> statement-breakpoint
ALTER TABLE "points_entries" ADD COLUMN "balance_after" bigint;--> statement-breakpoint
UPDATE "points_entries" e SET "balance_after" = r.running FROM (
  SELECT tenant_id, id, sum(points) OVER (PARTITION BY tenant_id, customer_id ORDER BY seq) AS running FROM "points_entries"
) r WHERE e.tenant_id = r.tenant_id AND e.id = r.id;--> statement-breakpoint
ALTER TABLE "points_entries" ALTER COLUMN "balance_after" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "points_entries_chain_idx" ON "points_entries" USING btree ("tenant_id","customer_id","seq");--> statement-breakpoint
ALTER TABLE "stored_value_entries" ADD COLUMN "seq" bigint;--> statement-breakpoint
UPDATE "stored_value_entries" e SET "seq" = r.n FROM (SELECT tenant_id, id, row_number() OVER (ORDER BY created_at, id) AS n FROM "stored_value_entries") r WHERE e.tenant_id = r.tenant_id AND e.id = r.id;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ALTER COLUMN "seq" ADD GENERATED ALWAYS AS IDENTITY (sequence name "stored_value_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
SELECT setval('stored_value_entries_seq_seq', coalesce((SELECT max("seq") FROM "stored_value_entries"), 0) + 1, false);--> statement-breakpoint
ALTER TABLE "stored_value_entries" ADD COLUMN "principal_after_fen" bigint;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ADD COLUMN "bonus_after_fen" bigint;--> statement-breakpoint
UPDATE "stored_value_entries" e SET "principal_after_fen" = r.principal, "bonus_after_fen" = r.bonus FROM (
  SELECT tenant_id, id,
    sum(principal_fen) OVER (PARTITION BY tenant_id, customer_id ORDER BY seq) AS principal,
    sum(bonus_fen) OVER (PARTITION BY tenant_id, customer_id ORDER BY seq) AS bonus
  FROM "stored_value_entries"
) r WHERE e.tenant_id = r.tenant_id AND e.id = r.id;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ALTER COLUMN "principal_after_fen" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "stored_value_entries" ALTER COLUMN "bonus_after_fen" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "stored_value_entries_chain_idx" ON "stored_value_entries" USING btree ("tenant_id","customer_id","seq");
--> statement-breakpoint
CREATE INDEX "stored_value_top_ups_live_idx" ON "stored_value_top_ups" USING btree ("tenant_id","customer_id","created_at","id") WHERE "stored_value_top_ups"."refunded_at" is null and ("stored_value_top_ups"."principal_remaining_fen" > 0 or "stored_value_top_ups"."bonus_remaining_fen" > 0);
