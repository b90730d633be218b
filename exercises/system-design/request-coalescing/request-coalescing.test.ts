import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deferred, flush, ManualClock, outcome, scriptedRandom, seededRandom, track, type Deferred, type Tracked } from '#testing';
import { createCoalescingCache, shouldRefreshEarly, singleFlight, type CoalescingCache } from './request-coalescing.ts';

const fulfilled = <T>(value: T): Tracked<T> => ({ state: 'fulfilled', value });

/**
 * A load that counts its calls and finishes when the test says so. `resolve` and `reject`
 * settle every load still pending, so that a test never hangs on an unexpected extra load: it
 * fails on `calls` instead.
 */
function controlledLoad<V>() {
  let pending: Deferred<V>[] = [];
  const settleAll = (settle: (load: Deferred<V>) => void) => {
    const loads = pending;
    pending = [];
    loads.forEach(settle);
  };
  const control = {
    calls: 0,
    load: (): Promise<V> => {
      control.calls += 1;
      const load = deferred<V>();
      pending.push(load);
      return load.promise;
    },
    resolve: (value: V) => settleAll((load) => load.resolve(value)),
    reject: (error: Error) => settleAll((load) => load.reject(error)),
  };
  return control;
}

describe('singleFlight', () => {
  describe('do', () => {
    it('should share one load between concurrent callers of a key', async () => {
      const flights = singleFlight<string, string>();
      const trip = controlledLoad<string>();
      const first = flights.do('trip:42', trip.load);
      const second = flights.do('trip:42', trip.load);
      expect(trip.calls).toBe(1);
      trip.resolve('Amsterdam → Lisbon');
      expect(await Promise.all([first, second])).toEqual(['Amsterdam → Lisbon', 'Amsterdam → Lisbon']);
    });

    it('should report the key as in flight until its load settles', async () => {
      const flights = singleFlight<string, number>();
      const trip = controlledLoad<number>();
      expect(flights.inFlight('trip:42')).toBe(false);
      const call = flights.do('trip:42', trip.load);
      expect(flights.inFlight('trip:42')).toBe(true);
      trip.resolve(1);
      await call;
      expect(flights.inFlight('trip:42')).toBe(false);
    });

    it('should load again once the previous load has settled: it coalesces, it does not cache', async () => {
      const flights = singleFlight<string, number>();
      const trip = controlledLoad<number>();
      const first = flights.do('trip:42', trip.load);
      trip.resolve(1);
      expect(await first).toBe(1);
      const second = flights.do('trip:42', trip.load);
      expect(trip.calls).toBe(2);
      trip.resolve(2);
      expect(await second).toBe(2);
    });

    it('should give every waiting caller the same error, and load again on the next call', async () => {
      const flights = singleFlight<string, number>();
      const trip = controlledLoad<number>();
      const callers = [flights.do('trip:42', trip.load), flights.do('trip:42', trip.load), flights.do('trip:42', trip.load)];
      trip.reject(new Error('database timeout'));
      const outcomes = await Promise.all(callers.map(outcome));
      expect(outcomes.map((o) => (o.error as Error).message)).toEqual(['database timeout', 'database timeout', 'database timeout']);
      expect(trip.calls).toBe(1);
      expect(flights.inFlight('trip:42')).toBe(false);
      const retry = flights.do('trip:42', trip.load);
      expect(trip.calls).toBe(2);
      trip.resolve(7);
      expect(await retry).toBe(7);
    });

    it('should keep keys independent', async () => {
      const flights = singleFlight<string, string>();
      const loads: string[] = [];
      const load = (key: string) => () => {
        loads.push(key);
        return Promise.resolve(key.toUpperCase());
      };
      const calls = [flights.do('a', load('a')), flights.do('b', load('b')), flights.do('a', load('a'))];
      expect(loads).toEqual(['a', 'b']);
      expect(await Promise.all(calls)).toEqual(['A', 'B', 'A']);
    });

    it('should treat a load that throws instead of returning a promise as a failed load', async () => {
      const flights = singleFlight<string, number>();
      const broken = (): Promise<number> => {
        throw new TypeError('not a promise');
      };
      await expect(flights.do('k', broken)).rejects.toThrow(TypeError);
      expect(flights.inFlight('k')).toBe(false);
      await expect(flights.do('k', () => Promise.resolve(3))).resolves.toBe(3);
    });
  });
});

