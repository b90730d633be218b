/**
 * Two rate limiters whose state lives in Redis, so that every server behind a load balancer
 * shares one limit per key. Each decision is one atomic step on the server, and the time comes
 * from an injected clock passed in as data (never Redis's TIME), so that tests move a clock
 * instead of waiting.
 *
 * - Fixed window: one counter per key and window, `rl:{key}:{windowStart}`, with windows aligned
 *   to multiples of `windowMs`. One MULTI creates the counter with its expiry if it is new
 *   (SET NX PX) and increments it (INCR keeps the expiry): the expiry is set once, never slid.
 * - Sliding log: a sorted set `rl:{key}:log` of admitted requests scored by time. One Lua script
 *   trims what left the window, counts, and adds the request only if it fits.
 *
 * Complexity: fixed window O(1) per request and one small key per active key and window;
 * sliding log O(log n + trimmed) per request and up to `limit` members per key.
 * Trade-off: the fixed window is cheap but lets 2 × limit through around a window edge; the log
 * is exact at the price of memory per request.
 */
import { randomUUID } from 'node:crypto';
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
export function fixedWindow(redis: Redis, { limit, windowMs, clock = Date }: RateLimitOptions): RateLimiter {
  requirePositiveInteger('limit', limit);
  requirePositiveInteger('windowMs', windowMs);
  return {
    async consume(key) {
      requireKey(key);
      const now = clock.now();
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const windowKey = `rl:${key}:${windowStart}`;
      // The window is in the key's name, so the expiry only clears the key away: set once when
      // the key is created, it lasts at least to the window's end. Sliding it on every request
      // would keep a busy key alive for ever. A denied request is counted too; the count is
      // then above limit, which denies the same requests.
      const [, count] = replies(await redis.multi().set(windowKey, 0, 'PX', windowMs, 'NX').incr(windowKey).exec()) as [unknown, number];
      if (count > limit) return { allowed: false, remaining: 0, retryAfterMs: Math.ceil(windowStart + windowMs - now) };
      return { allowed: true, remaining: limit - count, retryAfterMs: 0 };
    },
  };
}

// KEYS[1] the log. ARGV: now, windowMs, limit, the time at or before which entries have left the
// window (now - windowMs), and a member unique to this request.
const SLIDING_LOG = `
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {count + 1}
end
local leaving = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {count, leaving[2]}`;

/**
 * Sliding log: at most `limit` requests per key in any `windowMs`. A request at time t counts
 * while now - t < windowMs. A denied request is not logged, so it costs the client nothing.
 * @throws {RangeError} for a bad option, naming it.
 */
export function slidingLog(redis: Redis, { limit, windowMs, clock = Date }: RateLimitOptions): RateLimiter {
  requirePositiveInteger('limit', limit);
  requirePositiveInteger('windowMs', windowMs);
  return {
    async consume(key) {
      requireKey(key);
      const now = clock.now();
      // Members of a sorted set are unique: two requests in the same millisecond, from any
      // server, need members of their own or they count once.
      const member = `${now}:${randomUUID()}`;
      const [count, leavingAt] = (await redis.eval(SLIDING_LOG, 1, `rl:${key}:log`, now, windowMs, limit, now - windowMs, member)) as [number, string?];
      if (leavingAt === undefined) return { allowed: true, remaining: limit - count, retryAfterMs: 0 };
      // A slot frees when the entry that brings the count below limit leaves the window.
      return { allowed: false, remaining: 0, retryAfterMs: Math.ceil(Number(leavingAt) + windowMs - now) };
    },
  };
}

/** The replies of EXEC, throwing the first command's error (EXEC reports them per command). */
function replies(results: [error: Error | null, reply: unknown][] | null): unknown[] {
  // EXEC answers null only when a WATCHed key changed, and nothing here WATCHes.
  if (results === null) throw new Error('the transaction was aborted');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

function requirePositiveInteger(name: string, value: number): void {
  // PX and PEXPIRE take whole milliseconds.
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function requireKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new RangeError(`key must be a non-empty string, got ${JSON.stringify(key)}`);
}
