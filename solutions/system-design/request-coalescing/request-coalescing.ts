/**
 * Request coalescing against cache stampedes, in three parts:
 *
 * - single flight: concurrent calls for one key share one in-flight load, its value or its
 *   error. Once the load settles the key is free again, and the next call loads anew: it
 *   deduplicates work in progress, it is not a cache;
 * - probabilistic early refresh (XFetch, Vattani, Chierichetti and Lowenstein, VLDB 2015): a
 *   reader of a fresh entry recomputes it early with a probability that grows as the expiry
 *   nears and with how long the last recomputation took, so that one reader refreshes the
 *   entry shortly before it expires instead of every reader missing at once when it does;
 * - a TTL cache that combines them: every miss and every refresh goes through one single
 *   flight per key.
 *
 * Complexity: every call is O(1) time. The single flight holds one promise per key in flight;
 * the cache holds one entry per key ever loaded (no eviction here: pair it with an LRU).
 * Trade-off: single flight coalesces within one process only (N servers still load N times);
 * early refresh spends a few extra recomputations before the expiry to avoid the stampede at it.
 */

/** A source of time in milliseconds. */
export interface Clock {
  now(): number;
}

export interface SingleFlight<K, V> {
  /**
   * Calls `load` unless a load for `key` is already in flight, in which case it returns that
   * load's promise: every caller gets the same value, or the same error. Nothing is kept after
   * the load settles. A `load` that throws instead of returning a promise counts as a rejection.
   */
  do(key: K, load: () => Promise<V>): Promise<V>;
  /** Whether a load for `key` is in flight. */
  inFlight(key: K): boolean;
}

/** A group of single flights, one per key. Keys compare like `Map` keys. */
export function singleFlight<K, V>(): SingleFlight<K, V> {
  const calls = new Map<K, Promise<V>>();
  return {
    do(key, load) {
      const current = calls.get(key);
      if (current !== undefined) return current;
      // Freed on success and on failure alike: a failure must not stick to the key.
      const call = start(load).finally(() => calls.delete(key));
      calls.set(key, call);
      return call;
    },
    inFlight: (key) => calls.has(key),
  };
}

// A load that throws instead of returning a promise becomes a rejected promise, shared and freed
// like any other failure. Its cleanup then runs after the key is registered, never before.
function start<V>(load: () => Promise<V>): Promise<V> {
  try {
    return Promise.resolve(load());
  } catch (error: unknown) {
    return Promise.reject(error);
  }
}

export interface EarlyRefreshInput {
  /** The current time, in ms. */
  readonly now: number;
  /** When the cached value expires, in ms. */
  readonly expiresAt: number;
  /** How long the last recomputation of the value took, in ms (its delta): 0 or more. */
  readonly deltaMs: number;
  /** Above 1 refreshes earlier, below 1 later, 0 never early. Default 1. */
  readonly beta?: number;
  /** Uniform in [0, 1), such as `Math.random`. */
  readonly random: () => number;
}

/**
 * The XFetch rule: true when `now - deltaMs * beta * ln(random()) >= expiresAt`. Since
 * `-ln(random())` is 0 or more, this is always true once the value has expired, and before that
 * true with probability `exp(-(expiresAt - now) / (deltaMs * beta))`.
 * @throws {RangeError} when `now` or `expiresAt` is not finite, `deltaMs` or `beta` is negative
 * or not finite, or `random()` returns a number outside [0, 1).
 */
export function shouldRefreshEarly({ now, expiresAt, deltaMs, beta = 1, random }: EarlyRefreshInput): boolean {
  requireFinite('now', now);
  requireFinite('expiresAt', expiresAt);
  requireNonNegative('deltaMs', deltaMs);
  requireNonNegative('beta', beta);
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${r}`);
  const scale = deltaMs * beta;
  // -ln(r) is exponentially distributed with mean 1: the head start is usually near
  // deltaMs * beta, sometimes several times that. (r = 0 gives an infinite head start, and
  // 0 * Infinity would be NaN, hence the guard.)
  const headStart = scale === 0 ? 0 : -scale * Math.log(r);
  return now + headStart >= expiresAt;
}

export interface CoalescingCacheOptions<K, V> {
  /** Computes the value of a key: the slow call that the cache protects. */
  readonly load: (key: K) => Promise<V>;
  /** How long a loaded value stays fresh, in ms, counted from the end of its load: positive. */
  readonly ttlMs: number;
  readonly clock: Clock;
  /** Uniform in [0, 1), for the early refresh. */
  readonly random: () => number;
  /** The early refresh's beta: 0 or more, default 1. */
  readonly beta?: number;
}

export interface CoalescingCache<K, V> {
  /**
   * The value of `key`. A fresh entry is returned as is unless `shouldRefreshEarly` picks this
   * call to refresh it; a missing or expired entry, or a picked call, loads the key, joining
   * the load already in flight for it if there is one. A failed load rejects every caller that
   * waited on it and leaves the entry as it was.
   */
  get(key: K): Promise<V>;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  deltaMs: number;
}

/**
 * A TTL cache whose misses and refreshes are coalesced per key, and refreshed early with the
 * XFetch rule. Keys compare like `Map` keys; entries are never evicted.
 * @throws {TypeError} unless `load` is a function.
 * @throws {RangeError} unless `ttlMs` is positive and finite and `beta` is 0 or more and finite.
 */
export function createCoalescingCache<K, V>({ load, ttlMs, clock, random, beta = 1 }: CoalescingCacheOptions<K, V>): CoalescingCache<K, V> {
  if (typeof load !== 'function') throw new TypeError(`load must be a function, got ${typeof load}`);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive finite number, got ${ttlMs}`);
  requireNonNegative('beta', beta);
  const entries = new Map<K, Entry<V>>();
  const flights = singleFlight<K, V>();

  const refresh = (key: K): Promise<V> =>
    flights.do(key, async () => {
      const startedAt = clock.now();
      const value = await load(key);
      const now = clock.now();
      entries.set(key, { value, expiresAt: now + ttlMs, deltaMs: Math.max(0, now - startedAt) });
      return value;
    });

  return {
    async get(key) {
      const entry = entries.get(key);
      const now = clock.now();
      const fresh =
        entry !== undefined &&
        now < entry.expiresAt &&
        !shouldRefreshEarly({ now, expiresAt: entry.expiresAt, deltaMs: entry.deltaMs, beta, random });
      return fresh ? entry.value : refresh(key);
    },
  };
}

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

function requireNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
}