describe('shouldRefreshEarly', () => {
  // -ln(0.5) = 0.693..., so with deltaMs 100 and beta 1 the head start is 69.3 ms.
  const half = () => 0.5;

  it('should never refresh early a value that took no time to compute', () => {
    expect(shouldRefreshEarly({ now: 0, expiresAt: 1000, deltaMs: 0, random: half })).toBe(false);
    expect(shouldRefreshEarly({ now: 999, expiresAt: 1000, deltaMs: 0, random: () => 0.000_001 })).toBe(false);
  });

  it('should refresh early when the random draw is tiny', () => {
    // -ln(1e-9) = 20.7: a head start of 2,072 ms.
    expect(shouldRefreshEarly({ now: 0, expiresAt: 2000, deltaMs: 100, random: () => 1e-9 })).toBe(true);
  });

  it('should not refresh early when the random draw is close to 1', () => {
    // -ln(0.999999) = 0.000001: a head start of 0.0001 ms.
    expect(shouldRefreshEarly({ now: 0, expiresAt: 1, deltaMs: 100, random: () => 0.999_999 })).toBe(false);
  });

  it('should refresh once now - deltaMs * beta * ln(random()) reaches expiresAt', () => {
    expect(shouldRefreshEarly({ now: 930, expiresAt: 1000, deltaMs: 100, random: half })).toBe(false);
    expect(shouldRefreshEarly({ now: 931, expiresAt: 1000, deltaMs: 100, random: half })).toBe(true);
  });

  it('should scale the head start by beta, 1 by default', () => {
    expect(shouldRefreshEarly({ now: 931, expiresAt: 1000, deltaMs: 100, beta: 1, random: half })).toBe(true);
    expect(shouldRefreshEarly({ now: 861, expiresAt: 1000, deltaMs: 100, beta: 2, random: half })).toBe(false);
    expect(shouldRefreshEarly({ now: 862, expiresAt: 1000, deltaMs: 100, beta: 2, random: half })).toBe(true);
    expect(shouldRefreshEarly({ now: 999, expiresAt: 1000, deltaMs: 100, beta: 0, random: () => 1e-9 })).toBe(false);
  });

  it('should always refresh a value that has expired, whatever the draw', () => {
    for (const r of [0, 0.5, 0.999_999]) {
      expect(shouldRefreshEarly({ now: 1000, expiresAt: 1000, deltaMs: 100, random: () => r })).toBe(true);
      expect(shouldRefreshEarly({ now: 5000, expiresAt: 1000, deltaMs: 0, random: () => r })).toBe(true);
    }
  });

  it('should draw exactly one random number per decision', () => {
    let draws = 0;
    const random = () => {
      draws += 1;
      return 0.5;
    };
    shouldRefreshEarly({ now: 0, expiresAt: 1000, deltaMs: 100, random });
    expect(draws).toBe(1);
  });

  it.each([
    { name: 'deltaMs', bad: 'deltaMs -1', input: { deltaMs: -1 } },
    { name: 'deltaMs', bad: 'deltaMs NaN', input: { deltaMs: Number.NaN } },
    { name: 'beta', bad: 'beta -0.5', input: { beta: -0.5 } },
    { name: 'beta', bad: 'beta Infinity', input: { beta: Number.POSITIVE_INFINITY } },
    { name: 'now', bad: 'now NaN', input: { now: Number.NaN } },
    { name: 'expiresAt', bad: 'expiresAt Infinity', input: { expiresAt: Number.POSITIVE_INFINITY } },
    { name: 'random', bad: 'random() returning 1', input: { random: () => 1 } },
    { name: 'random', bad: 'random() returning -0.1', input: { random: () => -0.1 } },
  ])('should reject $bad with a RangeError naming $name', ({ name, input }) => {
    const call = () => shouldRefreshEarly({ now: 0, expiresAt: 1000, deltaMs: 100, random: half, ...input });
    expect(call).toThrow(RangeError);
    expect(call).toThrow(name);
  });
});

