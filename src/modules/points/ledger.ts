import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { requestHash } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import {
  accountMove,
  assertMoved,
  claimOrReplay,
  type LedgerBook,
  lockAccount as lockLedgerAccount,
  moveAccount,
  moveLots as moveLedgerLots,
} from '../../platform/ledger.js';
import { consumeLots, isActive, isLive, isWrittenOff, type LotState } from './lots.js';
import { pointsAccounts, pointsEntries, pointsLots, pointsMovements } from './tables.js';

export type EntryType = 'earn' | 'redeem' | 'expire' | 'adjust' | 'reverse';
export type SourceType = 'order' | 'event' | 'campaign' | 'manual' | 'system';
type EntryRow = typeof pointsEntries.$inferSelect;

/** Points restored to a lot that expired in the meantime get this much time to be used. */
export const restoredGraceDays = 30;

export type LedgerOptions = {
  tenantId: string;
  customerId: string;
  /** One effect per key per tenant: a replay returns the first entry; another body under the key is a 409. */
  idempotencyKey: string;
  now: Date;
  actorId?: string | null;
  sourceType: SourceType;
  sourceId?: string | null;
  reason: Record<string, unknown>;
};

export type LedgerResult = { entry: EntryRow; isReplay: boolean };

type LockedAccount = { balance: number; debt: number; growth: number; expiredThrough: Date | null };

/** The points ledger as the kernel sees it; the policy (expiry, debt, spending order) stays here. */
export const pointsBook: LedgerBook = {
  label: '积分',
  code: 'points',
  // The balance is the lots less the debt: a clawback of points already spent takes it below zero, on the record.
  floor: Number.NEGATIVE_INFINITY,
  account: {
    table: pointsAccounts,
    tenantId: pointsAccounts.tenantId,
    ownerId: pointsAccounts.customerId,
    balances: [pointsAccounts.balance],
    ownerForeignKey: 'points_accounts_customer_fkey',
    missingOwner: () => notFound('客户', 'CUSTOMER_NOT_FOUND'),
  },
  entries: {
    table: pointsEntries,
    tenantId: pointsEntries.tenantId,
    id: pointsEntries.id,
    ownerId: pointsEntries.customerId,
    seq: pointsEntries.seq,
    amounts: [pointsEntries.points],
    afters: [pointsEntries.balanceAfter],
  },
  lots: {
    noun: 'lots',
    table: pointsLots,
    tenantId: pointsLots.tenantId,
    id: pointsLots.id,
    ownerId: pointsLots.customerId,
    sizes: [pointsLots.points],
    remaining: [pointsLots.remaining],
    // Lots written off by the expiry sweep no longer count; the debt is owed out of the lots.
    live: sql`a.expired_through is null or l.expires_at is null or l.expires_at > a.expired_through`,
    beyondBalance: sql`a.debt`,
  },
};

const lockAccount = async (tx: Executor, tenantId: string, customerId: string): Promise<LockedAccount> => {
  // The watermark as epoch milliseconds: one shape from both drivers.
  const row = await lockLedgerAccount<{ balance: number; debt: number; growth: number; expired_through_ms: number | null }>(
    tx,
    pointsBook,
    { tenantId, ownerId: customerId },
    sql`balance, debt, growth, (extract(epoch from expired_through) * 1000)::float8 as expired_through_ms`,
  );
  const expiredThrough = row.expired_through_ms === null ? null : new Date(Number(row.expired_through_ms));
  return { balance: Number(row.balance), debt: Number(row.debt), growth: Number(row.growth), expiredThrough };
};

