import type { Retention, Tier, TierInput } from './membership-queries';

/** What the tier form edits: yuan instead of fen, 折 instead of basis points, a multiplier for the points weight. */
export type TierFormValues = {
  name: string;
  description: string;
  match: 'any' | 'all';
  growth: number | null;
  consumptionYuan: number | null;
  visits: number | null;
  topUpYuan: number | null;
  retention: Retention;
  pointsMultiplier: number;
  categoryDiscounts: { categoryId: string; zhe: number }[];
  birthdayKind: 'none' | 'free_item' | 'discount';
  birthdayCategoryId: string | null;
  birthdayQuantity: number;
  birthdayZhe: number;
  isPriorityBooking: boolean;
  hasDedicatedConsultant: boolean;
  upgradeGifts: { name: string; faceValueYuan: number; quantity: number }[];
};

const toFen = (yuan: number | null | undefined) => (yuan === null || yuan === undefined ? null : Math.round(yuan * 100));
const toBasisPointsOfZhe = (zhe: number) => Math.round(zhe * 1000);

export const emptyTierValues: TierFormValues = {
  name: '',
  description: '',
  match: 'any',
  growth: null,
  consumptionYuan: null,
  visits: null,
  topUpYuan: null,
  retention: 're_evaluate',
  pointsMultiplier: 1,
  categoryDiscounts: [],
  birthdayKind: 'none',
  birthdayCategoryId: null,
  birthdayQuantity: 1,
  birthdayZhe: 8,
  isPriorityBooking: false,
  hasDedicatedConsultant: false,
  upgradeGifts: [],
};

export const tierToValues = (tier: Tier): TierFormValues => ({
  name: tier.name,
  description: tier.description,
  match: tier.criteria.match,
  growth: tier.criteria.growth,
  consumptionYuan: tier.criteria.consumptionFen === null ? null : tier.criteria.consumptionFen / 100,
  visits: tier.criteria.visits,
  topUpYuan: tier.criteria.topUpFen === null ? null : tier.criteria.topUpFen / 100,
  retention: tier.retention,
  pointsMultiplier: tier.benefits.pointsBasisPoints / 10_000,
  categoryDiscounts: tier.benefits.categoryDiscounts.map((discount) => ({ categoryId: discount.categoryId, zhe: discount.basisPoints / 1000 })),
  birthdayKind: tier.benefits.birthday?.kind ?? 'none',
  birthdayCategoryId: tier.benefits.birthday?.categoryId ?? null,
  birthdayQuantity: tier.benefits.birthday?.kind === 'free_item' ? tier.benefits.birthday.quantity : 1,
  birthdayZhe: tier.benefits.birthday?.kind === 'discount' ? tier.benefits.birthday.basisPoints / 1000 : 8,
  isPriorityBooking: tier.benefits.isPriorityBooking,
  hasDedicatedConsultant: tier.benefits.hasDedicatedConsultant,
  upgradeGifts: tier.benefits.upgradeGifts.map((gift) => ({ name: gift.name, faceValueYuan: gift.faceValueFen / 100, quantity: gift.quantity })),
});

const birthdayOf = (values: TierFormValues): TierInput['benefits']['birthday'] => {
  if (values.birthdayKind === 'free_item' && values.birthdayCategoryId)
    return { kind: 'free_item', categoryId: values.birthdayCategoryId, quantity: values.birthdayQuantity };
  if (values.birthdayKind === 'discount')
    return { kind: 'discount', basisPoints: toBasisPointsOfZhe(values.birthdayZhe), categoryId: values.birthdayCategoryId ?? null };
  return null;
};

export const valuesToInput = (values: TierFormValues): TierInput => ({
  name: values.name.trim(),
  description: (values.description ?? '').trim(),
  criteria: {
    match: values.match,
    growth: values.growth ?? null,
    consumptionFen: toFen(values.consumptionYuan),
    visits: values.visits ?? null,
    topUpFen: toFen(values.topUpYuan),
  },
  retention: values.retention,
  benefits: {
    categoryDiscounts: (values.categoryDiscounts ?? []).map((discount) => ({ categoryId: discount.categoryId, basisPoints: toBasisPointsOfZhe(discount.zhe) })),
    pointsBasisPoints: Math.round((values.pointsMultiplier ?? 1) * 10_000),
    birthday: birthdayOf(values),
    isPriorityBooking: values.isPriorityBooking ?? false,
    hasDedicatedConsultant: values.hasDedicatedConsultant ?? false,
    upgradeGifts: (values.upgradeGifts ?? []).map((gift) => ({
      name: gift.name.trim(),
      faceValueFen: toFen(gift.faceValueYuan) ?? 0,
      quantity: gift.quantity,
    })),
  },
});