describe('createCoalescingCache', () => {
  const setup = ({ ttlMs = 1000, beta = 1, random = scriptedRandom([0.5]) } = {}) => {
    const clock = new ManualClock();
    const trip = controlledLoad<string>();
    const keys: string[] = [];
    const load = (key: string) => {
      keys.push(key);
      return trip.load();
    };
    const cache = createCoalescingCache<string, string>({ load, ttlMs, clock, random, beta });
    return { clock, trip, keys, cache };
  };

  it('should load on a miss, then serve from the cache while the entry is fresh', async () => {
    const { clock, trip, keys, cache } = setup();
    const miss = cache.get('trip:42');
    trip.resolve('v1');
    expect(await miss).toBe('v1');
    clock.advance(999);
    expect(await outcome(cache.get('trip:42'))).toEqual(fulfilled('v1'));
    expect(keys).toEqual(['trip:42']);
  });

  it('should load again once the entry has expired, ttlMs after its load finished', async () => {
    const { clock, trip, cache } = setup({ ttlMs: 1000 });
    const first = cache.get('trip:42');
    trip.resolve('v1');
    await first;
    clock.advance(1000);
    const second = cache.get('trip:42');
    expect(trip.calls).toBe(2);
    trip.resolve('v2');
    expect(await second).toBe('v2');
  });

  it('should coalesce concurrent misses into one load', async () => {
    const { trip, cache } = setup();
    const callers = Array.from({ length: 5 }, () => cache.get('trip:42'));
    expect(trip.calls).toBe(1);
    trip.resolve('v1');
    expect(await Promise.all(callers)).toEqual(['v1', 'v1', 'v1', 'v1', 'v1']);
  });

  it('should coalesce the stampede when a hot entry expires', async () => {
    const { clock, trip, cache } = setup();
    const first = cache.get('trip:42');
    trip.resolve('v1');
    await first;
    clock.advance(5000);
    const stampede = Array.from({ length: 100 }, () => cache.get('trip:42'));
    expect(trip.calls).toBe(2);
    trip.resolve('v2');
    expect(new Set(await Promise.all(stampede))).toEqual(new Set(['v2']));
  });

  it('should reject every waiting caller when the load fails, cache nothing, and load again next time', async () => {
    const { trip, cache } = setup();
    const callers = [cache.get('trip:42'), cache.get('trip:42')];
    trip.reject(new Error('database timeout'));
    const outcomes = await Promise.all(callers.map(outcome));
    expect(outcomes.map((o) => o.state)).toEqual(['rejected', 'rejected']);
    const retry = cache.get('trip:42');
    expect(trip.calls).toBe(2);
    trip.resolve('v1');
    expect(await retry).toBe('v1');
  });

  it('should refresh early, with delta measured as the time the last load took', async () => {
    // The load takes 100 ms and finishes at t = 100: the entry expires at 1100. With random 0.5
    // the head start is 100 * ln 2 = 69.3 ms, so reads refresh from t = 1030.7 on.
    const { clock, trip, cache } = setup({ ttlMs: 1000 });
    const first = cache.get('trip:42');
    clock.advance(100);
    trip.resolve('v1');
    await first;
    clock.set(1030);
    expect(await outcome(cache.get('trip:42'))).toEqual(fulfilled('v1'));
    expect(trip.calls).toBe(1);
    clock.set(1031);
    const early = cache.get('trip:42');
    expect(trip.calls).toBe(2);
    trip.resolve('v2');
    expect(await early).toBe('v2');
  });

  it('should refresh earlier with a larger beta', async () => {
    // beta 2 doubles the head start to 138.6 ms: refreshes from t = 961.4 on.
    const { clock, trip, cache } = setup({ ttlMs: 1000, beta: 2 });
    const first = cache.get('trip:42');
    clock.advance(100);
    trip.resolve('v1');
    await first;
    clock.set(961);
    expect(await outcome(cache.get('trip:42'))).toEqual(fulfilled('v1'));
    expect(trip.calls).toBe(1);
    clock.set(962);
    void cache.get('trip:42');
    expect(trip.calls).toBe(2);
    trip.resolve('v2');
  });

  it('should serve the cached value to callers not picked while an early refresh is in flight', async () => {
    // The first read draws 0.001 (picked: head start 690 ms), the next ones 0.999 (not picked).
    const { clock, trip, cache } = setup({ random: scriptedRandom([0.001, 0.999]) });
    const first = cache.get('trip:42');
    clock.advance(100);
    trip.resolve('v1');
    await first;
    clock.set(600);
    const refresh = track(cache.get('trip:42'));
    expect(trip.calls).toBe(2);
    expect(await outcome(cache.get('trip:42'))).toEqual(fulfilled('v1'));
    expect(refresh.state).toBe('pending');
    trip.resolve('v2');
    await flush();
    expect(refresh).toEqual(fulfilled('v2'));
    expect(await outcome(cache.get('trip:42'))).toEqual(fulfilled('v2'));
  });

  it('should let a caller picked to refresh early join the refresh already in flight', async () => {
    const { clock, trip, cache } = setup({ random: scriptedRandom([0.001]) });
    const first = cache.get('trip:42');
    clock.advance(100);
    trip.resolve('v1');
    await first;
    clock.set(600);
    const picked = [cache.get('trip:42'), cache.get('trip:42'), cache.get('trip:42')];
    expect(trip.calls).toBe(2);
    trip.resolve('v2');
    expect(await Promise.all(picked)).toEqual(['v2', 'v2', 'v2']);
  });

  it('should keep a fresh entry when its early refresh fails', async () => {
    const { clock, trip, cache } = setup({ random: scriptedRandom([0.001, 0.999]) });
    const first = cache.get('trip:42');
    clock.advance(100);
    trip.resolve('v1');
    await first;
    clock.set(600);
    const refresh = cache.get('trip:42');
    trip.reject(new Error('database timeout'));
    await expect(refresh).rejects.toThrow('database timeout');
    expect(await outcome(cache.get('trip:42'))).toEqual(fulfilled('v1'));
    expect(trip.calls).toBe(2);
  });

  it('should keep keys independent', async () => {
    const { trip, keys, cache } = setup();
    const a = cache.get('a');
    trip.resolve('A');
    await a;
    const b = cache.get('b');
    trip.resolve('B');
    expect(await b).toBe('B');
    expect(await outcome(cache.get('a'))).toEqual(fulfilled('A'));
    expect(keys).toEqual(['a', 'b']);
  });

  it.each([
    { name: 'ttlMs', options: { ttlMs: 0 } },
    { name: 'ttlMs', options: { ttlMs: -1 } },
    { name: 'ttlMs', options: { ttlMs: Number.NaN } },
    { name: 'ttlMs', options: { ttlMs: Number.POSITIVE_INFINITY } },
    { name: 'beta', options: { beta: -1 } },
    { name: 'beta', options: { beta: Number.NaN } },
  ])('should reject $options with a RangeError naming $name', ({ name, options }) => {
    const make = () =>
      createCoalescingCache({ load: () => Promise.resolve(1), ttlMs: 1000, clock: new ManualClock(), random: Math.random, ...options });
    expect(make).toThrow(RangeError);
    expect(make).toThrow(name);
  });

  it('should reject a load that is not a function with a TypeError', () => {
    const load = 'SELECT * FROM trips' as unknown as () => Promise<number>;
    expect(() => createCoalescingCache({ load, ttlMs: 1000, clock: new ManualClock(), random: Math.random })).toThrow(TypeError);
  });
});