/** The entry already written under this key, if any; a different request under the key is refused. */
const replayOf = async (tx: Executor, options: LedgerOptions, hash: string): Promise<LedgerResult | undefined> => {
  const first = await claimOrReplay(
    async () =>
      (
        await tx
          .select()
          .from(pointsEntries)
          .where(and(eq(pointsEntries.tenantId, options.tenantId), eq(pointsEntries.idempotencyKey, options.idempotencyKey)))
      )[0],
    (entry) => ({ hash: entry.requestHash, ownerId: entry.customerId }),
    { key: options.idempotencyKey, hash, ownerId: options.customerId },
    '积分操作',
  );
  return first ? { entry: first, isReplay: true } : undefined;
};

const liveLots = async (tx: Executor, tenantId: string, customerId: string, now: Date) =>
  tx
    .select()
    .from(pointsLots)
    .where(
      and(
        eq(pointsLots.tenantId, tenantId),
        eq(pointsLots.customerId, customerId),
        gt(pointsLots.remaining, 0),
        or(isNull(pointsLots.expiresAt), gt(pointsLots.expiresAt, now)),
      ),
    )
    .orderBy(asc(pointsLots.expiresAt), asc(pointsLots.createdAt), asc(pointsLots.id));

type NewEntry = { type: EntryType; points: number; growth?: number; reversesId?: string | null };

const entryRow = (options: LedgerOptions, hash: string, entry: NewEntry, balanceBefore: number) => ({
  tenantId: options.tenantId,
  id: newId(),
  customerId: options.customerId,
  type: entry.type,
  points: entry.points,
  balanceAfter: balanceBefore + entry.points,
  growth: entry.growth ?? 0,
  sourceType: options.sourceType,
  sourceId: options.sourceId ?? null,
  reason: options.reason,
  idempotencyKey: options.idempotencyKey,
  requestHash: hash,
  reversesId: entry.reversesId ?? null,
  actorId: options.actorId ?? null,
  createdAt: options.now,
});

/** Appends an entry recording the balance after it; the account follows in `finish`. */
const writeEntry = async (tx: Executor, options: LedgerOptions, hash: string, entry: NewEntry, account: LockedAccount): Promise<EntryRow> => {
  const row = entryRow(options, hash, entry, account.balance);
  const [written] = await tx.insert(pointsEntries).values(row).returning();
  if (!written) throw new Error(`points entry ${options.idempotencyKey} was not written`);
  return written;
};

/** Lot moves in two statements however many: the lots (checked within range) and the movements explaining them. */
const moveLots = async (tx: Executor, tenantId: string, entryId: string, moves: { lotId: string; points: number }[]) => {
  if (moves.length === 0) return;
  await moveLedgerLots(
    tx,
    pointsBook,
    tenantId,
    moves.map((move) => ({ lotId: move.lotId, amounts: [move.points] })),
  );
  await tx
    .insert(pointsMovements)
    .values(moves.map((move, position) => ({ tenantId, id: newId(), entryId, lotId: move.lotId, points: move.points, position })));
};

const createLot = async (
  tx: Executor,
  tenantId: string,
  customerId: string,
  entryId: string,
  lot: { points: number; remaining: number; availableAt: Date; expiresAt: Date | null; now: Date },
) => {
  const id = newId();
  await tx.insert(pointsLots).values({
    tenantId,
    id,
    customerId,
    entryId,
    points: lot.points,
    remaining: lot.remaining,
    availableAt: lot.availableAt,
    expiresAt: lot.expiresAt,
    createdAt: lot.now,
  });
  // The lot is born holding its points; the movement records where they came from.
  if (lot.remaining > 0) await tx.insert(pointsMovements).values({ tenantId, id: newId(), entryId, lotId: id, points: lot.remaining, position: 0 });
  return id;
};

type AccountChange = { balance: number; debt?: number; growth?: number; newLotExpiresAt?: Date | null };

