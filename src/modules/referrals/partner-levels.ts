/**
 * 美学合伙人 (seed 001): a customer's partner level from two figures, consumption in the last 12
 * months and successful referrals (referred customers who dealt). Pure: the caller measures.
 */
export type PartnerLevelRule = {
  name: string;
  minConsumptionFen: number;
  minSuccessfulReferrals: number;
  benefits: string;
  referrerMultiplierBasisPoints: number;
};

export type PartnerFigures = { consumptionFen: number; successfulReferrals: number };

export type PartnerStanding = {
  level: { index: number; name: string; benefits: string; referrerMultiplierBasisPoints: number };
  /** Why she holds the level, in words a clinic user reads. */
  reasons: string[];
  /** The next level and what is still missing for it; null at the top. */
  next: {
    index: number;
    name: string;
    benefits: string;
    missingConsumptionFen: number;
    missingReferrals: number;
    /** 0–100: the lesser of the two criteria's progress. */
    percent: number;
    sentence: string;
  } | null;
};

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const meets = (rule: PartnerLevelRule, figures: PartnerFigures) =>
  figures.consumptionFen >= rule.minConsumptionFen && figures.successfulReferrals >= rule.minSuccessfulReferrals;

const progressOf = (reached: number, needed: number) => (needed <= 0 ? 100 : Math.min(100, Math.floor((Math.max(0, reached) * 100) / needed)));

/**
 * The highest level whose two thresholds are both met (levels are ordered, each above the one
 * before; the first is the starting level). Both criteria count: consumption alone or
 * referrals alone never lift a customer past a level that needs the other.
 */
export const partnerStandingOf = (levels: readonly PartnerLevelRule[], figures: PartnerFigures): PartnerStanding => {
  if (levels.length === 0) throw new Error('at least one partner level is required');
  let index = 0;
  for (const [position, rule] of levels.entries()) if (meets(rule, figures)) index = position;
  const rule = levels[index] as PartnerLevelRule;
  const reasons =
    index === 0 && rule.minConsumptionFen === 0 && rule.minSuccessfulReferrals === 0
      ? [`起始等级：近 12 个月消费 ${yuan(figures.consumptionFen)}，成功推荐 ${figures.successfulReferrals} 人`]
      : [
          `近 12 个月消费 ${yuan(figures.consumptionFen)}（${rule.name}需 ${yuan(rule.minConsumptionFen)}）`,
          `成功推荐 ${figures.successfulReferrals} 人（${rule.name}需 ${rule.minSuccessfulReferrals} 人）`,
        ];
  const nextRule = levels[index + 1];
  const next = nextRule
    ? (() => {
        const missingConsumptionFen = Math.max(0, nextRule.minConsumptionFen - figures.consumptionFen);
        const missingReferrals = Math.max(0, nextRule.minSuccessfulReferrals - figures.successfulReferrals);
        const parts = [
          ...(missingConsumptionFen > 0 ? [`消费 ${yuan(missingConsumptionFen)}`] : []),
          ...(missingReferrals > 0 ? [`成功推荐 ${missingReferrals} 人`] : []),
        ];
        return {
          index: index + 1,
          name: nextRule.name,
          benefits: nextRule.benefits,
          missingConsumptionFen,
          missingReferrals,
          percent: Math.min(
            progressOf(figures.consumptionFen, nextRule.minConsumptionFen),
            progressOf(figures.successfulReferrals, nextRule.minSuccessfulReferrals),
          ),
          sentence: `还差${parts.join('、')}即可成为${nextRule.name}`,
        };
      })()
    : null;
  return {
    level: { index, name: rule.name, benefits: rule.benefits, referrerMultiplierBasisPoints: rule.referrerMultiplierBasisPoints },
    reasons,
    next,
  };
};
