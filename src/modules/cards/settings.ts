import { z } from 'zod';
import { defineSetting } from '../settings/index.js';
import { spendingPolicies } from './spending.js';

/**
 * 储值设置. Defaults follow 单用途商业预付卡管理办法 (named card ≤ ¥5 000) and the 2024
 * consumer-rights regulation (Art. 22): a written agreement per top-up, refunds of the unused
 * principal, and a switch that stops taking prepayments.
 */
export const ZStoredValueSettings = z.strictObject({
  /** Off: no new top-ups are sold (the business must stop taking prepayments under major business risk). Spending and refunds go on. */
  isSellingEnabled: z.boolean(),
  spendingPolicy: z.enum(spendingPolicies),
  /** Most principal one customer may hold (fen); null: no limit. */
  maxPrincipalFen: z.number().int().min(0).max(100_000_000).nullable(),
  /** The clinic's prepaid-card policy, snapshotted with every top-up. */
  policyText: z.string().max(2000),
});
export type StoredValueSettings = z.infer<typeof ZStoredValueSettings>;

export const storedValueSetting = defineSetting<StoredValueSettings>({
  key: 'stored_value',
  label: '储值',
  schema: ZStoredValueSettings,
  defaults: {
    isSellingEnabled: true,
    spendingPolicy: 'proportional',
    maxPrincipalFen: 500_000,
    policyText: '储值本金可随时申请退还未使用部分；赠送金额不可退、不可兑现，退款时未使用的赠送金额作废。消费时本金与赠送金额按充值时的比例同时扣减。',
  },
});

/** The refund formula every contract states, in words a customer reads. */
export const refundFormula = '可退金额 = 该笔充值的本金 − 已消费的本金；赠送金额不退，退款时未使用部分作废';

export const spendingPolicyText: Record<(typeof spendingPolicies)[number], string> = {
  proportional: '按充值时本金与赠送的比例同时扣减，先充先用',
  principal_first: '先扣本金，本金用完再扣赠送，先充先用',
  bonus_first: '先扣赠送，赠送用完再扣本金，先充先用',
};
