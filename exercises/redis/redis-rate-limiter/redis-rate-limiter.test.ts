import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Redis } from '#redis';
import { useRedis } from '#redis/testing';
import { ManualClock } from '#testing';
import { fixedWindow, slidingLog, type Decision, type RateLimiter, type RateLimitOptions } from './redis-rate-limiter.ts';

const redis = useRedis();

const allow = (remaining: number): Decision => ({ allowed: true, remaining, retryAfterMs: 0 });
const deny = (retryAfterMs: number): Decision => ({ allowed: false, remaining: 0, retryAfterMs });

/** `count` requests for `key`, one after the other. */
async function consumeMany(limiter: RateLimiter, key: string, count: number): Promise<Decision[]> {
  const decisions: Decision[] = [];
  for (let i = 0; i < count; i++) decisions.push(await limiter.consume(key));
  return decisions;
}

/** `count` requests for `key` all at once, spread over `clients` (each with its own limiter). */
async function burst(make: (client: Redis) => RateLimiter, clients: Redis[], key: string, count: number): Promise<Decision[]> {
  const limiters = clients.map(make);
  return Promise.all(Array.from({ length: count }, (_, i) => limiters[i % limiters.length]!.consume(key)));
}

const connections = async (count: number): Promise<Redis[]> => [redis.client, ...(await Promise.all(Array.from({ length: count - 1 }, () => redis.connect())))];

// Windows are a minute long: the keys' expiries run on Redis's own clock, which keeps going
// while the tests move their ManualClock, and a slow run must not see a key expire mid-test.
const MINUTE = 60_000;

