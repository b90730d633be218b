import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Redis } from '#redis';
import { useRedis } from '#redis/testing';
import { deferred, flush, scriptedRandom, seededRandom } from '#testing';
import { createCache, type Cache, type CacheOptions } from './cache-aside.ts';

const redis = useRedis();

interface User {
  name: string;
  roles: string[];
}
const ada: User = { name: 'Ada', roles: ['admin'] };
const grace: User = { name: 'Grace', roles: [] };

/** Commands that a cache must never send: KEYS and SCAN walk the whole keyspace, FLUSH* wipes it. */
const FORBIDDEN = new Set(['keys', 'scan', 'scanstream', 'flushdb', 'flushall']);

/** The client as the cache sees it: every command it sends is recorded in `sent`, and the forbidden ones throw. */
function watched(client: Redis, sent: string[] = []): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      if (FORBIDDEN.has(property.toLowerCase())) {
        return () => {
          throw new Error(`the cache sent ${property.toUpperCase()}, which walks or wipes the whole keyspace`);
        };
      }
      return (...args: unknown[]) => {
        sent.push(property.toLowerCase());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** A source of truth: a Map, and a loader that counts its calls. */
function sourceOf<T>(entries: Iterable<readonly [string, T]> = []) {
  const data = new Map<string, T>(entries);
  const source = {
    data,
    loads: 0,
    saves: 0,
    load: async (id: string): Promise<T | undefined> => {
      source.loads++;
      return data.get(id);
    },
    save: async (id: string, value: T): Promise<void> => {
      source.saves++;
      data.set(id, value);
    },
  };
  return source;
}

/**
 * A loader whose loads the test finishes by hand: one at a time through `calls`, or all at once
 * with `resolveAll`, which also answers any later load at once (so that a cache that loads too
 * often fails its assertions instead of hanging).
 */
function heldLoader<T>() {
  let answer: ((id: string) => T | undefined) | undefined;
  const held = {
    calls: [] as { id: string; resolve(value: T | undefined): void; reject(error: unknown): void }[],
    load: (id: string): Promise<T | undefined> => {
      const call = deferred<T | undefined>();
      held.calls.push({ id, resolve: call.resolve, reject: call.reject });
      if (answer !== undefined) call.resolve(answer(id));
      return call.promise;
    },
    resolveAll(value: (id: string) => T | undefined): void {
      answer = value;
      for (const call of held.calls) call.resolve(value(call.id));
    },
  };
  return held;
}

/**
 * Lets the event loop run, Redis replies included, until `condition` holds. The deadline only
 * keeps a broken cache from spinning forever: the test then fails on its own assertions.
 */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition() && Date.now() < deadline) await flush();
}

/** A cache of users in namespace `user`, TTL 60 s, no jitter; waits are counted and take one turn of the event loop. */
function usersCache(options: Partial<CacheOptions<User>> & Pick<CacheOptions<User>, 'load'>, client: Redis = redis.client) {
  const waits = { count: 0 };
  const cache = createCache<User>({
    redis: watched(client),
    namespace: 'user',
    ttlSeconds: 60,
    wait: () => {
      waits.count++;
      return flush();
    },
    ...options,
  });
  return Object.assign(cache, { waits });
}

