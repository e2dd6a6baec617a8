-- 客户事实: per-customer aggregates kept by the write path (DESIGN §5, customer facts).
-- Each source of history (an order, an order line, an earn entry's growth, a 划扣, a visit, a
-- referral) contributes one row to customer_fact_sources; the aggregate tables are the sums of
-- those rows. The contribution of every source is defined once, by the view
-- customer_fact_contributions over raw history: the write path diffs a source's new
-- contribution against its stored one, verify-ledgers and the backfill recompute from the view.
CREATE TABLE "customer_fact_sources" (
	"tenant_id" uuid NOT NULL,
	"source_type" text NOT NULL,
	"source_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"order_id" uuid,
	"on_date" date NOT NULL,
	"category_id" uuid,
	"visit_at" timestamp with time zone,
	"visit_type" text,
	"order_count" integer NOT NULL DEFAULT 0,
	"deal_count" integer NOT NULL DEFAULT 0,
	"line_count" integer NOT NULL DEFAULT 0,
	"deduction_count" integer NOT NULL DEFAULT 0,
	"visit_count" integer NOT NULL DEFAULT 0,
	"consumption_fen" bigint NOT NULL DEFAULT 0,
	"money_fen" bigint NOT NULL DEFAULT 0,
	"arrears_fen" bigint NOT NULL DEFAULT 0,
	"category_fen" bigint NOT NULL DEFAULT 0,
	"executed_fen" bigint NOT NULL DEFAULT 0,
	"growth" bigint NOT NULL DEFAULT 0,
	"referred_count" integer NOT NULL DEFAULT 0,
	"referred_deal_count" integer NOT NULL DEFAULT 0,
	CONSTRAINT "customer_fact_sources_pkey" PRIMARY KEY("tenant_id","source_type","source_id")
);
--> statement-breakpoint
CREATE INDEX "customer_fact_sources_customer_idx" ON "customer_fact_sources" USING btree ("tenant_id","customer_id","source_type","on_date");--> statement-breakpoint
-- Reversals looked up by what they reverse (a refund's growth nets against its earn entry).
CREATE INDEX IF NOT EXISTS "points_entries_reverses_idx" ON "points_entries" USING btree ("tenant_id","reverses_id") WHERE "reverses_id" IS NOT NULL;--> statement-breakpoint
-- An order's payments, summed for its contribution (and its backfill), without a scan of the tenant's.
CREATE INDEX IF NOT EXISTS "payments_order_idx" ON "payments" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE INDEX "customer_fact_sources_order_idx" ON "customer_fact_sources" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE TABLE "customer_facts" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"order_count" integer NOT NULL DEFAULT 0,
	"deal_count" integer NOT NULL DEFAULT 0,
	"deduction_count" integer NOT NULL DEFAULT 0,
	"visit_count" integer NOT NULL DEFAULT 0,
	"consumption_fen" bigint NOT NULL DEFAULT 0,
	"money_fen" bigint NOT NULL DEFAULT 0,
	"arrears_fen" bigint NOT NULL DEFAULT 0,
	"executed_fen" bigint NOT NULL DEFAULT 0,
	"growth" bigint NOT NULL DEFAULT 0,
	"referred_count" integer NOT NULL DEFAULT 0,
	"referred_deal_count" integer NOT NULL DEFAULT 0,
	"first_deal_on" date,
	"first_deal_order_id" uuid,
	"last_deal_on" date,
	"last_deal_order_id" uuid,
	"last_consumption_on" date,
	"last_visit_at" timestamp with time zone,
	"last_visit_on" date,
	"last_visit_type" text,
	CONSTRAINT "customer_facts_pkey" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "customer_fact_days" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"on_date" date NOT NULL,
	"growth" bigint NOT NULL DEFAULT 0,
	"money_fen" bigint NOT NULL DEFAULT 0,
	"visit_count" integer NOT NULL DEFAULT 0,
	CONSTRAINT "customer_fact_days_pkey" PRIMARY KEY("tenant_id","customer_id","on_date")
);
--> statement-breakpoint
CREATE TABLE "customer_fact_months" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"month" date NOT NULL,
	"consumption_fen" bigint NOT NULL DEFAULT 0,
	"executed_fen" bigint NOT NULL DEFAULT 0,
	"order_count" integer NOT NULL DEFAULT 0,
	"visit_count" integer NOT NULL DEFAULT 0,
	CONSTRAINT "customer_fact_months_pkey" PRIMARY KEY("tenant_id","customer_id","month")
);
--> statement-breakpoint
CREATE TABLE "customer_fact_categories" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL DEFAULT 0,
	"line_count" integer NOT NULL DEFAULT 0,
	"first_bought_on" date,
	"last_bought_on" date,
	CONSTRAINT "customer_fact_categories_pkey" PRIMARY KEY("tenant_id","customer_id","category_id")
);
--> statement-breakpoint
CREATE VIEW "customer_fact_contributions" AS
-- An order placed and not wholly refunded counts; its money (not points, vouchers or stored
-- value) and its value net of refunds are by its business date, as tier evaluation weighs them.
SELECT o.tenant_id, 'order'::text AS source_type, o.id AS source_id, o.customer_id, o.id AS order_id, o.business_date AS on_date,
       NULL::uuid AS category_id, NULL::timestamptz AS visit_at, NULL::text AS visit_type,
       (CASE WHEN o.status = 'placed' AND o.refunded_fen < o.total_fen THEN 1 ELSE 0 END)::int AS order_count,
       (CASE WHEN o.status = 'placed' AND o.refunded_fen < o.total_fen AND o.is_deal THEN 1 ELSE 0 END)::int AS deal_count,
       0 AS line_count, 0 AS deduction_count, 0 AS visit_count,
       (CASE WHEN o.status = 'placed' THEN o.total_fen - o.refunded_fen ELSE 0 END)::bigint AS consumption_fen,
       (CASE WHEN o.status = 'placed' THEN coalesce(p.money_fen, 0) ELSE 0 END)::bigint AS money_fen,
       (CASE WHEN o.status = 'placed' THEN greatest(o.total_fen - o.refunded_fen - coalesce(p.paid_fen, 0), 0) ELSE 0 END)::bigint AS arrears_fen,
       0::bigint AS category_fen, 0::bigint AS executed_fen, 0::bigint AS growth, 0 AS referred_count, 0 AS referred_deal_count
  FROM orders o
  LEFT JOIN LATERAL (
    SELECT sum(amount_fen) FILTER (WHERE method NOT IN ('points', 'voucher', 'stored_value')) AS money_fen, sum(amount_fen) AS paid_fen
      FROM payments WHERE payments.tenant_id = o.tenant_id AND payments.order_id = o.id
  ) p ON true
