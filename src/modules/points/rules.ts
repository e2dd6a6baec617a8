import { allocate } from '../../platform/money.js';

/**
 * Earning rules (SPEC §6), pure: the same inputs always give the same points, with the reasons
 * a customer can read. Multipliers are kept in basis points (15000 = ×1.5) and applied with
 * integer arithmetic; points are rounded down once, per line, at the end.
 */
export type Multiplier = { name: string; basisPoints: number };

export type EarningRules = {
  /** Points per ¥1 paid, per payment method; methods not listed (points, vouchers) earn nothing. */
  pointsPerYuan: Record<string, number>;
  /** ×, per tier id (tiers arrive with membership; default ×1). */
  tierBasisPoints: Record<string, number>;
  memberDay: { dayOfMonth: number; basisPoints: number } | null;
  holidayBasisPoints: number | null;
  weekdayBasisPoints: Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', number>>;
  campaigns: { name: string; from: string; to: string; basisPoints: number }[];
  /** Items (or whole categories) priced at or above a threshold earn more (e.g. above the average ticket). */
  itemMultipliers: { itemId?: string; categoryId?: string; minUnitPriceFen: number; basisPoints: number; name: string }[];
  stacking: 'multiply' | 'best';
};

export type EarningInput = {
  /** Business date (YYYY-MM-DD) of the payment in the tenant's time zone. */
  date: string;
  isHoliday: boolean;
  /** A clinic's own holiday (活动节日, e.g. 三八妇女节) is named in the reason; national holidays read 法定节假日. */
  clinicHolidayName?: string | undefined;
  tierId: string | null;
  tierName?: string;
  payments: { method: string; amountFen: number }[];
  lines: { lineId: string; itemId: string; categoryId: string | null; name: string; unitPriceFen: number; amountFen: number }[];
};

export type LineEarning = { lineId: string; basePoints: number; multipliers: Multiplier[]; points: number };
export type Earning = { points: number; basePoints: number; lines: LineEarning[]; reasons: string[] };

const one = 10_000;
const times = (basisPoints: number) => `${(basisPoints / one).toString()}`;

/** Monday '1' … Sunday '7', as `weekdayBasisPoints` is keyed. */
const weekdayNames = { '1': '周一', '2': '周二', '3': '周三', '4': '周四', '5': '周五', '6': '周六', '7': '周日' } as const;

const weekdayOf = (date: string): '1' | '2' | '3' | '4' | '5' | '6' | '7' => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return String(day === 0 ? 7 : day) as '1';
};

/** The multipliers that apply to the whole order on this date for this customer. */
export const orderMultipliers = (
  rules: EarningRules,
  input: Pick<EarningInput, 'date' | 'isHoliday' | 'clinicHolidayName' | 'tierId' | 'tierName'>,
): Multiplier[] => {
  const list: Multiplier[] = [];
  const tier = input.tierId ? rules.tierBasisPoints[input.tierId] : undefined;
  if (tier && tier !== one) list.push({ name: `等级${input.tierName ? `（${input.tierName}）` : ''}`, basisPoints: tier });
  if (rules.memberDay && Number(input.date.slice(8, 10)) === rules.memberDay.dayOfMonth)
    list.push({ name: '会员日', basisPoints: rules.memberDay.basisPoints });
  if (rules.holidayBasisPoints && input.isHoliday) {
    list.push({ name: input.clinicHolidayName ? `节日（${input.clinicHolidayName}）` : '法定节假日', basisPoints: rules.holidayBasisPoints });
  }
  const weekdayKey = weekdayOf(input.date);
  const weekday = rules.weekdayBasisPoints[weekdayKey];
  // Named by the day, so the explanation says why ("× 周六 2") rather than a generic label.
  if (weekday && weekday !== one) list.push({ name: weekdayNames[weekdayKey], basisPoints: weekday });
  for (const campaign of rules.campaigns) {
    if (campaign.from <= input.date && input.date <= campaign.to) list.push({ name: campaign.name, basisPoints: campaign.basisPoints });
  }
  return list;
};

const combine = (multipliers: Multiplier[], stacking: EarningRules['stacking']): Multiplier[] => {
  if (stacking === 'multiply' || multipliers.length <= 1) return multipliers;
  const best = [...multipliers].sort((a, b) => b.basisPoints - a.basisPoints)[0];
  return best ? [best] : [];
};

/** base × Π multipliers, rounded down, in integers. */
export const applyMultipliers = (basePoints: number, multipliers: Multiplier[]): number => {
  let numerator = BigInt(basePoints);
  let denominator = 1n;
  for (const multiplier of multipliers) {
    numerator *= BigInt(multiplier.basisPoints);
    denominator *= BigInt(one);
  }
  return Number(numerator / denominator);
};

export const earnForPayments = (input: EarningInput, rules: EarningRules): Earning => {
  const basePoints = input.payments.reduce((sum, payment) => sum + Math.floor((payment.amountFen * (rules.pointsPerYuan[payment.method] ?? 0)) / 100), 0);
  if (basePoints <= 0 || input.lines.length === 0) return { points: 0, basePoints: 0, lines: [], reasons: ['本次付款不产生积分'] };
  // Base points follow the money: split over lines by their amounts, largest remainder.
  const shares = allocate(
    basePoints,
    input.lines.map((line) => Math.max(0, line.amountFen)),
  );
  const shared = orderMultipliers(rules, input);
  const lines = input.lines.map((line, index) => {
    const itemRules = rules.itemMultipliers.filter(
      (rule) =>
        (rule.itemId ? rule.itemId === line.itemId : rule.categoryId ? rule.categoryId === line.categoryId : false) &&
        line.unitPriceFen >= rule.minUnitPriceFen,
    );
    const multipliers = combine([...shared, ...itemRules.map((rule) => ({ name: rule.name, basisPoints: rule.basisPoints }))], rules.stacking);
    const base = shares[index] ?? 0;
    return { lineId: line.lineId, basePoints: base, multipliers, points: applyMultipliers(base, multipliers) };
  });
  const points = lines.reduce((sum, line) => sum + line.points, 0);
  const reasons = lines
    .filter((line) => line.basePoints > 0)
    .map((line) => {
      const name = input.lines.find((entry) => entry.lineId === line.lineId)?.name ?? '';
      const factors = line.multipliers.map((multiplier) => ` × ${multiplier.name} ${times(multiplier.basisPoints)}`).join('');
      return `${name}：基础 ${line.basePoints}${factors} = ${line.points} 积分`;
    });
  return { points, basePoints, lines, reasons };
};
