/**
 * 积分抵现 rules, pure: how much of an order points may pay for, and what a given number of
 * points is worth. Amounts in fen, points integers.
 */
export type RedemptionRules = {
  isEnabled: boolean;
  pointsPerYuan: number;
  minimumPoints: number;
  perOrderCap: { kind: 'percent'; percent: number } | { kind: 'amount'; amountFen: number };
  excludedKinds: string[];
  excludedCategoryIds: string[];
  monthlyCapPercent: number | null;
};

export type RedemptionCheck = {
  points: number;
  orderDueFen: number;
  /** `hasVoucher`: a voucher took something off the line (it then takes no points unless `pointsWithVouchers`). */
  lines: { kind: string; categoryId: string | null; amountFen: number; hasVoucher?: boolean }[];
  /** The pricing setting of the same name (default true): points may pay for lines a voucher applied to. */
  pointsWithVouchers?: boolean;
  /** Cash value of points already used on this order. */
  alreadyOnOrderFen: number;
  /** This calendar month (tenant time zone): cash value redeemed so far, and consumption including this order. */
  monthRedeemedFen: number;
  monthConsumptionFen: number;
};

export type RedemptionDecision = { ok: true; amountFen: number; maxFen: number } | { ok: false; reason: string; maxFen: number };

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** Points → fen, only when exact: 150 points at 100 points per ¥1 are 150 fen; 1 point at 300 per ¥1 is not a whole fen. */
export const pointsValueFen = (points: number, pointsPerYuan: number): number | undefined => {
  const fen = (points * 100) / pointsPerYuan;
  return Number.isInteger(fen) ? fen : undefined;
};

export const decideRedemption = (check: RedemptionCheck, rules: RedemptionRules): RedemptionDecision => {
  const eligibleFen = check.lines
    .filter(
      (line) =>
        !rules.excludedKinds.includes(line.kind) &&
        !(line.categoryId && rules.excludedCategoryIds.includes(line.categoryId)) &&
        // As the quote's pricing decides (points-offset): the checkout accepts exactly what the quote offered.
        (check.pointsWithVouchers !== false || !line.hasVoucher),
    )
    .reduce((sum, line) => sum + line.amountFen, 0);
  const orderCap = rules.perOrderCap.kind === 'percent' ? Math.floor((check.orderDueFen * rules.perOrderCap.percent) / 100) : rules.perOrderCap.amountFen;
  const monthCap =
    rules.monthlyCapPercent === null
      ? Number.POSITIVE_INFINITY
      : Math.floor((check.monthConsumptionFen * rules.monthlyCapPercent) / 100) - check.monthRedeemedFen;
  const maxFen = Math.max(0, Math.min(eligibleFen, orderCap, monthCap) - check.alreadyOnOrderFen);
  if (!rules.isEnabled) return { ok: false, reason: '本店未开启积分抵现', maxFen: 0 };
  if (check.points < rules.minimumPoints) return { ok: false, reason: `积分抵现至少使用 ${rules.minimumPoints} 积分`, maxFen };
  const amountFen = pointsValueFen(check.points, rules.pointsPerYuan);
  if (amountFen === undefined) return { ok: false, reason: `积分须能换算成整分：每 ¥1 为 ${rules.pointsPerYuan} 积分`, maxFen };
  if (amountFen > maxFen) {
    const why =
      maxFen === Math.max(0, monthCap - check.alreadyOnOrderFen) && monthCap < Math.min(eligibleFen, orderCap)
        ? `本月积分抵现已达上限（当月消费的 ${rules.monthlyCapPercent}%）`
        : maxFen === Math.max(0, eligibleFen - check.alreadyOnOrderFen) && eligibleFen <= orderCap
          ? '订单中可用积分抵扣的品项金额不足（部分品类不能用积分）'
          : '超过每单积分抵现上限';
    return { ok: false, reason: `${why}：本单最多抵 ${yuan(maxFen)}`, maxFen };
  }
  return { ok: true, amountFen, maxFen };
};