UNION ALL
-- A line of a placed order: what was bought, by catalog category (categories bought).
SELECT l.tenant_id, 'line', l.id, o.customer_id, o.id, o.business_date,
       i.category_id, NULL, NULL,
       0, 0, (CASE WHEN o.status = 'placed' AND l.refunded_quantity < l.quantity THEN 1 ELSE 0 END)::int, 0, 0,
       0, 0, 0, (CASE WHEN o.status = 'placed' THEN l.amount_fen - l.refunded_fen ELSE 0 END)::bigint, 0, 0, 0, 0
  FROM order_lines l
  JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
  JOIN items i ON i.tenant_id = l.tenant_id AND i.id = l.item_id
UNION ALL
-- 成长值 of an earn entry net of its reversals, on the local date it was earned: a refund's
-- negative growth counts against the window of the payment it reverses.
SELECT e.tenant_id, 'growth', e.id, e.customer_id,
       (CASE WHEN e.source_type = 'order' THEN e.source_id::uuid END), (e.created_at AT TIME ZONE t.timezone)::date,
       NULL, NULL, NULL,
       0, 0, 0, 0, 0,
       0, 0, 0, 0, 0, (e.growth + coalesce((SELECT sum(r.growth) FROM points_entries r WHERE r.tenant_id = e.tenant_id AND r.reverses_id = e.id), 0))::bigint, 0, 0
  FROM points_entries e
  JOIN tenants t ON t.id = e.tenant_id
 WHERE e.reverses_id IS NULL AND e.growth <> 0