describe('createCache', () => {
  describe('get', () => {
    it('should load a missing value, then serve it from the cache', async () => {
      const source = sourceOf([['42', ada]]);
      const cache = usersCache({ load: source.load });
      expect(await cache.get('42')).toEqual(ada);
      expect(await cache.get('42')).toEqual(ada);
      expect(source.loads).toBe(1);
    });

    it('should store the value as JSON under <namespace>:v0:<id>', async () => {
      const source = sourceOf([['42', ada]]);
      await usersCache({ load: source.load }).get('42');
      expect(await redis.client.get('user:v0:42')).toBe(JSON.stringify(ada));
    });

    it('should read a value that another process cached', async () => {
      await redis.client.set('user:v0:7', JSON.stringify(grace));
      const source = sourceOf<User>();
      expect(await usersCache({ load: source.load }).get('7')).toEqual(grace);
      expect(source.loads).toBe(0);
    });

    it('should return undefined for an id that the source does not have', async () => {
      const source = sourceOf<User>();
      expect(await usersCache({ load: source.load }).get('404')).toBeUndefined();
      expect(source.loads).toBe(1);
    });

    it('should keep ids and namespaces apart', async () => {
      const users = sourceOf([['1', ada], ['2', grace]]);
      const trips = sourceOf([['1', { name: 'Lisbon', roles: [] }]]);
      const userCache = usersCache({ load: users.load });
      const tripCache = usersCache({ load: trips.load, namespace: 'trip' });
      expect(await userCache.get('1')).toEqual(ada);
      expect(await userCache.get('2')).toEqual(grace);
      expect(await tripCache.get('1')).toEqual({ name: 'Lisbon', roles: [] });
      expect(await redis.client.exists('user:v0:1', 'user:v0:2', 'trip:v0:1')).toBe(3);
    });

    it.each([
      { kind: 'a string that looks like a number', value: '42' },
      { kind: 'a number', value: 42 },
      { kind: 'false', value: false },
      { kind: 'an empty string', value: '' },
      { kind: 'a nested object', value: { trip: { stops: [{ city: 'Lisbon', day: 1 }], tags: [] } } },
    ])('should return $kind as it was loaded, from the cache too', async ({ value }) => {
      const source = sourceOf<unknown>([['x', value]]);
      const cache = createCache<unknown>({ redis: watched(redis.client), namespace: 'json', ttlSeconds: 60, load: source.load });
      expect(await cache.get('x')).toEqual(value);
      expect(await cache.get('x')).toEqual(value);
      expect(source.loads).toBe(1);
    });
  });

  describe('expiry', () => {
    it('should expire a value after ttlSeconds', async () => {
      await usersCache({ load: sourceOf([['42', ada]]).load }).get('42');
      const ttl = await redis.client.pttl('user:v0:42');
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });

    it('should add ttlSeconds + random() * jitterSeconds, so that keys cached together expire apart', async () => {
      const cache = usersCache({ load: sourceOf([['1', ada], ['2', grace]]).load, jitterSeconds: 10, random: scriptedRandom([0.5, 0.25]) });
      await cache.get('1');
      await cache.get('2');
      const first = await redis.client.pttl('user:v0:1');
      const second = await redis.client.pttl('user:v0:2');
      expect(first).toBeGreaterThan(64_000);
      expect(first).toBeLessThanOrEqual(65_000);
      expect(second).toBeGreaterThan(61_500);
      expect(second).toBeLessThanOrEqual(62_500);
    });
  });

  describe('negative caching', () => {
    it('should cache a miss for negativeTtlSeconds, without jitter', async () => {
      const source = sourceOf<User>();
      const cache = usersCache({ load: source.load, negativeTtlSeconds: 30, jitterSeconds: 10, random: () => 0.9 });
      expect(await cache.get('404')).toBeUndefined();
      expect(await cache.get('404')).toBeUndefined();
      expect(source.loads).toBe(1);
      const ttl = await redis.client.pttl('user:v0:404');
      expect(ttl).toBeGreaterThan(29_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
    });

    it('should not cache misses when negativeTtlSeconds is 0, the default', async () => {
      const source = sourceOf<User>();
      const cache = usersCache({ load: source.load });
      await cache.get('404');
      await cache.get('404');
      expect(source.loads).toBe(2);
      expect(await redis.client.exists('user:v0:404')).toBe(0);
    });

    it('should store a miss as a sentinel that no JSON value can equal: a cached null stays null', async () => {
      const source = sourceOf<string | null>([['empty', null]]);
      const cache = createCache<string | null>({ redis: watched(redis.client), namespace: 'note', ttlSeconds: 60, negativeTtlSeconds: 30, load: source.load });
      expect([await cache.get('empty'), await cache.get('empty')]).toEqual([null, null]);
      expect([await cache.get('gone'), await cache.get('gone')]).toEqual([undefined, undefined]);
      expect(source.loads).toBe(2);
      expect(await redis.client.get('note:v0:empty')).toBe('null');
      const sentinel = await redis.client.get('note:v0:gone');
      expect(sentinel).not.toBeNull();
      expect(() => JSON.parse(sentinel!)).toThrow(SyntaxError);
    });
  });

  describe('stampede protection in one process', () => {
    it('should share one load among concurrent gets of a key', async () => {
      const held = heldLoader<User>();
      const cache = usersCache({ load: held.load });
      const gets = Array.from({ length: 10 }, () => cache.get('42'));
      await until(() => held.calls.length > 0);
      held.resolveAll(() => ada);
      expect(await Promise.all(gets)).toEqual(Array(10).fill(ada));
      expect(held.calls).toHaveLength(1);
    });

    it('should load different keys in parallel', async () => {
      const held = heldLoader<User>();
      const cache = usersCache({ load: held.load });
      const gets = [cache.get('1'), cache.get('2'), cache.get('1')];
      await until(() => held.calls.length > 1);
      expect(held.calls.map((call) => call.id)).toEqual(['1', '2']);
      held.resolveAll((id) => (id === '1' ? ada : grace));
      expect(await Promise.all(gets)).toEqual([ada, grace, ada]);
    });

    it('should load again after a load has settled: a load in flight is not a cache', async () => {
      const source = sourceOf([['42', ada]]);
      const cache = usersCache({ load: source.load });
      await Promise.all([cache.get('42'), cache.get('42')]);
      await cache.invalidate('42');
      await Promise.all([cache.get('42'), cache.get('42')]);
      expect(source.loads).toBe(2);
    });
  });

  describe('when the load fails', () => {
    it('should reject every caller that shared the load with its error, and cache nothing', async () => {
      const held = heldLoader<User>();
      const cache = usersCache({ load: held.load, negativeTtlSeconds: 30 });
      const gets = [cache.get('42'), cache.get('42'), cache.get('42')];
      await until(() => held.calls.length > 0);
      const error = new Error('the database timed out');
      held.calls[0]!.reject(error);
      for (const get of gets) await expect(get).rejects.toBe(error);
      expect(await redis.client.exists('user:v0:42')).toBe(0);
    });

    it('should load again on the next get: an error is not a miss', async () => {
      const source = sourceOf([['42', ada]]);
      let failures = 1;
      const cache = usersCache({
        negativeTtlSeconds: 30,
        load: async (id) => {
          if (failures-- > 0) throw new Error('the database timed out');
          return source.load(id);
        },
      });
      await expect(cache.get('42')).rejects.toThrow('the database timed out');
      expect(await cache.get('42')).toEqual(ada);
    });
  });

  describe('invalidate', () => {
    it('should make the next get load again', async () => {
      const source = sourceOf([['42', ada]]);
      const cache = usersCache({ load: source.load });
      await cache.get('42');
      source.data.set('42', grace);
      expect(await cache.get('42')).toEqual(ada); // stale until invalidated: that is cache-aside
      await cache.invalidate('42');
      expect(await cache.get('42')).toEqual(grace);
      expect(source.loads).toBe(2);
    });

    it('should drop only that id', async () => {
      const source = sourceOf([['1', ada], ['2', grace]]);
      const cache = usersCache({ load: source.load });
      await cache.get('1');
      await cache.get('2');
      await cache.invalidate('1');
      expect(await redis.client.exists('user:v0:1', 'user:v0:2')).toBe(1);
    });

    it('should drop a cached miss', async () => {
      const source = sourceOf<User>();
      const cache = usersCache({ load: source.load, negativeTtlSeconds: 30 });
      await cache.get('42');
      source.data.set('42', ada);
      await cache.invalidate('42');
      expect(await cache.get('42')).toEqual(ada);
    });

    it('should not let a load that was in flight cache the value it read', async () => {
      const held = heldLoader<User>();
      const cache = usersCache({ load: held.load });
      const early = cache.get('42');
      await until(() => held.calls.length > 0);
      await cache.invalidate('42'); // the source changed to grace meanwhile
      held.calls[0]!.resolve(ada);
      expect(await early).toEqual(ada);
      const late = cache.get('42');
      await until(() => held.calls.length > 1);
      held.calls[1]!.resolve(grace);
      expect(await late).toEqual(grace);
    });
  });

  describe('invalidateAll', () => {
    it('should move the whole namespace to the next version of its keys', async () => {
      const source = sourceOf([['1', ada], ['2', grace]]);
      const cache = usersCache({ load: source.load });
      await cache.get('1');
      await cache.get('2');
      await cache.invalidateAll();
      expect(await redis.client.get('user:version')).toBe('1');
      expect(await cache.get('1')).toEqual(ada);
      expect(await cache.get('2')).toEqual(grace);
      expect(source.loads).toBe(4);
      expect(await redis.client.exists('user:v1:1', 'user:v1:2')).toBe(2);
    });

    it('should leave the old keys to expire on their own: no KEYS, no SCAN, no DEL', async () => {
      const sent: string[] = [];
      const source = sourceOf([['1', ada], ['2', grace]]);
      const cache = usersCache({ load: source.load, redis: watched(redis.client, sent) });
      await cache.get('1');
      await cache.get('2');
      sent.length = 0;
      await cache.invalidateAll();
      expect(sent.filter((command) => ['del', 'unlink', 'eval'].includes(command))).toEqual([]);
      expect(await redis.client.exists('user:v0:1', 'user:v0:2')).toBe(2);
      expect(await redis.client.pttl('user:v0:1')).toBeGreaterThan(59_000);
    });

    it('should not let a load that was in flight bring the old version back', async () => {
      const held = heldLoader<User>();
      const cache = usersCache({ load: held.load });
      const early = cache.get('42');
      await until(() => held.calls.length > 0);
      await cache.invalidateAll();
      held.calls[0]!.resolve(ada);
      await early;
      const late = cache.get('42');
      await until(() => held.calls.length > 1);
      held.calls[1]!.resolve(grace);
      expect(await late).toEqual(grace);
    });

    it('should leave other namespaces alone', async () => {
      const users = sourceOf([['1', ada]]);
      const admins = sourceOf([['1', ada]]);
      const userCache = usersCache({ load: users.load });
      const adminCache = usersCache({ load: admins.load, namespace: 'admin' });
      await userCache.get('1');
      await adminCache.get('1');
      await userCache.invalidateAll();
      await adminCache.get('1');
      expect(admins.loads).toBe(1);
    });
  });

  describe('set (write-through)', () => {
    it('should save to the source, then cache the value with the same TTL as a load', async () => {
      const source = sourceOf<User>();
      const cache = usersCache({ load: source.load, save: source.save, jitterSeconds: 10, random: () => 0.5 });
      await cache.set('42', ada);
      expect(source.data.get('42')).toEqual(ada);
      expect(await cache.get('42')).toEqual(ada);
      expect(source.loads).toBe(0);
      const ttl = await redis.client.pttl('user:v0:42');
      expect(ttl).toBeGreaterThan(64_000);
      expect(ttl).toBeLessThanOrEqual(65_000);
    });

    it('should replace a cached value and a cached miss', async () => {
      const source = sourceOf([['1', ada]]);
      const cache = usersCache({ load: source.load, save: source.save, negativeTtlSeconds: 30 });
      await cache.get('1');
      await cache.get('2');
      await cache.set('1', grace);
      await cache.set('2', ada);
      expect(await cache.get('1')).toEqual(grace);
      expect(await cache.get('2')).toEqual(ada);
      expect(source.loads).toBe(2);
    });

    it('should not be overwritten by a load that started before it', async () => {
      const source = sourceOf<User>();
      const held = heldLoader<User>();
      const cache = usersCache({ load: held.load, save: source.save });
      const early = cache.get('42');
      await until(() => held.calls.length > 0);
      await cache.set('42', grace);
      expect(await cache.get('42')).toEqual(grace); // does not join the old load
      held.calls[0]!.resolve(ada); // what the old load read, before the write
      expect(await early).toEqual(ada);
      expect(await cache.get('42')).toEqual(grace);
      expect(held.calls).toHaveLength(1);
    });

    it('should leave the cache as it was when save fails', async () => {
      const source = sourceOf([['42', ada]]);
      const cache = usersCache({ load: source.load, save: () => Promise.reject(new Error('the database is read-only')) });
      await cache.get('42');
      await expect(cache.set('42', grace)).rejects.toThrow('the database is read-only');
      expect(await cache.get('42')).toEqual(ada);
    });

    it('should reject with a TypeError without a save option', async () => {
      const cache = usersCache({ load: sourceOf<User>().load });
      await expect(cache.set('42', ada)).rejects.toThrow(TypeError);
    });

    it('should reject a value that has no JSON form with a TypeError, before saving it', async () => {
      const source = sourceOf<User>();
      const cache = usersCache({ load: source.load, save: source.save });
      await expect(cache.set('42', (() => ada) as unknown as User)).rejects.toThrow(TypeError);
      expect(source.saves).toBe(0);
    });
  });

  describe('stampede protection across processes (leaseMs)', () => {
    it('should share one load among processes: the others wait for the lease holder and read what it cached', async () => {
      const held = heldLoader<User>();
      const processes = await Promise.all([1, 2, 3].map(async () => usersCache({ load: held.load, leaseMs: 3_000 }, await redis.connect())));
      const gets = processes.flatMap((cache) => [cache.get('42'), cache.get('42'), cache.get('42')]);
      await until(() => held.calls.length > 0 && processes.filter((cache) => cache.waits.count > 0).length === 2);
      // The holder's lease: <namespace>:lease:v0:<id>, for leaseMs.
      const ttl = await redis.client.pttl('user:lease:v0:42');
      expect(ttl).toBeGreaterThan(2_000);
      expect(ttl).toBeLessThanOrEqual(3_000);
      held.resolveAll(() => ada);
      expect(await Promise.all(gets)).toEqual(Array(9).fill(ada));
      expect(held.calls).toHaveLength(1);
      expect(await redis.client.exists('user:lease:v0:42')).toBe(0);
    });

    it('should load itself once the lease of a process that died is gone', async () => {
      // Another process took the lease and crashed; its lease expires while this one waits.
      await redis.client.set('user:lease:v0:42', 'a process that died', 'PX', 5_000);
      const source = sourceOf([['42', ada]]);
      const cache = usersCache({
        load: source.load,
        leaseMs: 5_000,
        wait: async () => {
          await redis.client.del('user:lease:v0:42');
        },
      });
      expect(await cache.get('42')).toEqual(ada);
      expect(source.loads).toBe(1);
      expect(await redis.client.get('user:v0:42')).toBe(JSON.stringify(ada));
    });

    it('should free the lease at once when the load fails, so that other processes need not wait for it to expire', async () => {
      const cache = usersCache({ load: () => Promise.reject(new Error('the database timed out')), leaseMs: 5_000 });
      await expect(cache.get('42')).rejects.toThrow('the database timed out');
      expect(await redis.client.exists('user:lease:v0:42')).toBe(0);
    });

    it('should not let a load in one process overwrite what another process set meanwhile', async () => {
      const source = sourceOf<User>();
      const held = heldLoader<User>();
      const loading = usersCache({ load: held.load, leaseMs: 5_000 });
      const writing = usersCache({ load: source.load, save: source.save, leaseMs: 5_000 }, await redis.connect());
      const early = loading.get('42');
      await until(() => held.calls.length > 0);
      await writing.set('42', grace);
      held.calls[0]!.resolve(ada); // what the load read, before the write
      expect(await early).toEqual(ada);
      expect(await redis.client.get('user:v0:42')).toBe(JSON.stringify(grace));
    });

    it('should not let a load in one process cache what it read before another process invalidated it', async () => {
      const source = sourceOf([['42', grace]]);
      const held = heldLoader<User>();
      const loading = usersCache({ load: held.load, leaseMs: 5_000 });
      const invalidating = usersCache({ load: source.load, leaseMs: 5_000 }, await redis.connect());
      const early = loading.get('42');
      await until(() => held.calls.length > 0);
      await invalidating.invalidate('42');
      held.calls[0]!.resolve(ada);
      await early;
      expect(await invalidating.get('42')).toEqual(grace);
    });
  });

  describe('options', () => {
    const load = async () => undefined;
    it.each([
      { option: 'namespace ""', options: { namespace: '' }, error: RangeError },
      { option: 'namespace with a colon', options: { namespace: 'user:profile' }, error: RangeError },
      { option: 'ttlSeconds 0', options: { ttlSeconds: 0 }, error: RangeError },
      { option: 'ttlSeconds 1.5', options: { ttlSeconds: 1.5 }, error: RangeError },
      { option: 'ttlSeconds NaN', options: { ttlSeconds: Number.NaN }, error: RangeError },
      { option: 'jitterSeconds -1', options: { jitterSeconds: -1 }, error: RangeError },
      { option: 'jitterSeconds Infinity', options: { jitterSeconds: Number.POSITIVE_INFINITY }, error: RangeError },
      { option: 'negativeTtlSeconds -1', options: { negativeTtlSeconds: -1 }, error: RangeError },
      { option: 'leaseMs 0', options: { leaseMs: 0 }, error: RangeError },
      { option: 'load that is not a function', options: { load: 'users' as unknown as typeof load }, error: TypeError },
      { option: 'save that is not a function', options: { save: {} as unknown as () => Promise<void> }, error: TypeError },
    ])('should reject $option', ({ options, error }) => {
      expect(() => createCache({ redis: redis.client, namespace: 'user', ttlSeconds: 60, load, ...options })).toThrow(error);
    });
  });

  describe('properties', () => {
    let run = 0;

    it('should return any JSON value as the source holds it, on a miss and on a hit', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 2 }), async (value) => {
          const source = sourceOf<unknown>([['x', value]]);
          const cache = createCache<unknown>({ redis: watched(redis.client), namespace: `json${run++}`, ttlSeconds: 60, load: source.load });
          expect(await cache.get('x')).toEqual(value);
          expect(await cache.get('x')).toEqual(value);
          expect(source.loads).toBe(1);
        }),
        { numRuns: 20 },
      );
    });

    it('should set every expiry within [ttlSeconds, ttlSeconds + jitterSeconds]', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 3_600 }), fc.integer({ min: 0, max: 600 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), async (ttlSeconds, jitterSeconds, r) => {
          const namespace = `ttl${run++}`;
          const cache = createCache<User>({ redis: watched(redis.client), namespace, ttlSeconds, jitterSeconds, random: () => r, load: async () => ada });
          await cache.get('1');
          const ttl = await redis.client.pttl(`${namespace}:v0:1`);
          expect(ttl).toBeGreaterThan(ttlSeconds * 1000 - 1_000);
          expect(ttl).toBeLessThanOrEqual((ttlSeconds + jitterSeconds) * 1000);
        }),
        { numRuns: 15 },
      );
    });
  });

  describe('against a model', () => {
    // The model: the source of truth, what the cache holds (a value, or undefined for a cached
    // miss) and how many loads there were. Time does not pass, so nothing expires.
    type Value = number | null;
    interface Model {
      source: Map<string, Value>;
      cached: Map<string, Value | undefined>;
      loads: number;
    }
    interface Real {
      cache: Cache<Value>;
      source: ReturnType<typeof sourceOf<Value>>;
    }

    const expectLoads = (model: Model, real: Real) => expect(real.source.loads).toBe(model.loads);

    class GetCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string) {}
      check = () => true;
      async run(model: Model, real: Real) {
        if (!model.cached.has(this.id)) {
          model.loads++;
          model.cached.set(this.id, model.source.get(this.id));
        }
        expect(await real.cache.get(this.id)).toBe(model.cached.get(this.id));
        expectLoads(model, real);
      }
      toString = () => `get(${this.id})`;
    }

    /** The source changes behind the cache's back: the cache serves the old value until invalidated. */
    class ChangeSourceCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string, readonly value: Value | undefined) {}
      check = () => true;
      async run(model: Model, real: Real) {
        for (const source of [model.source, real.source.data]) {
          if (this.value === undefined) source.delete(this.id);
          else source.set(this.id, this.value);
        }
      }
      toString = () => `source[${this.id}] = ${this.value}`;
    }

    class SetCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string, readonly value: Value) {}
      check = () => true;
      async run(model: Model, real: Real) {
        await real.cache.set(this.id, this.value);
        model.source.set(this.id, this.value);
        model.cached.set(this.id, this.value);
        expect(real.source.data.get(this.id)).toBe(this.value);
        expectLoads(model, real);
      }
      toString = () => `set(${this.id}, ${this.value})`;
    }

    class InvalidateCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string) {}
      check = () => true;
      async run(model: Model, real: Real) {
        await real.cache.invalidate(this.id);
        model.cached.delete(this.id);
        expectLoads(model, real);
      }
      toString = () => `invalidate(${this.id})`;
    }

    class InvalidateAllCommand implements fc.AsyncCommand<Model, Real> {
      check = () => true;
      async run(model: Model, real: Real) {
        await real.cache.invalidateAll();
        model.cached.clear();
        expectLoads(model, real);
      }
      toString = () => 'invalidateAll()';
    }

    it('should serve what was loaded or set until invalidated, and load only on a miss', async () => {
      let run = 0;
      const id = fc.constantFrom('a', 'b', 'c');
      const value = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant(null));
      const commands = fc.commands(
        [
          id.map((i) => new GetCommand(i)),
          fc.tuple(id, fc.option(value, { nil: undefined })).map(([i, v]) => new ChangeSourceCommand(i, v)),
          fc.tuple(id, value).map(([i, v]) => new SetCommand(i, v)),
          id.map((i) => new InvalidateCommand(i)),
          fc.constant(new InvalidateAllCommand()),
        ],
        { maxCommands: 25 },
      );
      await fc.assert(
        fc.asyncProperty(fc.integer(), commands, async (seed, cmds) => {
          const source = sourceOf<Value>();
          const cache = createCache<Value>({
            redis: watched(redis.client),
            namespace: `model${run++}`,
            ttlSeconds: 60,
            jitterSeconds: 5,
            random: seededRandom(seed),
            negativeTtlSeconds: 30,
            load: source.load,
            save: source.save,
          });
          await fc.asyncModelRun(() => ({ model: { source: new Map(), cached: new Map(), loads: 0 }, real: { cache, source } }), cmds);
        }),
        { numRuns: 20 },
      );
    });
  });
});
