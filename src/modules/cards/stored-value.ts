import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { requestHash } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import { planRestore, planSpend, type SpendingPolicy } from './spending.js';
import { storedValueAccounts, storedValueEntries, storedValueMovements, storedValueTopUps } from './tables.js';

export type StoredValueEntryType = 'top_up' | 'spend' | 'refund' | 'reverse' | 'adjust';
export type StoredValueSourceType = 'order' | 'manual' | 'system';
type EntryRow = typeof storedValueEntries.$inferSelect;
type TopUpRow = typeof storedValueTopUps.$inferSelect;

export type StoredValueOptions = {
  tenantId: string;
  customerId: string;
  /** One effect per key per tenant: a replay returns the first entry; another body under the key is a 409. */
  idempotencyKey: string;
  now: Date;
  actorId?: string | null;
  sourceType: StoredValueSourceType;
  sourceId?: string | null;
  reason: Record<string, unknown>;
};

export type StoredValueResult = { entry: EntryRow; isReplay: boolean };

const fen = (value: number, path: string, what: string, options: { allowZero?: boolean } = {}) => {
  if (!Number.isSafeInteger(value) || value < 0 || (!options.allowZero && value === 0)) {
    throw new DomainError('invalid', 'STORED_VALUE_AMOUNT_INVALID', `${what}须为${options.allowZero ? '非负' : '正'}整数（分）`, [
      { path, message: '金额无效' },
    ]);
  }
};

/** Locks the customer's account row, opening it on the first write. */
export const lockStoredValueAccount = async (tx: Executor, tenantId: string, customerId: string) => {
  const select = () =>
    tx
      .select()
      .from(storedValueAccounts)
      .where(and(eq(storedValueAccounts.tenantId, tenantId), eq(storedValueAccounts.customerId, customerId)))
      .for('update');
  const [existing] = await select();
  if (existing) return existing;
  await tx.insert(storedValueAccounts).values({ tenantId, customerId }).onConflictDoNothing();
  const [account] = await select();
  if (!account) throw notFound('储值账户', 'STORED_VALUE_ACCOUNT_NOT_FOUND');
  return account;
};

const replayOf = async (tx: Executor, options: StoredValueOptions, hash: string): Promise<StoredValueResult | undefined> => {
  const [existing] = await tx
    .select()
    .from(storedValueEntries)
    .where(and(eq(storedValueEntries.tenantId, options.tenantId), eq(storedValueEntries.idempotencyKey, options.idempotencyKey)));
  if (!existing) return undefined;
  if (existing.requestHash !== hash || existing.customerId !== options.customerId) {
    throw new DomainError('conflict', 'IDEMPOTENCY_KEY_REUSED', '幂等键已用于另一笔不同的储值操作');
  }
  return { entry: existing, isReplay: true };
};

const writeEntry = async (
  tx: Executor,
  options: StoredValueOptions,
  hash: string,
  entry: { type: StoredValueEntryType; principalFen: number; bonusFen: number; reversesId?: string | null },
) => {
  const row = {
    tenantId: options.tenantId,
    id: newId(),
    customerId: options.customerId,
    type: entry.type,
    principalFen: entry.principalFen,
    bonusFen: entry.bonusFen,
    sourceType: options.sourceType,
    sourceId: options.sourceId ?? null,
    reason: options.reason,
    idempotencyKey: options.idempotencyKey,
    requestHash: hash,
    reversesId: entry.reversesId ?? null,
    actorId: options.actorId ?? null,
    createdAt: options.now,
  };
  await tx.insert(storedValueEntries).values(row);
  return row;
};

type Move = { topUpId: string; principalFen: number; bonusFen: number; restoresId?: string | null };

const moveTopUps = async (tx: Executor, tenantId: string, entryId: string, moves: readonly Move[]) => {
  for (const [position, move] of moves.entries()) {
    await tx
      .update(storedValueTopUps)
      .set({
        principalRemainingFen: sql`${storedValueTopUps.principalRemainingFen} + ${move.principalFen}`,
        bonusRemainingFen: sql`${storedValueTopUps.bonusRemainingFen} + ${move.bonusFen}`,
      })
      .where(and(eq(storedValueTopUps.tenantId, tenantId), eq(storedValueTopUps.id, move.topUpId)));
    await tx.insert(storedValueMovements).values({
      tenantId,
      id: newId(),
      entryId,
      topUpId: move.topUpId,
      principalFen: move.principalFen,
      bonusFen: move.bonusFen,
      restoresId: move.restoresId ?? null,
      position,
    });
  }
};

