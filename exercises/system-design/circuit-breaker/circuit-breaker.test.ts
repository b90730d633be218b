import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deferred, ManualClock } from '#testing';
import {
  CircuitBreaker,
  CircuitOpenError,
  type CircuitBreakerOptions,
  type CircuitState,
  type SlidingWindow,
  type StateChange,
} from './circuit-breaker.ts';

class NotFoundError extends Error {}

const ok = () => Promise.resolve('ok');
const boom = () => Promise.reject(new Error('boom'));

/** The settled value of a call: what it resolved to, or the error it rejected with. */
const outcome = (promise: Promise<unknown>): Promise<unknown> => promise.then((value) => value, (error: unknown) => error);

// Opens at a failure rate of 50% over at least 4 of the last 10 calls, for 1 s.
function setup(options: Partial<CircuitBreakerOptions> = {}) {
  const clock = new ManualClock();
  const breaker = new CircuitBreaker({
    window: { type: 'count', size: 10 },
    failureRateThreshold: 0.5,
    minimumCalls: 4,
    openMs: 1000,
    clock,
    ...options,
  });
  const events: StateChange[] = [];
  breaker.onStateChange((change) => events.push(change));
  /** Runs the calls one after the other: true for a failure, false for a success. */
  const run = async (...failures: boolean[]) => {
    for (const failed of failures) await outcome(breaker.execute(failed ? boom : ok));
  };
  return { clock, breaker, events, run };
}

/** A breaker that opened at t = 0 after four failures. */
async function opened(options: Partial<CircuitBreakerOptions> = {}) {
  const context = setup(options);
  await context.run(true, true, true, true);
  return context;
}

const F = true;
const S = false;

