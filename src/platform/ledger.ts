import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { type Executor, queryRows } from '../db/client.js';
import { DomainError, mapConstraintError } from './errors.js';

/**
 * The ledger kernel: the mechanics every value ledger shares (points, stored value, voucher
 * issuance), none of the policy. A module describes its tables with a `LedgerBook` and keeps
 * its own rules (which lots to spend first, debt, principal and bonus); the kernel locks the
 * account, answers a reused idempotency key, moves lots, checks each write in O(1) and
 * re-sums everything for `verify-ledgers`.
 *
 * The write-path check never reads the customer's history: an entry records the account's
 * balance after it (`previous + amount`), and the account row must move by exactly the
 * entry's amount to that same figure. The full re-sum (balance = Σ entries = Σ live lots,
 * the chain of balances after) is `verifyBook`'s job.
 */

export type LedgerProblem = { tenantId: string; customerId: string | null; problem: string; detail: string };

/** A ledger's tables: the account row (the lock), the entries and the lots, with one column per balance (points; principal and bonus). */
export type LedgerBook = {
  /** Names the ledger in messages (积分, 储值). */
  label: string;
  /** Prefixes the problems `verifyBook` reports (points, stored_value). */
  code: string;
  /** The lowest a balance may go (0 unless the book records a debt beside it). */
  floor?: number;
  account: {
    table: PgTable;
    tenantId: PgColumn;
    ownerId: PgColumn;
    balances: readonly PgColumn[];
    /** The foreign key from the account to its owner: violating it means the owner does not exist. */
    ownerForeignKey: string;
    missingOwner: () => DomainError;
  };
  entries: {
    table: PgTable;
    tenantId: PgColumn;
    id: PgColumn;
    ownerId: PgColumn;
    seq: PgColumn;
    amounts: readonly PgColumn[];
    afters: readonly PgColumn[];
  };
  lots: {
    /** Names the lots in problems (lots, top_ups). */
    noun: string;
    table: PgTable;
    tenantId: PgColumn;
    id: PgColumn;
    ownerId: PgColumn;
    sizes: readonly PgColumn[];
    remaining: readonly PgColumn[];
    /** Lots counted in the balance, over alias `l` with the account as `a` (points: not yet written off by expiry). */
    live?: SQL;
    /** What the live lots hold beyond the balance, over alias `a` (points: the debt). */
    beyondBalance?: SQL;
  };
};

/** A column's bare name, for statements that alias their tables. */
export const col = (column: PgColumn): SQL => sql`${sql.identifier(column.name)}`;
const at = (alias: string, column: PgColumn): SQL => sql.raw(`${alias}."${column.name}"`);

/**
 * Locks the owner's account row (`SELECT … FOR UPDATE`), opening it on the first write. The
 * owner's existence is checked by the account's foreign key: no separate read of her row.
 * `columns` is the selection the module wants back (bare column names).
 */
export const lockAccount = async <Row>(tx: Executor, book: LedgerBook, key: { tenantId: string; ownerId: string }, columns: SQL): Promise<Row> => {
  const { table, tenantId, ownerId } = book.account;
  const [existing] = await queryRows<Row>(
    tx,
    sql`select ${columns} from ${table} where ${col(tenantId)} = ${key.tenantId} and ${col(ownerId)} = ${key.ownerId} for update`,
  );
  if (existing) return existing;
  // Opened and locked in one statement; a concurrent opener waits here, then both see one row.
  const [opened] = await queryRows<Row>(
    tx,
    sql`insert into ${table} (${col(tenantId)}, ${col(ownerId)}) values (${key.tenantId}, ${key.ownerId})
        on conflict (${col(tenantId)}, ${col(ownerId)}) do update set ${col(tenantId)} = excluded.${col(tenantId)}
        returning ${columns}`,
  ).catch((error: unknown) => mapConstraintError(error, { [book.account.ownerForeignKey]: book.account.missingOwner() }));
  if (!opened) throw book.account.missingOwner();
  return opened;
};

/** An idempotency key and what was asked under it. */
export type Claim = { key: string; hash: string; ownerId: string };

/**
 * Claim-or-replay (COMPLIANCE I3): `first` is what was already written under the claim's key,
 * if anything. The same request again gets the first result; another request under the key
 * (another body, another owner) is a 409. Undefined: the key is free, write.
 */