UNION ALL
-- 划扣: a session executed counts until it is reversed.
SELECT d.tenant_id, 'deduction', d.id, d.customer_id, NULL, d.business_date,
       NULL, NULL, NULL,
       0, 0, 0, (CASE WHEN r.id IS NULL THEN 1 ELSE 0 END)::int, 0,
       0, 0, 0, 0, (CASE WHEN r.id IS NULL THEN d.value_fen ELSE 0 END)::bigint, 0, 0, 0
  FROM deductions d
  LEFT JOIN deductions r ON r.tenant_id = d.tenant_id AND r.reverses_id = d.id
 WHERE d.reverses_id IS NULL
UNION ALL
SELECT v.tenant_id, 'visit', v.id, v.customer_id, NULL, v.business_date,
       NULL, v.arrived_at, v.visit_type,
       0, 0, 0, 0, 1,
       0, 0, 0, 0, 0, 0, 0, 0
  FROM visits v
UNION ALL
-- 转介绍, counted for the referrer: the customers she brought, and those of them who dealt.
SELECT f.tenant_id, 'referral', f.id, f.referrer_id, NULL, (f.referred_at AT TIME ZONE t.timezone)::date,
       NULL, NULL, NULL,
       0, 0, 0, 0, 0,
       0, 0, 0, 0, 0, 0, 1, (CASE WHEN f.dealt_at IS NOT NULL THEN 1 ELSE 0 END)::int
  FROM referrals f
  JOIN tenants t ON t.id = f.tenant_id;
