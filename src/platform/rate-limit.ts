import { DomainError } from './errors.js';

export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', 'RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

type Window = { count: number; resetAt: number };

/**
 * Fixed-window counters in process memory, for anti-automation on login (and, later, SMS
 * codes). Several app instances each count on their own, which only makes a limit looser by
 * the number of instances; values that must hold exactly live in the database instead.
 */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Counts one attempt under `key`; throws RateLimitedError once `limit` is exceeded within `windowMs`. */
  hit(key: string, limit: number, windowMs: number, message = '操作过于频繁，请稍后再试'): void {
    const now = this.#now();
    const window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      this.#windows.set(key, { count: 1, resetAt: now + windowMs });
      this.#sweep(now);
      return;
    }
    window.count += 1;
    if (window.count > limit) throw new RateLimitedError(message, Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }

  #sweep(now: number): void {
    if (this.#windows.size < 10_000) return;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}