describe('properties', () => {
  it('singleFlight should hand every caller the outcome of the one load it started or joined, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        async (s, callers, failures) => {
          const flights = singleFlight<string, number>();
          let loads = 0;
          // Load n settles when the scheduler says so, with n or with an error naming n.
          const load = (): Promise<number> => {
            const n = ++loads;
            return s.schedule(Promise.resolve(), `load ${n} settles`).then(() => {
              if (failures[n - 1]) throw new Error(`load ${n} failed`);
              return n;
            });
          };
          const runs = Array.from({ length: callers }, (_, i) =>
            s.schedule(Promise.resolve(), `caller ${i} arrives`).then(async () => {
              // A caller joins the load in flight, or starts the next one.
              const expected = flights.inFlight('k') ? loads : loads + 1;
              const outcome = await flights.do('k', load).then(
                (value) => ({ value }),
                (error: Error) => ({ error: error.message }),
              );
              expect(outcome).toEqual(failures[expected - 1] ? { error: `load ${expected} failed` } : { value: expected });
            }),
          );
          await s.waitIdle();
          await Promise.all(runs);
          expect(loads).toBeGreaterThanOrEqual(1);
          expect(flights.inFlight('k')).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('shouldRefreshEarly should decide exactly by now - deltaMs * beta * ln(random()) >= expiresAt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.double({ min: Number.MIN_VALUE, max: 1, maxExcluded: true, noNaN: true }),
        (now, expiresAt, deltaMs, beta, r) => {
          const expected = now - deltaMs * beta * Math.log(r) >= expiresAt;
          expect(shouldRefreshEarly({ now, expiresAt, deltaMs, beta, random: () => r })).toBe(expected);
        },
      ),
    );
  });

  it('shouldRefreshEarly should only grow more likely as the expiry nears: monotone in now for a fixed draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (earlier, later, expiresAt, deltaMs, r) => {
          fc.pre(earlier <= later);
          const at = (now: number) => shouldRefreshEarly({ now, expiresAt, deltaMs, random: () => r });
          if (at(earlier)) expect(at(later)).toBe(true);
        },
      ),
    );
  });

  it('shouldRefreshEarly should refresh with probability exp(-(expiresAt - now) / (deltaMs * beta))', () => {
    const random = seededRandom(2015);
    const draws = 10_000;
    for (const gap of [50, 100, 200]) {
      let early = 0;
      for (let i = 0; i < draws; i++) {
        if (shouldRefreshEarly({ now: 1000 - gap, expiresAt: 1000, deltaMs: 100, random })) early++;
      }
      // exp(-0.5) = 0.607, exp(-1) = 0.368, exp(-2) = 0.135; the standard error is below 0.005.
      expect(early / draws).toBeCloseTo(Math.exp(-gap / 100), 1);
    }
  });
});