/** The account's own figures that move with an entry: debt, growth, the sweep's next look. */
const alsoSet = (options: LedgerOptions, change: AccountChange) => {
  // A new lot that expires sooner than the sweep's next look at the account moves that look earlier.
  const nextExpiry = change.newLotExpiresAt ? sql`least(next_expiry_at, ${change.newLotExpiresAt.toISOString()}::timestamptz)` : sql`next_expiry_at`;
  return sql`debt = debt + ${change.debt ?? 0}, growth = growth + ${change.growth ?? 0}, next_expiry_at = ${nextExpiry}, updated_at = ${options.now.toISOString()}::timestamptz`;
};

const assertDebt = (options: LedgerOptions, account: LockedAccount, change: AccountChange) => {
  if (account.debt + (change.debt ?? 0) < 0) throw new Error(`points debt below zero for ${options.customerId}`);
};

/**
 * Moves the account's cached figures by exactly the entry's points and checks, in O(1)
 * (COMPLIANCE I5), that the account lands on the balance the entry records after it. The
 * lots moved were checked within range as they moved; the full re-sum is verify-ledgers'.
 */
const finish = async (tx: Executor, options: LedgerOptions, account: LockedAccount, entry: EntryRow, change: AccountChange) => {
  assertDebt(options, account, change);
  if (entry.balanceAfter !== account.balance + change.balance) {
    throw new Error(`points entry ${entry.id} records ${entry.balanceAfter} after, the account moves ${account.balance} by ${change.balance}`);
  }
  await moveAccount(
    tx,
    pointsBook,
    { tenantId: options.tenantId, ownerId: options.customerId },
    entry.id,
    [change.balance],
    [entry.balanceAfter],
    alsoSet(options, change),
  );
};

/** A lot born already written off would never be expired by an entry: refuse it. */
const assertExpiresAfterWatermark = (expiresAt: Date | null, expiredThrough: Date | null) => {
  if (expiresAt && expiredThrough && expiresAt <= expiredThrough) {
    throw new DomainError('rule', 'POINTS_EXPIRY_IN_PAST', '积分有效期不能早于已过期结算的时间');
  }
};

const positive = (points: number, what: string) => {
  if (!Number.isSafeInteger(points) || points <= 0)
    throw new DomainError('invalid', 'POINTS_INVALID', `${what}须为正整数`, [{ path: 'body.points', message: '须为正整数' }]);
};

