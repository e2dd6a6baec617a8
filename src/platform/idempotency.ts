import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../db/client.js';
import { DomainError } from './errors.js';
import { idempotencyKeys } from './tables.js';

export type IdempotentResult<T> = { status: number; body: T; isReplay: boolean };

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/** The hash that tells "the same request again" from "another request with a reused key". */
export const requestHash = (parts: { operation: string; params?: unknown; body?: unknown }): string =>
  createHash('sha256').update(canonical(parts)).digest('hex');

export const isValidIdempotencyKey = (key: string): boolean => /^[\x21-\x7e]{8,200}$/.test(key);

/**
 * Runs `effect` at most once per (tenant, key). The key is claimed in the effect's own
 * transaction: on PostgreSQL a concurrent request with the same key waits on the unique
 * index until the first commits, then replays its response; if the first rolls back
 * (a validation failure, say) nothing was stored and the second runs afresh.
 */
export const runIdempotent = async <T>(
  db: Db,
  options: { tenantId: string; key: string; requestHash: string },
  effect: (tx: Tx) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> =>
  db.transaction(async (tx) => {
    const claimed = await queryRows<{ key: string }>(
      tx,
      sql`insert into ${idempotencyKeys} (tenant_id, key, request_hash) values (${options.tenantId}, ${options.key}, ${options.requestHash})
          on conflict do nothing returning key`,
    );
    if (claimed.length === 0) {
      const [existing] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, options.tenantId), eq(idempotencyKeys.key, options.key)));
      if (!existing || existing.requestHash !== options.requestHash) {
        throw new DomainError('conflict', 'IDEMPOTENCY_KEY_REUSED', '幂等键已用于另一个不同的请求，请换一个新的 Idempotency-Key');
      }
      if (existing.responseStatus === null) {
        throw new DomainError('conflict', 'IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理中，请稍后重试');
      }
      return { status: existing.responseStatus, body: existing.responseBody as T, isReplay: true };
    }
    const result = await effect(tx);
    // Store what the client will receive (JSON round trip: dates become strings as on the wire).
    const stored = JSON.parse(JSON.stringify(result.body ?? null)) as T;
    await tx.execute(
      sql`update ${idempotencyKeys} set response_status = ${result.status}, response_body = ${JSON.stringify(stored)}::jsonb
          where tenant_id = ${options.tenantId} and key = ${options.key}`,
    );
    return { status: result.status, body: stored, isReplay: false };
  });