describe('CircuitBreaker', () => {
  describe('closed', () => {
    it('should pass calls through, with their results and their errors', async () => {
      const { breaker } = setup();
      const error = new Error('boom');
      await expect(breaker.execute(() => Promise.resolve(42))).resolves.toBe(42);
      await expect(breaker.execute(() => Promise.reject(error))).rejects.toBe(error);
      expect(breaker.state).toBe('closed');
    });

    it('should stay closed below minimumCalls, however many of them fail', async () => {
      const { breaker, run } = setup();
      let calls = 0;
      await run(F, F);
      await outcome(breaker.execute(() => (calls++, boom())));
      expect(calls).toBe(1);
      expect(breaker.state).toBe('closed');
    });

    it('should open when the failure rate reaches the threshold over minimumCalls calls', async () => {
      const { breaker, run } = setup();
      await run(S, S, F);
      expect(breaker.state).toBe('closed'); // 3 calls: fewer than minimumCalls
      await run(F);
      expect(breaker.state).toBe('open'); // 2 failures in 4 calls: 50%
    });

    it('should judge the rate of failures, not their number', async () => {
      const { breaker, run } = setup({ window: { type: 'count', size: 20 } });
      await run(S, S, S, S, S, S, F, F, F, F, F);
      expect(breaker.state).toBe('closed'); // 5 failures in 11 calls
      await run(F);
      expect(breaker.state).toBe('open'); // 6 in 12
    });
  });

  describe('open', () => {
    it('should reject at once with a CircuitOpenError, without calling the function', async () => {
      const { breaker } = await opened();
      let calls = 0;
      const error = await outcome(breaker.execute(() => (calls++, ok())));
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect((error as CircuitOpenError).retryAfterMs).toBe(1000);
      expect(calls).toBe(0);
      expect(breaker.state).toBe('open');
    });

    it('should count retryAfterMs down with the clock', async () => {
      const { breaker, clock } = await opened();
      clock.advance(300);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfterMs: 700 });
      clock.advance(699);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfterMs: 1 });
    });
  });

  describe('half-open', () => {
    it('should go half-open once openMs has passed', async () => {
      const { breaker, clock } = await opened();
      clock.advance(999);
      expect(breaker.state).toBe('open');
      clock.advance(1);
      expect(breaker.state).toBe('half-open');
    });

    it('should close after a successful trial call, with a fresh window', async () => {
      const { breaker, clock, run } = await opened();
      clock.advance(1000);
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
      await run(F, F, F); // the four failures before do not count any more
      expect(breaker.state).toBe('closed');
    });

    it('should open again when the trial call fails, for another openMs', async () => {
      const { breaker, clock } = await opened();
      clock.advance(1500);
      await expect(breaker.execute(boom)).rejects.toThrow('boom');
      expect(breaker.state).toBe('open');
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfterMs: 1000 });
    });

    it('should let halfOpenMaxCalls trial calls through at once and reject the others', async () => {
      const { breaker, clock } = await opened({ halfOpenMaxCalls: 2 });
      clock.advance(1000);
      const trials = [deferred<string>(), deferred<string>()];
      let calls = 0;
      const first = breaker.execute(() => (calls++, trials[0]!.promise));
      const second = breaker.execute(() => (calls++, trials[1]!.promise));
      const third = await outcome(breaker.execute(() => (calls++, ok())));
      expect(third).toBeInstanceOf(CircuitOpenError);
      expect((third as CircuitOpenError).retryAfterMs).toBe(0);
      expect(calls).toBe(2);
      trials[0]!.resolve('first');
      await expect(first).resolves.toBe('first');
      expect(breaker.state).toBe('half-open'); // every trial must succeed
      trials[1]!.resolve('second');
      await expect(second).resolves.toBe('second');
      expect(breaker.state).toBe('closed');
    });

    it('should open again when any trial call fails, even after another succeeded', async () => {
      const { breaker, clock } = await opened({ halfOpenMaxCalls: 2 });
      clock.advance(1000);
      await breaker.execute(ok);
      await outcome(breaker.execute(boom));
      expect(breaker.state).toBe('open');
    });
  });

  describe('onStateChange', () => {
    it('should report every transition, in order, with the time it happened', async () => {
      const { breaker, clock, events, run } = setup();
      clock.advance(100);
      await run(F, F, F, F);
      clock.advance(2500); // half-open since 1100
      await outcome(breaker.execute(boom));
      clock.advance(1000);
      await breaker.execute(ok);
      expect(events).toEqual([
        { from: 'closed', to: 'open', at: 100 },
        { from: 'open', to: 'half-open', at: 1100 },
        { from: 'half-open', to: 'open', at: 2600 },
        { from: 'open', to: 'half-open', at: 3600 },
        { from: 'half-open', to: 'closed', at: 3600 },
      ]);
    });

    it('should stop calling a listener once it unsubscribes', async () => {
      const { breaker, clock, run } = setup();
      const seen: CircuitState[] = [];
      const unsubscribe = breaker.onStateChange(({ to }) => seen.push(to));
      await run(F, F, F, F);
      unsubscribe();
      clock.advance(1000);
      expect(breaker.state).toBe('half-open');
      expect(seen).toEqual(['open']);
    });
  });

  describe('rolling windows', () => {
    it('should forget the oldest outcome in a count window', async () => {
      const { breaker, run } = setup({ window: { type: 'count', size: 4 }, failureRateThreshold: 0.75 });
      await run(S, S, F, F);
      expect(breaker.state).toBe('closed'); // 2 of 4
      await run(F);
      expect(breaker.state).toBe('open'); // the first S left: 3 of the last 4
    });

    it('should forget calls window.ms after they ended in a time window', async () => {
      const { breaker, clock, run } = setup({ window: { type: 'time', ms: 1000 }, minimumCalls: 2 });
      await run(F);
      clock.advance(1000);
      await run(F); // the first failure is 1000 ms old: out of the window
      expect(breaker.state).toBe('closed');
      clock.advance(999);
      await run(F); // the second is 999 ms old: still in
      expect(breaker.state).toBe('open');
    });

    it('should keep an exact count in a time window under steady traffic', async () => {
      const { breaker, clock, run } = setup({ window: { type: 'time', ms: 1000 }, minimumCalls: 2 });
      for (let i = 0; i < 200; i++) {
        if (i > 0) clock.advance(10);
        await run(S);
      }
      // It is 1990: the successes of 1000..1990 are in the window, 100 of them.
      await run(...Array.from({ length: 99 }, () => F));
      expect(breaker.state).toBe('closed'); // 99 of 199
      await run(F);
      expect(breaker.state).toBe('open'); // 100 of 200
    });
  });

  describe('which errors count', () => {
    const isFailure = (error: unknown) => !(error instanceof NotFoundError);

    it('should rethrow an error that is not a failure, and count it as a success', async () => {
      const { breaker, run } = setup({ isFailure, window: { type: 'count', size: 20 } });
      const notFound = new NotFoundError('no such user');
      for (let i = 0; i < 6; i++) await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
      await run(F, F, F, F, F);
      expect(breaker.state).toBe('closed'); // 5 failures in 11 calls
      await run(F);
      expect(breaker.state).toBe('open');
    });

    it('should close on a trial call that fails with an error that is not a failure', async () => {
      const { breaker, clock } = await opened({ isFailure });
      clock.advance(1000);
      await outcome(breaker.execute(() => Promise.reject(new NotFoundError())));
      expect(breaker.state).toBe('closed');
    });
  });

  describe('calls in flight across a transition', () => {
    it('should ignore the outcome of a call that started before the circuit opened', async () => {
      const { breaker, clock, run } = setup();
      const slow = deferred<string>();
      const late = breaker.execute(() => slow.promise);
      await run(F, F, F, F);
      clock.advance(1000);
      expect(breaker.state).toBe('half-open');
      slow.reject(new Error('late'));
      await expect(late).rejects.toThrow('late');
      expect(breaker.state).toBe('half-open'); // not a trial call: it has no say
      await breaker.execute(ok);
      expect(breaker.state).toBe('closed');
    });
  });

  describe('options', () => {
    const clock = new ManualClock();
    const valid: CircuitBreakerOptions = { window: { type: 'count', size: 10 }, failureRateThreshold: 0.5, minimumCalls: 4, openMs: 1000, clock };

    it.each([
      { option: 'failureRateThreshold', bad: '0', change: { failureRateThreshold: 0 } },
      { option: 'failureRateThreshold', bad: '1.5', change: { failureRateThreshold: 1.5 } },
      { option: 'failureRateThreshold', bad: 'NaN', change: { failureRateThreshold: Number.NaN } },
      { option: 'minimumCalls', bad: '0', change: { minimumCalls: 0 } },
      { option: 'minimumCalls', bad: '2.5', change: { minimumCalls: 2.5 } },
      { option: 'minimumCalls', bad: '11 (above window.size)', change: { minimumCalls: 11 } },
      { option: 'window.size', bad: '0', change: { window: { type: 'count', size: 0 } } },
      { option: 'window.ms', bad: '-1', change: { window: { type: 'time', ms: -1 } } },
      { option: 'window.ms', bad: 'Infinity', change: { window: { type: 'time', ms: Number.POSITIVE_INFINITY } } },
      { option: 'openMs', bad: '0', change: { openMs: 0 } },
      { option: 'halfOpenMaxCalls', bad: '0', change: { halfOpenMaxCalls: 0 } },
    ] as { option: string; bad: string; change: Partial<CircuitBreakerOptions> }[])('should reject $option $bad with a RangeError naming it', ({ option, change }) => {
      const make = () => new CircuitBreaker({ ...valid, ...change });
      expect(make).toThrow(RangeError);
      expect(make).toThrow(new RegExp(`^${option.replace('.', '\\.')} `));
    });

    it('should reject an unknown window type with a TypeError', () => {
      const window = { type: 'calls', size: 10 } as unknown as SlidingWindow;
      expect(() => new CircuitBreaker({ ...valid, window })).toThrow(TypeError);
    });

    it('should accept a minimumCalls larger than anything in a time window', () => {
      const breaker = new CircuitBreaker({ ...valid, window: { type: 'time', ms: 1000 }, minimumCalls: 1000 });
      expect(breaker.state).toBe('closed');
    });
  });

  describe('properties', () => {
    const step = fc.oneof(
      fc.integer({ min: 0, max: 1500 }).map((ms) => ({ advance: ms })),
      fc.constantFrom('ok', 'fail', 'not-found').map((call) => ({ call })),
    );
    const windows = fc.constantFrom<SlidingWindow>({ type: 'count', size: 5 }, { type: 'time', ms: 1000 });

    it('should never call the protected function while open', async () => {
      await fc.assert(
        fc.asyncProperty(windows, fc.integer({ min: 1, max: 5 }), fc.array(step, { maxLength: 40 }), async (window, minimumCalls, steps) => {
          const clock = new ManualClock();
          const breaker = new CircuitBreaker({ window, failureRateThreshold: 0.5, minimumCalls, openMs: 1000, clock, isFailure: (e) => !(e instanceof NotFoundError) });
          for (const s of steps) {
            if ('advance' in s) {
              clock.advance(s.advance);
              continue;
            }
            const wasOpen = breaker.state === 'open';
            let called = false;
            const result = await outcome(
              breaker.execute(async () => {
                called = true;
                if (s.call === 'fail') throw new Error('boom');
                if (s.call === 'not-found') throw new NotFoundError();
                return 'ok';
              }),
            );
            expect(called).toBe(!wasOpen);
            if (wasOpen) {
              expect(result).toBeInstanceOf(CircuitOpenError);
              const { retryAfterMs } = result as CircuitOpenError;
              expect(retryAfterMs > 0 && retryAfterMs <= 1000).toBe(true);
            }
          }
        }),
        { numRuns: 50 },
      );
    });

    it('should let at most halfOpenMaxCalls trial calls run at once, whatever the interleaving', async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (s, halfOpenMaxCalls, failures) => {
          const clock = new ManualClock();
          const breaker = new CircuitBreaker({ window: { type: 'count', size: 4 }, failureRateThreshold: 0.5, minimumCalls: 1, openMs: 1000, halfOpenMaxCalls, clock });
          await outcome(breaker.execute(boom));
          clock.advance(1000);
          let trialsInFlight = 0;
          let most = 0;
          const calls = failures.map((fails, i) =>
            s.schedule(Promise.resolve(`start ${i}`)).then(() =>
              outcome(
                breaker.execute(async () => {
                  // fn runs right after the breaker let it through: its state is the one that decided.
                  const trial = breaker.state === 'half-open';
                  if (trial) most = Math.max(most, ++trialsInFlight);
                  try {
                    await s.schedule(Promise.resolve(`end ${i}`));
                    if (fails) throw new Error('boom');
                  } finally {
                    if (trial) trialsInFlight--;
                  }
                }),
              ),
            ),
          );
          await s.waitAll();
          await Promise.all(calls);
          expect(most).toBeGreaterThanOrEqual(1);
          expect(most).toBeLessThanOrEqual(halfOpenMaxCalls);
        }),
      );
    });
  });

  describe('against a model', () => {
    // The model keeps every outcome since the circuit last closed and recomputes the window from them.
    const openMs = 1000;
    const threshold = 0.5;
    const minimumCalls = 3;

    interface Model {
      window: SlidingWindow;
      halfOpenMaxCalls: number;
      now: number;
      state: CircuitState;
      openedAt: number;
      outcomes: { at: number; failed: boolean }[];
      trialSuccesses: number;
      events: StateChange[];
    }
    interface Real {
      clock: ManualClock;
      breaker: CircuitBreaker;
      events: StateChange[];
    }

    const transition = (model: Model, to: CircuitState, at: number): void => {
      model.events.push({ from: model.state, to, at });
      model.state = to;
      if (to === 'open') model.openedAt = at;
      if (to === 'half-open') model.trialSuccesses = 0;
      if (to === 'closed') model.outcomes = [];
    };
    const coolDown = (model: Model): void => {
      if (model.state === 'open' && model.now >= model.openedAt + openMs) transition(model, 'half-open', model.openedAt + openMs);
    };
    const inWindow = (model: Model) =>
      model.window.type === 'count' ? model.outcomes.slice(-model.window.size) : model.outcomes.filter((o) => model.now - o.at < (model.window as { ms: number }).ms);
    /** What a call came to, in words: its value, its error, or the rejection of an open circuit. */
    const describeOutcome = (result: unknown): unknown =>
      result instanceof CircuitOpenError ? `rejected, retry in ${result.retryAfterMs} ms` : result instanceof Error ? `failed: ${result.message}` : result;
    /** One assertion per command on everything observable, so that a difference shows all at once. */
    const expectSameState = (model: Model, real: Real, call?: { called: boolean; outcome: unknown }, expected?: { called: boolean; outcome: unknown }): void => {
      coolDown(model);
      expect({ ...call, state: real.breaker.state, events: real.events }).toEqual({ ...expected, state: model.state, events: model.events });
    };

    class Advance implements fc.AsyncCommand<Model, Real> {
      constructor(readonly ms: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        model.now += this.ms;
        real.clock.advance(this.ms);
        expectSameState(model, real);
      }
      toString = () => `advance(${this.ms})`;
    }

    class Call implements fc.AsyncCommand<Model, Real> {
      constructor(readonly fails: boolean) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        coolDown(model);
        let called = false;
        const result = await outcome(
          real.breaker.execute(async () => {
            called = true;
            if (this.fails) throw new Error('boom');
            return 'ok';
          }),
        );
        if (model.state === 'open') {
          const expected = { called: false, outcome: `rejected, retry in ${model.openedAt + openMs - model.now} ms` };
          expectSameState(model, real, { called, outcome: describeOutcome(result) }, expected);
          return;
        }
        const expected = { called: true, outcome: this.fails ? 'failed: boom' : 'ok' };
        if (model.state === 'half-open') {
          if (this.fails) transition(model, 'open', model.now);
          else if (++model.trialSuccesses === model.halfOpenMaxCalls) transition(model, 'closed', model.now);
        } else {
          model.outcomes.push({ at: model.now, failed: this.fails });
          const recent = inWindow(model);
          const failures = recent.filter((o) => o.failed).length;
          if (recent.length >= minimumCalls && failures / recent.length >= threshold) transition(model, 'open', model.now);
        }
        expectSameState(model, real, { called, outcome: describeOutcome(result) }, expected);
      }
      toString = () => (this.fails ? 'fail' : 'succeed');
    }

    it('should move between closed, open and half-open like a log of every outcome', async () => {
      const commands = fc.commands(
        [
          fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constant(openMs)).map((ms) => new Advance(ms)),
          fc.boolean().map((fails) => new Call(fails)),
        ],
        { maxCommands: 40 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<SlidingWindow>({ type: 'count', size: 5 }, { type: 'time', ms: 1000 }),
          fc.integer({ min: 1, max: 2 }),
          commands,
          async (window, halfOpenMaxCalls, cmds) => {
            await fc.asyncModelRun(() => {
              const clock = new ManualClock();
              const breaker = new CircuitBreaker({ window, failureRateThreshold: threshold, minimumCalls, openMs, halfOpenMaxCalls, clock });
              const events: StateChange[] = [];
              breaker.onStateChange((change) => events.push(change));
              const model: Model = { window, halfOpenMaxCalls, now: 0, state: 'closed', openedAt: 0, outcomes: [], trialSuccesses: 0, events: [] };
              return { model, real: { clock, breaker, events } };
            }, cmds);
          },
        ),
      );
    });
  });
});
