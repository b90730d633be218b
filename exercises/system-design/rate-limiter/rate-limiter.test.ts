import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#testing';
import {
  fixedWindow,
  gcra,
  leakyBucket,
  slidingWindowCounter,
  slidingWindowLog,
  tokenBucket,
  type Clock,
  type Decision,
  type RateLimiter,
} from './rate-limiter.ts';

// Every algorithm, configured to allow `limit` requests per `periodMs`, all at once as a burst.
interface Algorithm {
  name: string;
  make: (limit: number, periodMs: number, clock: Clock) => RateLimiter;
  /** The buckets and GCRA meter a quantity; the windows count requests, so costs are integers. */
  fractionalCost: boolean;
  /** With 5 per second: how long to wait for one more request after a burst of 5 at t = 0. */
  waitAfterBurst: number;
  /** Requests per window the algorithm may over-count a steady stream by (the counter estimates). */
  overcount: number;
}

const algorithms: Algorithm[] = [
  {
    name: 'tokenBucket',
    make: (limit, periodMs, clock) => tokenBucket({ capacity: limit, refillPerSecond: (limit * 1000) / periodMs, clock }),
    fractionalCost: true,
    waitAfterBurst: 200, // one token refills in 1000 / 5 ms
    overcount: 0,
  },
  {
    name: 'leakyBucket',
    make: (limit, periodMs, clock) => leakyBucket({ capacity: limit, leakPerSecond: (limit * 1000) / periodMs, clock }),
    fractionalCost: true,
    waitAfterBurst: 200, // one unit drains in 1000 / 5 ms
    overcount: 0,
  },
  {
    name: 'fixedWindow',
    make: (limit, periodMs, clock) => fixedWindow({ limit, windowMs: periodMs, clock }),
    fractionalCost: false,
    waitAfterBurst: 1000, // the next window
    overcount: 0,
  },
  {
    name: 'slidingWindowLog',
    make: (limit, periodMs, clock) => slidingWindowLog({ limit, windowMs: periodMs, clock }),
    fractionalCost: false,
    waitAfterBurst: 1000, // the burst leaves the window
    overcount: 0,
  },
  {
    name: 'slidingWindowCounter',
    make: (limit, periodMs, clock) => slidingWindowCounter({ limit, windowMs: periodMs, clock }),
    fractionalCost: false,
    waitAfterBurst: 1200, // until 5 * (1 - 200 / 1000) + 1 <= 5 in the next window
    overcount: 1,
  },
  {
    name: 'gcra',
    make: (limit, periodMs, clock) => gcra({ burst: limit - 1, count: limit, periodMs, clock }),
    fractionalCost: true,
    waitAfterBurst: 200, // one emission interval, 1000 / 5 ms
    overcount: 0,
  },
];

const consumeTimes = (limiter: RateLimiter, times: number, key = 'a', cost = 1): Decision[] =>
  Array.from({ length: times }, () => limiter.consume(key, cost));

