/**
 * Cache-aside over Redis: `get` reads the cache and, on a miss, loads the source of truth and
 * stores what it found, as JSON with a jittered TTL; a "not found" is stored too, as a sentinel
 * that no JSON text can equal, for a shorter TTL.
 *
 * Keys carry a namespace version (`user:v7:42`), so `invalidateAll` is one INCR: the old keys
 * are never read again and expire on their own, with no KEYS, no SCAN and no DEL of a pattern.
 * Concurrent misses for a key share one load in this process (a map of loads in flight) and,
 * with `leaseMs`, across processes too (a lease taken with SET NX PX; the other processes wait
 * and look again). A load must never write back a value older than a `set` or `invalidate`
 * that happened while it ran: in this process the load is marked stale; across processes the
 * write-back is a compare-and-set on the lease, which `set` and `invalidate` delete.
 *
 * Complexity: O(1) Redis commands per call (get: 2 round trips on a hit, 3 or 4 on a miss,
 * plus 2 per wait while another process loads), and O(size of the value) to encode or decode.
 * Trade-off: reading the version costs a round trip per call and buys invalidation of a whole
 * namespace in O(1); a copy of the version kept in process for a second would save it, at the
 * price of reading old keys for that second after invalidateAll.
 */
import { randomUUID } from 'node:crypto';
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

// Writes back only while the lease is still ours: a set or an invalidate, in any process,
// deletes it. A script, because a GET then a SET would leave a gap for one to slip into.
const WRITE_IF_LEASED = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What a cached "not found" is stored as: not JSON, so no value can encode to it. */
const MISS = '<miss>';

interface Keys {
  readonly data: string;
  readonly lease: string;
}

