import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { defaultTier } from '../flows/create-clinic.js';
import { itemCategories } from '../modules/catalog/index.js';
import type { TierInput } from '../modules/membership/index.js';
import { createTier, membershipTiers, renewEndedTierPeriodsBatch, updateTier } from '../modules/membership/index.js';
import { systemActor } from '../platform/audit.js';

const none = { growth: null, consumptionFen: null, visits: null, topUpFen: null };
const plain = { categoryDiscounts: [], birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [] };

/** The demo clinic's tiers (seed 001's 星耀 / 铂金 / 钻石 pyramid, with seed 003's ¥2 980 top-up for the first step). */
const demoTiers = (category: (name: string) => string | undefined): TierInput[] => {
  const discount = (name: string, basisPoints: number) => {
    const categoryId = category(name);
    return categoryId ? [{ categoryId, basisPoints }] : [];
  };
  const freeItem = (name: string) => {
    const categoryId = category(name);
    return categoryId ? { kind: 'free_item' as const, categoryId, quantity: 1 } : null;
  };
  return [
    defaultTier,
    {
      name: '银卡',
      description: '近 12 个月成长值达 1,500 或单次储值 ¥2,980 即可升级：光电项目 8 折、积分 1.2 倍、优先预约。',
      criteria: { match: 'any', ...none, growth: 1_500, topUpFen: 298_000 },
      retention: 're_evaluate',
      benefits: {
        ...plain,
        categoryDiscounts: discount('光电', 8_000),
        pointsBasisPoints: 12_000,
        isPriorityBooking: true,
        upgradeGifts: [{ name: '¥100 代金券', faceValueFen: 10_000, quantity: 1 }],
      },
    },
    {
      name: '金卡',
      description: '近 12 个月成长值达 4,000 或到店 5 天以上：专属美学顾问、生日月赠送一次皮肤管理项目、积分 1.5 倍。',
      criteria: { match: 'any', ...none, growth: 4_000, visits: 5 },
      retention: 'down_one',
      benefits: {
        categoryDiscounts: [...discount('光电', 8_000), ...discount('皮肤管理', 8_500)],
        pointsBasisPoints: 15_000,
        birthday: freeItem('皮肤管理'),
        isPriorityBooking: true,
        hasDedicatedConsultant: true,
        upgradeGifts: [{ name: '¥300 代金券', faceValueFen: 30_000, quantity: 1 }],
      },
    },
    {
      name: '钻石',
      description: '近 12 个月成长值达 9,000：年度抗衰管理规划、生日月赠送光电项目一次、积分 2 倍。',
      criteria: { match: 'any', ...none, growth: 9_000 },
      retention: 'never_down',
      benefits: {
        categoryDiscounts: [...discount('光电', 7_500), ...discount('注射', 9_000), ...discount('皮肤管理', 8_000)],
        pointsBasisPoints: 20_000,
        birthday: freeItem('光电'),
        isPriorityBooking: true,
        hasDedicatedConsultant: true,
        upgradeGifts: [{ name: '¥800 代金券', faceValueFen: 80_000, quantity: 1 }],
      },
    },
  ];
};

/**
 * Before the history is replayed: the tiers, from the 普通会员 every new clinic starts with
 * (`defaultTier`) up, so every replayed payment is evaluated as it would have been.
 */
export const seedTiers = async (tx: Executor, input: { tenantId: string; now: number }) => {
  const actor = systemActor(input.tenantId);
  const at = new Date(input.now - 800 * 86_400_000);
  for (const tier of demoTiers(() => undefined)) await createTier(tx, actor, tier, at);
};

/**
 * After the replay: the category benefits (the catalogue now exists), then the retention of every
 * period that ended by today, as the daily sweep would have done.
 */
export const finishTiers = async (tx: Executor, input: { tenantId: string; now: number }) => {
  const actor = systemActor(input.tenantId);
  const categories = await tx.select().from(itemCategories).where(eq(itemCategories.tenantId, input.tenantId));
  const category = (name: string) => categories.find((row) => row.name === name)?.id;
  const rows = await tx
    .select()
    .from(membershipTiers)
    .where(and(eq(membershipTiers.tenantId, input.tenantId)));
  for (const tier of demoTiers(category)) {
    const row = rows.find((entry) => entry.name === tier.name);
    if (row) await updateTier(tx, actor, row.id, tier, new Date(input.now - 30 * 86_400_000));
  }
  for (;;) {
    const batch = await renewEndedTierPeriodsBatch(tx, { tenantId: input.tenantId, timezone: 'Asia/Shanghai', now: new Date(input.now), batchSize: 500 });
    if (batch.renewed < 500) break;
  }
};