--> statement-breakpoint
-- Rebuilds a tenant's facts (or one customer's) from raw history: the backfill below, and
-- recomputeFacts for verify-ledgers. Everything a source contributes comes from the view.
CREATE FUNCTION customer_facts_rebuild(p_tenant uuid, p_customer uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_fact_sources WHERE tenant_id = p_tenant AND (p_customer IS NULL OR customer_id = p_customer);
  DELETE FROM customer_facts WHERE tenant_id = p_tenant AND (p_customer IS NULL OR customer_id = p_customer);
  DELETE FROM customer_fact_days WHERE tenant_id = p_tenant AND (p_customer IS NULL OR customer_id = p_customer);
  DELETE FROM customer_fact_months WHERE tenant_id = p_tenant AND (p_customer IS NULL OR customer_id = p_customer);
  DELETE FROM customer_fact_categories WHERE tenant_id = p_tenant AND (p_customer IS NULL OR customer_id = p_customer);
  INSERT INTO customer_fact_sources
    SELECT c.tenant_id, c.source_type, c.source_id, c.customer_id, c.order_id, c.on_date, c.category_id, c.visit_at, c.visit_type,
           c.order_count, c.deal_count, c.line_count, c.deduction_count, c.visit_count, c.consumption_fen, c.money_fen, c.arrears_fen,
           c.category_fen, c.executed_fen, c.growth, c.referred_count, c.referred_deal_count
      FROM customer_fact_contributions c
     WHERE c.tenant_id = p_tenant AND (p_customer IS NULL OR c.customer_id = p_customer);
  INSERT INTO customer_facts
    SELECT s.tenant_id, s.customer_id,
           sum(s.order_count), sum(s.deal_count), sum(s.deduction_count), sum(s.visit_count),
           sum(s.consumption_fen), sum(s.money_fen), sum(s.arrears_fen), sum(s.executed_fen), sum(s.growth),
           sum(s.referred_count), sum(s.referred_deal_count),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM customer_fact_sources s
     WHERE s.tenant_id = p_tenant AND (p_customer IS NULL OR s.customer_id = p_customer)
     GROUP BY s.tenant_id, s.customer_id;
  PERFORM customer_facts_extremes(p_tenant, p_customer);
  INSERT INTO customer_fact_days
    SELECT s.tenant_id, s.customer_id, s.on_date, sum(s.growth), sum(s.money_fen), sum(s.visit_count)
      FROM customer_fact_sources s
     WHERE s.tenant_id = p_tenant AND (p_customer IS NULL OR s.customer_id = p_customer)
     GROUP BY s.tenant_id, s.customer_id, s.on_date
    HAVING sum(s.growth) <> 0 OR sum(s.money_fen) <> 0 OR sum(s.visit_count) <> 0;
  INSERT INTO customer_fact_months
    SELECT s.tenant_id, s.customer_id, date_trunc('month', s.on_date)::date, sum(s.consumption_fen), sum(s.executed_fen), sum(s.order_count), sum(s.visit_count)
      FROM customer_fact_sources s
     WHERE s.tenant_id = p_tenant AND (p_customer IS NULL OR s.customer_id = p_customer)
     GROUP BY s.tenant_id, s.customer_id, date_trunc('month', s.on_date)
    HAVING sum(s.consumption_fen) <> 0 OR sum(s.executed_fen) <> 0 OR sum(s.order_count) <> 0 OR sum(s.visit_count) <> 0;
  INSERT INTO customer_fact_categories
    SELECT s.tenant_id, s.customer_id, s.category_id, sum(s.category_fen), sum(s.line_count),
           min(s.on_date) FILTER (WHERE s.line_count > 0), max(s.on_date) FILTER (WHERE s.line_count > 0)
      FROM customer_fact_sources s
     WHERE s.tenant_id = p_tenant AND (p_customer IS NULL OR s.customer_id = p_customer) AND s.source_type = 'line' AND s.category_id IS NOT NULL
     GROUP BY s.tenant_id, s.customer_id, s.category_id
    HAVING sum(s.category_fen) <> 0 OR sum(s.line_count) <> 0;
END;
$$;
--> statement-breakpoint
-- The first and last deal, last consumption and last visit: not sums, so they are read back
-- from the sources (an index range per customer) whenever a contribution changes.
CREATE FUNCTION customer_facts_extremes(p_tenant uuid, p_customer uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customer_facts f SET
    first_deal_on = fd.on_date, first_deal_order_id = fd.source_id,
    last_deal_on = ld.on_date, last_deal_order_id = ld.source_id,
    last_consumption_on = greatest(
      (SELECT s.on_date FROM customer_fact_sources s
        WHERE s.tenant_id = f.tenant_id AND s.customer_id = f.customer_id AND s.source_type = 'order' AND s.order_count > 0 ORDER BY s.on_date DESC LIMIT 1),
      (SELECT s.on_date FROM customer_fact_sources s
        WHERE s.tenant_id = f.tenant_id AND s.customer_id = f.customer_id AND s.source_type = 'deduction' AND s.deduction_count > 0 ORDER BY s.on_date DESC LIMIT 1)),
    last_visit_at = lv.visit_at, last_visit_on = lv.on_date, last_visit_type = lv.visit_type
  FROM customer_facts f2
  LEFT JOIN LATERAL (SELECT s.on_date, s.source_id FROM customer_fact_sources s
                      WHERE s.tenant_id = f2.tenant_id AND s.customer_id = f2.customer_id AND s.source_type = 'order' AND s.deal_count > 0
                      ORDER BY s.on_date, s.source_id LIMIT 1) fd ON true
  LEFT JOIN LATERAL (SELECT s.on_date, s.source_id FROM customer_fact_sources s
                      WHERE s.tenant_id = f2.tenant_id AND s.customer_id = f2.customer_id AND s.source_type = 'order' AND s.deal_count > 0
                      ORDER BY s.on_date DESC, s.source_id DESC LIMIT 1) ld ON true
  LEFT JOIN LATERAL (SELECT s.on_date, s.visit_at, s.visit_type FROM customer_fact_sources s
                      WHERE s.tenant_id = f2.tenant_id AND s.customer_id = f2.customer_id AND s.source_type = 'visit'
                      ORDER BY s.on_date DESC, s.visit_at DESC, s.source_id DESC LIMIT 1) lv ON true
  WHERE f2.tenant_id = f.tenant_id AND f2.customer_id = f.customer_id
    AND f.tenant_id = p_tenant AND (p_customer IS NULL OR f.customer_id = p_customer);
END;
$$;
--> statement-breakpoint
SELECT customer_facts_rebuild(t.id, NULL) FROM tenants t;
