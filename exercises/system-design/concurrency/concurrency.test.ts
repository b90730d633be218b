import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deferred, flush, outcome, track, type Deferred } from '#testing';
import { mapWithConcurrency, Mutex, Semaphore, type Release } from './concurrency.ts';

/** Increments `counter` `times` times; each increment reads, awaits `pause()` (a database call, say), then writes. */
async function incrementLoop(counter: { value: number }, times: number, pause: () => Promise<void>, mutex?: Mutex): Promise<void> {
  const increment = async () => {
    const read = counter.value;
    await pause();
    counter.value = read + 1;
  };
  for (let i = 0; i < times; i++) {
    if (mutex === undefined) await increment();
    else await mutex.runExclusive(increment);
  }
}

describe('the lost update', () => {
  it('should lose updates between two awaits without a lock, and none with a Mutex', async () => {
    const pause = () => Promise.resolve();
    const unlocked = { value: 0 };
    await Promise.all([incrementLoop(unlocked, 100, pause), incrementLoop(unlocked, 100, pause)]);
    // Each loop reads, yields, and writes back its stale read: every round, both write the same value.
    expect(unlocked.value).toBe(100);

    const mutex = new Mutex();
    const locked = { value: 0 };
    await Promise.all([incrementLoop(locked, 100, pause, mutex), incrementLoop(locked, 100, pause, mutex)]);
    expect(locked.value).toBe(200);
  });
});