const createTopUpRow = async (
  tx: Executor,
  options: StoredValueOptions,
  entryId: string,
  lot: {
    kind: 'top_up' | 'restore';
    principalFen: number;
    bonusFen: number;
    contract: Record<string, unknown>;
    cardProductId?: string | null;
    orderId?: string | null;
    orderLineId?: string | null;
    grantsTierId?: string | null;
    restoresId?: string | null;
  },
): Promise<TopUpRow> => {
  const row: TopUpRow = {
    tenantId: options.tenantId,
    id: newId(),
    customerId: options.customerId,
    entryId,
    kind: lot.kind,
    principalFen: lot.principalFen,
    bonusFen: lot.bonusFen,
    principalRemainingFen: lot.principalFen,
    bonusRemainingFen: lot.bonusFen,
    cardProductId: lot.cardProductId ?? null,
    orderId: lot.orderId ?? null,
    orderLineId: lot.orderLineId ?? null,
    grantsTierId: lot.grantsTierId ?? null,
    contract: lot.contract,
    refundedAt: null,
    createdAt: options.now,
  };
  await tx.insert(storedValueTopUps).values(row);
  // The top-up is born holding its value; the movement records which entry brought it.
  await tx.insert(storedValueMovements).values({
    tenantId: options.tenantId,
    id: newId(),
    entryId,
    topUpId: row.id,
    principalFen: lot.principalFen,
    bonusFen: lot.bonusFen,
    restoresId: lot.restoresId ?? null,
    position: 0,
  });
  return row;
};

/**
 * The write-path assertion (COMPLIANCE I5, I9): principal and bonus of the account each equal
 * the sum of the entries and the remaining of the top-ups; nothing is below zero or above what
 * a top-up started with. A disagreement aborts the transaction.
 */
const assertBalanced = async (tx: Executor, tenantId: string, customerId: string) => {
  const [row] = await queryRows<{ principal: number; bonus: number; entries_p: number; entries_b: number; lots_p: number; lots_b: number; bad: number }>(
    tx,
    sql`select a.principal_fen as principal, a.bonus_fen as bonus,
          (select coalesce(sum(principal_fen), 0) from ${storedValueEntries} e where e.tenant_id = a.tenant_id and e.customer_id = a.customer_id)::bigint as entries_p,
          (select coalesce(sum(bonus_fen), 0) from ${storedValueEntries} e where e.tenant_id = a.tenant_id and e.customer_id = a.customer_id)::bigint as entries_b,
          (select coalesce(sum(principal_remaining_fen), 0) from ${storedValueTopUps} l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id)::bigint as lots_p,
          (select coalesce(sum(bonus_remaining_fen), 0) from ${storedValueTopUps} l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id)::bigint as lots_b,
          (select count(*) from ${storedValueTopUps} l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id
             and (l.principal_remaining_fen < 0 or l.bonus_remaining_fen < 0 or l.principal_remaining_fen > l.principal_fen or l.bonus_remaining_fen > l.bonus_fen
                  or (l.refunded_at is not null and (l.principal_remaining_fen <> 0 or l.bonus_remaining_fen <> 0))))::int as bad
        from ${storedValueAccounts} a where a.tenant_id = ${tenantId} and a.customer_id = ${customerId}`,
  );
  const values = row ? [row.principal, row.bonus, row.entries_p, row.entries_b, row.lots_p, row.lots_b].map(Number) : [];
  const [principal, bonus, entriesP, entriesB, lotsP, lotsB] = values;
  if (
    !row ||
    principal !== entriesP ||
    principal !== lotsP ||
    bonus !== entriesB ||
    bonus !== lotsB ||
    (principal ?? 0) < 0 ||
    (bonus ?? 0) < 0 ||
    row.bad > 0
  ) {
    throw new Error(`stored-value ledger out of balance for ${customerId}: ${JSON.stringify(row)}`);
  }
};