describe('every rate limiter, at 5 requests per second', () => {
  describe.each(algorithms)('$name', ({ make, fractionalCost, waitAfterBurst }) => {
    const setup = () => {
      const clock = new ManualClock();
      return { clock, limiter: make(5, 1000, clock) };
    };

    it('should allow a burst of 5, then deny', () => {
      const { limiter } = setup();
      expect(consumeTimes(limiter, 6).map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    });

    it('should count what remains down to 0', () => {
      const { limiter } = setup();
      expect(consumeTimes(limiter, 6).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    });

    it(`should ask to wait ${waitAfterBurst} ms after the burst, and allow the same request after exactly that wait`, () => {
      const { clock, limiter } = setup();
      expect(consumeTimes(limiter, 5).map((d) => d.retryAfterMs)).toEqual([0, 0, 0, 0, 0]);
      const denied = limiter.consume('a');
      expect(denied).toEqual({ allowed: false, remaining: 0, retryAfterMs: waitAfterBurst });
      clock.advance(waitAfterBurst - 1);
      expect(limiter.consume('a').allowed).toBe(false);
      clock.advance(1);
      expect(limiter.consume('a')).toMatchObject({ allowed: true, retryAfterMs: 0 });
    });

    it('should not count denied requests', () => {
      const { clock, limiter } = setup();
      consumeTimes(limiter, 5);
      const denials = consumeTimes(limiter, 10);
      expect(denials.every((d) => !d.allowed && d.retryAfterMs === waitAfterBurst)).toBe(true);
      clock.advance(waitAfterBurst);
      expect(limiter.consume('a').allowed).toBe(true);
    });

    it('should keep keys independent', () => {
      const { limiter } = setup();
      consumeTimes(limiter, 5, 'alice');
      expect(limiter.consume('bob')).toEqual({ allowed: true, remaining: 4, retryAfterMs: 0 });
      expect(limiter.consume('alice').allowed).toBe(false);
    });

    it('should charge a cost as that many requests', () => {
      const { limiter } = setup();
      expect(limiter.consume('a', 3)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
      expect(limiter.consume('a', 2)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
      expect(limiter.consume('a').allowed).toBe(false);
    });

    it('should deny a cost it cannot afford yet, without charging any of it', () => {
      const { limiter } = setup();
      limiter.consume('a', 3);
      expect(limiter.consume('a', 3)).toMatchObject({ allowed: false, remaining: 2 });
      expect(limiter.consume('a', 2)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('should never allow a cost above the limit, and say so with an infinite wait', () => {
      const { clock, limiter } = setup();
      expect(limiter.consume('a', 6)).toEqual({ allowed: false, remaining: 5, retryAfterMs: Infinity });
      clock.advance(60_000);
      expect(limiter.consume('a', 6).retryAfterMs).toBe(Infinity);
      expect(limiter.consume('a', 5).allowed).toBe(true);
    });

    it('should offer the whole burst again after a long idle time, and no more', () => {
      const { clock, limiter } = setup();
      consumeTimes(limiter, 5);
      clock.advance(10_000);
      expect(consumeTimes(limiter, 6).map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('should reject cost %s with a RangeError', (cost) => {
      const { limiter } = setup();
      expect(() => limiter.consume('a', cost)).toThrow(RangeError);
      expect(() => limiter.consume('a', cost)).toThrow(/cost/);
    });

    if (fractionalCost) {
      it('should meter a fractional cost, rounding remaining down', () => {
        const { limiter } = setup();
        expect(limiter.consume('a', 1.5)).toEqual({ allowed: true, remaining: 3, retryAfterMs: 0 });
        expect(limiter.consume('a', 3.5)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
      });
    } else {
      it('should reject a fractional cost, since it counts requests', () => {
        const { limiter } = setup();
        expect(() => limiter.consume('a', 1.5)).toThrow(RangeError);
      });
    }
  });
});

describe('tokenBucket', () => {
  it('should refill continuously, one token every 1000 / refillPerSecond ms', () => {
    const clock = new ManualClock();
    const limiter = tokenBucket({ capacity: 5, refillPerSecond: 5, clock });
    consumeTimes(limiter, 5);
    clock.advance(300);
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100 });
    clock.advance(100);
    expect(limiter.consume('a').allowed).toBe(true);
  });

  // The bug: refill = floor(elapsed * rate) and updatedAt = now at every call. Polled every
  // 100 ms at 2 per second, each call earns 0.2 tokens, rounds them to 0 and forgets them.
  it('should keep fractional refill (regression: 2 per second polled every 100 ms got nothing)', () => {
    const clock = new ManualClock();
    const limiter = tokenBucket({ capacity: 2, refillPerSecond: 2, clock });
    consumeTimes(limiter, 2);
    let allowed = 0;
    for (let poll = 0; poll < 100; poll++) {
      clock.advance(100);
      if (limiter.consume('a').allowed) allowed++;
    }
    // 2 per second for 10 s; floating point may cost the very last one.
    expect(allowed).toBeGreaterThanOrEqual(19);
    expect(allowed).toBeLessThanOrEqual(20);
  });
});

describe('leakyBucket', () => {
  it('should drain continuously, one unit every 1000 / leakPerSecond ms', () => {
    const clock = new ManualClock();
    const limiter = leakyBucket({ capacity: 4, leakPerSecond: 2, clock });
    expect(limiter.consume('a', 4)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    clock.advance(250);
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 250 });
    clock.advance(750);
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
  });
});

describe('fixedWindow', () => {
  it('should start windows at multiples of windowMs, not at the first request', () => {
    const clock = new ManualClock(600);
    const limiter = fixedWindow({ limit: 5, windowMs: 1000, clock });
    consumeTimes(limiter, 5);
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 400 });
    clock.set(1000);
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 4, retryAfterMs: 0 });
  });

  it('should let up to twice the limit through across a boundary: the reason sliding windows exist', () => {
    const clock = new ManualClock(999);
    const limiter = fixedWindow({ limit: 5, windowMs: 1000, clock });
    const atTheEnd = consumeTimes(limiter, 5);
    clock.advance(1);
    const atTheStart = consumeTimes(limiter, 5);
    expect([...atTheEnd, ...atTheStart].filter((d) => d.allowed)).toHaveLength(10); // within 1 ms
  });
});

describe('slidingWindowLog', () => {
  it('should count an entry until exactly windowMs after it, and no longer', () => {
    const clock = new ManualClock();
    const limiter = slidingWindowLog({ limit: 1, windowMs: 1000, clock });
    limiter.consume('a');
    clock.set(999);
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
    clock.set(1000);
    expect(limiter.consume('a').allowed).toBe(true);
  });

  it('should not let the boundary burst through', () => {
    const clock = new ManualClock(999);
    const limiter = slidingWindowLog({ limit: 5, windowMs: 1000, clock });
    consumeTimes(limiter, 5);
    clock.advance(1);
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 999 });
  });

  it('should wait for as many entries to leave as a larger cost needs', () => {
    const clock = new ManualClock();
    const limiter = slidingWindowLog({ limit: 5, windowMs: 1000, clock });
    for (let i = 0; i < 5; i++) {
      limiter.consume('a');
      clock.advance(100);
    }
    // The log holds 0, 100, 200, 300, 400; it is 500 now.
    expect(limiter.consume('a', 1).retryAfterMs).toBe(500); // the entry at 0 leaves at 1000
    expect(limiter.consume('a', 2).retryAfterMs).toBe(600); // the entry at 100 leaves at 1100
  });
});

describe('slidingWindowCounter', () => {
  it("should weigh the previous window's count by how much of it the sliding window still covers", () => {
    const clock = new ManualClock();
    const limiter = slidingWindowCounter({ limit: 5, windowMs: 1000, clock });
    consumeTimes(limiter, 5);
    clock.set(1000); // estimate 5 * 1000/1000 + 0 = 5
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 200 });
    clock.set(1200); // estimate 5 * 800/1000 + 0 = 4
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('should assume the previous window was spread evenly, admitting what an exact log would not', () => {
    const clock = new ManualClock(999);
    const counter = slidingWindowCounter({ limit: 5, windowMs: 1000, clock });
    const log = slidingWindowLog({ limit: 5, windowMs: 1000, clock });
    consumeTimes(counter, 5);
    consumeTimes(log, 5);
    clock.set(1500); // all 5 requests are 501 ms old, but the counter sees 5 * 500/1000 = 2.5
    expect(consumeTimes(counter, 3).map((d) => d.allowed)).toEqual([true, true, false]);
    expect(log.consume('a').allowed).toBe(false);
    expect(counter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100 });
  });
});

describe('gcra', () => {
  // Values as redis-cell computes them: T = period / count, tau = T * (burst + 1).
  it('should match CL.THROTTLE key 4 1 1: five at once, then one per second', () => {
    const clock = new ManualClock();
    const limiter = gcra({ burst: 4, count: 1, periodMs: 1000, clock });
    expect(consumeTimes(limiter, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    clock.advance(1000);
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    clock.advance(999);
    expect(limiter.consume('a').retryAfterMs).toBe(1);
  });

  it('should charge a quantity as that many emission intervals', () => {
    const clock = new ManualClock();
    const limiter = gcra({ burst: 4, count: 1, periodMs: 1000, clock });
    expect(limiter.consume('a', 3)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 }); // TAT 3000
    expect(limiter.consume('a', 3)).toEqual({ allowed: false, remaining: 2, retryAfterMs: 1000 });
    expect(limiter.consume('a', 2)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 }); // TAT 5000
    clock.set(1500);
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 }); // TAT 6000
    // 5 more would make the TAT 11000, allowed from 11000 - tau = 6000.
    expect(limiter.consume('a', 5)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 4500 });
    expect(limiter.consume('a', 6).retryAfterMs).toBe(Infinity);
  });

  it('should report remaining 15 for CL.THROTTLE user123 15 30 60 (the redis-cell README)', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const limiter = gcra({ burst: 15, count: 30, periodMs: 60_000, clock });
    expect(limiter.consume('user123')).toEqual({ allowed: true, remaining: 15, retryAfterMs: 0 });
  });
});