describe('fixedWindow', () => {
  it('should allow limit requests in a window, counting down what remains, then deny', async () => {
    const limiter = fixedWindow(redis.client, { limit: 3, windowMs: MINUTE, clock: new ManualClock() });
    expect(await consumeMany(limiter, 'user-1', 4)).toEqual([allow(2), allow(1), allow(0), deny(MINUTE)]);
  });

  it('should tell a denied client how long until the window ends', async () => {
    const clock = new ManualClock(15_000);
    const limiter = fixedWindow(redis.client, { limit: 1, windowMs: MINUTE, clock });
    await limiter.consume('user-1');
    expect(await limiter.consume('user-1')).toEqual(deny(45_000));
    clock.advance(44_999);
    expect(await limiter.consume('user-1')).toEqual(deny(1));
    clock.advance(1);
    expect(await limiter.consume('user-1')).toEqual(allow(0));
  });

  it('should start a fresh window at every multiple of windowMs, even 1 ms later', async () => {
    // The edge burst of a fixed window: 2 × limit requests within 2 ms.
    const clock = new ManualClock(MINUTE - 1);
    const limiter = fixedWindow(redis.client, { limit: 2, windowMs: MINUTE, clock });
    expect(await consumeMany(limiter, 'user-1', 3)).toEqual([allow(1), allow(0), deny(1)]);
    clock.advance(1);
    expect(await consumeMany(limiter, 'user-1', 3)).toEqual([allow(1), allow(0), deny(MINUTE)]);
  });

  it('should keep each window in a key of its own, rl:{key}:{windowStart}', async () => {
    const clock = new ManualClock(90_000);
    const limiter = fixedWindow(redis.client, { limit: 5, windowMs: MINUTE, clock });
    await consumeMany(limiter, 'user-1', 2);
    clock.advance(MINUTE);
    await limiter.consume('user-1');
    expect(await redis.client.mget('rl:user-1:60000', 'rl:user-1:120000')).toEqual(['2', '1']);
  });

  it('should count each key on its own', async () => {
    const limiter = fixedWindow(redis.client, { limit: 1, windowMs: MINUTE, clock: new ManualClock() });
    expect(await limiter.consume('user-1')).toEqual(allow(0));
    expect(await limiter.consume('user-2')).toEqual(allow(0));
    expect(await limiter.consume('user-1')).toEqual(deny(MINUTE));
  });

  it('should set the expiry once, when the window key is created, and never push it back', async () => {
    const limiter = fixedWindow(redis.client, { limit: 10, windowMs: MINUTE, clock: new ManualClock() });
    await limiter.consume('user-1');
    const pttl = await redis.client.pttl('rl:user-1:0');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(MINUTE);
    // Tests do not wait 59 s for Redis's clock: they age the key by hand.
    await redis.client.pexpire('rl:user-1:0', 1_234);
    await limiter.consume('user-1');
    expect(await redis.client.pttl('rl:user-1:0')).toBeLessThanOrEqual(1_234);
  });

  it('should admit exactly limit of 100 concurrent requests on one client', async () => {
    const decisions = await burst((client) => fixedWindow(client, { limit: 10, windowMs: MINUTE, clock: new ManualClock() }), [redis.client], 'user-1', 100);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.map((d) => d.remaining).sort((a, b) => b - a).slice(0, 10)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('should admit exactly limit of 100 concurrent requests from four servers sharing the Redis', async () => {
    const clients = await connections(4);
    const decisions = await burst((client) => fixedWindow(client, { limit: 10, windowMs: MINUTE, clock: new ManualClock() }), clients, 'user-1', 100);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });
});

describe('slidingLog', () => {
  it('should allow limit requests, counting down what remains, then deny', async () => {
    const clock = new ManualClock();
    const limiter = slidingLog(redis.client, { limit: 3, windowMs: MINUTE, clock });
    const decisions = [];
    for (let i = 0; i < 4; i++) {
      decisions.push(await limiter.consume('user-1'));
      clock.advance(10_000);
    }
    expect(decisions).toEqual([allow(2), allow(1), allow(0), deny(30_000)]);
  });

  it('should count two requests in the same millisecond as two', async () => {
    const limiter = slidingLog(redis.client, { limit: 2, windowMs: MINUTE, clock: new ManualClock() });
    expect(await consumeMany(limiter, 'user-1', 3)).toEqual([allow(1), allow(0), deny(MINUTE)]);
    expect(await redis.client.zcard('rl:user-1:log')).toBe(2);
  });

  it('should count a request while less than windowMs has passed since it, and drop it at windowMs', async () => {
    const clock = new ManualClock();
    const limiter = slidingLog(redis.client, { limit: 1, windowMs: MINUTE, clock });
    expect(await limiter.consume('user-1')).toEqual(allow(0));
    clock.advance(MINUTE - 1);
    expect(await limiter.consume('user-1')).toEqual(deny(1));
    clock.advance(1);
    expect(await limiter.consume('user-1')).toEqual(allow(0));
  });

  it('should not log a denied request: waiting retryAfterMs is enough', async () => {
    const clock = new ManualClock();
    const limiter = slidingLog(redis.client, { limit: 1, windowMs: MINUTE, clock });
    await limiter.consume('user-1');
    clock.advance(20_000);
    expect(await limiter.consume('user-1')).toEqual(deny(40_000));
    clock.advance(40_000);
    expect(await limiter.consume('user-1')).toEqual(allow(0));
    expect(await redis.client.zcard('rl:user-1:log')).toBe(1);
  });

  it('should have no edge burst: never more than limit in any window', async () => {
    const clock = new ManualClock(MINUTE - 1);
    const limiter = slidingLog(redis.client, { limit: 2, windowMs: MINUTE, clock });
    expect(await consumeMany(limiter, 'user-1', 2)).toEqual([allow(1), allow(0)]);
    clock.advance(1); // a fixed window would start afresh here
    expect(await limiter.consume('user-1')).toEqual(deny(MINUTE - 1));
  });

  it('should say when enough requests will have left the window', async () => {
    const clock = new ManualClock();
    const limiter = slidingLog(redis.client, { limit: 2, windowMs: MINUTE, clock });
    await limiter.consume('user-1');
    clock.set(20_000);
    await limiter.consume('user-1');
    clock.set(30_000);
    expect(await limiter.consume('user-1')).toEqual(deny(30_000));
    clock.set(MINUTE);
    expect(await limiter.consume('user-1')).toEqual(allow(0));
    clock.set(65_000);
    expect(await limiter.consume('user-1')).toEqual(deny(15_000));
  });

  it('should keep the log in a sorted set at rl:{key}:log, scored by time, expiring windowMs after the last request', async () => {
    const clock = new ManualClock(5_000);
    const limiter = slidingLog(redis.client, { limit: 5, windowMs: MINUTE, clock });
    await limiter.consume('user-1');
    clock.advance(20);
    await limiter.consume('user-1');
    expect((await redis.client.zrange('rl:user-1:log', 0, -1, 'WITHSCORES')).filter((_, i) => i % 2 === 1)).toEqual(['5000', '5020']);
    const pttl = await redis.client.pttl('rl:user-1:log');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(MINUTE);
  });

  it('should count each key on its own', async () => {
    const limiter = slidingLog(redis.client, { limit: 1, windowMs: MINUTE, clock: new ManualClock() });
    expect(await limiter.consume('user-1')).toEqual(allow(0));
    expect(await limiter.consume('user-2')).toEqual(allow(0));
    expect(await limiter.consume('user-1')).toEqual(deny(MINUTE));
  });

  it('should admit exactly limit of 30 concurrent requests from three servers sharing the Redis', async () => {
    const clients = await connections(3);
    const decisions = await burst((client) => slidingLog(client, { limit: 10, windowMs: MINUTE, clock: new ManualClock() }), clients, 'user-1', 30);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(await redis.client.zcard('rl:user-1:log')).toBe(10);
  });
});

describe.each([
  { name: 'fixedWindow', make: fixedWindow },
  { name: 'slidingLog', make: slidingLog },
])('$name with bad input', ({ make }) => {
  it.each([
    [0, MINUTE, 'limit'],
    [1.5, MINUTE, 'limit'],
    [Number.NaN, MINUTE, 'limit'],
    [5, 0, 'windowMs'],
    [5, 2.5, 'windowMs'],
    [5, Number.POSITIVE_INFINITY, 'windowMs'],
  ] as const)('should reject limit %s, windowMs %s with a RangeError naming %s', (limit, windowMs, bad) => {
    expect(() => make(redis.client, { limit, windowMs })).toThrow(RangeError);
    expect(() => make(redis.client, { limit, windowMs })).toThrow(bad);
  });

  it('should reject an empty key with a RangeError', async () => {
    const limiter = make(redis.client, { limit: 5, windowMs: MINUTE, clock: new ManualClock() });
    await expect(limiter.consume('')).rejects.toThrow(RangeError);
  });
});

describe('properties', () => {
  /**
   * Request times in ms: a start, then gaps that often repeat a millisecond, often straddle a
   * window, and sometimes land exactly on a window's end (windows are whole seconds).
   */
  const gap = fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 1, max: 40 }).map((s) => s * 1_000), fc.nat(40_000));
  const times = fc
    .tuple(fc.nat(100_000), fc.array(gap, { minLength: 1, maxLength: 10 }))
    .map(([start, gaps]) => gaps.map((_, i) => start + gaps.slice(0, i + 1).reduce((a, b) => a + b, 0)));
  const windowMs = fc.constantFrom(10_000, 25_000, MINUTE);

  it('should never let the sliding log admit more than limit in any window of windowMs', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), windowMs, times, async (limit, windowMs, requestTimes) => {
        const clock = new ManualClock();
        const limiter = slidingLog(redis.client, { limit, windowMs, clock });
        const key = `run-${++run}`;
        const admitted: number[] = [];
        for (const time of requestTimes) {
          clock.set(time);
          if ((await limiter.consume(key)).allowed) admitted.push(time);
        }
        for (const t of admitted) expect(admitted.filter((u) => u <= t && t - u < windowMs).length).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 8 },
    );
  });

  it('should never let the fixed window admit more than limit in one window', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), windowMs, times, async (limit, windowMs, requestTimes) => {
        const clock = new ManualClock();
        const limiter = fixedWindow(redis.client, { limit, windowMs, clock });
        const key = `run-${++run}`;
        const perWindow = new Map<number, number>();
        for (const time of requestTimes) {
          clock.set(time);
          const window = Math.floor(time / windowMs);
          if ((await limiter.consume(key)).allowed) perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
        }
        for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 20 },
    );
  });
});

