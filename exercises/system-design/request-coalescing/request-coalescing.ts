/**
 * Request coalescing against cache stampedes: a single flight per key, the XFetch rule for
 * probabilistic early refresh, and a TTL cache that uses both.
 *
 * Read README.md for the idea, `npm run kata -- hint request-coalescing` when you are stuck.
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
  throw new Error('TODO: implement singleFlight');
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
export function shouldRefreshEarly(_input: EarlyRefreshInput): boolean {
  throw new Error('TODO: implement shouldRefreshEarly');
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

/**
 * A TTL cache whose misses and refreshes are coalesced per key, and refreshed early with the
 * XFetch rule. Keys compare like `Map` keys; entries are never evicted.
 * @throws {TypeError} unless `load` is a function.
 * @throws {RangeError} unless `ttlMs` is positive and finite and `beta` is 0 or more and finite.
 */
export function createCoalescingCache<K, V>(_options: CoalescingCacheOptions<K, V>): CoalescingCache<K, V> {
  throw new Error('TODO: implement createCoalescingCache');
}