describe('token bucket, leaky bucket and GCRA', () => {
  it('should make the same decisions for the same capacity and rate: one algorithm, three representations', () => {
    const clock = new ManualClock();
    const limiters = [
      tokenBucket({ capacity: 5, refillPerSecond: 5, clock }),
      leakyBucket({ capacity: 5, leakPerSecond: 5, clock }),
      gcra({ burst: 4, count: 5, periodMs: 1000, clock }),
    ];
    const schedule: [advanceMs: number, cost: number][] = [
      [0, 3], [0, 3], [100, 1], [300, 2], [0, 1], [500, 5], [1000, 5], [0, 1], [200, 1], [100, 2], [600, 3],
    ];
    for (const [advanceMs, cost] of schedule) {
      clock.advance(advanceMs);
      const [token, leaky, cell] = limiters.map((limiter) => limiter.consume('a', cost));
      expect(leaky).toEqual(token);
      expect(cell).toEqual(token);
    }
  });
});

describe('options', () => {
  const clock = new ManualClock();
  it.each([
    { call: 'tokenBucket capacity 0', option: 'capacity', make: () => tokenBucket({ capacity: 0, refillPerSecond: 1, clock }) },
    { call: 'tokenBucket capacity 1.5', option: 'capacity', make: () => tokenBucket({ capacity: 1.5, refillPerSecond: 1, clock }) },
    { call: 'tokenBucket refillPerSecond 0', option: 'refillPerSecond', make: () => tokenBucket({ capacity: 1, refillPerSecond: 0, clock }) },
    { call: 'leakyBucket capacity -1', option: 'capacity', make: () => leakyBucket({ capacity: -1, leakPerSecond: 1, clock }) },
    { call: 'leakyBucket leakPerSecond NaN', option: 'leakPerSecond', make: () => leakyBucket({ capacity: 1, leakPerSecond: Number.NaN, clock }) },
    { call: 'fixedWindow limit 0', option: 'limit', make: () => fixedWindow({ limit: 0, windowMs: 1000, clock }) },
    { call: 'fixedWindow windowMs -5', option: 'windowMs', make: () => fixedWindow({ limit: 1, windowMs: -5, clock }) },
    { call: 'slidingWindowLog limit 2.5', option: 'limit', make: () => slidingWindowLog({ limit: 2.5, windowMs: 1000, clock }) },
    { call: 'slidingWindowLog windowMs Infinity', option: 'windowMs', make: () => slidingWindowLog({ limit: 1, windowMs: Infinity, clock }) },
    { call: 'slidingWindowCounter limit NaN', option: 'limit', make: () => slidingWindowCounter({ limit: Number.NaN, windowMs: 1000, clock }) },
    { call: 'slidingWindowCounter windowMs 0', option: 'windowMs', make: () => slidingWindowCounter({ limit: 1, windowMs: 0, clock }) },
    { call: 'gcra burst -1', option: 'burst', make: () => gcra({ burst: -1, count: 1, periodMs: 1000, clock }) },
    { call: 'gcra count 0', option: 'count', make: () => gcra({ burst: 0, count: 0, periodMs: 1000, clock }) },
    { call: 'gcra periodMs 0', option: 'periodMs', make: () => gcra({ burst: 0, count: 1, periodMs: 0, clock }) },
  ])('should reject $call with a RangeError naming $option', ({ option, make }) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(new RegExp(`^${option} `));
  });

  it('should accept burst 0 for gcra: one request at a time', () => {
    const limiter = gcra({ burst: 0, count: 1, periodMs: 1000, clock: new ManualClock() });
    expect(consumeTimes(limiter, 2).map((d) => d.allowed)).toEqual([true, false]);
  });
});

