import { addDays, type BusinessDate } from '../../platform/clock.js';

/**
 * Tier rules (会员等级, SPEC §7), pure: the tenant's tiers and a customer's measured figures in,
 * the tier and the reasons out. Figures are growth value (成长值), money paid, visit days and the
 * largest single top-up within the rolling window — never the spendable points balance, so
 * spending or expiring points can never move a tier.
 */
export const criteria = ['growth', 'consumptionFen', 'visits', 'topUpFen'] as const;
export type Criterion = (typeof criteria)[number];

export type TierCriteria = {
  /** any: one criterion met is enough; all: every criterion that is set. */
  match: 'any' | 'all';
  /** 成长值 earned in the window. */
  growth: number | null;
  /** Money paid in the window, net of refunds (fen; points never count). */
  consumptionFen: number | null;
  /** 互动深度: days with a visit in the window. */
  visits: number | null;
  /** One top-up (储值) of at least this much in the window (fen), e.g. ¥2 980 makes 1★. */
  topUpFen: number | null;
};

export const retentionRules = ['re_evaluate', 'down_one', 'never_down'] as const;
export type Retention = (typeof retentionRules)[number];

export type BirthdayBenefit =
  | { kind: 'free_item'; categoryId: string; quantity: number }
  | { kind: 'discount'; basisPoints: number; categoryId: string | null };

export type TierBenefits = {
  /** Price paid per category in basis points: 8000 = 8折 (pay 80 %). */
  categoryDiscounts: { categoryId: string; basisPoints: number }[];
  /** Points weight: 10000 = ×1, 15000 = ×1.5 (used by the points earning rules). */
  pointsBasisPoints: number;
  birthday: BirthdayBenefit | null;
  isPriorityBooking: boolean;
  hasDedicatedConsultant: boolean;
  /** Vouchers given once on reaching the tier (pending until the vouchers module issues them). */
  upgradeGifts: { name: string; faceValueFen: number; quantity: number }[];
};

export type TierRule = { id: string; name: string; rank: number; criteria: TierCriteria; retention: Retention };

export type Figures = {
  windowMonths: number;
  /** First and last business dates of the window, both included. */
  from: BusinessDate;
  to: BusinessDate;
  growth: number;
  consumptionFen: number;
  visits: number;
  largestTopUpFen: number;
};

/** What a change does: gains only raise a tier; losses (refunds) re-evaluate down to the period's floor; period end applies the retention rule. */
export type Trigger = 'gain' | 'loss' | 'period_end';

