/**
 * Two rate limiters on Redis, shared by every server: a fixed window counted with one atomic
 * MULTI (or a Lua script) whose expiry is set once, and a sliding log on a sorted set, trimmed,
 * counted and added to in one Lua script. Time comes from the injected clock, never from Redis.
 *
 * Keys: a fixed window lives at `rl:{key}:{windowStart}`, a sliding log at `rl:{key}:log`.
 * Read README.md for the idea, `npm run kata -- hint redis-rate-limiter` when you are stuck.
 */
import type { Redis } from '#redis';

/** A source of time in milliseconds, shared by every server: a wall clock such as `Date`. */
export interface Clock {
  now(): number;
}

/** The outcome of one request. */
export interface Decision {
  /** Whether the request may go ahead. */
  allowed: boolean;
  /** How many more requests would be allowed right now, after this one. */
  remaining: number;
  /** 0 when allowed; otherwise the whole milliseconds until a request would be allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /**
   * Decides whether `key` may make a request now and, if so, counts it. Keys are independent.
   * @throws {RangeError} for an empty key.
   */
  consume(key: string): Promise<Decision>;
}

export interface RateLimitOptions {
  /** Requests allowed per window: a positive integer. */
  readonly limit: number;
  /** The window length in milliseconds: a positive integer. */
  readonly windowMs: number;
  /** Default `Date`. */
  readonly clock?: Clock;
}

/**
 * Fixed window: at most `limit` requests per key in each window [k * windowMs, (k + 1) * windowMs).
 * @throws {RangeError} for a bad option, naming it.
 */
export function fixedWindow(_redis: Redis, _options: RateLimitOptions): RateLimiter {
  throw new Error('TODO: implement fixedWindow');
}

/**
 * Sliding log: at most `limit` requests per key in any `windowMs`. A request at time t counts
 * while now - t < windowMs. A denied request is not logged, so it costs the client nothing.
 * @throws {RangeError} for a bad option, naming it.
 */
export function slidingLog(_redis: Redis, _options: RateLimitOptions): RateLimiter {
  throw new Error('TODO: implement slidingLog');
}