const finish = async (tx: Executor, options: StoredValueOptions, change: { principalFen: number; bonusFen: number }) => {
  await tx
    .update(storedValueAccounts)
    .set({
      principalFen: sql`${storedValueAccounts.principalFen} + ${change.principalFen}`,
      bonusFen: sql`${storedValueAccounts.bonusFen} + ${change.bonusFen}`,
      updatedAt: options.now,
    })
    .where(and(eq(storedValueAccounts.tenantId, options.tenantId), eq(storedValueAccounts.customerId, options.customerId)));
  await assertBalanced(tx, options.tenantId, options.customerId);
};

export type TopUpInput = {
  principalFen: number;
  bonusFen: number;
  contract: Record<string, unknown>;
  cardProductId?: string | null;
  orderId?: string | null;
  orderLineId?: string | null;
  grantsTierId?: string | null;
};

/** 充值: a new top-up holding principal and bonus apart, with the contract as agreed. */
export const topUpStoredValue = async (tx: Executor, options: StoredValueOptions & TopUpInput): Promise<StoredValueResult & { topUpId: string }> => {
  fen(options.principalFen, 'body.principalFen', '充值本金');
  fen(options.bonusFen, 'body.bonusFen', '赠送金额', { allowZero: true });
  const hash = requestHash({
    operation: 'stored_value.top_up',
    body: { principalFen: options.principalFen, bonusFen: options.bonusFen, orderLineId: options.orderLineId ?? null, sourceId: options.sourceId ?? null },
  });
  await lockStoredValueAccount(tx, options.tenantId, options.customerId);
  const replay = await replayOf(tx, options, hash);
  if (replay) {
    const [lot] = await tx
      .select({ id: storedValueTopUps.id })
      .from(storedValueTopUps)
      .where(and(eq(storedValueTopUps.tenantId, options.tenantId), eq(storedValueTopUps.entryId, replay.entry.id)));
    return { ...replay, topUpId: lot?.id ?? '' };
  }
  const entry = await writeEntry(tx, options, hash, { type: 'top_up', principalFen: options.principalFen, bonusFen: options.bonusFen });
  const lot = await createTopUpRow(tx, options, entry.id, { kind: 'top_up', ...options });
  await finish(tx, options, { principalFen: options.principalFen, bonusFen: options.bonusFen });
  return { entry, isReplay: false, topUpId: lot.id };
};

const liveTopUps = (tx: Executor, tenantId: string, customerId: string) =>
  tx
    .select()
    .from(storedValueTopUps)
    .where(
      and(
        eq(storedValueTopUps.tenantId, tenantId),
        eq(storedValueTopUps.customerId, customerId),
        isNull(storedValueTopUps.refundedAt),
        or(gt(storedValueTopUps.principalRemainingFen, 0), gt(storedValueTopUps.bonusRemainingFen, 0)),
      ),
    )
    .orderBy(asc(storedValueTopUps.createdAt), asc(storedValueTopUps.id));

/** 储值消费: spends `amountFen` under the tenant's policy, oldest top-up first. */
export const spendStoredValue = async (
  tx: Executor,
  options: StoredValueOptions & { amountFen: number; policy: SpendingPolicy },
): Promise<StoredValueResult> => {
  fen(options.amountFen, 'body.payments', '储值支付金额');
  const hash = requestHash({ operation: 'stored_value.spend', body: { amountFen: options.amountFen, sourceId: options.sourceId ?? null } });
  const account = await lockStoredValueAccount(tx, options.tenantId, options.customerId);
  const replay = await replayOf(tx, options, hash);
  if (replay) return replay;
  const takes = planSpend(await liveTopUps(tx, options.tenantId, options.customerId), options.amountFen, options.policy);
  if (!takes) {
    const balance = account.principalFen + account.bonusFen;
    throw new DomainError(
      'conflict',
      'STORED_VALUE_INSUFFICIENT',
      `储值余额不足：需要 ¥${(options.amountFen / 100).toFixed(2)}，余额 ¥${(balance / 100).toFixed(2)}`,
      [{ path: 'body.payments', message: '储值余额不足' }],
    );
  }
  const principalFen = takes.reduce((sum, take) => sum + take.principalFen, 0);
  const bonusFen = takes.reduce((sum, take) => sum + take.bonusFen, 0);
  const entry = await writeEntry(tx, { ...options, reason: { ...options.reason, policy: options.policy } }, hash, {
    type: 'spend',
    principalFen: -principalFen,
    bonusFen: -bonusFen,
  });
  await moveTopUps(
    tx,
    options.tenantId,
    entry.id,
    takes.map((take) => ({ topUpId: take.topUpId, principalFen: -take.principalFen, bonusFen: -take.bonusFen })),
  );
  await finish(tx, options, { principalFen: -principalFen, bonusFen: -bonusFen });
  return { entry, isReplay: false };
};