export const replayOrRefuse = <T>(first: T | undefined, stored: (first: T) => { hash: string; ownerId: string }, claim: Claim, what: string): T | undefined => {
  if (first === undefined) return undefined;
  const was = stored(first);
  if (was.hash !== claim.hash || was.ownerId !== claim.ownerId) {
    throw new DomainError('conflict', 'IDEMPOTENCY_KEY_REUSED', `幂等键已用于另一笔不同的${what}，请换一个新的幂等键`);
  }
  return first;
};

/** Looks up what was written under the claim's key and answers as `replayOrRefuse`. */
export const claimOrReplay = async <T>(
  find: () => Promise<T | undefined>,
  stored: (first: T) => { hash: string; ownerId: string },
  claim: Claim,
  what: string,
): Promise<T | undefined> => replayOrRefuse(await find(), stored, claim, what);

/** The balances after an entry: the previous ones plus its amounts. */
export const balancesAfter = (previous: readonly number[], amounts: readonly number[]): number[] =>
  previous.map((balance, index) => balance + (amounts[index] ?? 0));

/**
 * The account row moves by exactly the entry's amounts, in one UPDATE (to embed as a CTE or to
 * run alone). It also returns the balances after the owner's previous entry (the newest other
 * than `entryId`, one index probe): the account must have stood exactly there. `also` sets
 * further columns of the account (the module's own figures); `when` makes the move conditional
 * (on the entry's CTE having written a row).
 */
export const accountMove = (
  book: LedgerBook,
  key: { tenantId: string; ownerId: string },
  entryId: string,
  amounts: readonly number[],
  also?: SQL,
  when?: SQL,
): SQL => {
  const { table, tenantId, ownerId, balances } = book.account;
  const { entries } = book;
  const sets = sql.join(
    balances.map((balance, index) => sql`${col(balance)} = ${col(balance)} + ${amounts[index] ?? 0}`),
    sql`, `,
  );
  const previous = (index: number) =>
    sql`(select ${col(entries.afters[index] as PgColumn)} from ${entries.table}
          where ${col(entries.tenantId)} = ${key.tenantId} and ${col(entries.ownerId)} = ${key.ownerId} and ${col(book.entries.id)} <> ${entryId}
          order by ${col(entries.seq)} desc limit 1)`;
  return sql`update ${table} set ${sets}${also ? sql`, ${also}` : sql``}
    where ${col(tenantId)} = ${key.tenantId} and ${col(ownerId)} = ${key.ownerId}${when ? sql` and ${when}` : sql``}
    returning ${sql.join(
      balances.flatMap((balance, index) => [sql`${col(balance)} as ${sql.identifier(`b${index}`)}`, sql`${previous(index)} as ${sql.identifier(`p${index}`)}`]),
      sql`, `,
    )}`;
};

/**
 * The O(1) write-path assertion (COMPLIANCE I5): the owner's previous entry's balance after plus
 * this entry's amounts is the balance this entry records after it, and the account, moved by
 * the amounts, holds exactly that — so the account stood where the entries left it, and still
 * does. No balance below the book's floor. A disagreement aborts the transaction: nothing
 * half-right is ever committed.
 */
export const assertMoved = (
  book: LedgerBook,
  ownerId: string,
  moved: Record<string, unknown> | undefined,
  amounts: readonly number[],
  expected: readonly number[],
) => {
  const floor = book.floor ?? 0;
  const account = expected.map((_, index) => Number(moved?.[`b${index}`]));
  const previous = expected.map((_, index) => Number(moved?.[`p${index}`] ?? 0));
  if (
    !moved ||
    account.some((value, index) => value !== expected[index] || value < floor || (previous[index] ?? 0) + (amounts[index] ?? 0) !== expected[index])
  ) {
    throw new Error(
      `${book.code} ledger out of balance for ${ownerId}: previous entry ${JSON.stringify(previous)} + ${JSON.stringify(amounts)}, entry says ${JSON.stringify(expected)}, account ${JSON.stringify(account)}`,
    );
  }
};

/** Moves the account and asserts, in one statement. */
export const moveAccount = async (
  tx: Executor,
  book: LedgerBook,
  key: { tenantId: string; ownerId: string },
  entryId: string,
  amounts: readonly number[],
  expected: readonly number[],
  also?: SQL,
) => {
  const [moved] = await queryRows<Record<string, unknown>>(tx, accountMove(book, key, entryId, amounts, also));
  assertMoved(book, key.ownerId, moved, amounts, expected);
};