describe('Mutex', () => {
  it('should let one holder in at a time', async () => {
    const mutex = new Mutex();
    expect(mutex.locked).toBe(false);
    const release = await mutex.lock();
    expect(mutex.locked).toBe(true);
    const second = await outcome(mutex.lock());
    const third = await outcome(mutex.lock());
    expect(second.state).toBe('pending');
    release();
    await flush();
    expect(second.state).toBe('fulfilled');
    expect(third.state).toBe('pending');
    expect(mutex.locked).toBe(true);
    second.value!();
    await flush();
    expect(third.state).toBe('fulfilled');
    third.value!();
    expect(mutex.locked).toBe(false);
  });

  it('should hand the lock over in FIFO order', async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    const release = await mutex.lock();
    for (const name of ['first', 'second', 'third']) {
      void mutex.lock().then((next) => {
        order.push(name);
        next();
      });
    }
    release();
    await flush();
    expect(order).toEqual(['first', 'second', 'third']);
    expect(mutex.locked).toBe(false);
  });

  it('should run runExclusive functions one at a time and return their results', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} in`);
      await Promise.resolve();
      log.push(`${name} out`);
      return name.toUpperCase();
    };
    const results = await Promise.all([mutex.runExclusive(task('a')), mutex.runExclusive(task('b'))]);
    expect(results).toEqual(['A', 'B']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('should release the lock when the function throws, and reject with its error', async () => {
    const mutex = new Mutex();
    await expect(
      mutex.runExclusive(() => {
        throw new Error('seat already taken');
      }),
    ).rejects.toThrow('seat already taken');
    expect(mutex.locked).toBe(false);
    await expect(mutex.runExclusive(() => 'next')).resolves.toBe('next');
  });

  it('should ignore a second call of the same release function', async () => {
    const mutex = new Mutex();
    const release = await mutex.lock();
    const second = track(mutex.lock());
    const third = track(mutex.lock());
    release();
    release();
    await flush();
    expect(second.state).toBe('fulfilled');
    expect(third.state).toBe('pending');
    expect(mutex.locked).toBe(true);
  });
});

describe('Semaphore', () => {
  it('should let `permits` holders in at once and queue the rest', async () => {
    const semaphore = new Semaphore(2);
    const holders = [await outcome(semaphore.acquire()), await outcome(semaphore.acquire()), await outcome(semaphore.acquire())];
    expect(holders.map((h) => h.state)).toEqual(['fulfilled', 'fulfilled', 'pending']);
    expect(semaphore.available).toBe(0);
    expect(semaphore.waiting).toBe(1);
    holders[0]!.value!();
    await flush();
    expect(holders[2]!.state).toBe('fulfilled');
    expect(semaphore.available).toBe(0);
    expect(semaphore.waiting).toBe(0);
  });

  it('should count its available permits as they are taken and returned', async () => {
    const semaphore = new Semaphore(3);
    expect(semaphore.available).toBe(3);
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    expect(semaphore.available).toBe(1);
    a();
    b();
    expect(semaphore.available).toBe(3);
  });

  it('should give a released permit to the longest waiter, never to a newcomer', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const takeTurn = (name: string) => (next: Release) => {
      order.push(name);
      next();
    };
    const release = await semaphore.acquire();
    void semaphore.acquire().then(takeTurn('waiter'));
    release();
    // Arrives after the release, before the waiter has run: it must queue behind it.
    void semaphore.acquire().then(takeTurn('newcomer'));
    await flush();
    expect(order).toEqual(['waiter', 'newcomer']);
    expect(semaphore.available).toBe(1);
  });

  it('should release its permit however the function given to use ends', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.use(async () => 'booked')).resolves.toBe('booked');
    await expect(
      semaphore.use(async () => {
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect(semaphore.available).toBe(1);
  });

  it('should ignore a second release, never holding more than its permits', async () => {
    const semaphore = new Semaphore(2);
    const release = await semaphore.acquire();
    release();
    release();
    expect(semaphore.available).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject %s permits with a RangeError', (permits) => {
    expect(() => new Semaphore(permits)).toThrow(RangeError);
    expect(() => new Semaphore(permits)).toThrow(/permits/);
  });
});

describe('mapWithConcurrency', () => {
  /** An fn whose calls finish when the test says so, and a log of the calls started. */
  function controlled<T>() {
    const calls: { item: T; index: number; done: Deferred<string> }[] = [];
    const fn = (item: T, index: number): Promise<string> => {
      const done = deferred<string>();
      calls.push({ item, index, done });
      return done.promise;
    };
    return { calls, fn };
  }

  it('should map every item and resolve with the results in input order', async () => {
    await expect(mapWithConcurrency([1, 2, 3], 2, async (n) => n * 10)).resolves.toEqual([10, 20, 30]);
  });

  it('should pass each item with its index', async () => {
    await expect(mapWithConcurrency(['a', 'b'], 1, async (item, index) => `${index}:${item}`)).resolves.toEqual(['0:a', '1:b']);
  });

  it('should keep input order when calls finish out of order', async () => {
    const { calls, fn } = controlled<string>();
    const result = track(mapWithConcurrency(['a', 'b', 'c'], 3, fn));
    for (const finishing of [2, 0, 1]) {
      calls[finishing]!.done.resolve(calls[finishing]!.item.toUpperCase());
      await flush();
    }
    expect(result).toEqual({ state: 'fulfilled', value: ['A', 'B', 'C'] });
  });

  it('should run at most `limit` calls at once, starting the next as soon as one finishes', async () => {
    const { calls, fn } = controlled<number>();
    const result = track(mapWithConcurrency([0, 1, 2, 3, 4], 2, fn));
    expect(calls.map((c) => c.index)).toEqual([0, 1]);
    // Not in batches: when call 1 finishes, call 2 starts even though call 0 is still running.
    calls[1]!.done.resolve('1');
    await flush();
    expect(calls.map((c) => c.index)).toEqual([0, 1, 2]);
    calls[0]!.done.resolve('0');
    calls[2]!.done.resolve('2');
    await flush();
    expect(calls.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    calls[3]!.done.resolve('3');
    calls[4]!.done.resolve('4');
    await flush();
    expect(result).toEqual({ state: 'fulfilled', value: ['0', '1', '2', '3', '4'] });
  });

  it('should reject with the first error and start nothing after it', async () => {
    const { calls, fn } = controlled<number>();
    const result = track(mapWithConcurrency([0, 1, 2, 3, 4], 2, fn));
    calls[1]!.done.reject(new Error('trip 1 is full'));
    await flush();
    expect(result.state).toBe('rejected');
    expect((result.error as Error).message).toBe('trip 1 is full');
    // The call still running may finish, or fail too: nothing new starts, and the outcome stays.
    calls[0]!.done.resolve('0');
    await flush();
    expect(calls).toHaveLength(2);
    expect((result.error as Error).message).toBe('trip 1 is full');
  });

  it('should read items lazily, only as it starts them', async () => {
    let pulled = 0;
    function* trips() {
      for (let id = 0; id < 10; id++) {
        pulled += 1;
        yield id;
      }
    }
    const { calls, fn } = controlled<number>();
    void track(mapWithConcurrency(trips(), 2, fn));
    expect(pulled).toBe(2);
    calls[0]!.done.reject(new Error('stop'));
    await flush();
    expect(pulled).toBe(2);
  });

  it('should treat an fn that throws instead of returning a promise as a failure', async () => {
    const fn = (n: number): Promise<number> => {
      if (n === 2) throw new TypeError('bad item');
      return Promise.resolve(n);
    };
    await expect(mapWithConcurrency([1, 2, 3], 1, fn)).rejects.toThrow(TypeError);
  });

  it('should resolve with [] for no items, without calling fn', async () => {
    let called = false;
    const fn = async () => {
      called = true;
    };
    await expect(mapWithConcurrency([], 3, fn)).resolves.toEqual([]);
    expect(called).toBe(false);
  });

  it('should accept any iterable and a limit larger than the number of items', async () => {
    await expect(mapWithConcurrency(new Set(['x', 'y']), 100, async (s) => s.toUpperCase())).resolves.toEqual(['X', 'Y']);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject a limit of %s with a RangeError', async (limit) => {
    await expect(mapWithConcurrency([1], limit, async (n) => n)).rejects.toThrow(RangeError);
    await expect(mapWithConcurrency([1], limit, async (n) => n)).rejects.toThrow(/limit/);
  });

  it('should reject an fn that is not a function with a TypeError', async () => {
    const fn = 'n => n' as unknown as (n: number) => Promise<number>;
    await expect(mapWithConcurrency([1], 1, fn)).rejects.toThrow(TypeError);
  });
});

describe('properties', () => {
  it('Mutex should count every increment under every interleaving, while some interleaving loses updates without it', async () => {
    // Two loops of 5 increments, with fast-check choosing which pending await resumes next.
    const race = async (s: fc.Scheduler, mutex?: Mutex): Promise<number> => {
      const counter = { value: 0 };
      const pause = () => s.schedule(Promise.resolve());
      const loops = Promise.all([incrementLoop(counter, 5, pause, mutex), incrementLoop(counter, 5, pause, mutex)]);
      await s.waitFor(loops);
      return counter.value;
    };
    // Without the lock, fast-check finds a schedule that loses updates (and stops there)...
    await expect(
      fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          expect(await race(s)).toBe(10);
        }),
        { endOnFailure: true },
      ),
    ).rejects.toThrow(/Property failed/);
    // ...with it, every schedule it tries counts them all.
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        expect(await race(s, new Mutex())).toBe(10);
      }),
      { numRuns: 25 },
    );
  });

  it('Semaphore should never admit more than `permits` holders, and let every task through, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), async (s, permits, tasks) => {
        const semaphore = new Semaphore(permits);
        let inside = 0;
        let most = 0;
        let done = 0;
        const runs = Array.from({ length: tasks }, (_, i) =>
          s.schedule(Promise.resolve(), `task ${i} arrives`).then(() =>
            semaphore.use(async () => {
              inside += 1;
              most = Math.max(most, inside);
              await s.schedule(Promise.resolve(), `task ${i} works`);
              inside -= 1;
              done += 1;
            }),
          ),
        );
        await s.waitIdle();
        await Promise.all(runs);
        expect(most).toBeLessThanOrEqual(permits);
        expect(done).toBe(tasks);
        expect(semaphore.available).toBe(permits);
      }),
      { numRuns: 30 },
    );
  });

  it('mapWithConcurrency should fill `limit` slots, never exceed them, and keep input order, whatever order calls finish in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.integer(), { maxLength: 10 }), fc.integer({ min: 1, max: 4 }), async (s, items, limit) => {
        let running = 0;
        let most = 0;
        const result = mapWithConcurrency(items, limit, async (item, index) => {
          running += 1;
          most = Math.max(most, running);
          await s.schedule(Promise.resolve(), `call ${index}`);
          running -= 1;
          return item * 2;
        });
        await s.waitIdle();
        expect(await result).toEqual(items.map((item) => item * 2));
        expect(most).toBe(Math.min(limit, items.length));
      }),
      { numRuns: 30 },
    );
  });

  it('mapWithConcurrency should reject with the first failure and start nothing after it, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 4 }),
        async (s, fails, limit) => {
          const log: string[] = [];
          const result = mapWithConcurrency(fails, limit, async (fail, index) => {
            log.push(`start ${index}`);
            await s.schedule(Promise.resolve(), `call ${index}`);
            if (fail) {
              log.push(`fail ${index}`);
              throw new Error(`call ${index} failed`);
            }
            return index;
          }).then(
            (values) => ({ values }),
            (error: Error) => {
              log.push('rejected');
              return { error: error.message };
            },
          );
          await s.waitIdle();
          const settled = await result;
          const firstFailure = log.findIndex((entry) => entry.startsWith('fail'));
          if (firstFailure === -1) {
            expect(settled).toEqual({ values: fails.map((_, index) => index) });
          } else {
            expect(settled).toEqual({ error: `call ${log[firstFailure]!.slice('fail '.length)} failed` });
            const rejectedAt = log.indexOf('rejected');
            expect(log.slice(rejectedAt).filter((entry) => entry.startsWith('start'))).toEqual([]);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('Semaphore against a model', () => {
  // The model: who holds a permit, who waits in which order, and how many permits are free.
  interface Model {
    available: number;
    holders: number[];
    queue: number[];
    /** Every id ever granted, in grant order: the ones a release may name. */
    granted: number[];
    nextId: number;
  }
  interface Real {
    semaphore: Semaphore;
    /** The release function of each id granted so far, in grant order. */
    grants: Map<number, Release>;
  }

  const expectSameState = (model: Model, real: Real): void => {
    expect([...real.grants.keys()]).toEqual(model.granted);
    expect(real.semaphore.available).toBe(model.available);
    expect(real.semaphore.waiting).toBe(model.queue.length);
  };

  const grant = (model: Model, id: number): void => {
    model.holders.push(id);
    model.granted.push(id);
  };

  class AcquireCommand implements fc.AsyncCommand<Model, Real> {
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
      const id = model.nextId++;
      void real.semaphore.acquire().then((release) => real.grants.set(id, release));
      await flush();
      if (model.available > 0) {
        model.available -= 1;
        grant(model, id);
      } else {
        model.queue.push(id);
      }
      expectSameState(model, real);
    }
    toString = () => 'acquire()';
  }

  class ReleaseCommand implements fc.AsyncCommand<Model, Real> {
    constructor(
      readonly pick: number,
      readonly twice: boolean,
    ) {}
    check = (model: Readonly<Model>) => model.granted.length > 0;
    async run(model: Model, real: Real): Promise<void> {
      const id = model.granted[this.pick % model.granted.length]!;
      const release = real.grants.get(id);
      expect(release).toBeDefined();
      release!();
      if (this.twice) release!();
      await flush();
      const held = model.holders.indexOf(id);
      if (held !== -1) {
        model.holders.splice(held, 1);
        const next = model.queue.shift();
        if (next === undefined) model.available += 1;
        else grant(model, next);
      }
      expectSameState(model, real);
    }
    toString = () => `release #${this.pick}${this.twice ? ' twice' : ''}`;
  }

  it('should grant, queue and hand over permits like a counter and a FIFO queue', async () => {
    const commands = fc.commands(
      [fc.constant(new AcquireCommand()), fc.tuple(fc.nat(20), fc.boolean()).map(([pick, twice]) => new ReleaseCommand(pick, twice))],
      { maxCommands: 20 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), commands, async (permits, cmds) => {
        const setup = () => ({
          model: { available: permits, holders: [], queue: [], granted: [], nextId: 0 },
          real: { semaphore: new Semaphore(permits), grants: new Map<number, Release>() },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 30 },
    );
  });
});
