import { and, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { dayBegins } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { normalizeMobile } from '../../platform/phone.js';
import { customers } from '../customers/index.js';
import { orders } from '../orders/index.js';
import type { AudienceFilter, AudienceInput, StoredAudience } from './distribution-schemas.js';

const chunk = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, index) => list.slice(index * size, (index + 1) * size));

/** The customers matching a filter, as one SQL condition on `customers` (every criterion must hold). */
const filterCondition = (ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>, filter: AudienceFilter): SQL | undefined => {
  const conditions: SQL[] = [];
  if (filter.noOrderDays) {
    const since = addDays(ctx.today, -filter.noOrderDays + 1);
    conditions.push(
      sql`not exists (select 1 from ${orders} o where o.tenant_id = ${ctx.tenantId} and o.customer_id = ${customers.id}
            and o.status = 'placed' and o.business_date >= ${since}::date)`,
      // Someone who registered yesterday has not "gone N days without an order".
      sql`${customers.createdAt} < ${dayBegins(ctx, since).toISOString()}::timestamptz`,
    );
  }
  if (filter.activity && filter.activity.length > 0) conditions.push(inArray(customers.activity, filter.activity));
  if (filter.dealStatus) conditions.push(eq(customers.dealStatus, filter.dealStatus));
  if (filter.tags && filter.tags.length > 0) {
    conditions.push(
      sql`${customers.tags} && array[${sql.join(
        filter.tags.map((tag) => sql`${tag}`),
        sql`, `,
      )}]::text[]`,
    );
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
};

/**
 * 发券对象: the customer ids an audience names today, in a stable order. The one place audiences
 * are resolved, so a later kind (a saved segment) joins here.
 */
export const resolveAudience = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  audience: StoredAudience,
): Promise<string[]> => {
  switch (audience.kind) {
    case 'customers': {
      const found: string[] = [];
      for (const ids of chunk(audience.customerIds, 5000)) {
        const rows = await tx
          .select({ id: customers.id })
          .from(customers)
          .where(and(eq(customers.tenantId, ctx.tenantId), inArray(customers.id, ids)));
        found.push(...rows.map((row) => row.id));
      }
      const known = new Set(found);
      return audience.customerIds.filter((id) => known.has(id));
    }
    case 'filter': {
      const rows = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.tenantId, ctx.tenantId), filterCondition(ctx, audience.filter)))
        .orderBy(customers.createdAt, customers.id);
      return rows.map((row) => row.id);
    }
  }
};

/**
 * An audience as one SQL condition on `customers` (this clinic's rows only), for callers that rank
 * or join its customers in one statement (a call campaign orders them by value).
 */
export const audienceCondition = (ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>, audience: StoredAudience): SQL => {
  const own = eq(customers.tenantId, ctx.tenantId);
  switch (audience.kind) {
    case 'customers':
      return and(own, sql`${customers.id} = any(${`{${audience.customerIds.join(',')}}`}::uuid[])`) as SQL;
    case 'filter':
      return and(own, filterCondition(ctx, audience.filter)) as SQL;
  }
};

/** Where the next chunk of an audience starts: a position in a stored list, or the last id of a filter's chunk. */
export type AudienceCursor = number | string | null;

/**
 * One chunk of an audience for a batch job: a stored list in its order by position (ids no longer
 * this clinic's are reported by the batch as not found), a filter by customer id ranges, so each
 * chunk is a fresh index range scan and a job resumed after a crash continues where it stopped.
 */
export const audienceChunk = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  audience: StoredAudience,
  cursor: AudienceCursor,
  size: number,
): Promise<{ customerIds: string[]; next: AudienceCursor }> => {
  switch (audience.kind) {
    case 'customers': {
      const offset = typeof cursor === 'number' ? cursor : 0;
      const customerIds = audience.customerIds.slice(offset, offset + size);
      return { customerIds, next: offset + size < audience.customerIds.length ? offset + size : null };
    }
    case 'filter': {
      const rows = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(eq(customers.tenantId, ctx.tenantId), typeof cursor === 'string' ? gt(customers.id, cursor) : undefined, filterCondition(ctx, audience.filter)),
        )
        .orderBy(customers.id)
        .limit(size);
      const customerIds = rows.map((row) => row.id);
      return { customerIds, next: customerIds.length === size ? (customerIds.at(-1) ?? null) : null };
    }
  }
};

/** How many customers an audience names now (a job's total before it starts). */
export const audienceSize = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>, audience: StoredAudience): Promise<number> => {
  if (audience.kind === 'customers') return audience.customerIds.length;
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(customers)
    .where(and(eq(customers.tenantId, ctx.tenantId), filterCondition(ctx, audience.filter)));
  return Number(row?.count ?? 0);
};

export type AudienceReport = { customerCount: number; unknownPhones: string[]; invalidPhones: string[] };

/**
 * Turns what staff entered into what is stored: chosen customers must be this clinic's (another
 * clinic's id is simply not found), pasted phones become customer ids with the unknown ones
 * reported back, a filter stays a filter (resolved at each run).
 */
export const prepareAudience = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  input: AudienceInput,
): Promise<{ stored: StoredAudience; report: AudienceReport }> => {
  switch (input.kind) {
    case 'customers': {
      const unique = [...new Set(input.customerIds)];
      const found = new Set(await resolveAudience(tx, ctx, { kind: 'customers', customerIds: unique }));
      const problems = input.customerIds.flatMap((id, index) => (found.has(id) ? [] : [{ path: `body.audience.customerIds.${index}`, message: '客户不存在' }]));
      if (problems.length > 0) throw new DomainError('invalid', 'AUDIENCE_CUSTOMER_NOT_FOUND', `有 ${problems.length} 位客户不存在`, problems.slice(0, 50));
      return { stored: { kind: 'customers', customerIds: unique }, report: { customerCount: unique.length, unknownPhones: [], invalidPhones: [] } };
    }
    case 'phones': {
      const invalidPhones: string[] = [];
      const phones: string[] = [];
      for (const line of input.phones) {
        if (!line.trim()) continue;
        const phone = normalizeMobile(line);
        if (phone) phones.push(phone);
        else invalidPhones.push(line.trim());
      }
      const unique = [...new Set(phones)];
      const byPhone = new Map<string, string>();
      for (const part of chunk(unique, 5000)) {
        const rows = await tx
          .select({ id: customers.id, phone: customers.phone })
          .from(customers)
          .where(and(eq(customers.tenantId, ctx.tenantId), inArray(customers.phone, part)));
        for (const row of rows) byPhone.set(row.phone, row.id);
      }
      const customerIds = [...new Set(unique.flatMap((phone) => byPhone.get(phone) ?? []))];
      const unknownPhones = unique.filter((phone) => !byPhone.has(phone));
      return {
        stored: { kind: 'customers', customerIds, fromPhones: { matched: customerIds.length, unknown: unknownPhones.length + invalidPhones.length } },
        report: { customerCount: customerIds.length, unknownPhones, invalidPhones },
      };
    }
    case 'filter': {
      const stored: StoredAudience = { kind: 'filter', filter: input.filter };
      return { stored, report: { customerCount: (await resolveAudience(tx, ctx, stored)).length, unknownPhones: [], invalidPhones: [] } };
    }
  }
};
