import type { Executor } from '../db/client.js';
import { reverseCardUsesOfOrder } from '../modules/cards/index.js';
import { applyOrderFacts } from '../modules/customers/index.js';
import { assertDayOpen, findOrder, lockOrder, markVoided } from '../modules/orders/index.js';
import { restoreVouchersOfOrder } from '../modules/vouchers/index.js';
import { writeAudit } from '../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';

/** 作废 an order still waiting for checkout: no money moved, so no tier or tags to weigh. */
export const voidOrder = async (tx: Executor, ctx: Ctx, orderId: string, reason: string) => {
  // The vouchers it gives back count in the store's day: refused once the day is closed (日结).
  const peek = await findOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, peek.storeId);
  await assertDayOpen(tx, ctx, peek.storeId, { allowClosedStore: true });
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'open') throw new DomainError('conflict', 'ORDER_NOT_OPEN', '只能作废未收银的订单；已收银的订单请退款或撤销收款');
  await markVoided(tx, ctx, orderId, reason);
  // The card discounts, card vouchers and wallet vouchers it took are given back.
  await reverseCardUsesOfOrder(tx, ctx, { orderId });
  await restoreVouchersOfOrder(tx, ctx, { orderId, cause: 'void' });
  // Her facts no longer count it.
  await applyOrderFacts(tx, ctx, { orderId });
  await writeAudit(tx, ctx.actor, {
    action: 'order.void',
    entityType: 'order',
    entityId: orderId,
    before: { status: 'open' },
    after: { status: 'voided', reason },
  });
};