/**
 * Moves lots by signed amounts (one per balance column), in one statement however many, and
 * checks each stays within 0 and its size. The movements explaining them are the module's.
 */
export const moveLots = async (tx: Executor, book: LedgerBook, tenantId: string, moves: readonly { lotId: string; amounts: readonly number[] }[]) => {
  if (moves.length === 0) return;
  const { table, id, remaining, sizes } = book.lots;
  const names = remaining.map((_, index) => `m${index}`);
  const values = sql.join(
    moves.map(
      (move) =>
        sql`(${move.lotId}::uuid, ${sql.join(
          remaining.map((_, index) => sql`${move.amounts[index] ?? 0}::bigint`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`update ${table} l set ${sql.join(
      remaining.map((column, index) => sql`${col(column)} = ${at('l', column)} + ${sql.raw(`m.${names[index]}`)}`),
      sql`, `,
    )}
        from (values ${values}) as m (lot_id, ${sql.raw(names.join(', '))})
        where ${at('l', book.lots.tenantId)} = ${tenantId} and ${at('l', id)} = m.lot_id
        returning ${sql.join(
          [
            ...remaining.map((column, index) => sql`${at('l', column)} as ${sql.identifier(`r${index}`)}`),
            ...sizes.map((column, index) => sql`${at('l', column)} as ${sql.identifier(`s${index}`)}`),
          ],
          sql`, `,
        )}`,
  );
  const bad = rows.filter((row) => remaining.some((_, index) => Number(row[`r${index}`]) < 0 || Number(row[`r${index}`]) > Number(row[`s${index}`])));
  if (rows.length !== new Set(moves.map((move) => move.lotId)).size || bad.length > 0) {
    throw new Error(`${book.code} lots out of range: ${JSON.stringify(bad)} (${rows.length} of ${moves.length} moved)`);
  }
};

/**
 * verify-ledgers for one book, set-based over every account (or one tenant's): each balance
 * equals the sum of the entries and of the live lots (less what the book keeps beyond the
 * balance, the points' debt); no lot below zero or above its size; every entry's balance after
 * is the running sum of the entries up to it, in write order, and the last one is the account's.
 */
export const verifyBook = async (tx: Executor, book: LedgerBook, tenantId?: string): Promise<LedgerProblem[]> => {
  const scope = (alias: string, column: PgColumn) => (tenantId ? sql`and ${at(alias, column)} = ${tenantId}` : sql``);
  const { account, entries, lots } = book;
  const sums = (alias: string, columns: readonly PgColumn[], prefix: string) =>
    sql.join(
      columns.map((column, index) => sql`sum(${at(alias, column)}) as ${sql.identifier(`${prefix}${index}`)}`),
      sql`, `,
    );
  const differs = (left: (index: number) => SQL, right: (index: number) => SQL) =>
    sql.join(
      account.balances.map((_, index) => sql`${left(index)} <> ${right(index)}`),
      sql` or `,
    );
  const list = (values: (index: number) => SQL) =>
    sql`concat_ws(' / ', ${sql.join(
      account.balances.map((_, index) => sql`${values(index)}::text`),
      sql`, `,
    )})`;
  const balance = (index: number) => at('a', account.balances[index] as PgColumn);
  const problems: LedgerProblem[] = [];
  problems.push(
    ...(await queryRows<LedgerProblem>(
      tx,
      sql`select ${at('a', account.tenantId)} as "tenantId", ${at('a', account.ownerId)} as "customerId", ${`${book.code}_vs_entries`} as problem,
            format('balance %s, entries %s', ${list(balance)}, ${list((index) => sql`coalesce(${sql.raw(`e.e${index}`)}, 0)`)}) as detail
          from ${account.table} a
          left join (select ${at('e', entries.tenantId)} as tenant_id, ${at('e', entries.ownerId)} as owner_id, ${sums('e', entries.amounts, 'e')}
                     from ${entries.table} e group by 1, 2) e
            on e.tenant_id = ${at('a', account.tenantId)} and e.owner_id = ${at('a', account.ownerId)}
          where (${differs(balance, (index) => sql`coalesce(${sql.raw(`e.e${index}`)}, 0)`)}) ${scope('a', account.tenantId)}`,
    )),
  );
  const beyond = lots.beyondBalance ?? sql`0`;
  problems.push(
    ...(await queryRows<LedgerProblem>(
      tx,
      sql`select ${at('a', account.tenantId)} as "tenantId", ${at('a', account.ownerId)} as "customerId", ${`${book.code}_vs_${lots.noun}`} as problem,
            format('balance %s, live lots %s, beyond the balance %s', ${list(balance)}, ${list((index) => sql`coalesce(${sql.raw(`x.l${index}`)}, 0)`)}, ${beyond}) as detail
          from ${account.table} a
          left join lateral (select ${sums('l', lots.remaining, 'l')} from ${lots.table} l
                             where ${at('l', lots.tenantId)} = ${at('a', account.tenantId)} and ${at('l', lots.ownerId)} = ${at('a', account.ownerId)}
                               ${lots.live ? sql`and (${lots.live})` : sql``}) x on true
          where (${differs(
            (index) => (index === 0 ? sql`${balance(index)} + ${beyond}` : balance(index)),
            (index) => sql`coalesce(${sql.raw(`x.l${index}`)}, 0)`,
          )} or ${beyond} < 0 or ${sql.join(
            account.balances.map((_, index) => (index === 0 ? sql`${balance(index)} + ${beyond} < 0` : sql`${balance(index)} < 0`)),
            sql` or `,
          )}) ${scope('a', account.tenantId)}`,
    )),
  );
  problems.push(
    ...(await queryRows<LedgerProblem>(
      tx,
      sql`select ${at('l', lots.tenantId)} as "tenantId", ${at('l', lots.ownerId)} as "customerId", ${`${book.code}_lot_out_of_range`} as problem,
            format('lot %s: remaining %s of %s', ${at('l', lots.id)}, ${list((index) => at('l', lots.remaining[index] as PgColumn))},
                   ${list((index) => at('l', lots.sizes[index] as PgColumn))}) as detail
          from ${lots.table} l
          where (${sql.join(
            lots.remaining.map((column, index) => sql`${at('l', column)} < 0 or ${at('l', column)} > ${at('l', lots.sizes[index] as PgColumn)}`),
            sql` or `,
          )}) ${scope('l', lots.tenantId)}`,
    )),
  );
  const running = sql.join(
    entries.amounts.map(
      (column, index) =>
        sql`sum(${at('e', column)}) over (partition by ${at('e', entries.tenantId)}, ${at('e', entries.ownerId)} order by ${at('e', entries.seq)}) as ${sql.identifier(`r${index}`)}`,
    ),
    sql`, `,
  );
  problems.push(
    ...(await queryRows<LedgerProblem>(
      tx,
      sql`select c.tenant_id as "tenantId", c.owner_id as "customerId", ${`${book.code}_balance_after_chain`} as problem,
            format('entry #%s: balance after %s, running sum %s', c.seq, ${list((index) => sql.raw(`c.a${index}`))}, ${list((index) => sql.raw(`c.r${index}`))}) as detail
          from (select ${at('e', entries.tenantId)} as tenant_id, ${at('e', entries.ownerId)} as owner_id, ${at('e', entries.seq)} as seq,
                  ${sql.join(
                    entries.afters.map((column, index) => sql`${at('e', column)} as ${sql.identifier(`a${index}`)}`),
                    sql`, `,
                  )}, ${running}
                from ${entries.table} e where true ${scope('e', entries.tenantId)}) c
          where ${sql.join(
            entries.afters.map((_, index) => sql.raw(`c.a${index} <> c.r${index}`)),
            sql` or `,
          )}`,
    )),
  );
  problems.push(
    ...(await queryRows<LedgerProblem>(
      tx,
      sql`select ${at('a', account.tenantId)} as "tenantId", ${at('a', account.ownerId)} as "customerId", ${`${book.code}_last_balance_after`} as problem,
            format('balance %s, last entry says %s', ${list(balance)}, ${list((index) => sql.raw(`last.a${index}`))}) as detail
          from ${account.table} a
          join lateral (select ${sql.join(
            entries.afters.map((column, index) => sql`${at('e', column)} as ${sql.identifier(`a${index}`)}`),
            sql`, `,
          )} from ${entries.table} e
                        where ${at('e', entries.tenantId)} = ${at('a', account.tenantId)} and ${at('e', entries.ownerId)} = ${at('a', account.ownerId)}
                        order by ${at('e', entries.seq)} desc limit 1) last on true
          where (${differs(balance, (index) => sql.raw(`last.a${index}`))}) ${scope('a', account.tenantId)}`,
    )),
  );
  return problems;
};
