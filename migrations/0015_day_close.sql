-- Closing a store's day: the latest business day whose whole-store close stands is kept on the
-- store's row, which every value-moving write locks in share mode, so a close and a checkout
-- cannot both win; the close keeps the cash the desk counted. Days closed before this change
-- stay closed.
ALTER TABLE "stores" ADD COLUMN "last_closed_day" date;--> statement-breakpoint
ALTER TABLE "shift_closes" ADD COLUMN "counted_cash_fen" bigint;--> statement-breakpoint
UPDATE "stores" SET "last_closed_day" = (
	SELECT max("shift_closes"."business_date") FROM "shift_closes"
	WHERE "shift_closes"."tenant_id" = "stores"."tenant_id" AND "shift_closes"."store_id" = "stores"."id" AND "shift_closes"."scope" = 'all'
);