/** What a spend entry took and has not yet been given back, per movement, in the order taken. */
export const owedOfSpend = async (tx: Executor, tenantId: string, entryId: string) => {
  const rows = await queryRows<{ id: string; top_up_id: string; principal: number; bonus: number; restored_p: number; restored_b: number }>(
    tx,
    sql`select m.id, m.top_up_id, -m.principal_fen as principal, -m.bonus_fen as bonus,
          coalesce((select sum(r.principal_fen) from ${storedValueMovements} r where r.tenant_id = m.tenant_id and r.restores_id = m.id), 0)::bigint as restored_p,
          coalesce((select sum(r.bonus_fen) from ${storedValueMovements} r where r.tenant_id = m.tenant_id and r.restores_id = m.id), 0)::bigint as restored_b
        from ${storedValueMovements} m where m.tenant_id = ${tenantId} and m.entry_id = ${entryId} order by m.position`,
  );
  return rows.map((row) => ({
    movementId: row.id,
    topUpId: row.top_up_id,
    principalFen: Number(row.principal) - Number(row.restored_p),
    bonusFen: Number(row.bonus) - Number(row.restored_b),
  }));
};

/**
 * 冲正 / 退回: gives back all or part of a spend, to principal and bonus exactly as they were
 * taken (a part in the proportion still owed). Value that came from a top-up refunded in the
 * meantime comes back as a new `restore` lot, never into the refunded one. Never more than taken.
 */
export const restoreStoredValue = async (
  tx: Executor,
  options: Omit<StoredValueOptions, 'customerId'> & { entryId: string; amountFen?: number },
): Promise<StoredValueResult> => {
  const [original] = await tx
    .select()
    .from(storedValueEntries)
    .where(and(eq(storedValueEntries.tenantId, options.tenantId), eq(storedValueEntries.id, options.entryId)));
  if (!original) throw notFound('储值记录', 'STORED_VALUE_ENTRY_NOT_FOUND');
  const ledger: StoredValueOptions = { ...options, customerId: original.customerId };
  await lockStoredValueAccount(tx, options.tenantId, original.customerId);
  const hash = requestHash({ operation: 'stored_value.restore', body: { entryId: original.id, amountFen: options.amountFen ?? null } });
  const replay = await replayOf(tx, ledger, hash);
  if (replay) return replay;
  if (original.type !== 'spend') throw new DomainError('rule', 'STORED_VALUE_NOT_REVERSIBLE', '只有储值消费可以退回');
  const owed = await owedOfSpend(tx, options.tenantId, original.id);
  const left = owed.reduce((sum, row) => sum + row.principalFen + row.bonusFen, 0);
  if (left <= 0) throw new DomainError('rule', 'STORED_VALUE_REVERSAL_EXCEEDED', '该笔储值消费已全部退回');
  const amount = options.amountFen ?? left;
  fen(amount, 'body.payouts', '退回储值');
  if (amount > left) throw new DomainError('rule', 'STORED_VALUE_REVERSAL_EXCEEDED', `该笔储值消费最多还能退回 ¥${(left / 100).toFixed(2)}`);
  const gives = planRestore(owed, amount) ?? [];
  const principalFen = gives.reduce((sum, give) => sum + give.principalFen, 0);
  const bonusFen = gives.reduce((sum, give) => sum + give.bonusFen, 0);
  const entry = await writeEntry(tx, ledger, hash, { type: 'reverse', principalFen, bonusFen, reversesId: original.id });
  const lots = await tx
    .select()
    .from(storedValueTopUps)
    .where(
      and(
        eq(storedValueTopUps.tenantId, options.tenantId),
        inArray(
          storedValueTopUps.id,
          gives.map((give) => give.topUpId),
        ),
      ),
    );
  const moves: Move[] = [];
  for (const give of gives) {
    const lot = lots.find((row) => row.id === give.topUpId);
    if (lot && !lot.refundedAt) {
      moves.push({ topUpId: lot.id, principalFen: give.principalFen, bonusFen: give.bonusFen, restoresId: give.movementId });
    } else {
      await createTopUpRow(tx, ledger, entry.id, {
        kind: 'restore',
        principalFen: give.principalFen,
        bonusFen: give.bonusFen,
        contract: { ...(lot?.contract as Record<string, unknown> | undefined), restoredFrom: give.topUpId },
        restoresId: give.movementId,
      });
    }
  }
  await moveTopUps(tx, options.tenantId, entry.id, moves);
  await finish(tx, ledger, { principalFen, bonusFen });
  return { entry, isReplay: false };
};

