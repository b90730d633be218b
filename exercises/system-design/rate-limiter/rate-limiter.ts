/**
 * Six rate limiters behind one interface: token bucket, leaky bucket (as a meter), fixed window,
 * sliding window log, sliding window counter and GCRA. Each factory returns a `RateLimiter`
 * that keeps its own state per key and reads the time from the injected clock.
 *
 * Read README.md for the idea, `npm run kata -- hint rate-limiter` when you are stuck.
 */

/** A source of time in milliseconds. It should not go backwards: prefer a monotonic clock. */
export interface Clock {
  now(): number;
}

/** The outcome of one request. */
export interface Decision {
  /** Whether the request may go ahead. */
  allowed: boolean;
  /** How many requests of cost 1 would still be allowed right after this decision. */
  remaining: number;
  /**
   * 0 when allowed; otherwise the whole milliseconds to wait until the same request (same
   * cost) would be allowed, or `Infinity` when it never can (a cost above the capacity).
   */
  retryAfterMs: number;
}

export interface RateLimiter {
  /**
   * Decides whether `key` may spend `cost` now and, if so, records it. Keys are independent;
   * a denied request is not recorded.
   * @throws {RangeError} unless `cost` is positive and finite (a positive integer for the
   * fixed window, the sliding log and the sliding counter, which count requests).
   */
  consume(key: string, cost?: number): Decision;
}

export interface TokenBucketOptions {
  /** The most tokens a bucket holds, and so the largest burst: a positive integer. */
  readonly capacity: number;
  /** Tokens added per second, continuously: a positive number. */
  readonly refillPerSecond: number;
  readonly clock: Clock;
}

export interface LeakyBucketOptions {
  /** The most a bucket holds: a positive integer. */
  readonly capacity: number;
  /** How much drains per second, continuously: a positive number. */
  readonly leakPerSecond: number;
  readonly clock: Clock;
}

export interface FixedWindowOptions {
  /** Requests allowed per window: a positive integer. */
  readonly limit: number;
  /** The window length in milliseconds: a positive number. */
  readonly windowMs: number;
  readonly clock: Clock;
}

export interface SlidingWindowLogOptions {
  /** Requests allowed in any window of `windowMs`: a positive integer. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
}

export interface SlidingWindowCounterOptions {
  /** Requests allowed in the estimated sliding window: a positive integer. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
}

export interface GcraOptions {
  /** Requests allowed at once beyond the first: a non-negative integer (the limit is burst + 1). */
  readonly burst: number;
  /** Requests allowed per period, on average: a positive integer. */
  readonly count: number;
  /** The period in milliseconds: a positive number. */
  readonly periodMs: number;
  readonly clock: Clock;
}

/**
 * Token bucket. A new key starts full.
 * @throws {RangeError} for a bad option, naming it.
 */
export function tokenBucket(_options: TokenBucketOptions): RateLimiter {
  throw new Error('TODO: implement tokenBucket');
}

/**
 * Leaky bucket as a meter: a request pours `cost` in if it fits under `capacity`. A new key
 * starts empty. (The queue variant, which delays requests instead of denying them, is nginx's.)
 * @throws {RangeError} for a bad option, naming it.
 */
export function leakyBucket(_options: LeakyBucketOptions): RateLimiter {
  throw new Error('TODO: implement leakyBucket');
}

/**
 * Fixed window: windows start at multiples of `windowMs`, so a burst of `limit` at the end of
 * one window and another at the start of the next both pass.
 * @throws {RangeError} for a bad option, naming it.
 */
export function fixedWindow(_options: FixedWindowOptions): RateLimiter {
  throw new Error('TODO: implement fixedWindow');
}

/**
 * Sliding window log: an entry stamped `t` counts at time `now` while `now - t < windowMs`.
 * Exact, at the price of one timestamp per admitted unit.
 * @throws {RangeError} for a bad option, naming it.
 */
export function slidingWindowLog(_options: SlidingWindowLogOptions): RateLimiter {
  throw new Error('TODO: implement slidingWindowLog');
}

/**
 * Sliding window counter: estimates the count in the last `windowMs` as
 * `previous * (windowMs - elapsed) / windowMs + current`, assuming the previous window's
 * requests were spread evenly. O(1) memory per key, for an approximation.
 * @throws {RangeError} for a bad option, naming it.
 */
export function slidingWindowCounter(_options: SlidingWindowCounterOptions): RateLimiter {
  throw new Error('TODO: implement slidingWindowCounter');
}

/**
 * GCRA (generic cell rate algorithm), as redis-cell: one request per emission interval
 * T = periodMs / count on average, and up to burst + 1 at once. The state per key is the
 * theoretical arrival time (TAT): when the key would be idle again had every request been
 * spaced by T.
 * @throws {RangeError} for a bad option, naming it.
 */
export function gcra(_options: GcraOptions): RateLimiter {
  throw new Error('TODO: implement gcra');
}