/** 获得积分: a new lot, pending until `availableAt`; any recorded debt is repaid from it first. */
export const earnPoints = async (
  tx: Executor,
  options: LedgerOptions & { points: number; availableAt: Date; expiresAt: Date | null; growth?: number; type?: 'earn' | 'adjust' },
): Promise<LedgerResult> => {
  positive(options.points, '积分');
  const hash = requestHash({
    operation: 'points.earn',
    body: { points: options.points, growth: options.growth ?? 0, type: options.type ?? 'earn', sourceId: options.sourceId },
  });
  const account = await lockAccount(tx, options.tenantId, options.customerId);
  if (options.expiresAt && isWrittenOff({ expiresAt: options.expiresAt }, account.expiredThrough)) {
    // A replay of an earn whose lot has since expired answers with the first entry; anything else is refused.
    const replay = await replayOf(tx, options, hash);
    if (replay) return replay;
    assertExpiresAfterWatermark(options.expiresAt, account.expiredThrough);
  }
  const repaid = Math.min(account.debt, options.points);
  const change: AccountChange = { balance: options.points, debt: -repaid, growth: options.growth, newLotExpiresAt: options.expiresAt };
  assertDebt(options, account, change);
  // Entry, lot, movement and the account's move in one statement; under a key already used
  // nothing is written and the first entry answers (or a different request under the key is refused).
  const entry = entryRow(options, hash, { type: options.type ?? 'earn', points: options.points, growth: options.growth }, account.balance);
  const lot = { id: newId(), remaining: options.points - repaid };
  const [written] = await queryRows<{ entries: number; seq: number | null; b0: number | null; p0: number | null }>(
    tx,
    sql`with entry as (
          insert into ${pointsEntries} (tenant_id, id, customer_id, type, points, balance_after, growth, source_type, source_id, reason, idempotency_key, request_hash, reverses_id, actor_id, created_at)
          values (${entry.tenantId}, ${entry.id}, ${entry.customerId}, ${entry.type}, ${entry.points}, ${entry.balanceAfter}, ${entry.growth}, ${entry.sourceType}, ${entry.sourceId},
                  ${JSON.stringify(entry.reason)}::jsonb, ${entry.idempotencyKey}, ${entry.requestHash}, null, ${entry.actorId}, ${options.now.toISOString()}::timestamptz)
          on conflict (tenant_id, idempotency_key) do nothing
          returning tenant_id, id, seq),
        lot as (
          insert into ${pointsLots} (tenant_id, id, customer_id, entry_id, points, remaining, available_at, expires_at, created_at)
          select tenant_id, ${lot.id}, ${entry.customerId}, id, ${options.points}, ${lot.remaining}, ${options.availableAt.toISOString()}::timestamptz,
                 ${options.expiresAt?.toISOString() ?? null}::timestamptz, ${options.now.toISOString()}::timestamptz
          from entry
          returning tenant_id, id, entry_id),
        movement as (
          insert into ${pointsMovements} (tenant_id, id, entry_id, lot_id, points, position)
          select tenant_id, ${newId()}, entry_id, id, ${lot.remaining}, 0 from lot where ${lot.remaining}::bigint > 0
          returning id),
        account as (${accountMove(pointsBook, { tenantId: options.tenantId, ownerId: options.customerId }, entry.id, [options.points], alsoSet(options, change), sql`exists (select 1 from entry)`)})
        select (select count(*) from entry)::int as entries, (select seq from entry) as seq, (select b0 from account) as b0, (select p0 from account) as p0`,
  );
  if (!written?.entries) {
    const replay = await replayOf(tx, options, hash);
    if (replay) return replay;
    throw new Error(`points entry ${options.idempotencyKey} was neither written nor found`);
  }
  assertMoved(pointsBook, options.customerId, { b0: written.b0, p0: written.p0 }, [options.points], [entry.balanceAfter]);
  return { entry: { ...entry, seq: Number(written.seq) }, isReplay: false };
};

/** 积分抵扣 / 兑换: spends active points, soonest-expiring lots first. */
export const redeemPoints = async (tx: Executor, options: LedgerOptions & { points: number }): Promise<LedgerResult> => {
  positive(options.points, '使用积分');
  const hash = requestHash({ operation: 'points.redeem', body: { points: options.points, sourceId: options.sourceId } });
  const account = await lockAccount(tx, options.tenantId, options.customerId);
  const replay = await replayOf(tx, options, hash);
  if (replay) return replay;
  const lots = (await liveLots(tx, options.tenantId, options.customerId, options.now)).filter((lot) => isActive(lot, options.now));
  const takes = consumeLots(lots, options.points);
  if (!takes) {
    const active = lots.reduce((sum, lot) => sum + lot.remaining, 0);
    throw new DomainError('conflict', 'POINTS_INSUFFICIENT', `可用积分不足：需要 ${options.points}，可用 ${active}`);
  }
  const entry = await writeEntry(tx, options, hash, { type: 'redeem', points: -options.points }, account);
  await moveLots(
    tx,
    options.tenantId,
    entry.id,
    takes.map((take) => ({ lotId: take.lotId, points: -take.points })),
  );
  await finish(tx, options, account, entry, { balance: -options.points });
  return { entry, isReplay: false };
};