describe('properties', () => {
  const key = fc.constantFrom('a', 'b');
  // A power of two keeps window fractions exact in floating point.
  const periodMs = 1024;

  it.each(algorithms)('$name should never allow a cost above the limit, and keep remaining within 0..limit', ({ make }) => {
    const history = fc.array(fc.tuple(fc.nat(600), key, fc.integer({ min: 1, max: 20 })));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), history, (limit, requests) => {
        const clock = new ManualClock();
        const limiter = make(limit, periodMs, clock);
        for (const [gap, k, cost] of requests) {
          clock.advance(gap);
          const { allowed, remaining, retryAfterMs } = limiter.consume(k, cost);
          if (cost > limit && (allowed || retryAfterMs !== Infinity)) return false;
          if (remaining < 0 || remaining > limit) return false;
        }
        return true;
      }),
    );
  });

  it.each(algorithms)('$name should never deny a steady stream below the limit', ({ make, overcount }) => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.nat(100), fc.nat(5000), (limit, extraMs, start) => {
        const clock = new ManualClock(start);
        const limiter = make(limit, periodMs, clock);
        // Just slower than `limit` per period; the counter, which may over-count a steady stream
        // by one request, gets one request less.
        const interval = Math.floor(periodMs / (limit - overcount)) + 1 + extraMs;
        for (let i = 0; i < 40; i++) {
          if (!limiter.consume('a').allowed) return false;
          clock.advance(interval);
        }
        return true;
      }),
    );
  });

  it('slidingWindowLog should never admit more than limit in any window of windowMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 100, max: 2000 }),
        fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 1, max: 3 })), { maxLength: 80 }),
        (limit, windowMs, requests) => {
          const clock = new ManualClock();
          const limiter = slidingWindowLog({ limit, windowMs, clock });
          const admitted: { at: number; cost: number }[] = [];
          for (const [gap, cost] of requests) {
            clock.advance(gap);
            if (limiter.consume('a', cost).allowed) admitted.push({ at: clock.now(), cost });
          }
          for (const { at } of admitted) {
            const inWindow = admitted.filter((a) => a.at <= at && at - a.at < windowMs);
            expect(inWindow.reduce((n, a) => n + a.cost, 0)).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });

  it('tokenBucket should accumulate fractional refill however often it is polled', () => {
    fc.assert(
      // Capacity 2 or more, so that no poll ever finds the bucket full and clips the refill.
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 20 }), fc.nat(), (capacity, perSecond, seed) => {
        // Poll faster than one token refills, so that every poll earns only a fraction.
        const pollMs = 10 + (seed % Math.ceil(1000 / perSecond - 10));
        const clock = new ManualClock();
        const limiter = tokenBucket({ capacity, refillPerSecond: perSecond, clock });
        limiter.consume('a', capacity);
        let allowed = 0;
        while (clock.now() + pollMs <= 5000) {
          clock.advance(pollMs);
          if (limiter.consume('a').allowed) allowed++;
        }
        const earned = (clock.now() * perSecond) / 1000;
        expect(allowed).toBeGreaterThanOrEqual(Math.floor(earned) - 1);
        expect(allowed).toBeLessThanOrEqual(earned);
      }),
    );
  });
});

