import type { Executor } from '../db/client.js';
import { getCustomerRow } from '../modules/customers/index.js';
import { changeTierManually } from '../modules/membership/index.js';
import type { Ctx } from '../platform/context.js';
import { carryOutTierGifts } from './after-value-change.js';

/**
 * 手工调级, in one transaction: her record locked, the tier set with its reason (membership),
 * then a raised tier's upgrade gifts into her wallet (vouchers).
 */
export const changeTier = async (tx: Executor, ctx: Ctx, customerId: string, input: { tierId: string | null; reason: string }) => {
  await getCustomerRow(tx, ctx.tenantId, customerId, { forUpdate: true });
  const { change, gifts } = await changeTierManually(tx, ctx, customerId, input);
  await carryOutTierGifts(tx, ctx, gifts);
  return change;
};
