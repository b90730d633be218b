/**
 * Cache-aside over Redis: get-or-load with a jittered TTL, negative caching, one load per key
 * however many callers miss at once, and invalidation of a whole namespace without KEYS.
 *
 * Read README.md for the idea, `npm run kata -- hint cache-aside` when you are stuck.
 */
import type { Redis } from '#redis';

export interface CacheOptions<T> {
  /** The client. The cache touches only keys that start with `namespace:`. */
  readonly redis: Redis;
  /** The first segment of every key (`user` gives `user:v7:42`): non-empty, without `:`. */
  readonly namespace: string;
  /** Reads the source of truth; `undefined` means that `id` does not exist. */
  readonly load: (id: string) => Promise<T | undefined>;
  /** Writes the source of truth; only `set` needs it. */
  readonly save?: (id: string, value: T) => Promise<void>;
  /** How long a value stays cached, in seconds: a positive integer. */
  readonly ttlSeconds: number;
  /**
   * Up to this many seconds are added to each value's TTL at random, so that keys cached
   * together do not expire together: 0 or more, default 0.
   */
  readonly jitterSeconds?: number;
  /** Uniform in [0, 1), for the jitter; default `Math.random`. */
  readonly random?: () => number;
  /** How long a "not found" stays cached, in seconds: a non-negative integer; 0 (the default) caches no misses. */
  readonly negativeTtlSeconds?: number;
  /**
   * Coalesce misses across processes too: a miss takes a lease on the key for this many ms (a
   * positive integer), and other processes wait for its load instead of loading. Without it,
   * misses are coalesced within this process only.
   */
  readonly leaseMs?: number;
  /** How a caller waits before looking again while another process holds the lease; default 50 ms. */
  readonly wait?: () => Promise<void>;
}

export interface Cache<T> {
  /**
   * The value of `id`: from the cache, or else loaded, cached and returned; `undefined` when the
   * source has no such id. Concurrent calls for one id share one load. A failed load rejects
   * every caller that shared it and caches nothing.
   */
  get(id: string): Promise<T | undefined>;
  /**
   * Write-through: saves `value` to the source, then caches it. A load of `id` already in flight
   * will not overwrite it. When `save` fails, the cache is left as it was.
   * @throws {TypeError} (as a rejection) without a `save` option, or when `value` has no JSON form.
   */
  set(id: string, value: T): Promise<void>;
  /** Drops the cached entry of `id`, value or miss; a load of `id` in flight will not cache its result. */
  invalidate(id: string): Promise<void>;
  /** Drops every entry of the namespace at once, by moving to the next version of its keys. */
  invalidateAll(): Promise<void>;
}

/**
 * A cache-aside cache over `redis` for the values that `load` reads.
 * Keys: `<namespace>:version` (a counter, absent means 0), `<namespace>:v<version>:<id>` (the
 * value as JSON, or the miss sentinel) and `<namespace>:lease:v<version>:<id>` (the lease).
 * @throws {TypeError} unless `load` (and `save`, when given) is a function.
 * @throws {RangeError} for a bad namespace, TTL, jitter or lease, naming the option.
 */
export function createCache<T>(_options: CacheOptions<T>): Cache<T> {
  throw new Error('TODO: implement createCache');
}
