import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Redis } from '#redis';
import { useRedis } from '#redis/testing';
import { flush, scriptedRandom } from '#testing';
import { createLockManager, LockBusyError, type Lock, type LockManager } from './distributed-lock.ts';
import { FencedStorage } from './fenced-storage.ts';

const redis = useRedis();

/** Tokens that say who took them and in which order: `a-1`, `a-2`, … */
function tokens(name = 'token'): () => string {
  let count = 0;
  return () => `${name}-${++count}`;
}

/**
 * A lease running out, without waiting for it: Redis deletes the key when its PX time is up, so
 * the tests delete it themselves. This is the moment a paused holder loses its lock unawares.
 */
const leaseRunsOut = (resource: string) => redis.client.del(`lock:{${resource}}`);

/** A sleep that records each delay instead of waiting, and calls `then` after the nth sleep. */
function recordingSleep(then: (count: number) => unknown = () => {}) {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
    // A withLock that never stops retrying fails here instead of hanging the test.
    if (delays.length > 20) throw new Error('sleep called more than 20 times: are the retries bounded?');
    await then(delays.length);
  };
  return { delays, sleep };
}

describe('createLockManager', () => {
  describe('acquire', () => {
    it('should take a free lock, keeping its token at lock:{resource}', async () => {
      const locks = createLockManager(redis.client, { generateToken: tokens() });
      const lock = await locks.acquire('orders', 10_000);
      expect(lock).toEqual({ resource: 'orders', token: 'token-1', fence: expect.any(Number) });
      expect(await redis.client.get('lock:{orders}')).toBe('token-1');
    });

    it('should return null while someone else holds the lock, and leave their lock alone', async () => {
      const alice = createLockManager(redis.client, { generateToken: tokens('alice') });
      const bob = createLockManager(redis.client, { generateToken: tokens('bob') });
      expect(await alice.acquire('orders', 10_000)).not.toBeNull();
      expect(await bob.acquire('orders', 10_000)).toBeNull();
      expect(await alice.acquire('orders', 10_000)).toBeNull();
      expect(await redis.client.get('lock:{orders}')).toBe('alice-1');
    });

    it('should give the lock a lease: the key expires within ttlMs', async () => {
      const locks = createLockManager(redis.client);
      await locks.acquire('orders', 5_000);
      const pttl = await redis.client.pttl('lock:{orders}');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(5_000);
    });

    it('should let the next caller in once the lease has run out', async () => {
      const locks = createLockManager(redis.client, { generateToken: tokens() });
      await locks.acquire('orders', 5_000);
      await leaseRunsOut('orders');
      expect(await locks.acquire('orders', 5_000)).toMatchObject({ token: 'token-2' });
    });

    it('should lock each resource on its own', async () => {
      const locks = createLockManager(redis.client);
      expect(await locks.acquire('orders', 10_000)).not.toBeNull();
      expect(await locks.acquire('invoices', 10_000)).not.toBeNull();
      expect(await locks.acquire('orders', 10_000)).toBeNull();
    });

    it('should make a random UUID token by default', async () => {
      const locks = createLockManager(redis.client);
      const first = await locks.acquire('orders', 10_000);
      const second = await locks.acquire('invoices', 10_000);
      expect(first?.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(second?.token).not.toBe(first?.token);
    });
  });

  describe('release', () => {
    it('should release a lock with its token, once', async () => {
      const locks = createLockManager(redis.client);
      const lock = await locks.acquire('orders', 10_000);
      expect(await locks.release('orders', lock!.token)).toBe(true);
      expect(await redis.client.exists('lock:{orders}')).toBe(0);
      expect(await locks.release('orders', lock!.token)).toBe(false);
      expect(await locks.acquire('orders', 10_000)).not.toBeNull();
    });

    it('should not release a lock held with another token', async () => {
      const locks = createLockManager(redis.client, { generateToken: tokens() });
      await locks.acquire('orders', 10_000);
      expect(await locks.release('orders', 'someone-else')).toBe(false);
      expect(await redis.client.get('lock:{orders}')).toBe('token-1');
    });

    it("should not delete the next holder's lock once its own lease has run out", async () => {
      const alice = createLockManager(redis.client, { generateToken: tokens('alice') });
      const bob = createLockManager(redis.client, { generateToken: tokens('bob') });
      const aliceLock = await alice.acquire('orders', 1_000);
      await leaseRunsOut('orders');
      await bob.acquire('orders', 1_000);
      // Alice finishes late and releases what she thinks is her lock.
      expect(await alice.release('orders', aliceLock!.token)).toBe(false);
      expect(await redis.client.get('lock:{orders}')).toBe('bob-1');
    });
  });

  describe('extend', () => {
    it('should reset the lease of a lock it holds', async () => {
      const locks = createLockManager(redis.client);
      const lock = await locks.acquire('orders', 5_000);
      expect(await locks.extend('orders', lock!.token, 60_000)).toBe(true);
      const pttl = await redis.client.pttl('lock:{orders}');
      expect(pttl).toBeGreaterThan(5_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    });

    it('should not extend a lock held with another token', async () => {
      const locks = createLockManager(redis.client);
      await locks.acquire('orders', 1_000);
      expect(await locks.extend('orders', 'someone-else', 60_000)).toBe(false);
      expect(await redis.client.pttl('lock:{orders}')).toBeLessThanOrEqual(1_000);
    });

    it('should not bring back a lock whose lease has run out', async () => {
      const locks = createLockManager(redis.client);
      const lock = await locks.acquire('orders', 1_000);
      await leaseRunsOut('orders');
      expect(await locks.extend('orders', lock!.token, 60_000)).toBe(false);
      expect(await redis.client.exists('lock:{orders}')).toBe(0);
    });
  });

  describe('fences', () => {
    it('should hand out a larger fence with every acquisition', async () => {
      const locks = createLockManager(redis.client);
      const first = await locks.acquire('orders', 10_000);
      await leaseRunsOut('orders');
      const second = await locks.acquire('orders', 10_000);
      expect(second!.fence).toBeGreaterThan(first!.fence);
    });

    it('should keep fences growing across processes that share the Redis', async () => {
      // Two managers on two connections stand for two processes: a fence kept in a process's
      // memory would start again from scratch in the second one.
      const one = createLockManager(redis.client);
      const two = createLockManager(await redis.connect());
      const first = await one.acquire('orders', 10_000);
      expect(await one.release('orders', first!.token)).toBe(true);
      const second = await two.acquire('orders', 10_000);
      await leaseRunsOut('orders');
      const third = await one.acquire('orders', 10_000);
      expect(second!.fence).toBeGreaterThan(first!.fence);
      expect(third!.fence).toBeGreaterThan(second!.fence);
    });

    it('should let the storage refuse the write of a holder whose lease ran out', async () => {
      const storage = new FencedStorage<string>();
      const alice = createLockManager(redis.client);
      const bob = createLockManager(await redis.connect());
      const aliceLock = await alice.acquire('report', 1_000);
      // Alice stalls (a long GC pause, say) past her lease; Bob takes the lock and writes.
      await leaseRunsOut('report');
      const bobLock = await bob.acquire('report', 1_000);
      expect(storage.write('report.pdf', 'by bob', bobLock!.fence)).toBe(true);
      // Alice wakes up still believing she holds the lock.
      expect(storage.write('report.pdf', 'by alice', aliceLock!.fence)).toBe(false);
      expect(storage.read('report.pdf')).toBe('by bob');
    });
  });

  describe('withLock', () => {
    it('should run fn with the lock, release the lock and return what fn returns', async () => {
      const locks = createLockManager(redis.client, { generateToken: tokens() });
      const seen: (string | null)[] = [];
      const result = await locks.withLock('orders', 10_000, async (lock) => {
        seen.push(lock.token, await redis.client.get('lock:{orders}'));
        return 42;
      });
      expect(result).toBe(42);
      expect(seen).toEqual(['token-1', 'token-1']);
      expect(await redis.client.exists('lock:{orders}')).toBe(0);
    });

    it('should release the lock when fn throws, and rethrow the error', async () => {
      const locks = createLockManager(redis.client);
      const failure = new Error('payment service down');
      await expect(
        locks.withLock('orders', 10_000, () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await redis.client.exists('lock:{orders}')).toBe(0);
    });

    it('should give up after its retries with a LockBusyError', async () => {
      const holder = createLockManager(redis.client);
      await holder.acquire('orders', 10_000);
      const locks = createLockManager(redis.client);
      const { delays, sleep } = recordingSleep();
      let ran = false;
      const error = await locks.withLock('orders', 10_000, () => (ran = true), { retries: 3, sleep }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockBusyError);
      expect(error).toMatchObject({ resource: 'orders', attempts: 4 });
      expect(delays).toHaveLength(3);
      expect(ran).toBe(false);
    });

    it('should retry a busy lock with full jitter on an exponential backoff', async () => {
      const holder = createLockManager(redis.client);
      const held = await holder.acquire('orders', 10_000);
      // The holder releases during the third sleep, so the fourth attempt gets the lock.
      const { delays, sleep } = recordingSleep((count) => count === 3 && holder.release('orders', held!.token));
      const locks = createLockManager(redis.client);
      const random = scriptedRandom([0.5, 0.25, 0.75]);
      const fence = await locks.withLock('orders', 10_000, (lock) => lock.fence, { retries: 5, baseDelayMs: 100, random, sleep });
      // Before retry n: random() * min(maxDelayMs, baseDelayMs * 2^(n-1)).
      expect(delays).toEqual([0.5 * 100, 0.25 * 200, 0.75 * 400]);
      expect(fence).toBeGreaterThan(held!.fence);
    });

    it('should cap the backoff at maxDelayMs', async () => {
      await createLockManager(redis.client).acquire('orders', 10_000);
      const locks = createLockManager(redis.client);
      const { delays, sleep } = recordingSleep();
      const options = { retries: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.5, sleep };
      await expect(locks.withLock('orders', 10_000, () => {}, options)).rejects.toThrow(LockBusyError);
      expect(delays).toEqual([50, 100, 150, 150, 150]);
    });

    it('should never let two callers in at once, across connections', async () => {
      const clients: Redis[] = [redis.client, await redis.connect(), await redis.connect(), await redis.connect()];
      const events: string[] = [];
      const fences: number[] = [];
      const callers = Array.from({ length: 8 }, (_, i) => {
        const client = clients[i % clients.length]!;
        return createLockManager(client).withLock(
          'counter',
          10_000,
          async (lock) => {
            events.push(`enter ${i}`);
            fences.push(lock.fence);
            // A read-modify-write that loses updates unless it runs alone.
            const value = Number(await client.get('counter'));
            await flush();
            await client.set('counter', value + 1);
            events.push(`exit ${i}`);
          },
          // Retry on the next turn of the event loop: every waiter keeps trying, nobody sleeps.
          { retries: 10_000, baseDelayMs: 1, sleep: flush },
        );
      });
      await Promise.all(callers);
      expect(await redis.client.get('counter')).toBe('8');
      expect(events).toHaveLength(16);
      for (let k = 0; k < events.length; k += 2) expect(events[k + 1]).toBe(events[k]!.replace('enter', 'exit'));
      expect(fences).toEqual([...fences].sort((a, b) => a - b));
      expect(new Set(fences).size).toBe(8);
    });
  });

  describe('bad input', () => {
    it.each([{ resource: '' }, { resource: undefined as unknown as string }])('should reject resource $resource with a RangeError', async ({ resource }) => {
      const locks = createLockManager(redis.client);
      await expect(locks.acquire(resource, 1_000)).rejects.toThrow(RangeError);
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
      'should reject ttlMs %s with a RangeError naming it',
      async (ttlMs) => {
        const locks = createLockManager(redis.client);
        const error = await locks.acquire('orders', ttlMs).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RangeError);
        expect((error as RangeError).message).toContain('ttlMs');
        await expect(locks.extend('orders', 'token', ttlMs)).rejects.toThrow(RangeError);
        await expect(locks.withLock('orders', ttlMs, () => {})).rejects.toThrow(RangeError);
        expect(await redis.client.exists('lock:{orders}')).toBe(0);
      },
    );

    it.each([{ retries: -1 }, { retries: 1.5 }, { baseDelayMs: -5 }, { baseDelayMs: Number.NaN }, { baseDelayMs: 100, maxDelayMs: 50 }])(
      'should reject the withLock options %o with a RangeError before trying',
      async (options) => {
        const locks = createLockManager(redis.client);
        let ran = false;
        await expect(locks.withLock('orders', 1_000, () => (ran = true), options)).rejects.toThrow(RangeError);
        expect(ran).toBe(false);
        expect(await redis.client.exists('lock:{orders}', 'lock:{orders}:fence')).toBe(0);
      },
    );

    it('should reject a generateToken that is not a function with a TypeError', () => {
      expect(() => createLockManager(redis.client, { generateToken: 'token' as unknown as () => string })).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    it('should hand out growing fences and one holder at a time, whichever process asks', async () => {
      const managers = [createLockManager(redis.client), createLockManager(await redis.connect()), createLockManager(await redis.connect())];
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: 1, maxLength: 8 }), async (turns) => {
          const resource = `run-${++run}`;
          let last = 0;
          for (const [winner, loser] of turns) {
            const lock = await managers[winner]!.acquire(resource, 10_000);
            expect(lock!.fence).toBeGreaterThan(last);
            last = lock!.fence;
            expect(await managers[loser]!.acquire(resource, 10_000)).toBeNull();
            await leaseRunsOut(resource);
          }
        }),
        { numRuns: 12 },
      );
    });
  });

  describe('against a model', () => {
    // Per resource: the token that holds it, the last token that held it, the last fence seen.
    type Model = { holder: Map<string, string>; former: Map<string, string>; fence: Map<string, number> };
    type Real = { managers: LockManager[]; run: number };

    /** Each run of the property gets resources of its own, so runs do not see each other's keys. */
    const name = (real: Real, resource: string) => `run-${real.run}-${resource}`;
    const tokenFor = (model: Model, resource: string, stale: boolean): string =>
      (stale ? undefined : model.holder.get(resource)) ?? model.former.get(resource) ?? 'stranger';
    const loseLock = (model: Model, resource: string) => {
      const holder = model.holder.get(resource);
      if (holder !== undefined) model.former.set(resource, holder);
      model.holder.delete(resource);
    };
    const expectSameHolder = async (model: Model, real: Real, resource: string) => {
      expect(await redis.client.get(`lock:{${name(real, resource)}}`)).toBe(model.holder.get(resource) ?? null);
    };

    class Acquire implements fc.AsyncCommand<Model, Real> {
      constructor(readonly manager: number, readonly resource: string) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const lock: Lock | null = await real.managers[this.manager]!.acquire(name(real, this.resource), 10_000);
        if (model.holder.has(this.resource)) {
          expect(lock).toBeNull();
        } else {
          expect(lock?.fence).toBeGreaterThan(model.fence.get(this.resource) ?? 0);
          model.holder.set(this.resource, lock!.token);
          model.fence.set(this.resource, lock!.fence);
        }
        await expectSameHolder(model, real, this.resource);
      }
      toString = () => `acquire(manager ${this.manager}, ${this.resource})`;
    }

    class Release implements fc.AsyncCommand<Model, Real> {
      constructor(readonly resource: string, readonly stale: boolean) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const token = tokenFor(model, this.resource, this.stale);
        const holds = model.holder.get(this.resource) === token;
        expect(await real.managers[0]!.release(name(real, this.resource), token)).toBe(holds);
        if (holds) loseLock(model, this.resource);
        await expectSameHolder(model, real, this.resource);
      }
      toString = () => `release(${this.resource}, ${this.stale ? 'a former token' : "the holder's token"})`;
    }

    class Extend implements fc.AsyncCommand<Model, Real> {
      constructor(readonly resource: string, readonly stale: boolean) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const token = tokenFor(model, this.resource, this.stale);
        const holds = model.holder.get(this.resource) === token;
        expect(await real.managers[1]!.extend(name(real, this.resource), token, 60_000)).toBe(holds);
        await expectSameHolder(model, real, this.resource);
      }
      toString = () => `extend(${this.resource}, ${this.stale ? 'a former token' : "the holder's token"})`;
    }

    class LeaseRunsOut implements fc.AsyncCommand<Model, Real> {
      constructor(readonly resource: string) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        await leaseRunsOut(name(real, this.resource));
        loseLock(model, this.resource);
      }
      toString = () => `leaseRunsOut(${this.resource})`;
    }

    it('should behave like one holder per resource under any sequence of operations', async () => {
      const managers = [createLockManager(redis.client), createLockManager(await redis.connect())];
      const resource = fc.constantFrom('a', 'b');
      const commands = fc.commands(
        [
          fc.tuple(fc.nat(1), resource).map(([m, r]) => new Acquire(m, r)),
          fc.tuple(resource, fc.boolean()).map(([r, stale]) => new Release(r, stale)),
          fc.tuple(resource, fc.boolean()).map(([r, stale]) => new Extend(r, stale)),
          resource.map((r) => new LeaseRunsOut(r)),
        ],
        { maxCommands: 10 },
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          const setup = () => ({ model: { holder: new Map(), former: new Map(), fence: new Map() }, real: { managers, run: ++run } });
          await fc.asyncModelRun(setup, cmds);
        }),
        { numRuns: 8 },
      );
    });
  });
});
