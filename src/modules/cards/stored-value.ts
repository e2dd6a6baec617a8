import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { requestHash } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import { balancesAfter, claimOrReplay, type LedgerBook, lockAccount, moveAccount, moveLots } from '../../platform/ledger.js';
import { planRestore, planSpend, type SpendingPolicy, type TopUpState } from './spending.js';
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

/** The stored-value ledger as the kernel sees it: principal and bonus, each its own balance (COMPLIANCE I9). */
export const storedValueBook: LedgerBook = {
  label: '储值',
  code: 'stored_value',
  account: {
    table: storedValueAccounts,
    tenantId: storedValueAccounts.tenantId,
    ownerId: storedValueAccounts.customerId,
    balances: [storedValueAccounts.principalFen, storedValueAccounts.bonusFen],
    ownerForeignKey: 'stored_value_accounts_customer_fkey',
    missingOwner: () => notFound('客户', 'CUSTOMER_NOT_FOUND'),
  },
  entries: {
    table: storedValueEntries,
    tenantId: storedValueEntries.tenantId,
    id: storedValueEntries.id,
    ownerId: storedValueEntries.customerId,
    seq: storedValueEntries.seq,
    amounts: [storedValueEntries.principalFen, storedValueEntries.bonusFen],
    afters: [storedValueEntries.principalAfterFen, storedValueEntries.bonusAfterFen],
  },
  lots: {
    noun: 'top_ups',
    table: storedValueTopUps,
    tenantId: storedValueTopUps.tenantId,
    id: storedValueTopUps.id,
    ownerId: storedValueTopUps.customerId,
    sizes: [storedValueTopUps.principalFen, storedValueTopUps.bonusFen],
    remaining: [storedValueTopUps.principalRemainingFen, storedValueTopUps.bonusRemainingFen],
  },
};

type LockedAccount = { principalFen: number; bonusFen: number };

/** Locks the customer's account row, opening it on the first write. */
export const lockStoredValueAccount = async (tx: Executor, tenantId: string, customerId: string): Promise<LockedAccount> => {
  const row = await lockAccount<{ principal_fen: number; bonus_fen: number }>(
    tx,
    storedValueBook,
    { tenantId, ownerId: customerId },
    sql`principal_fen, bonus_fen`,
  );
  return { principalFen: Number(row.principal_fen), bonusFen: Number(row.bonus_fen) };
};

const replayOf = async (tx: Executor, options: StoredValueOptions, hash: string): Promise<StoredValueResult | undefined> => {
  const first = await claimOrReplay(
    async () =>
      (
        await tx
          .select()
          .from(storedValueEntries)
          .where(and(eq(storedValueEntries.tenantId, options.tenantId), eq(storedValueEntries.idempotencyKey, options.idempotencyKey)))
      )[0],
    (entry) => ({ hash: entry.requestHash, ownerId: entry.customerId }),
    { key: options.idempotencyKey, hash, ownerId: options.customerId },
    '储值操作',
  );
  return first ? { entry: first, isReplay: true } : undefined;
};

/** Appends an entry recording principal and bonus after it; the account follows in `finish`. */
const writeEntry = async (
  tx: Executor,
  options: StoredValueOptions,
  hash: string,
  entry: { type: StoredValueEntryType; principalFen: number; bonusFen: number; reversesId?: string | null },
  account: LockedAccount,
): Promise<EntryRow> => {
  const [principalAfterFen, bonusAfterFen] = balancesAfter([account.principalFen, account.bonusFen], [entry.principalFen, entry.bonusFen]);
  const [written] = await tx
    .insert(storedValueEntries)
    .values({
      tenantId: options.tenantId,
      id: newId(),
      customerId: options.customerId,
      type: entry.type,
      principalFen: entry.principalFen,
      bonusFen: entry.bonusFen,
      principalAfterFen: principalAfterFen ?? 0,
      bonusAfterFen: bonusAfterFen ?? 0,
      sourceType: options.sourceType,
      sourceId: options.sourceId ?? null,
      reason: options.reason,
      idempotencyKey: options.idempotencyKey,
      requestHash: hash,
      reversesId: entry.reversesId ?? null,
      actorId: options.actorId ?? null,
      createdAt: options.now,
    })
    .returning();
  if (!written) throw new Error(`stored-value entry ${options.idempotencyKey} was not written`);
  return written;
};

type Move = { topUpId: string; principalFen: number; bonusFen: number; restoresId?: string | null };

