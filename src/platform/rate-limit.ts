import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { DomainError } from './errors.js';

export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', 'RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Keys name phones and addresses: only their hash is stored. */
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Fixed-window counters for anti-automation (logins, SMS codes, claims, posters), kept in the
 * database (`rate_limit_windows`): a restart does not reset them and every app instance counts
 * the same attempts. Each hit is one autocommitted upsert on the limiter's own connection, never
 * inside the request's transaction, so an attempt that fails later still counts.
 */
export class RateLimiter {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Counts one attempt under `key`; throws RateLimitedError once `limit` is exceeded within `windowMs`. */
  async hit(key: string, limit: number, windowMs: number, message = '操作过于频繁，请稍后再试'): Promise<void> {
    const now = new Date(this.#now());
    const resetAt = new Date(now.getTime() + windowMs);
    const [window] = await queryRows<{ count: number; reset_at: string | Date }>(
      this.#db,
      sql`insert into rate_limit_windows (key_hash, count, reset_at) values (${hashOf(key)}, 1, ${resetAt.toISOString()}::timestamptz)
          on conflict (key_hash) do update set
            count = case when rate_limit_windows.reset_at <= ${now.toISOString()}::timestamptz then 1 else rate_limit_windows.count + 1 end,
            reset_at = case when rate_limit_windows.reset_at <= ${now.toISOString()}::timestamptz then excluded.reset_at else rate_limit_windows.reset_at end
          returning count, reset_at`,
    );
    if (window && Number(window.count) > limit) {
      throw new RateLimitedError(message, Math.max(1, Math.ceil((new Date(window.reset_at).getTime() - now.getTime()) / 1000)));
    }
  }

  async reset(key: string): Promise<void> {
    await this.#db.execute(sql`delete from rate_limit_windows where key_hash = ${hashOf(key)}`);
  }

  /** Drops windows that ended: the hourly sweep calls it so the table stays small. */
  async sweep(): Promise<number> {
    const rows = await queryRows<{ key_hash: string }>(
      this.#db,
      sql`delete from rate_limit_windows where reset_at <= ${new Date(this.#now()).toISOString()}::timestamptz returning key_hash`,
    );
    return rows.length;
  }
}