describe('createCoalescingCache against a model', () => {
  const ttlMs = 100;

  interface Flight {
    startedAt: number;
    waiters: Tracked<string>[];
  }
  interface Model {
    now: number;
    loads: number;
    settled: number;
    entries: Map<string, { value: string; expiresAt: number; deltaMs: number }>;
    flights: Map<string, Flight>;
  }
  interface Real {
    clock: ManualClock;
    cache: CoalescingCache<string, string>;
    /** The number random() returns. */
    draw: { r: number };
    /** The calls of load so far, and the last one for each key, which the test settles. */
    loads: { count: number; pending: Map<string, Deferred<string>> };
  }

  class Get implements fc.AsyncCommand<Model, Real> {
    constructor(
      readonly key: string,
      readonly r: number,
    ) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
      real.draw.r = this.r;
      const got = track(real.cache.get(this.key));
      await flush();
      const entry = model.entries.get(this.key);
      const flight = model.flights.get(this.key);
      if (entry !== undefined && model.now - entry.deltaMs * Math.log(this.r) < entry.expiresAt) {
        expect(got).toEqual(fulfilled(entry.value));
      } else if (flight !== undefined) {
        expect(got.state).toBe('pending');
        flight.waiters.push(got);
      } else {
        expect(got.state).toBe('pending');
        model.loads += 1;
        model.flights.set(this.key, { startedAt: model.now, waiters: [got] });
      }
      expect(real.loads.count).toBe(model.loads);
    }
    toString = () => `get(${this.key}) drawing ${this.r}`;
  }

  class Settle implements fc.AsyncCommand<Model, Real> {
    constructor(
      readonly key: string,
      readonly fails: boolean,
    ) {}
    check = (model: Readonly<Model>) => model.flights.has(this.key);
    async run(model: Model, real: Real): Promise<void> {
      const flight = model.flights.get(this.key)!;
      model.flights.delete(this.key);
      const value = `v${++model.settled}`;
      const load = real.loads.pending.get(this.key)!;
      if (this.fails) load.reject(new Error(`load of ${this.key} failed`));
      else load.resolve(value);
      await flush();
      const outcome = this.fails ? { state: 'rejected', error: new Error(`load of ${this.key} failed`) } : { state: 'fulfilled', value };
      for (const waiter of flight.waiters) expect(waiter).toEqual(outcome);
      if (!this.fails) model.entries.set(this.key, { value, expiresAt: model.now + ttlMs, deltaMs: model.now - flight.startedAt });
      expect(real.loads.count).toBe(model.loads);
    }
    toString = () => `${this.fails ? 'fail' : 'finish'} the load of ${this.key}`;
  }

  class Advance implements fc.AsyncCommand<Model, Real> {
    constructor(readonly ms: number) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
      model.now += this.ms;
      real.clock.advance(this.ms);
    }
    toString = () => `advance(${this.ms})`;
  }

  it('should load, coalesce, serve and refresh like a map of entries and flights', async () => {
    const key = fc.constantFrom('a', 'b');
    const commands = fc.commands(
      [
        fc.tuple(key, fc.constantFrom(0.01, 0.5, 0.99)).map(([k, r]) => new Get(k, r)),
        fc.integer({ min: 1, max: 60 }).map((ms) => new Advance(ms)),
        fc.tuple(key, fc.boolean()).map(([k, fails]) => new Settle(k, fails)),
      ],
      { maxCommands: 30 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const setup = () => {
          const clock = new ManualClock();
          const draw = { r: 0.5 };
          const loads = { count: 0, pending: new Map<string, Deferred<string>>() };
          const cache = createCoalescingCache<string, string>({
            load: (k) => {
              loads.count += 1;
              const load = deferred<string>();
              loads.pending.set(k, load);
              return load.promise;
            },
            ttlMs,
            clock,
            random: () => draw.r,
          });
          const model: Model = { now: 0, loads: 0, settled: 0, entries: new Map(), flights: new Map() };
          return { model, real: { clock, cache, draw, loads } };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 40 },
    );
  });
});