interface Flight<T> {
  promise: Promise<T | undefined>;
  /** Set when a set or an invalidate of the key ran during the load: its result is old. */
  stale: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A cache-aside cache over `redis` for the values that `load` reads.
 * Keys: `<namespace>:version` (a counter, absent means 0), `<namespace>:v<version>:<id>` (the
 * value as JSON, or the miss sentinel) and `<namespace>:lease:v<version>:<id>` (the lease).
 * @throws {TypeError} unless `load` (and `save`, when given) is a function.
 * @throws {RangeError} for a bad namespace, TTL, jitter or lease, naming the option.
 */
export function createCache<T>({
  redis,
  namespace,
  load,
  save,
  ttlSeconds,
  jitterSeconds = 0,
  random = Math.random,
  negativeTtlSeconds = 0,
  leaseMs,
  wait = () => sleep(50),
}: CacheOptions<T>): Cache<T> {
  if (typeof namespace !== 'string' || namespace === '' || namespace.includes(':')) {
    throw new RangeError(`namespace must be a non-empty string without ':', got ${JSON.stringify(namespace)}`);
  }
  if (typeof load !== 'function') throw new TypeError(`load must be a function, got ${typeof load}`);
  if (save !== undefined && typeof save !== 'function') throw new TypeError(`save must be a function, got ${typeof save}`);
  requireInteger('ttlSeconds', ttlSeconds, 1);
  if (!Number.isFinite(jitterSeconds) || jitterSeconds < 0) throw new RangeError(`jitterSeconds must be a finite number >= 0, got ${jitterSeconds}`);
  requireInteger('negativeTtlSeconds', negativeTtlSeconds, 0);
  if (leaseMs !== undefined) requireInteger('leaseMs', leaseMs, 1);

  const versionKey = `${namespace}:version`;
  const flights = new Map<string, Flight<T>>();

  const keysOf = async (id: string): Promise<Keys> => {
    const version = (await redis.get(versionKey)) ?? '0';
    return { data: `${namespace}:v${version}:${id}`, lease: `${namespace}:lease:v${version}:${id}` };
  };
  const decode = (text: string): T | undefined => (text === MISS ? undefined : (JSON.parse(text) as T));
  // Whole milliseconds in [ttl, ttl + jitter).
  const ttlMs = () => ttlSeconds * 1000 + Math.floor(random() * jitterSeconds * 1000);
  // Later gets must not join a load that may have read an old value, nor let it write back.
  const forget = (key: string) => {
    const flight = flights.get(key);
    if (flight !== undefined) flight.stale = true;
    flights.delete(key);
  };

  /**
   * Takes the lease on a missing key: its token; or the value, if the holder of the lease cached
   * it since our GET; or undefined while another process holds the lease.
   */
  async function takeLease(keys: Keys, ms: number): Promise<{ token: string } | { cached: string } | undefined> {
    const token = randomUUID();
    // The GET rides in the same transaction as the SET NX: if the holder cached the value and
    // freed the lease since our first GET, we read it instead of loading it again.
    const replies = await redis.multi().set(keys.lease, token, 'PX', ms, 'NX').get(keys.data).exec();
    const leased = replies?.[0]?.[1] === 'OK';
    const cached = replies?.[1]?.[1];
    if (typeof cached === 'string') {
      if (leased) await redis.eval(RELEASE, 1, keys.lease, token);
      return { cached };
    }
    return leased ? { token } : undefined;
  }

  /** The cached text of a key; or else the go-ahead to load it, with the lease's token when there are leases. */
  async function readOrLease(keys: Keys): Promise<{ cached: string } | { token: string | undefined }> {
    for (;;) {
      const cached = await redis.get(keys.data);
      if (cached !== null) return { cached };
      if (leaseMs === undefined) return { token: undefined };
      const lease = await takeLease(keys, leaseMs);
      if (lease !== undefined) return lease;
      await wait(); // another process is loading it: look again soon
    }
  }

  async function fetch(id: string, keys: Keys, flight: Flight<T>): Promise<T | undefined> {
    const read = await readOrLease(keys);
    if ('cached' in read) return decode(read.cached);
    const { token } = read;
    let value: T | undefined;
    try {
      value = await load(id);
    } catch (err: unknown) {
      // Free the key for the next caller. If Redis fails here too, the lease expires on its own,
      // and the load's error is the one worth reporting.
      if (token !== undefined) await redis.eval(RELEASE, 1, keys.lease, token).catch(() => undefined);
      throw err;
    }
    // A stale flight's lease is gone already: the set or invalidate that made it stale deleted it.
    if (flight.stale) return value;
    const payload = value !== undefined ? encode(value) : negativeTtlSeconds > 0 ? MISS : undefined;
    const px = value !== undefined ? ttlMs() : negativeTtlSeconds * 1000;
    if (payload === undefined) {
      if (token !== undefined) await redis.eval(RELEASE, 1, keys.lease, token);
    } else if (token === undefined) {
      await redis.set(keys.data, payload, 'PX', px);
    } else {
      await redis.eval(WRITE_IF_LEASED, 2, keys.data, keys.lease, token, payload, px);
    }
    return value;
  }

  return {
    async get(id) {
      const keys = await keysOf(id);
      const current = flights.get(keys.data);
      if (current !== undefined) return current.promise;
      const flight = { stale: false } as Flight<T>;
      flight.promise = fetch(id, keys, flight).finally(() => {
        // A set or an invalidate may have dropped this flight, and a later get put a new one in its place.
        if (flights.get(keys.data) === flight) flights.delete(keys.data);
      });
      flights.set(keys.data, flight);
      return flight.promise;
    },

    async set(id, value) {
      if (save === undefined) throw new TypeError('set needs the save option: write-through writes the source first');
      const json = encode(value);
      await save(id, value);
      const keys = await keysOf(id);
      forget(keys.data);
      await redis.multi().set(keys.data, json, 'PX', ttlMs()).del(keys.lease).exec();
    },

    async invalidate(id) {
      const keys = await keysOf(id);
      forget(keys.data);
      await redis.del(keys.data, keys.lease);
    },

    async invalidateAll() {
      await redis.incr(versionKey);
    },
  };
}

function encode(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`value has no JSON form, got ${typeof value}`);
  return json;
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}