/** 手工调整: up creates a lot; down takes from live lots (active first, then pending) and never below zero. */
export const adjustPoints = async (tx: Executor, options: LedgerOptions & { points: number; expiresAt: Date | null }): Promise<LedgerResult> => {
  if (!Number.isSafeInteger(options.points) || options.points === 0)
    throw new DomainError('invalid', 'POINTS_INVALID', '调整积分须为非零整数', [{ path: 'body.points', message: '须为非零整数' }]);
  if (options.points > 0) return earnPoints(tx, { ...options, type: 'adjust', availableAt: options.now });
  const points = -options.points;
  const hash = requestHash({ operation: 'points.adjust', body: { points: options.points, sourceId: options.sourceId } });
  const account = await lockAccount(tx, options.tenantId, options.customerId);
  const replay = await replayOf(tx, options, hash);
  if (replay) return replay;
  const lots = await liveLots(tx, options.tenantId, options.customerId, options.now);
  const ordered = [...lots.filter((lot) => isActive(lot, options.now)), ...lots.filter((lot) => !isActive(lot, options.now))];
  let left = points;
  const takes: { lotId: string; points: number }[] = [];
  for (const lot of ordered) {
    const take = Math.min(left, lot.remaining);
    if (take > 0) takes.push({ lotId: lot.id, points: -take });
    left -= take;
  }
  if (left > 0) throw new DomainError('rule', 'POINTS_INSUFFICIENT', `扣减 ${points} 积分超过现有积分`);
  const entry = await writeEntry(tx, options, hash, { type: 'adjust', points: options.points }, account);
  await moveLots(tx, options.tenantId, entry.id, takes);
  await finish(tx, options, account, entry, { balance: options.points });
  return { entry, isReplay: false };
};

/**
 * 冲正: undoes all or part of an earn or a redeem. Reversing an earn takes the points back
 * from its lot; what was already spent becomes an explicit debt (never a silent negative
 * balance). Reversing a redeem gives the points back to the lots they came from; a lot that
 * expired meanwhile is replaced by a new one with `restoredGraceDays` to use them.
 * The reversed total never exceeds the original.
 */