export type Decision = {
  tierId: string | null;
  direction: 'up' | 'down' | 'none';
  /** The tier the figures alone reach. */
  qualifiedTierId: string | null;
  /** What decided it: a criterion, `base`, `floor`, or a retention rule. */
  criterion: string;
  reasons: string[];
};

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: fen % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 })}`;
const count = (value: number) => value.toLocaleString('en-US');

export const criterionLabels: Record<Criterion, string> = { growth: '成长值', consumptionFen: '消费金额', visits: '到店天数', topUpFen: '单次储值' };

const figureOf = (figures: Figures, criterion: Criterion): number => {
  switch (criterion) {
    case 'growth':
      return figures.growth;
    case 'consumptionFen':
      return figures.consumptionFen;
    case 'visits':
      return figures.visits;
    case 'topUpFen':
      return figures.largestTopUpFen;
  }
};

const show = (criterion: Criterion, value: number) => (criterion === 'consumptionFen' || criterion === 'topUpFen' ? yuan(value) : count(value));

export const setCriteria = (tier: Pick<TierRule, 'criteria'>): Criterion[] => criteria.filter((criterion) => tier.criteria[criterion] !== null);

/** Whether the figures reach a tier, and which criteria did it; a tier without criteria is the entry tier everyone holds. */
export const qualifies = (tier: TierRule, figures: Figures): { isMet: boolean; met: Criterion[]; reasons: string[] } => {
  const set = setCriteria(tier);
  if (set.length === 0) return { isMet: true, met: [], reasons: [`「${tier.name}」为入门等级，无门槛`] };
  const window = `近 ${figures.windowMonths} 个月`;
  const results = set.map((criterion) => {
    const target = tier.criteria[criterion] ?? 0;
    const value = figureOf(figures, criterion);
    const isMet = value >= target;
    return { criterion, isMet, text: `${window}${criterionLabels[criterion]} ${show(criterion, value)} ${isMet ? '≥' : '<'} ${show(criterion, target)}` };
  });
  const met = results.filter((result) => result.isMet).map((result) => result.criterion);
  const isMet = tier.criteria.match === 'all' ? met.length === set.length : met.length > 0;
  const shown = isMet ? results.filter((result) => result.isMet) : results;
  return { isMet, met, reasons: shown.map((result) => `「${tier.name}」：${result.text}`) };
};

export const byRank = <T extends { rank: number }>(tiers: readonly T[]): T[] => [...tiers].sort((a, b) => a.rank - b.rank);

/** The highest tier the figures reach (tiers are independent: a higher tier needs only its own criteria). */
export const qualifiedTier = (tiers: readonly TierRule[], figures: Figures): { tier: TierRule | null; criterion: string; reasons: string[] } => {
  for (const tier of byRank(tiers).reverse()) {
    const result = qualifies(tier, figures);
    if (result.isMet) return { tier, criterion: result.met.length > 0 ? result.met.join('+') : 'base', reasons: result.reasons };
  }
  return { tier: null, criterion: 'none', reasons: ['未达到任何等级的条件'] };
};

const rankOf = (tiers: readonly TierRule[], tierId: string | null) => (tierId ? (tiers.find((tier) => tier.id === tierId)?.rank ?? 0) : 0);

/**
 * The tier a customer holds after a change:
 * - gain (a payment, a top-up): the qualified tier if it is higher, else unchanged — a gain never lowers;
 * - loss (a refund, a reversed payment): the qualified tier, but never below the floor (the tier
 *   held when the period began or set by hand), so a refund undoes only what it caused;
 * - period_end: the current tier's retention rule — re-evaluate (the qualified tier), down one
 *   level (at most one below the current tier, never below the qualified one), or never down.
 */
export const decideTier = (input: {
  tiers: readonly TierRule[];
  figures: Figures;
  current: { tierId: string | null; floorTierId: string | null } | null;
  trigger: Trigger;
}): Decision => {
  const tiers = byRank(input.tiers);
  const qualified = qualifiedTier(tiers, input.figures);
  const currentId = input.current?.tierId ?? null;
  const current = tiers.find((tier) => tier.id === currentId) ?? null;
  const currentRank = rankOf(tiers, currentId);
  const qualifiedRank = qualified.tier?.rank ?? 0;
  const qualifiedId = qualified.tier?.id ?? null;
  const result = (tier: TierRule | null, criterion: string, reasons: string[]): Decision => {
    const rank = tier?.rank ?? 0;
    return {
      tierId: tier?.id ?? null,
      direction: (tier?.id ?? null) === currentId ? 'none' : rank > currentRank || (current === null && tier !== null) ? 'up' : 'down',
      qualifiedTierId: qualifiedId,
      criterion,
      reasons,
    };
  };
  if (qualifiedRank > currentRank || (current === null && qualified.tier && currentId === null)) {
    return result(qualified.tier, qualified.criterion, qualified.reasons);
  }
  if (input.trigger === 'gain') return result(current, 'unchanged', qualified.reasons);
  if (input.trigger === 'loss') {
    if (qualifiedRank >= currentRank) return result(current, 'unchanged', qualified.reasons);
    const floor = tiers.find((tier) => tier.id === input.current?.floorTierId) ?? null;
    if (floor && floor.rank >= qualifiedRank) {
      const kept = floor.rank >= currentRank ? current : floor;
      return result(kept, 'floor', [...qualified.reasons, `本周期保底等级「${floor.name}」`]);
    }
    return result(qualified.tier, qualified.criterion, qualified.reasons);
  }
  // Period end.
  if (!current || qualifiedRank >= currentRank) return result(current ?? qualified.tier, 'renewed', [...qualified.reasons, '保级成功']);
  switch (current.retention) {
    case 're_evaluate':
      return result(qualified.tier, 're_evaluate', [...qualified.reasons, '周期结束，按条件重新评定']);
    case 'down_one': {
      const below = tiers.filter((tier) => tier.rank < current.rank).at(-1) ?? null;
      const target = below && below.rank >= qualifiedRank ? below : qualified.tier;
      return result(target, 'down_one', [...qualified.reasons, '周期结束未达保级条件，降一级']);
    }
    case 'never_down':
      return result(current, 'never_down', [...qualified.reasons, '该等级不降级']);
  }
};

export type ProgressItem = { criterion: Criterion; current: number; target: number; percent: number; isMet: boolean };

/** The next tier up and how far the figures are from each of its criteria (for the progress bar). */
export const progressToNext = (
  tiers: readonly TierRule[],
  figures: Figures,
  currentTierId: string | null,
): { next: { id: string; name: string; match: 'any' | 'all' } | null; items: ProgressItem[]; percent: number } => {
  const currentRank = rankOf(tiers, currentTierId);
  const next = byRank(tiers).find((tier) => tier.rank > currentRank);
  if (!next) return { next: null, items: [], percent: 100 };
  const items = setCriteria(next).map((criterion) => {
    const target = next.criteria[criterion] ?? 0;
    const current = figureOf(figures, criterion);
    const percent = target <= 0 ? 100 : Math.min(100, Math.floor((current * 100) / target));
    return { criterion, current, target, percent, isMet: current >= target };
  });
  const percents = items.map((item) => item.percent);
  // Any criterion gets her there: show the closest; all: the furthest behind.
  const percent = percents.length === 0 ? 100 : next.criteria.match === 'all' ? Math.min(...percents) : Math.max(...percents);
  return { next: { id: next.id, name: next.name, match: next.criteria.match }, items, percent };
};

/** The same date `months` later (negative: earlier), clamped to the month's last day (31 Mar − 1 month = 28/29 Feb). */
export const addMonths = (date: BusinessDate, months: number): BusinessDate => {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
};

/** The rolling window ending today: N months back, the day after the same date (12 months to 2026-03-02: 2025-03-03 … 2026-03-02). */
/** The days the criteria are measured over: the rolling window, or everything for a cumulative (消费型) programme. */
export const windowOf = (today: BusinessDate, months: number, measure: 'rolling' | 'cumulative' = 'rolling'): { from: BusinessDate; to: BusinessDate } => ({
  from: measure === 'cumulative' ? cumulativeSince : addDays(addMonths(today, -months), 1),
  to: today,
});

/** Before any clinic's first customer: a cumulative programme counts from here. */
export const cumulativeSince: BusinessDate = '2000-01-01';
