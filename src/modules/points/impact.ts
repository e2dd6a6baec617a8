import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import { type EarningRules, earnForPayments } from './rules.js';

/** A rule change that would raise points issued by more than this share is flagged before saving. */
export const liabilityWarningPercent = 20;

type PaymentRow = {
  payment_id: string;
  method: string;
  amount_fen: number;
  business_date: string;
  line_id: string;
  item_id: string;
  category_id: string | null;
  name: string;
  unit_price_fen: number;
  line_amount_fen: number;
};

/**
 * Replays the last `days` of payments under the current and the proposed earning rules (the
 * rule simulator of SPEC §15, for points): points that would have been issued, their cash
 * liability at the redemption rate, and whether the increase crosses the warning line.
 */
export const earningImpact = async (
  tx: Executor,
  input: { tenantId: string; today: string; days: number; current: EarningRules; proposed: EarningRules; pointsPerYuanRedeemed: number; holidays: Set<string> },
) => {
  const rows = await queryRows<PaymentRow>(
    tx,
    sql`select p.id as payment_id, p.method, p.amount_fen, p.business_date::text, l.id as line_id, l.item_id, i.category_id, l.name, l.unit_price_fen, l.amount_fen as line_amount_fen
        from payments p
        join order_lines l on l.tenant_id = p.tenant_id and l.order_id = p.order_id
        join items i on i.tenant_id = l.tenant_id and i.id = l.item_id
        where p.tenant_id = ${input.tenantId} and p.kind = 'payment' and p.business_date > ${addDays(input.today, -input.days)}::date
        order by p.id, l.line_no`,
  );
  const byPayment = new Map<string, PaymentRow[]>();
  for (const row of rows) byPayment.set(row.payment_id, [...(byPayment.get(row.payment_id) ?? []), row]);
  let current = 0;
  let proposed = 0;
  for (const lines of byPayment.values()) {
    const first = lines[0];
    if (!first) continue;
    const earningInput = {
      date: first.business_date,
      isHoliday: input.holidays.has(first.business_date),
      tierId: null,
      payments: [{ method: first.method, amountFen: Number(first.amount_fen) }],
      lines: lines.map((line) => ({
        lineId: line.line_id,
        itemId: line.item_id,
        categoryId: line.category_id,
        name: line.name,
        unitPriceFen: Number(line.unit_price_fen),
        amountFen: Number(line.line_amount_fen),
      })),
    };
    current += earnForPayments(earningInput, input.current).points;
    proposed += earnForPayments(earningInput, input.proposed).points;
  }
  const changePercent = current === 0 ? (proposed === 0 ? 0 : 100) : Math.round(((proposed - current) / current) * 1000) / 10;
  return {
    days: input.days,
    payments: byPayment.size,
    currentPoints: current,
    proposedPoints: proposed,
    changePercent,
    /** Cash value of the proposed points at the redemption rate, in fen. */
    proposedLiabilityFen: Math.floor((proposed * 100) / input.pointsPerYuanRedeemed),
    isWarning: changePercent > liabilityWarningPercent,
    warningPercent: liabilityWarningPercent,
  };
};
