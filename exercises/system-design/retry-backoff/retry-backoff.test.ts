import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, scriptedRandom } from '#testing';
import { retry, RetryError, TimeoutError, withTimeout, type Jitter, type RetryEvent, type RetryOptions } from './retry-backoff.ts';

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
const retryable = (error: unknown) => !(error instanceof HttpError && error.status < 500);

/** Time without waiting: a ManualClock, and a sleep that records each delay and moves the clock. */
function world(start = 0) {
  const clock = new ManualClock(start);
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
    clock.advance(ms);
  };
  return { clock, delays, sleep, now: () => clock.now() };
}

/** A function that fails its first `failures` attempts with `boom <attempt>`, then resolves 'ok'. */
function flaky(failures: number) {
  const calls: number[] = [];
  const fn = async (attempt: number): Promise<string> => {
    calls.push(attempt);
    if (calls.length <= failures) throw new Error(`boom ${attempt}`);
    return 'ok';
  };
  return { fn, calls };
}

const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, jitter: 'none' } satisfies RetryOptions;

/** The settled value or error of a promise. */
const outcome = (promise: Promise<unknown>): Promise<unknown> => promise.then((value) => value, (error: unknown) => error);

/** Follows a promise without awaiting it, to check that it settled without waiting for anything else. */
function track(promise: Promise<unknown>) {
  const state: { settled: boolean; error?: unknown; value?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/** Lets pending promise callbacks run, `turns` rounds deep; timers, real or fake, do not move. */
async function flushMicrotasks(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

describe('retry', () => {
  describe('attempts', () => {
    it('should resolve with the first success, without sleeping', async () => {
      const { sleep, now, delays } = world();
      const { fn, calls } = flaky(0);
      await expect(retry(fn, { ...options, sleep, now })).resolves.toBe('ok');
      expect(calls).toEqual([1]);
      expect(delays).toEqual([]);
    });

    it('should retry failures and resolve with the first success, numbering attempts from 1', async () => {
      const { sleep, now, delays } = world();
      const { fn, calls } = flaky(2);
      await expect(retry(fn, { ...options, sleep, now })).resolves.toBe('ok');
      expect(calls).toEqual([1, 2, 3]);
      expect(delays).toEqual([100, 200]);
    });

    it('should give up after maxAttempts with a RetryError: the last error as cause, every error in errors', async () => {
      const { sleep, now, delays } = world();
      const { fn, calls } = flaky(Infinity);
      const error = await outcome(retry(fn, { ...options, maxAttempts: 3, sleep, now }));
      expect(calls).toEqual([1, 2, 3]);
      expect(error).toBeInstanceOf(RetryError);
      const { attempts, reason, message, cause, errors } = error as RetryError;
      expect({ attempts, reason, message }).toEqual({ attempts: 3, reason: 'maxAttempts', message: 'Failed after 3 attempts: boom 3' });
      expect(cause).toBe(errors[2]);
      expect(errors.map((e) => (e as Error).message)).toEqual(['boom 1', 'boom 2', 'boom 3']);
      expect(delays).toEqual([100, 200]); // no sleep after the last attempt
    });

    it('should make exactly one attempt with maxAttempts 1', async () => {
      const { sleep, now, delays } = world();
      const { fn, calls } = flaky(Infinity);
      await expect(retry(fn, { ...options, maxAttempts: 1, sleep, now })).rejects.toMatchObject({ name: 'RetryError', attempts: 1 });
      expect(calls).toEqual([1]);
      expect(delays).toEqual([]);
    });
  });

  describe('backoff', () => {
    it.each([
      { jitter: 'none', draws: '0.5', waits: '100 200 400 800 1000' },
      { jitter: 'full', draws: '0.5', waits: '50 100 200 400 500' },
      { jitter: 'full', draws: '0 0.25 0.75 0.5 0.9', waits: '0 50 300 400 900' },
      { jitter: 'equal', draws: '0.5', waits: '75 150 300 600 750' },
      { jitter: 'equal', draws: '0 0.5 0.25 0.75 0.5', waits: '50 150 250 700 750' },
      { jitter: 'decorrelated', draws: '0.5', waits: '200 350 575 912.5 1000' },
      { jitter: 'decorrelated', draws: '0 0.5 0.25 0.75 0.5', waits: '100 200 225 531.25 846.875' },
    ] as { jitter: Jitter; draws: string; waits: string }[])(
      'should wait $waits ms with $jitter jitter when random() gives $draws (base 100, cap 1000)',
      async ({ jitter, draws, waits }) => {
        const { sleep, now, delays } = world();
        const { fn } = flaky(Infinity);
        const random = scriptedRandom(draws.split(' ').map(Number));
        await outcome(retry(fn, { ...options, maxAttempts: 6, jitter, random, sleep, now }));
        expect(delays).toEqual(waits.split(' ').map(Number));
      },
    );

    it('should call onRetry before each sleep with the failed attempt, the delay and the error', async () => {
      const { sleep, now, delays } = world();
      const { fn } = flaky(2);
      const events: RetryEvent[] = [];
      const onRetry = (event: RetryEvent) => {
        expect(delays).toHaveLength(events.length); // not slept yet
        events.push(event);
      };
      await retry(fn, { ...options, onRetry, sleep, now });
      expect(events.map(({ attempt, delayMs, error }) => [attempt, delayMs, (error as Error).message])).toEqual([
        [1, 100, 'boom 1'],
        [2, 200, 'boom 2'],
      ]);
    });
  });

  describe('which errors are retried', () => {
    it('should surface a non-retryable error at once, as it is', async () => {
      const { sleep, now, delays } = world();
      const badRequest = new HttpError(400);
      let calls = 0;
      const fn = async () => {
        calls++;
        throw badRequest;
      };
      await expect(retry(fn, { ...options, retryable, sleep, now })).rejects.toBe(badRequest);
      expect(calls).toBe(1);
      expect(delays).toEqual([]);
    });

    it('should retry retryable errors and stop at the first one that is not', async () => {
      const { sleep, now } = world();
      const errors = [new HttpError(503), new HttpError(502), new HttpError(404), new HttpError(503)];
      const calls: number[] = [];
      const fn = async (attempt: number) => {
        calls.push(attempt);
        throw errors[attempt - 1];
      };
      await expect(retry(fn, { ...options, retryable, sleep, now })).rejects.toBe(errors[2]);
      expect(calls).toEqual([1, 2, 3]);
    });
  });

  describe('deadline', () => {
    const slow = { ...options, maxAttempts: 10, baseDelayMs: 300, maxDelayMs: 10_000, deadlineMs: 1000 };

    it('should give up rather than sleep into the deadline, measured from the call to retry', async () => {
      const { sleep, now, delays } = world(50_000);
      const { fn, calls } = flaky(Infinity);
      const error = await outcome(retry(fn, { ...slow, sleep, now }));
      // Attempts at +0, +300, +900; the next would wait 1200 ms and start at +2100.
      expect(calls).toEqual([1, 2, 3]);
      expect(delays).toEqual([300, 600]);
      expect(error).toBeInstanceOf(RetryError);
      expect(error).toMatchObject({ attempts: 3, reason: 'deadline' });
    });

    it('should count the time the attempts take', async () => {
      const { clock, sleep, now, delays } = world();
      const calls: number[] = [];
      const fn = async (attempt: number) => {
        calls.push(attempt);
        clock.advance(400);
        throw new Error('slow failure');
      };
      // The first ends at 400, sleeps to 700; the second ends at 1100.
      await expect(retry(fn, { ...slow, sleep, now })).rejects.toMatchObject({ attempts: 2, reason: 'deadline' });
      expect(delays).toEqual([300]);
    });

    it('should not retry an attempt that ended after the deadline', async () => {
      const { clock, sleep, now, delays } = world();
      const fn = async () => {
        clock.advance(1500);
        throw new Error('too slow');
      };
      await expect(retry(fn, { ...slow, sleep, now })).rejects.toMatchObject({ attempts: 1, reason: 'deadline' });
      expect(delays).toEqual([]);
    });
  });

  describe('abort', () => {
    it('should not call fn when the signal is already aborted, and reject with its reason', async () => {
      const { sleep, now } = world();
      const { fn, calls } = flaky(0);
      const reason = new Error('shutting down');
      const controller = new AbortController();
      controller.abort(reason);
      await expect(retry(fn, { ...options, signal: controller.signal, sleep, now })).rejects.toBe(reason);
      expect(calls).toEqual([]);
    });

    it('should reject with the reason as soon as the signal aborts during a sleep, even a sleep that ignores it', async () => {
      const { fn, calls } = flaky(Infinity);
      const sleeps: [number, AbortSignal | undefined][] = [];
      const sleep = (ms: number, signal?: AbortSignal) => {
        sleeps.push([ms, signal]);
        return new Promise<void>(() => {}); // never wakes up on its own
      };
      const controller = new AbortController();
      const state = track(retry(fn, { ...options, signal: controller.signal, sleep }));
      await flushMicrotasks();
      expect(sleeps).toEqual([[100, controller.signal]]);
      const reason = new Error('user left');
      controller.abort(reason);
      await flushMicrotasks();
      expect(state).toEqual({ settled: true, error: reason });
      expect(calls).toEqual([1]);
    });

    it('should reject with the reason as soon as the signal aborts during an attempt, and abort the attempt', async () => {
      const { sleep, now } = world();
      const signals: AbortSignal[] = [];
      const fn = (_attempt: number, signal: AbortSignal) => {
        signals.push(signal);
        return new Promise<string>(() => {}); // hangs, ignoring the signal
      };
      const controller = new AbortController();
      const state = track(retry(fn, { ...options, signal: controller.signal, sleep, now }));
      await flushMicrotasks();
      const reason = new Error('user left');
      controller.abort(reason);
      await flushMicrotasks();
      expect(state).toEqual({ settled: true, error: reason });
      expect(signals).toHaveLength(1);
      expect(signals[0]!.aborted).toBe(true);
    });
  });

  describe('with the default sleep, on fake timers', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('should sleep on a timer between attempts', async () => {
      const { fn, calls } = flaky(1);
      const state = track(retry(fn, options));
      await vi.advanceTimersByTimeAsync(99);
      expect(calls).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toEqual([1, 2]);
      expect(state).toEqual({ settled: true, value: 'ok' });
    });

    it('should clear the timer and reject at once when the signal aborts during the sleep', async () => {
      const { fn, calls } = flaky(Infinity);
      const controller = new AbortController();
      const state = track(retry(fn, { ...options, signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(50);
      expect(vi.getTimerCount()).toBe(1);
      const reason = new Error('user left');
      controller.abort(reason);
      await flushMicrotasks();
      expect(state).toEqual({ settled: true, error: reason });
      expect(vi.getTimerCount()).toBe(0);
      expect(calls).toEqual([1]);
    });
  });

  describe('options', () => {
    it.each([
      { option: 'maxAttempts', bad: '0', change: { maxAttempts: 0 } },
      { option: 'maxAttempts', bad: '1.5', change: { maxAttempts: 1.5 } },
      { option: 'baseDelayMs', bad: '0', change: { baseDelayMs: 0 } },
      { option: 'baseDelayMs', bad: 'NaN', change: { baseDelayMs: Number.NaN } },
      { option: 'maxDelayMs', bad: '50 (below baseDelayMs)', change: { maxDelayMs: 50 } },
      { option: 'maxDelayMs', bad: 'Infinity', change: { maxDelayMs: Number.POSITIVE_INFINITY } },
      { option: 'deadlineMs', bad: '0', change: { deadlineMs: 0 } },
      { option: 'deadlineMs', bad: 'NaN', change: { deadlineMs: Number.NaN } },
    ] as { option: string; bad: string; change: Partial<RetryOptions> }[])(
      'should reject $option $bad with a RangeError naming it, before any attempt',
      async ({ option, change }) => {
        const { fn, calls } = flaky(0);
        const error = await outcome(retry(fn, { ...options, ...change }));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toMatch(new RegExp(`^${option} `));
        expect(calls).toEqual([]);
      },
    );

    it('should reject an unknown jitter with a TypeError', async () => {
      const { fn } = flaky(0);
      await expect(retry(fn, { ...options, jitter: 'random' as Jitter })).rejects.toThrow(TypeError);
    });
  });
});

describe('withTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A promise the test settles by hand. */
  function deferred() {
    let resolve!: (value: number) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('should resolve like a promise that settles in time, and clear its timer', async () => {
    const { promise, resolve } = deferred();
    const timed = withTimeout(promise, 100);
    await vi.advanceTimersByTimeAsync(99);
    resolve(7);
    await expect(timed).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should reject with a TimeoutError once ms have passed', async () => {
    const state = track(withTimeout(deferred().promise, 100));
    await vi.advanceTimersByTimeAsync(99);
    expect(state.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.error).toBeInstanceOf(TimeoutError);
    expect(state.error).toMatchObject({ ms: 100, message: 'Timed out after 100 ms' });
  });

  it('should pass a rejection through, and clear its timer', async () => {
    const { promise, reject } = deferred();
    const timed = withTimeout(promise, 100);
    const error = new Error('refused');
    reject(error);
    await expect(timed).rejects.toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("should reject with the signal's reason when it aborts first, and clear its timer", async () => {
    const controller = new AbortController();
    const state = track(withTimeout(deferred().promise, 100, controller.signal));
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await flushMicrotasks();
    expect(state).toEqual({ settled: true, error: reason });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should reject at once, with no timer, when the signal is already aborted', async () => {
    const reason = new Error('cancelled');
    const timed = withTimeout(deferred().promise, 100, AbortSignal.abort(reason));
    expect(vi.getTimerCount()).toBe(0);
    await expect(timed).rejects.toBe(reason);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('should reject ms %s with a RangeError', (ms) => {
    expect(() => withTimeout(Promise.resolve(1), ms)).toThrow(RangeError);
  });
});

describe('retry properties', () => {
  const jitters: Jitter[] = ['none', 'full', 'equal', 'decorrelated'];
  const randoms = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12, maxLength: 12 });
  const fromList = (values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };
  const epsilon = 1e-9;

  it('should keep every delay within the bounds of its jitter strategy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...jitters),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        randoms,
        async (jitter, baseDelayMs, capFactor, maxAttempts, values) => {
          const maxDelayMs = baseDelayMs * capFactor;
          const { sleep, now, delays } = world();
          await outcome(retry(flaky(Infinity).fn, { maxAttempts, baseDelayMs, maxDelayMs, jitter, random: fromList(values), sleep, now }));
          expect(delays).toHaveLength(maxAttempts - 1);
          let previous = baseDelayMs;
          const outOfBounds = delays.filter((delay, n) => {
            const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** n);
            const [low, high] = {
              none: [ceiling, ceiling],
              full: [0, ceiling],
              equal: [ceiling / 2, ceiling],
              decorrelated: [baseDelayMs, Math.min(maxDelayMs, previous * 3)],
            }[jitter];
            previous = delay;
            return delay < low! - epsilon || delay > high! + epsilon;
          });
          expect(outOfBounds).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('should make at most maxAttempts attempts, start none after the deadline, and never sleep into it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...jitters),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.nat(600), { minLength: 8, maxLength: 8 }),
        randoms,
        async (jitter, maxAttempts, deadlineMs, durations, values) => {
          const clock = new ManualClock(1000);
          const deadlineAt = clock.now() + deadlineMs;
          const starts: number[] = [];
          const sleepEnds: number[] = [];
          const fn = async (attempt: number) => {
            starts.push(clock.now());
            clock.advance(durations[attempt - 1]!);
            throw new Error('down');
          };
          const sleep = async (ms: number) => {
            clock.advance(ms);
            sleepEnds.push(clock.now());
          };
          const options = { maxAttempts, baseDelayMs: 100, maxDelayMs: 800, jitter, deadlineMs, random: fromList(values), sleep, now: () => clock.now() };
          const error = await outcome(retry(fn, options));
          expect(starts.length).toBeLessThanOrEqual(maxAttempts);
          expect([...starts, ...sleepEnds].filter((t) => t >= deadlineAt)).toEqual([]);
          expect(error).toBeInstanceOf(RetryError);
          expect((error as RetryError).attempts).toBe(starts.length);
          expect((error as RetryError).reason).toBe(starts.length === maxAttempts ? 'maxAttempts' : 'deadline');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('should surface the first non-retryable error as it is, after retrying the ones before it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.constantFrom(400, 404, 500, 503), { minLength: 6, maxLength: 6 }), async (maxAttempts, statuses) => {
        const { sleep, now } = world();
        const errors = statuses.map((status) => new HttpError(status));
        let calls = 0;
        const fn = async () => {
          throw errors[calls++];
        };
        const error = await outcome(retry(fn, { ...options, maxAttempts, retryable, sleep, now }));
        const firstFatal = statuses.findIndex((status) => status < 500);
        if (firstFatal !== -1 && firstFatal < maxAttempts) {
          expect(error).toBe(errors[firstFatal]);
          expect(calls).toBe(firstFatal + 1);
        } else {
          expect(error).toBeInstanceOf(RetryError);
          expect(calls).toBe(maxAttempts);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('should stop at once when the signal aborts, whenever it aborts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.boolean(), async (maxAttempts, seed, hang) => {
        // Attempts and sleeps alternate: attempt 1, sleep 1, attempt 2, ... The abort comes in step `abortAt`.
        const abortAt = 1 + (seed % (2 * maxAttempts - 1));
        const controller = new AbortController();
        const reason = new Error('aborted');
        let step = 0;
        let calls = 0;
        const pause = () => (hang ? new Promise<never>(() => {}) : Promise.resolve());
        const fn = async () => {
          calls++;
          if (++step === abortAt) {
            controller.abort(reason);
            await pause();
          }
          throw new Error('down');
        };
        const sleep = async () => {
          if (++step === abortAt) {
            controller.abort(reason);
            await pause();
          }
        };
        const state = track(retry(fn, { ...options, maxAttempts, signal: controller.signal, sleep, now: () => 0 }));
        await flushMicrotasks(200); // enough for a dozen attempts and sleeps, none of which waits
        expect(state).toEqual({ settled: true, error: reason });
        expect(calls).toBe(Math.ceil(abortAt / 2));
      }),
      { numRuns: 50 },
    );
  });
});
