/**
 * Six rate limiters behind one interface. Each keeps a little state per key and decides every
 * request from that state and the clock alone:
 *
 * - token bucket: tokens refill continuously up to `capacity`; a request spends `cost` of them;
 * - leaky bucket (as a meter): a level drains continuously; a request adds `cost` if it fits;
 * - fixed window: one counter per key and window of `windowMs`, aligned to multiples of it;
 * - sliding window log: the time of every admitted unit in the last `windowMs`;
 * - sliding window counter: this window's count plus the previous one's, weighted by how much
 *   of the previous window the sliding window still covers;
 * - GCRA: one timestamp per key, the theoretical arrival time, with redis-cell's semantics.
 *
 * Complexity: every consume is O(1) time and O(1) space per key, except the sliding log, which
 * keeps up to `limit` timestamps per key and may drop all of them in one call.
 * Trade-off: the buckets and GCRA allow a burst and then a steady rate; windows count requests,
 * the fixed one cheaply but with a double burst at its edges, the log exactly but with memory
 * per request, the counter in O(1) but as an estimate. Keys are never evicted here: a server
 * would sweep idle keys, or keep the state in Redis with a TTL.
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
export function tokenBucket({ capacity, refillPerSecond, clock }: TokenBucketOptions): RateLimiter {
  requireInteger('capacity', capacity, 1);
  requirePositive('refillPerSecond', refillPerSecond);
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  return {
    consume(key, cost = 1) {
      requirePositive('cost', cost);
      const now = clock.now();
      const bucket = buckets.get(key) ?? { tokens: capacity, updatedAt: now };
      buckets.set(key, bucket);
      // Keep the fraction: rounding the refill down while moving updatedAt to now would drop
      // it at every call, and a client polling often enough would never get a token again.
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * refillPerSecond) / 1000);
      bucket.updatedAt = now;
      if (cost > capacity) return deny(bucket.tokens, Infinity);
      if (bucket.tokens < cost) return deny(bucket.tokens, ((cost - bucket.tokens) * 1000) / refillPerSecond);
      bucket.tokens -= cost;
      return allow(bucket.tokens);
    },
  };
}

/**
 * Leaky bucket as a meter: a request pours `cost` in if it fits under `capacity`. A new key
 * starts empty. (The queue variant, which delays requests instead of denying them, is nginx's.)
 * @throws {RangeError} for a bad option, naming it.
 */
export function leakyBucket({ capacity, leakPerSecond, clock }: LeakyBucketOptions): RateLimiter {
  requireInteger('capacity', capacity, 1);
  requirePositive('leakPerSecond', leakPerSecond);
  const buckets = new Map<string, { level: number; updatedAt: number }>();
  return {
    consume(key, cost = 1) {
      requirePositive('cost', cost);
      const now = clock.now();
      const bucket = buckets.get(key) ?? { level: 0, updatedAt: now };
      buckets.set(key, bucket);
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.level = Math.max(0, bucket.level - (elapsed * leakPerSecond) / 1000);
      bucket.updatedAt = now;
      if (cost > capacity) return deny(capacity - bucket.level, Infinity);
      const overflow = bucket.level + cost - capacity;
      if (overflow > 0) return deny(capacity - bucket.level, (overflow * 1000) / leakPerSecond);
      bucket.level += cost;
      return allow(capacity - bucket.level);
    },
  };
}

/**
 * Fixed window: windows start at multiples of `windowMs`, so a burst of `limit` at the end of
 * one window and another at the start of the next both pass.
 * @throws {RangeError} for a bad option, naming it.
 */
export function fixedWindow({ limit, windowMs, clock }: FixedWindowOptions): RateLimiter {
  requireInteger('limit', limit, 1);
  requirePositive('windowMs', windowMs);
  const windows = new Map<string, { start: number; count: number }>();
  return {
    consume(key, cost = 1) {
      requireInteger('cost', cost, 1);
      const now = clock.now();
      let window = windows.get(key);
      if (window === undefined || now >= window.start + windowMs) {
        window = { start: Math.floor(now / windowMs) * windowMs, count: 0 };
        windows.set(key, window);
      }
      if (cost > limit) return deny(limit - window.count, Infinity);
      if (window.count + cost > limit) return deny(limit - window.count, window.start + windowMs - now);
      window.count += cost;
      return allow(limit - window.count);
    },
  };
}

/**
 * Sliding window log: an entry stamped `t` counts at time `now` while `now - t < windowMs`.
 * Exact, at the price of one timestamp per admitted unit.
 * @throws {RangeError} for a bad option, naming it.
 */
