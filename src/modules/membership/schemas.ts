import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { criteria, retentionRules } from './rules.js';

const ZBasisPoints = z.number().int().min(0).max(1_000_000);
const ZThreshold = z.number().int().min(1).max(1_000_000_000_000).nullable();

export const ZTierCriteria = z
  .strictObject({
    match: z.enum(['any', 'all']),
    growth: ZThreshold,
    consumptionFen: ZThreshold,
    visits: z.number().int().min(1).max(10_000).nullable(),
    topUpFen: ZThreshold,
  })
  .meta({ id: 'TierCriteria', description: 'Thresholds within the rolling window; null: not used. A tier with none set is the entry tier.' });

export const ZBirthdayBenefit = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('free_item'), categoryId: z.uuid(), quantity: z.number().int().min(1).max(10) }),
  z.strictObject({ kind: z.literal('discount'), basisPoints: z.number().int().min(1).max(9_999), categoryId: z.uuid().nullable() }),
]);

export const ZTierBenefits = z
  .strictObject({
    categoryDiscounts: z.array(z.strictObject({ categoryId: z.uuid(), basisPoints: z.number().int().min(1).max(9_999) })).max(50),
    pointsBasisPoints: ZBasisPoints,
    birthday: ZBirthdayBenefit.nullable(),
    isPriorityBooking: z.boolean(),
    hasDedicatedConsultant: z.boolean(),
    upgradeGifts: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1).max(40),
          faceValueFen: z.number().int().min(0).max(100_000_000),
          quantity: z.number().int().min(1).max(20),
        }),
      )
      .max(10),
  })
  .meta({ id: 'TierBenefits' });

export const ZTierInput = z.strictObject({
  name: z.string().trim().min(1).max(20),
  description: z.string().trim().max(500).default(''),
  criteria: ZTierCriteria,
  retention: z.enum(retentionRules),
  benefits: ZTierBenefits,
});
export type TierInput = z.infer<typeof ZTierInput>;

export const ZTier = z
  .object({
    id: z.uuid(),
    name: z.string(),
    rank: z.number().int(),
    description: z.string(),
    criteria: ZTierCriteria,
    retention: z.enum(retentionRules),
    benefits: ZTierBenefits,
    customerCount: z.number().int(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: 'Tier' });
export type TierView = z.infer<typeof ZTier>;

export const ZTierBrief = z.object({ id: z.uuid(), name: z.string(), rank: z.number().int() });

const ZFigures = z.object({
  windowMonths: z.number().int(),
  from: z.iso.date(),
  to: z.iso.date(),
  growth: z.number().int(),
  consumptionFen: z.number().int(),
  visits: z.number().int(),
  largestTopUpFen: z.number().int(),
});

export const ZTierChange = z.object({
  id: z.uuid(),
  fromTier: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
  toTier: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
  direction: z.enum(['up', 'down', 'manual']),
  cause: z.string(),
  sourceId: z.string().nullable(),
  criterion: z.string().nullable(),
  figures: z.record(z.string(), z.unknown()),
  reasons: z.array(z.string()),
  note: z.string().nullable(),
  actorId: z.uuid().nullable(),
  businessDate: z.iso.date(),
  createdAt: ZTimestamp,
});

export const ZMembership = z
  .object({
    isEnabled: z.boolean(),
    tier: ZTier.omit({ customerCount: true }).nullable(),
    since: ZTimestamp.nullable(),
    periodEndsOn: z.iso.date().nullable(),
    figures: ZFigures,
    next: z
      .object({
        tier: ZTierBrief.extend({ benefits: ZTierBenefits, description: z.string() }),
        match: z.enum(['any', 'all']),
        percent: z.number().int(),
        items: z.array(
          z.object({ criterion: z.enum(criteria), current: z.number().int(), target: z.number().int(), percent: z.number().int(), isMet: z.boolean() }),
        ),
      })
      .nullable(),
    birthday: z.object({
      calendar: z.enum(['solar', 'lunar']).nullable(),
      isBirthdayMonth: z.boolean(),
      dates: z.array(z.iso.date()),
      isAvailable: z.boolean(),
    }),
    pendingGifts: z.array(
      z.object({ id: z.uuid(), tierId: z.uuid(), name: z.string(), faceValueFen: z.number().int(), quantity: z.number().int(), createdAt: ZTimestamp }),
    ),
    history: z.array(ZTierChange),
    /** Names of the item categories the benefits above refer to. */
    categoryNames: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Membership' });

/** What the member portal shows the customer herself. */
export const ZPortalMembership = ZMembership.omit({ history: true }).meta({ id: 'PortalMembership' });
export type MembershipView = z.infer<typeof ZMembership>;

export const ZManualTierChange = z
  .strictObject({
    tierId: z.uuid().nullable(),
    reason: z.string().trim().min(1, '请填写调整原因').max(200),
  })
  .meta({ id: 'ManualTierChange' });
