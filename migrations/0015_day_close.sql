-- Closing a store's day: the latest business day whose whole-store close stands is kept on the
-- store's row, which every value-moving write locks in share mode, so a close and a checkout
-- cannot both win; the close keeps the cash the desk counted.
ALTER TABLE "stores" ADD COLUMN "last_closed_day" date;--> statement-breakpoint
ALTER TABLE "shift_closes" ADD COLUMN "counted_cash_fen" bigint;