export function slidingWindowLog({ limit, windowMs, clock }: SlidingWindowLogOptions): RateLimiter {
  requireInteger('limit', limit, 1);
  requirePositive('windowMs', windowMs);
  const logs = new Map<string, number[]>();
  return {
    consume(key, cost = 1) {
      requireInteger('cost', cost, 1);
      const now = clock.now();
      const log = logs.get(key) ?? [];
      logs.set(key, log);
      // The log is in time order, so the expired entries are a prefix.
      let expired = 0;
      while (expired < log.length && now - log[expired]! >= windowMs) expired++;
      log.splice(0, expired);
      if (cost > limit) return deny(limit - log.length, Infinity);
      const excess = log.length + cost - limit;
      // The oldest `excess` entries must leave the window first; the last of them leaves last.
      if (excess > 0) return deny(limit - log.length, log[excess - 1]! + windowMs - now);
      for (let i = 0; i < cost; i++) log.push(now);
      return allow(limit - log.length);
    },
  };
}

/**
 * Sliding window counter: estimates the count in the last `windowMs` as
 * `previous * (windowMs - elapsed) / windowMs + current`, assuming the previous window's
 * requests were spread evenly. O(1) memory per key, for an approximation.
 * @throws {RangeError} for a bad option, naming it.
 */
export function slidingWindowCounter({ limit, windowMs, clock }: SlidingWindowCounterOptions): RateLimiter {
  requireInteger('limit', limit, 1);
  requirePositive('windowMs', windowMs);
  const counters = new Map<string, { window: number; previous: number; current: number }>();
  // Quantities below are multiplied by windowMs (`used` is the estimate times windowMs), so
  // that integer times and counts give exact arithmetic: no 0.9999999999999999.
  const budget = limit * windowMs;
  // How long until previous * (windowMs - t) + (current + cost) * windowMs <= budget, where t
  // is the time into the window, with no other traffic meanwhile.
  const wait = (previous: number, current: number, elapsed: number, cost: number): number => {
    const spare = limit - current - cost;
    // Within this window, as the previous one's weight fades (previous > 0, or we would pass).
    if (spare >= 0) return windowMs - (spare * windowMs) / previous - elapsed;
    // In the next window, where this window's count becomes the previous one (current > 0).
    return windowMs - elapsed + Math.max(0, windowMs - ((limit - cost) * windowMs) / current);
  };
  return {
    consume(key, cost = 1) {
      requireInteger('cost', cost, 1);
      const now = clock.now();
      const window = Math.floor(now / windowMs);
      const counter = counters.get(key) ?? { window, previous: 0, current: 0 };
      counters.set(key, counter);
      if (counter.window !== window) {
        counter.previous = counter.window === window - 1 ? counter.current : 0;
        counter.current = 0;
        counter.window = window;
      }
      const elapsed = now - window * windowMs;
      const used = counter.previous * (windowMs - elapsed) + counter.current * windowMs;
      const remaining = (budget - used) / windowMs;
      if (cost > limit) return deny(remaining, Infinity);
      if (used + cost * windowMs > budget) return deny(remaining, wait(counter.previous, counter.current, elapsed, cost));
      counter.current += cost;
      return allow(remaining - cost);
    },
  };
}

/**
 * GCRA (generic cell rate algorithm), as redis-cell: one request per emission interval
 * T = periodMs / count on average, and up to burst + 1 at once. The state per key is the
 * theoretical arrival time (TAT): when the key would be idle again had every request been
 * spaced by T.
 * @throws {RangeError} for a bad option, naming it.
 */
export function gcra({ burst, count, periodMs, clock }: GcraOptions): RateLimiter {
  requireInteger('burst', burst, 0);
  requireInteger('count', count, 1);
  requirePositive('periodMs', periodMs);
  const emission = periodMs / count;
  const tolerance = emission * (burst + 1);
  const tats = new Map<string, number>();
  return {
    consume(key, cost = 1) {
      requirePositive('cost', cost);
      const now = clock.now();
      // A TAT in the past means an idle key, as if redis-cell's key had expired.
      const tat = Math.max(tats.get(key) ?? now, now);
      const increment = emission * cost;
      const newTat = tat + increment;
      const allowAt = newTat - tolerance;
      const remainingAt = (t: number): number => (tolerance - (t - now)) / emission;
      if (now < allowAt) return deny(remainingAt(tat), increment > tolerance ? Infinity : allowAt - now);
      tats.set(key, newTat);
      return allow(remainingAt(newTat));
    },
  };
}

function allow(remaining: number): Decision {
  return { allowed: true, remaining: Math.floor(remaining), retryAfterMs: 0 };
}

// Rounding the wait up makes it safe to sleep exactly retryAfterMs, and ready for Retry-After.
function deny(remaining: number, retryAfterMs: number): Decision {
  return { allowed: false, remaining: Math.floor(remaining), retryAfterMs: Math.ceil(retryAfterMs) };
}

function requireInteger(name: string, value: number, min: 0 | 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got ${value}`);
  }
}

function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}
