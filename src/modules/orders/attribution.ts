import { allocate } from '../../platform/money.js';

/** 业绩: a line's or a deduction's amount credited to staff by split ratios. */
export const attributionRoles = ['consultant', 'doctor', 'nurse', 'executor'] as const;
export type AttributionRole = (typeof attributionRoles)[number];

export type AttributionShare = { staffId: string; role: AttributionRole; ratioPercent: number };

/** Ratios are whole or hundredth percents; they must sum to exactly 100 %. */
export const attributionProblem = (shares: readonly AttributionShare[]): string | undefined => {
  if (shares.length === 0) return undefined;
  const basisPoints = shares.map((share) => Math.round(share.ratioPercent * 100));
  if (shares.some((share, index) => Math.abs(share.ratioPercent * 100 - (basisPoints[index] ?? 0)) > 1e-9)) return '业绩比例最多保留两位小数';
  if (basisPoints.some((points) => points <= 0)) return '业绩比例必须大于 0';
  const total = basisPoints.reduce((sum, points) => sum + points, 0);
  if (total !== 10_000) return `业绩比例合计须为 100%，当前为 ${total / 100}%`;
  const seen = new Set(shares.map((share) => `${share.staffId}:${share.role}`));
  if (seen.size !== shares.length) return '同一员工的同一角色只能出现一次';
  return undefined;
};

/** Splits an amount by the ratios, largest remainder, so the shares sum to the amount exactly. */
export const splitAttribution = (amountFen: number, shares: readonly AttributionShare[]) => {
  if (shares.length === 0) return [];
  const amounts = allocate(
    amountFen,
    shares.map((share) => Math.round(share.ratioPercent * 100)),
  );
  return shares.map((share, index) => ({ ...share, amountFen: amounts[index] ?? 0 }));
};
