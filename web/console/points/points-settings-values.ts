import type { PointsSettings, PointsSettingsInput } from '../../shared/api-models';
import { parseYuan } from '../../shared/money';

/** Basis points (10000 = ×1) ⇄ the × decimal staff type (1.5). */
export const toMultiplier = (basisPoints: number): number => basisPoints / 10_000;
export const toBasisPoints = (multiplier: number): number => Math.round(multiplier * 10_000);

export type ItemKindOption = PointsSettingsInput['redemption']['excludedKinds'][number];
export const itemKinds: ItemKindOption[] = ['service', 'goods', 'drug', 'package', 'card'];

/** The points settings as the form holds them: multipliers as ×, money in yuan, optional parts behind switches. */
export type PointsSettingsValues = {
  isEnabled: boolean;
  pointsPerYuan: Record<string, number | null>;
  memberDayEnabled: boolean;
  memberDayOfMonth: number | null;
  memberDayMultiplier: number | null;
  holidayEnabled: boolean;
  holidayMultiplier: number | null;
  stacking: PointsSettingsInput['earning']['stacking'];
  pendingDays: number | null;
  expiryMode: PointsSettingsInput['expiry']['mode'];
  expiryMonths: number | null;
  expiryYearsAfter: number | null;
  redemptionEnabled: boolean;
  redemptionPointsPerYuan: number | null;
  minimumPoints: number | null;
  capKind: PointsSettingsInput['redemption']['perOrderCap']['kind'];
  capPercent: number | null;
  capAmountYuan: number | null;
  excludedKinds: ItemKindOption[];
  monthlyCapPercent: number | null;
  events: Record<string, { points: number | null; perDay: number | null; perMonth: number | null }>;
};

export const toValues = (settings: PointsSettings): PointsSettingsValues => {
  const { earning, redemption, expiry } = settings;
  const cap = redemption.perOrderCap;
  return {
    isEnabled: settings.isEnabled,
    pointsPerYuan: { ...earning.pointsPerYuan },
    memberDayEnabled: earning.memberDay !== null,
    memberDayOfMonth: earning.memberDay?.dayOfMonth ?? 15,
    memberDayMultiplier: toMultiplier(earning.memberDay?.basisPoints ?? 20_000),
    holidayEnabled: earning.holidayBasisPoints !== null,
    holidayMultiplier: toMultiplier(earning.holidayBasisPoints ?? 15_000),
    stacking: earning.stacking,
    pendingDays: settings.pendingDays,
    expiryMode: expiry.mode,
    expiryMonths: expiry.mode === 'rolling' ? expiry.months : 12,
    expiryYearsAfter: expiry.mode === 'calendar' ? expiry.yearsAfter : 1,
    redemptionEnabled: redemption.isEnabled,
    redemptionPointsPerYuan: redemption.pointsPerYuan,
    minimumPoints: redemption.minimumPoints,
    capKind: cap.kind,
    capPercent: cap.kind === 'percent' ? cap.percent : 50,
    capAmountYuan: cap.kind === 'amount' ? cap.amountFen / 100 : 100,
    excludedKinds: [...redemption.excludedKinds],
    monthlyCapPercent: redemption.monthlyCapPercent,
    events: Object.fromEntries(Object.entries(settings.events).map(([key, rule]) => [key, { ...rule }])),
  };
};

const whole = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * The form's values back into the API body. What the form does not edit (tier and weekday
 * multipliers, campaigns, item multipliers, excluded categories) is kept from the saved settings.
 */
export const toSettings = (values: PointsSettingsValues, base: PointsSettings): PointsSettingsInput => ({
  isEnabled: values.isEnabled,
  earning: {
    ...base.earning,
    pointsPerYuan: Object.fromEntries(Object.entries(values.pointsPerYuan ?? {}).map(([method, rate]) => [method, whole(rate)])),
    memberDay: values.memberDayEnabled ? { dayOfMonth: whole(values.memberDayOfMonth), basisPoints: toBasisPoints(whole(values.memberDayMultiplier)) } : null,
    holidayBasisPoints: values.holidayEnabled ? toBasisPoints(whole(values.holidayMultiplier)) : null,
    stacking: values.stacking,
  },
  redemption: {
    ...base.redemption,
    isEnabled: values.redemptionEnabled,
    pointsPerYuan: whole(values.redemptionPointsPerYuan),
    minimumPoints: whole(values.minimumPoints),
    perOrderCap:
      values.capKind === 'percent'
        ? { kind: 'percent', percent: whole(values.capPercent) }
        : { kind: 'amount', amountFen: parseYuan(String(whole(values.capAmountYuan))) ?? 0 },
    excludedKinds: values.excludedKinds ?? [],
    monthlyCapPercent: typeof values.monthlyCapPercent === 'number' ? values.monthlyCapPercent : null,
  },
  events: Object.fromEntries(
    Object.entries(values.events ?? {}).map(([key, rule]) => [
      key,
      { points: whole(rule?.points), perDay: whole(rule?.perDay), perMonth: whole(rule?.perMonth) },
    ]),
  ),
  pendingDays: whole(values.pendingDays),
  expiry:
    values.expiryMode === 'rolling'
      ? { mode: 'rolling', months: whole(values.expiryMonths) }
      : values.expiryMode === 'calendar'
        ? { mode: 'calendar', yearsAfter: whole(values.expiryYearsAfter) }
        : { mode: 'never' },
});