describe('windows against a model', () => {
  // The model keeps every admitted request and recomputes each decision from scratch.
  const limit = 4;
  const windowMs = 1024; // a power of two keeps the counter's weights exact in floating point

  interface Admitted {
    key: string;
    at: number;
    cost: number;
  }
  interface Model {
    now: number;
    admitted: Admitted[];
  }
  interface Real {
    clock: ManualClock;
    limiter: RateLimiter;
  }
  /** The requests a window algorithm counts at time `now`, given one key's admitted requests. */
  type Usage = (admitted: readonly Admitted[], now: number) => number;

  const total = (admitted: readonly Admitted[]): number => admitted.reduce((n, a) => n + a.cost, 0);
  const windowOf = (t: number): number => Math.floor(t / windowMs);
  const inWindow = (admitted: readonly Admitted[], window: number): number =>
    total(admitted.filter((a) => windowOf(a.at) === window));

  const windows: { name: string; make: (clock: Clock) => RateLimiter; usage: Usage }[] = [
    {
      name: 'fixedWindow',
      make: (clock) => fixedWindow({ limit, windowMs, clock }),
      usage: (admitted, now) => inWindow(admitted, windowOf(now)),
    },
    {
      name: 'slidingWindowLog',
      make: (clock) => slidingWindowLog({ limit, windowMs, clock }),
      usage: (admitted, now) => total(admitted.filter((a) => now - a.at < windowMs)),
    },
    {
      name: 'slidingWindowCounter',
      make: (clock) => slidingWindowCounter({ limit, windowMs, clock }),
      usage: (admitted, now) =>
        (inWindow(admitted, windowOf(now) - 1) * (windowMs - (now % windowMs))) / windowMs + inWindow(admitted, windowOf(now)),
    },
  ];

  class Advance implements fc.Command<Model, Real> {
    constructor(readonly ms: number) {}
    check = () => true;
    run(model: Model, real: Real): void {
      model.now += this.ms;
      real.clock.advance(this.ms);
    }
    toString = () => `advance(${this.ms})`;
  }

  class Consume implements fc.Command<Model, Real> {
    constructor(
      readonly usage: Usage,
      readonly key: string,
      readonly cost: number,
    ) {}
    check = () => true;
    run(model: Model, real: Real): void {
      const mine = model.admitted.filter((a) => a.key === this.key);
      const fits = (at: number) => this.usage(mine, at) + this.cost <= limit;
      const decision = real.limiter.consume(this.key, this.cost);
      if (fits(model.now)) {
        mine.push({ key: this.key, at: model.now, cost: this.cost });
        model.admitted.push({ key: this.key, at: model.now, cost: this.cost });
        const remaining = Math.floor(limit - this.usage(mine, model.now));
        expect(decision).toEqual({ allowed: true, remaining, retryAfterMs: 0 });
        return;
      }
      expect(decision.allowed).toBe(false);
      expect(decision.remaining).toBe(Math.floor(limit - this.usage(mine, model.now)));
      if (this.cost > limit) {
        expect(decision.retryAfterMs).toBe(Infinity);
      } else {
        // The wait is exact: the request fits after retryAfterMs, and not 1 ms earlier.
        expect(fits(model.now + decision.retryAfterMs)).toBe(true);
        expect(fits(model.now + decision.retryAfterMs - 1)).toBe(false);
      }
    }
    toString = () => `consume(${this.key}, ${this.cost})`;
  }

  it.each(windows)('$name should decide like a log of every admitted request', ({ make, usage }) => {
    const commands = fc.commands(
      [
        fc
          .oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 1500 }), fc.constant(windowMs))
          .map((ms) => new Advance(ms)),
        fc
          .tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: limit + 1 }))
          .map(([k, cost]) => new Consume(usage, k, cost)),
      ],
      { maxCommands: 60 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        fc.modelRun(() => {
          const clock = new ManualClock();
          return { model: { now: 0, admitted: [] }, real: { clock, limiter: make(clock) } };
        }, cmds);
      }),
    );
  });
});