/**
 * 储值退款: refunds one top-up. The customer gets its unused principal back; its unused bonus
 * is void (COMPLIANCE I9). A top-up is refunded once.
 */
export const refundTopUp = async (
  tx: Executor,
  options: Omit<StoredValueOptions, 'customerId'> & { topUpId: string },
): Promise<StoredValueResult & { principalFen: number; voidedBonusFen: number }> => {
  const [peek] = await tx
    .select()
    .from(storedValueTopUps)
    .where(and(eq(storedValueTopUps.tenantId, options.tenantId), eq(storedValueTopUps.id, options.topUpId)));
  if (!peek) throw notFound('充值记录', 'TOP_UP_NOT_FOUND');
  const ledger: StoredValueOptions = { ...options, customerId: peek.customerId };
  await lockStoredValueAccount(tx, options.tenantId, peek.customerId);
  const hash = requestHash({ operation: 'stored_value.refund', body: { topUpId: peek.id } });
  const replay = await replayOf(tx, ledger, hash);
  if (replay) return { ...replay, principalFen: -replay.entry.principalFen, voidedBonusFen: -replay.entry.bonusFen };
  const [lot] = await tx
    .select()
    .from(storedValueTopUps)
    .where(and(eq(storedValueTopUps.tenantId, options.tenantId), eq(storedValueTopUps.id, options.topUpId)));
  if (!lot) throw notFound('充值记录', 'TOP_UP_NOT_FOUND');
  if (lot.refundedAt) throw new DomainError('rule', 'TOP_UP_ALREADY_REFUNDED', '该笔充值已退款');
  const principalFen = lot.principalRemainingFen;
  const bonusFen = lot.bonusRemainingFen;
  const entry = await writeEntry(tx, { ...ledger, reason: { ...ledger.reason, topUpId: lot.id, voidedBonusFen: bonusFen } }, hash, {
    type: 'refund',
    principalFen: -principalFen,
    bonusFen: -bonusFen,
  });
  await moveTopUps(tx, options.tenantId, entry.id, [{ topUpId: lot.id, principalFen: -principalFen, bonusFen: -bonusFen }]);
  await tx
    .update(storedValueTopUps)
    .set({ refundedAt: options.now })
    .where(and(eq(storedValueTopUps.tenantId, options.tenantId), eq(storedValueTopUps.id, lot.id)));
  await finish(tx, ledger, { principalFen: -principalFen, bonusFen: -bonusFen });
  return { entry, isReplay: false, principalFen, voidedBonusFen: bonusFen };
};

/** The unused principal a refund of this top-up would return now (0 once refunded). */
export const refundableOf = (lot: Pick<TopUpRow, 'principalRemainingFen' | 'refundedAt'>) => (lot.refundedAt ? 0 : lot.principalRemainingFen);