/** Top-up moves in two statements however many: the top-ups (checked within range) and the movements explaining them. */
const moveTopUps = async (tx: Executor, tenantId: string, entryId: string, moves: readonly Move[]) => {
  if (moves.length === 0) return;
  await moveLots(
    tx,
    storedValueBook,
    tenantId,
    moves.map((move) => ({ lotId: move.topUpId, amounts: [move.principalFen, move.bonusFen] })),
  );
  await tx.insert(storedValueMovements).values(
    moves.map((move, position) => ({
      tenantId,
      id: newId(),
      entryId,
      topUpId: move.topUpId,
      principalFen: move.principalFen,
      bonusFen: move.bonusFen,
      restoresId: move.restoresId ?? null,
      position,
    })),
  );
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
 * Moves principal and bonus of the account by exactly the entry's amounts and checks, in O(1)
 * (COMPLIANCE I5, I9), that it lands on what the entry records after it, neither below zero.
 * The top-ups moved were checked within range as they moved; the full re-sum is verify-ledgers'.
 */
const finish = async (tx: Executor, options: StoredValueOptions, entry: EntryRow) => {
  await moveAccount(
    tx,
    storedValueBook,
    { tenantId: options.tenantId, ownerId: options.customerId },
    entry.id,
    [entry.principalFen, entry.bonusFen],
    [entry.principalAfterFen, entry.bonusAfterFen],
    sql`updated_at = ${options.now.toISOString()}::timestamptz`,
  );
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
  const account = await lockStoredValueAccount(tx, options.tenantId, options.customerId);
  const replay = await replayOf(tx, options, hash);
  if (replay) {
    const [lot] = await tx
      .select({ id: storedValueTopUps.id })
      .from(storedValueTopUps)
      .where(and(eq(storedValueTopUps.tenantId, options.tenantId), eq(storedValueTopUps.entryId, replay.entry.id)));
    return { ...replay, topUpId: lot?.id ?? '' };
  }
  const entry = await writeEntry(tx, options, hash, { type: 'top_up', principalFen: options.principalFen, bonusFen: options.bonusFen }, account);
  const lot = await createTopUpRow(tx, options, entry.id, { kind: 'top_up', ...options });
  await finish(tx, options, entry);
  return { entry, isReplay: false, topUpId: lot.id };
};

/**
 * The top-ups a spend of `amountFen` draws on under `policy`, oldest first and locked: only
 * those the plan reaches (running sums over the live top-ups, in SQL), never the customer's
 * spent or refunded ones, nor the live ones past what the spend needs.
 */
const topUpsToSpend = async (tx: Executor, tenantId: string, customerId: string, amountFen: number, policy: SpendingPolicy): Promise<TopUpState[]> => {
  const reached =
    policy === 'proportional'
      ? sql`r.total_before < ${amountFen}`
      : policy === 'principal_first'
        ? sql`r.principal_before < ${amountFen} or (r.principal_all < ${amountFen} and r.bonus_before < ${amountFen} - r.principal_all)`
        : sql`r.bonus_before < ${amountFen} or (r.bonus_all < ${amountFen} and r.principal_before < ${amountFen} - r.bonus_all)`;
  const rows = await queryRows<{ id: string; principal: number; bonus: number; created_ms: number }>(
    tx,
    sql`select t.id, t.principal_remaining_fen as principal, t.bonus_remaining_fen as bonus, (extract(epoch from t.created_at) * 1000)::float8 as created_ms
        from ${storedValueTopUps} t
        where t.tenant_id = ${tenantId} and t.id in (
          select r.id from (
            select id,
              sum(principal_remaining_fen + bonus_remaining_fen) over w - (principal_remaining_fen + bonus_remaining_fen) as total_before,
              sum(principal_remaining_fen) over w - principal_remaining_fen as principal_before,
              sum(bonus_remaining_fen) over w - bonus_remaining_fen as bonus_before,
              sum(principal_remaining_fen) over () as principal_all,
              sum(bonus_remaining_fen) over () as bonus_all
            from ${storedValueTopUps}
            where tenant_id = ${tenantId} and customer_id = ${customerId} and refunded_at is null and (principal_remaining_fen > 0 or bonus_remaining_fen > 0)
            window w as (order by created_at, id)) r
          where ${reached})
        order by t.created_at, t.id
        for update`,
  );
  return rows.map((row) => ({
    id: row.id,
    principalRemainingFen: Number(row.principal),
    bonusRemainingFen: Number(row.bonus),
    createdAt: new Date(Number(row.created_ms)),
  }));
};

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
  const takes = planSpend(await topUpsToSpend(tx, options.tenantId, options.customerId, options.amountFen, options.policy), options.amountFen, options.policy);
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
  const entry = await writeEntry(
    tx,
    { ...options, reason: { ...options.reason, policy: options.policy } },
    hash,
    {
      type: 'spend',
      principalFen: -principalFen,
      bonusFen: -bonusFen,
    },
    account,
  );
  await moveTopUps(
    tx,
    options.tenantId,
    entry.id,
    takes.map((take) => ({ topUpId: take.topUpId, principalFen: -take.principalFen, bonusFen: -take.bonusFen })),
  );
  await finish(tx, options, entry);
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
  const account = await lockStoredValueAccount(tx, options.tenantId, original.customerId);
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
  const entry = await writeEntry(tx, ledger, hash, { type: 'reverse', principalFen, bonusFen, reversesId: original.id }, account);
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
  await finish(tx, ledger, entry);
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
  const account = await lockStoredValueAccount(tx, options.tenantId, peek.customerId);
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
  const entry = await writeEntry(
    tx,
    { ...ledger, reason: { ...ledger.reason, topUpId: lot.id, voidedBonusFen: bonusFen } },
    hash,
    {
      type: 'refund',
      principalFen: -principalFen,
      bonusFen: -bonusFen,
    },
    account,
  );
  await moveTopUps(tx, options.tenantId, entry.id, [{ topUpId: lot.id, principalFen: -principalFen, bonusFen: -bonusFen }]);
  await tx
    .update(storedValueTopUps)
    .set({ refundedAt: options.now })
    .where(and(eq(storedValueTopUps.tenantId, options.tenantId), eq(storedValueTopUps.id, lot.id)));
  await finish(tx, ledger, entry);
  return { entry, isReplay: false, principalFen, voidedBonusFen: bonusFen };
};

/** The unused principal a refund of this top-up would return now (0 once refunded). */
export const refundableOf = (lot: Pick<TopUpRow, 'principalRemainingFen' | 'refundedAt'>) => (lot.refundedAt ? 0 : lot.principalRemainingFen);