describe('against a model', () => {
  const LIMIT = 2;
  const WINDOW_MS = 10_000;
  // The in-memory algorithms: a count per key and window; the admitted times per key.
  type Model = { now: number; windows: Map<string, number>; logs: Map<string, number[]> };
  type Real = { clock: ManualClock; fixed: RateLimiter; log: RateLimiter; run: number };

  const fixedDecision = (model: Model, key: string): Decision => {
    const start = Math.floor(model.now / WINDOW_MS) * WINDOW_MS;
    const count = (model.windows.get(`${key}:${start}`) ?? 0) + 1;
    model.windows.set(`${key}:${start}`, count);
    return count > LIMIT ? deny(start + WINDOW_MS - model.now) : allow(LIMIT - count);
  };
  const logDecision = (model: Model, key: string): Decision => {
    const log = (model.logs.get(key) ?? []).filter((t) => model.now - t < WINDOW_MS);
    model.logs.set(key, log);
    if (log.length >= LIMIT) return deny(log[log.length - LIMIT]! + WINDOW_MS - model.now);
    log.push(model.now);
    return allow(LIMIT - log.length);
  };

  class Advance implements fc.AsyncCommand<Model, Real> {
    constructor(readonly ms: number) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
      model.now += this.ms;
      real.clock.advance(this.ms);
    }
    toString = () => `advance(${this.ms})`;
  }

  class Consume implements fc.AsyncCommand<Model, Real> {
    constructor(readonly limiter: 'fixed' | 'log', readonly key: string) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
      const expected = this.limiter === 'fixed' ? fixedDecision(model, this.key) : logDecision(model, this.key);
      expect(await real[this.limiter].consume(`run-${real.run}-${this.key}`)).toEqual(expected);
    }
    toString = () => `${this.limiter}.consume(${this.key})`;
  }

  it('should decide exactly like the in-memory algorithms under any sequence of requests', async () => {
    const key = fc.constantFrom('a', 'b');
    const commands = fc.commands(
      [
        fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 1, max: 12_000 })).map((ms) => new Advance(ms)),
        fc.tuple(fc.constantFrom('fixed' as const, 'log' as const), key).map(([limiter, k]) => new Consume(limiter, k)),
      ],
      { maxCommands: 16 },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const setup = () => {
          const clock = new ManualClock();
          const options: RateLimitOptions = { limit: LIMIT, windowMs: WINDOW_MS, clock };
          const real: Real = { clock, fixed: fixedWindow(redis.client, options), log: slidingLog(redis.client, options), run: ++run };
          return { model: { now: 0, windows: new Map(), logs: new Map() }, real };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 8 },
    );
  });
});
