-- 客户事实, applied in one statement: the write path's diff of a change's sources against their
-- stored contributions, the sources kept, the aggregates moved by the difference, rows fallen to
-- zero dropped, the first/last dates read back, and the facts of the customers touched returned
-- (the tier and the tags read them without another round trip). p_kind names what changed:
-- 'order' (its row, its lines and the growth its payments earned), 'deduction', 'visit' or
-- 'referral'. Applying the same change twice moves nothing.
CREATE FUNCTION customer_facts_apply(p_tenant uuid, p_kind text, p_id uuid) RETURNS SETOF customer_facts LANGUAGE plpgsql AS $$
DECLARE
  v_growth uuid[] := '{}';
  v_fresh customer_fact_sources[];
  v_stored customer_fact_sources[];
  v_new customer_fact_sources[];
  v_old customer_fact_sources[];
  v_customers uuid[];
BEGIN
  IF p_kind = 'order' THEN
    SELECT coalesce(array_agg(e.id), '{}') INTO v_growth FROM points_entries e
     WHERE e.tenant_id = p_tenant AND e.source_type = 'order' AND e.source_id = p_id::text AND e.reverses_id IS NULL;
  END IF;
  -- One branch per kind of source, never an OR: each reaches the view's branch through its own index.
  SELECT coalesce(array_agg(c), '{}') INTO v_fresh FROM (
    SELECT * FROM customer_fact_contributions WHERE tenant_id = p_tenant AND p_kind = 'order' AND source_type = 'order' AND order_id = p_id
    UNION ALL
    SELECT * FROM customer_fact_contributions WHERE tenant_id = p_tenant AND p_kind = 'order' AND source_type = 'line' AND order_id = p_id
    UNION ALL
    SELECT * FROM customer_fact_contributions WHERE tenant_id = p_tenant AND source_type = 'growth' AND source_id = ANY (v_growth)
    UNION ALL
    SELECT * FROM customer_fact_contributions WHERE tenant_id = p_tenant AND p_kind = 'deduction' AND source_type = 'deduction' AND source_id = p_id
    UNION ALL
    SELECT * FROM customer_fact_contributions WHERE tenant_id = p_tenant AND p_kind = 'visit' AND source_type = 'visit' AND source_id = p_id
    UNION ALL
    SELECT * FROM customer_fact_contributions WHERE tenant_id = p_tenant AND p_kind = 'referral' AND source_type = 'referral' AND source_id = p_id
  ) c;
  SELECT coalesce(array_agg(s), '{}') INTO v_stored FROM (
    SELECT * FROM customer_fact_sources
     WHERE tenant_id = p_tenant
       AND ((p_kind = 'order' AND source_type IN ('order', 'line') AND order_id = p_id)
            OR (source_type = 'growth' AND source_id = ANY (v_growth))
            OR (p_kind <> 'order' AND source_type = p_kind AND source_id = p_id))
       FOR UPDATE
  ) s;
  -- The sources whose contribution changed: their new rows (v_new) and their stored rows (v_old).
  SELECT coalesce(array_agg(x.f) FILTER (WHERE (x.f).source_id IS NOT NULL), '{}'),
         coalesce(array_agg(x.s) FILTER (WHERE (x.s).source_id IS NOT NULL), '{}')
    INTO v_new, v_old
    FROM (SELECT f, s FROM unnest(v_fresh) f FULL JOIN unnest(v_stored) s ON s.source_type = f.source_type AND s.source_id = f.source_id
           WHERE f IS DISTINCT FROM s) x;
  SELECT coalesce(array_agg(DISTINCT m.customer_id), '{}') INTO v_customers
    FROM (SELECT customer_id FROM unnest(v_fresh) UNION ALL SELECT customer_id FROM unnest(v_stored)) m;

  IF cardinality(v_new) > 0 OR cardinality(v_old) > 0 THEN
    DELETE FROM customer_fact_sources t USING unnest(v_old) o
     WHERE t.tenant_id = p_tenant AND t.source_type = o.source_type AND t.source_id = o.source_id
       AND NOT EXISTS (SELECT 1 FROM unnest(v_new) n WHERE n.source_type = o.source_type AND n.source_id = o.source_id);
    INSERT INTO customer_fact_sources SELECT * FROM unnest(v_new)
      ON CONFLICT (tenant_id, source_type, source_id) DO UPDATE SET
        customer_id = excluded.customer_id, order_id = excluded.order_id, on_date = excluded.on_date, category_id = excluded.category_id,
        visit_at = excluded.visit_at, visit_type = excluded.visit_type, order_count = excluded.order_count, deal_count = excluded.deal_count,
        line_count = excluded.line_count, deduction_count = excluded.deduction_count, visit_count = excluded.visit_count,
        consumption_fen = excluded.consumption_fen, money_fen = excluded.money_fen, arrears_fen = excluded.arrears_fen,
        category_fen = excluded.category_fen, executed_fen = excluded.executed_fen, growth = excluded.growth,
        referred_count = excluded.referred_count, referred_deal_count = excluded.referred_deal_count;

    -- Each aggregate moves by (new − old); a customer's facts row stays even at zero.
    INSERT INTO customer_facts AS t (tenant_id, customer_id, order_count, deal_count, deduction_count, visit_count, consumption_fen, money_fen,
                                     arrears_fen, executed_fen, growth, referred_count, referred_deal_count)
    SELECT p_tenant, m.customer_id, sum(m.sign * m.order_count), sum(m.sign * m.deal_count), sum(m.sign * m.deduction_count),
           sum(m.sign * m.visit_count), sum(m.sign * m.consumption_fen), sum(m.sign * m.money_fen), sum(m.sign * m.arrears_fen),
           sum(m.sign * m.executed_fen), sum(m.sign * m.growth), sum(m.sign * m.referred_count), sum(m.sign * m.referred_deal_count)
      FROM (SELECT 1 AS sign, * FROM unnest(v_new) UNION ALL SELECT -1, * FROM unnest(v_old)) m
     GROUP BY m.customer_id
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
      order_count = t.order_count + excluded.order_count, deal_count = t.deal_count + excluded.deal_count,
      deduction_count = t.deduction_count + excluded.deduction_count, visit_count = t.visit_count + excluded.visit_count,
      consumption_fen = t.consumption_fen + excluded.consumption_fen, money_fen = t.money_fen + excluded.money_fen,
      arrears_fen = t.arrears_fen + excluded.arrears_fen, executed_fen = t.executed_fen + excluded.executed_fen,
      growth = t.growth + excluded.growth, referred_count = t.referred_count + excluded.referred_count,
      referred_deal_count = t.referred_deal_count + excluded.referred_deal_count;

    -- Days and months: rows that fall to zero are dropped, as a recomputation never writes them.
    INSERT INTO customer_fact_days AS t (tenant_id, customer_id, on_date, growth, money_fen, visit_count)
    SELECT p_tenant, m.customer_id, m.on_date, sum(m.sign * m.growth), sum(m.sign * m.money_fen), sum(m.sign * m.visit_count)
      FROM (SELECT 1 AS sign, * FROM unnest(v_new) UNION ALL SELECT -1, * FROM unnest(v_old)) m
     GROUP BY m.customer_id, m.on_date
    HAVING sum(m.sign * m.growth) <> 0 OR sum(m.sign * m.money_fen) <> 0 OR sum(m.sign * m.visit_count) <> 0
    ON CONFLICT (tenant_id, customer_id, on_date) DO UPDATE SET
      growth = t.growth + excluded.growth, money_fen = t.money_fen + excluded.money_fen, visit_count = t.visit_count + excluded.visit_count;
    DELETE FROM customer_fact_days t
     USING (SELECT DISTINCT customer_id, on_date FROM unnest(v_old)) k
     WHERE t.tenant_id = p_tenant AND t.customer_id = k.customer_id AND t.on_date = k.on_date
       AND t.growth = 0 AND t.money_fen = 0 AND t.visit_count = 0;

    INSERT INTO customer_fact_months AS t (tenant_id, customer_id, month, consumption_fen, executed_fen, order_count, visit_count)
    SELECT p_tenant, m.customer_id, date_trunc('month', m.on_date)::date, sum(m.sign * m.consumption_fen), sum(m.sign * m.executed_fen),
           sum(m.sign * m.order_count), sum(m.sign * m.visit_count)
      FROM (SELECT 1 AS sign, * FROM unnest(v_new) UNION ALL SELECT -1, * FROM unnest(v_old)) m
     GROUP BY m.customer_id, date_trunc('month', m.on_date)
    HAVING sum(m.sign * m.consumption_fen) <> 0 OR sum(m.sign * m.executed_fen) <> 0 OR sum(m.sign * m.order_count) <> 0 OR sum(m.sign * m.visit_count) <> 0
    ON CONFLICT (tenant_id, customer_id, month) DO UPDATE SET
      consumption_fen = t.consumption_fen + excluded.consumption_fen, executed_fen = t.executed_fen + excluded.executed_fen,
      order_count = t.order_count + excluded.order_count, visit_count = t.visit_count + excluded.visit_count;
    DELETE FROM customer_fact_months t
     USING (SELECT DISTINCT customer_id, date_trunc('month', on_date)::date AS month FROM unnest(v_old)) k
     WHERE t.tenant_id = p_tenant AND t.customer_id = k.customer_id AND t.month = k.month
       AND t.consumption_fen = 0 AND t.executed_fen = 0 AND t.order_count = 0 AND t.visit_count = 0;

    -- Categories bought: amounts and counts, then the first and last day bought read back from the lines.
    INSERT INTO customer_fact_categories AS t (tenant_id, customer_id, category_id, amount_fen, line_count)
    SELECT p_tenant, m.customer_id, m.category_id, sum(m.sign * m.category_fen), sum(m.sign * m.line_count)
      FROM (SELECT 1 AS sign, * FROM unnest(v_new) UNION ALL SELECT -1, * FROM unnest(v_old)) m
     WHERE m.source_type = 'line' AND m.category_id IS NOT NULL
     GROUP BY m.customer_id, m.category_id
    HAVING sum(m.sign * m.category_fen) <> 0 OR sum(m.sign * m.line_count) <> 0
    ON CONFLICT (tenant_id, customer_id, category_id) DO UPDATE SET
      amount_fen = t.amount_fen + excluded.amount_fen, line_count = t.line_count + excluded.line_count;
    DELETE FROM customer_fact_categories t
     USING (SELECT DISTINCT customer_id, category_id FROM unnest(v_old) WHERE source_type = 'line' AND category_id IS NOT NULL) k
     WHERE t.tenant_id = p_tenant AND t.customer_id = k.customer_id AND t.category_id = k.category_id AND t.amount_fen = 0 AND t.line_count = 0;
    UPDATE customer_fact_categories c SET
      first_bought_on = (SELECT min(s.on_date) FROM customer_fact_sources s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.customer_id
                            AND s.source_type = 'line' AND s.category_id = c.category_id AND s.line_count > 0),
      last_bought_on = (SELECT max(s.on_date) FROM customer_fact_sources s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.customer_id
                           AND s.source_type = 'line' AND s.category_id = c.category_id AND s.line_count > 0)
      FROM (SELECT DISTINCT customer_id, category_id FROM (SELECT * FROM unnest(v_new) UNION ALL SELECT * FROM unnest(v_old)) a
             WHERE a.source_type = 'line' AND a.category_id IS NOT NULL) k
     WHERE c.tenant_id = p_tenant AND c.customer_id = k.customer_id AND c.category_id = k.category_id;

    -- Not sums: the first and last deal, last consumption and last visit are read back from the sources.
    PERFORM customer_facts_extremes(p_tenant, c) FROM unnest(v_customers) c;
  END IF;
  RETURN QUERY SELECT f.* FROM customer_facts f WHERE f.tenant_id = p_tenant AND f.customer_id = ANY (v_customers);
END;
$$;
