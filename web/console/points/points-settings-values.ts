import type { PointsSettings, PointsSettingsInput } from '../../shared/api-models';
import { parseYuan } from '../../shared/money';

/** Basis points (10000 = ×1) ⇄ the × decimal staff type (1.5). */
export const toMultiplier = (basisPoints: number): number => basisPoints / 10_000;
export const toBasisPoints = (multiplier: number): number => Math.round(multiplier * 10_000);

export type ItemKindOption = PointsSettingsInput['redemption']['excludedKinds'][number];
export const itemKinds: ItemKindOption[] = ['service', 'goods', 'drug', 'package', 'card'];

/** Monday '1' … Sunday '7', as the API keys weekday multipliers. */
export const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Weekday = (typeof weekdays)[number];

/** At most this many reminder days (the API's limit). */
export const maxReminderDays = 5;

/** One campaign row of the form; rows stay partial while staff fill them in. */
export type CampaignValues = { name?: string; range?: [string, string] | null; multiplier?: number | null };

/** One item or category multiplier row: the threshold in yuan, the target chosen by `target`. */
export type ItemMultiplierValues = {
  name?: string;
  target?: 'item' | 'category';
  itemId?: string;
  categoryId?: string;
  minUnitPriceYuan?: number | null;
  multiplier?: number | null;
};

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
  /** Empty or ×1: that weekday earns as usual. */
  weekdayMultipliers: Partial<Record<Weekday, number | null>>;
  campaigns: (CampaignValues | undefined)[];
  itemMultipliers: (ItemMultiplierValues | undefined)[];
  excludedCategoryIds: string[];
  reminderDays: (number | null | undefined)[];
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
    weekdayMultipliers: Object.fromEntries(
      weekdays.map((day) => {
        const basisPoints = earning.weekdayBasisPoints[day];
        return [day, basisPoints === undefined ? null : toMultiplier(basisPoints)];
      }),
    ),
    campaigns: earning.campaigns.map((campaign) => ({
      name: campaign.name,
      range: [campaign.from, campaign.to],
      multiplier: toMultiplier(campaign.basisPoints),
    })),
    itemMultipliers: earning.itemMultipliers.map((rule) => ({
      name: rule.name,
      target: rule.itemId ? 'item' : 'category',
      itemId: rule.itemId,
      categoryId: rule.itemId ? undefined : rule.categoryId,
      minUnitPriceYuan: rule.minUnitPriceFen / 100,
      multiplier: toMultiplier(rule.basisPoints),
    })),
    excludedCategoryIds: [...redemption.excludedCategoryIds],
    reminderDays: [...settings.reminders.daysBefore],
  };
};

const whole = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const isNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: string | undefined): string => value?.trim() ?? '';

type Earning = PointsSettingsInput['earning'];

/** ×1 or nothing: the day earns as usual, so it is not stored. */
const toWeekdayBasisPoints = (values: PointsSettingsValues['weekdayMultipliers'] | undefined): Earning['weekdayBasisPoints'] => {
  const result: Earning['weekdayBasisPoints'] = {};
  for (const day of weekdays) {
    const multiplier = values?.[day];
    if (isNumber(multiplier) && toBasisPoints(multiplier) !== 10_000) result[day] = toBasisPoints(multiplier);
  }
  return result;
};

/**
 * Rows still being filled in are left out, so the live preview keeps working while staff type;
 * saving validates every row first, so nothing typed is lost on save.
 */
const toCampaigns = (rows: PointsSettingsValues['campaigns'] | undefined): Earning['campaigns'] =>
  (rows ?? []).flatMap((row) => {
    const [from, to] = row?.range ?? [];
    return row && text(row.name) && from && to && isNumber(row.multiplier)
      ? [{ name: text(row.name), from, to, basisPoints: toBasisPoints(row.multiplier) }]
      : [];
  });

const toItemMultipliers = (rows: PointsSettingsValues['itemMultipliers'] | undefined): Earning['itemMultipliers'] =>
  (rows ?? []).flatMap((row) => {
    // A row targets an item unless switched to a category, as the form shows it.
    const target =
      row?.target === 'category' ? (row.categoryId ? { categoryId: row.categoryId } : undefined) : row?.itemId ? { itemId: row.itemId } : undefined;
    // Through the text, never floating point: ¥1,000.10 is 100010 fen.
    const minUnitPriceFen = isNumber(row?.minUnitPriceYuan) ? parseYuan(row.minUnitPriceYuan.toFixed(2)) : undefined;
    return row && target && text(row.name) && minUnitPriceFen !== undefined && isNumber(row.multiplier)
      ? [{ ...target, minUnitPriceFen, basisPoints: toBasisPoints(row.multiplier), name: text(row.name) }]
      : [];
  });

/**
 * Longest notice first, as staff read them ("30 天、7 天前提醒"), each once: the form flags a
 * repeated day on save, and until then the live preview still gets a body the API accepts.
 */
const toReminderDays = (days: PointsSettingsValues['reminderDays'] | undefined): number[] => [...new Set((days ?? []).filter(isNumber))].sort((a, b) => b - a);

/** The form's values back into the API body. Tier multipliers, which the form only shows, are kept from the saved settings. */
export const toSettings = (values: PointsSettingsValues, base: PointsSettings): PointsSettingsInput => ({
  isEnabled: values.isEnabled,
  earning: {
    ...base.earning,
    pointsPerYuan: Object.fromEntries(Object.entries(values.pointsPerYuan ?? {}).map(([method, rate]) => [method, whole(rate)])),
    memberDay: values.memberDayEnabled ? { dayOfMonth: whole(values.memberDayOfMonth), basisPoints: toBasisPoints(whole(values.memberDayMultiplier)) } : null,
    holidayBasisPoints: values.holidayEnabled ? toBasisPoints(whole(values.holidayMultiplier)) : null,
    weekdayBasisPoints: toWeekdayBasisPoints(values.weekdayMultipliers),
    campaigns: toCampaigns(values.campaigns),
    itemMultipliers: toItemMultipliers(values.itemMultipliers),
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
    excludedCategoryIds: values.excludedCategoryIds ?? [],
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
  reminders: { daysBefore: toReminderDays(values.reminderDays) },
});