export const reverseEntry = async (
  tx: Executor,
  options: Omit<LedgerOptions, 'customerId'> & { entryId: string; points?: number; growth?: number },
): Promise<LedgerResult> => {
  const [original] = await tx
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, options.tenantId), eq(pointsEntries.id, options.entryId)));
  if (!original) throw notFound('积分记录', 'POINTS_ENTRY_NOT_FOUND');
  const ledger: LedgerOptions = { ...options, customerId: original.customerId };
  const account = await lockAccount(tx, options.tenantId, original.customerId);
  const hash = requestHash({ operation: 'points.reverse', body: { entryId: original.id, points: options.points ?? null, growth: options.growth ?? null } });
  const replay = await replayOf(tx, ledger, hash);
  if (replay) return replay;
  if (!['earn', 'redeem', 'adjust'].includes(original.type)) throw new DomainError('rule', 'POINTS_NOT_REVERSIBLE', '该积分记录不能冲正');
  // What earlier reversals set out to undo (a part that had expired is undone on paper only).
  const [done] = await queryRows<{ points: number }>(
    tx,
    sql`select coalesce(sum((reason->>'intended')::bigint), 0)::bigint as points from ${pointsEntries} where tenant_id = ${options.tenantId} and reverses_id = ${original.id}`,
  );
  const magnitude = Math.abs(original.points);
  const left = magnitude - Number(done?.points ?? 0);
  if (left <= 0) throw new DomainError('rule', 'POINTS_REVERSAL_EXCEEDED', '该积分记录已全部冲正');
  const points = options.points ?? left;
  if (!Number.isSafeInteger(points) || points <= 0) throw new DomainError('invalid', 'POINTS_INVALID', '冲正积分须为正整数');
  if (points > left) throw new DomainError('rule', 'POINTS_REVERSAL_EXCEEDED', `最多还能冲正 ${left} 积分`);

  const withIntent = { ...ledger, reason: { ...ledger.reason, intended: points } };
  if (original.points > 0) {
    // Take back an earn: what is left in its lot first, then what was spent becomes debt.
    // Points that already expired are gone: they are not charged a second time.
    const [lot] = await tx
      .select()
      .from(pointsLots)
      .where(and(eq(pointsLots.tenantId, options.tenantId), eq(pointsLots.entryId, original.id)));
    // A lot written off by expiry is frozen: what it held then is what expired.
    const writtenOff = lot ? isWrittenOff(lot, account.expiredThrough) : false;
    const expiredPoints = lot && writtenOff ? lot.remaining : 0;
    const [clawed] = await queryRows<{ points: number }>(
      tx,
      sql`select coalesce(-sum(points), 0)::bigint as points from ${pointsEntries} where tenant_id = ${options.tenantId} and reverses_id = ${original.id}`,
    );
    // What the customer still has the benefit of: the earn, less what expired and what was already clawed back.
    const clawable = Math.max(0, original.points - expiredPoints - Number(clawed?.points ?? 0));
    const wanted = Math.min(points, clawable);
    const fromLot = Math.min(lot && !writtenOff ? lot.remaining : 0, wanted);
    const debt = wanted - fromLot;
    const effective = fromLot + debt;
    const growth = -(options.growth ?? 0);
    const entry = await writeEntry(tx, withIntent, hash, { type: 'reverse', points: -effective, growth, reversesId: original.id }, account);
    if (lot && fromLot > 0) await moveLots(tx, options.tenantId, entry.id, [{ lotId: lot.id, points: -fromLot }]);
    await finish(tx, ledger, account, entry, { balance: -effective, debt, growth });
    return { entry, isReplay: false };
  }

  // Give back a redeem: to the lots it took from, last taken first.
  const taken = await tx
    .select({ movement: pointsMovements, lot: pointsLots })
    .from(pointsMovements)
    .innerJoin(pointsLots, and(eq(pointsLots.tenantId, pointsMovements.tenantId), eq(pointsLots.id, pointsMovements.lotId)))
    .where(and(eq(pointsMovements.tenantId, options.tenantId), eq(pointsMovements.entryId, original.id)))
    .orderBy(sql`${pointsMovements.position} desc`);
  const [restoredSoFar] = await queryRows<{ points: number }>(
    tx,
    sql`select coalesce(sum(m.points), 0)::bigint as points from ${pointsMovements} m join ${pointsEntries} e on e.tenant_id = m.tenant_id and e.id = m.entry_id
        where m.tenant_id = ${options.tenantId} and e.reverses_id = ${original.id}`,
  );
  let skip = Number(restoredSoFar?.points ?? 0);
  let give = points;
  const entry = await writeEntry(tx, withIntent, hash, { type: 'reverse', points, reversesId: original.id }, account);
  const repaid = Math.min(account.debt, points);
  give -= repaid;
  const moves: { lotId: string; points: number }[] = [];
  let restoredExpiresAt: Date | null = null;
  for (const { movement, lot } of taken) {
    let available = -movement.points;
    const skipped = Math.min(skip, available);
    skip -= skipped;
    available -= skipped;
    const amount = Math.min(available, give);
    if (amount <= 0) continue;
    give -= amount;
    if (isLive({ ...lot, remaining: 1 }, options.now)) {
      moves.push({ lotId: lot.id, points: amount });
    } else {
      const expiresAt = new Date(options.now.getTime() + restoredGraceDays * 86_400_000);
      assertExpiresAfterWatermark(expiresAt, account.expiredThrough);
      restoredExpiresAt = expiresAt;
      await createLot(tx, options.tenantId, original.customerId, entry.id, {
        points: amount,
        remaining: amount,
        availableAt: options.now,
        expiresAt,
        now: options.now,
      });
    }
  }
  await moveLots(tx, options.tenantId, entry.id, moves);
  await finish(tx, ledger, account, entry, { balance: points, debt: -repaid, newLotExpiresAt: restoredExpiresAt });
  return { entry, isReplay: false };
};

export type { LotState };
