/**
 * Circuit breaker: a state machine in front of a dependency. Closed, it lets calls through and
 * records their outcomes in a rolling window (the last N calls, or the calls of the last W ms).
 * When the failure rate over at least `minimumCalls` calls reaches the threshold it opens, and
 * rejects calls at once for `openMs`. Then it goes half-open and lets a few trial calls probe
 * the dependency: if they all succeed it closes with a fresh window, if one fails it opens again.
 *
 * Complexity: `execute` is O(1) amortized (a ring buffer for the count window, a queue with
 * lazy eviction for the time window); memory is O(size) or O(calls in the last W ms).
 * Trade-off: a rate with a minimum number of calls means the same at any traffic, unlike a
 * count of failures; a time window follows traffic changes but costs one entry per call.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

/** A source of time in milliseconds. */
export interface Clock {
  now(): number;
}

/** The rolling window of outcomes: the last `size` calls, or the calls of the last `ms` milliseconds. */
export type SlidingWindow = { readonly type: 'count'; readonly size: number } | { readonly type: 'time'; readonly ms: number };

export interface CircuitBreakerOptions {
  readonly window: SlidingWindow;
  /** The circuit opens when failures / calls in the window reaches this: a number in (0, 1]. */
  readonly failureRateThreshold: number;
  /** Calls the window must hold before the rate counts: a positive integer, at most `window.size`. */
  readonly minimumCalls: number;
  /** How long the circuit stays open before it lets trial calls through: a positive number of ms. */
  readonly openMs: number;
  /** Trial calls allowed in half-open, all of which must succeed to close: a positive integer, default 1. */
  readonly halfOpenMaxCalls?: number;
  /** Whether an error counts as a failure; default every error. Other errors count as successes. */
  readonly isFailure?: (error: unknown) => boolean;
  readonly clock: Clock;
}

/** A transition of the circuit, at the time it happened. */
export interface StateChange {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly at: number;
}

/** Rejects a call the circuit did not let through; the protected function was not called. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** Milliseconds until the circuit lets a trial call through; 0 when half-open with every trial taken. */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(retryAfterMs > 0 ? `circuit open, retry in ${retryAfterMs} ms` : 'circuit half-open, trial calls in flight');
    this.retryAfterMs = retryAfterMs;
  }
}

interface Window {
  record(failed: boolean, now: number): void;
  /** The calls and failures inside the window at `now`. */
  stats(now: number): { calls: number; failures: number };
  clear(): void;
}

/** The last `size` outcomes in a ring buffer, with a running count of failures. */
class CountWindow implements Window {
  readonly #size: number;
  #outcomes: boolean[] = [];
  #next = 0;
  #failures = 0;

  constructor(size: number) {
    this.#size = size;
  }

  record(failed: boolean): void {
    if (this.#outcomes.length < this.#size) this.#outcomes.push(failed);
    else {
      if (this.#outcomes[this.#next]) this.#failures--;
      this.#outcomes[this.#next] = failed;
    }
    if (failed) this.#failures++;
    this.#next = (this.#next + 1) % this.#size;
  }

  stats(): { calls: number; failures: number } {
    return { calls: this.#outcomes.length, failures: this.#failures };
  }

  clear(): void {
    this.#outcomes = [];
    this.#next = 0;
    this.#failures = 0;
  }
}

/** Outcomes stamped with their time; an outcome at `t` counts while `now - t < ms`. */
class TimeWindow implements Window {
  readonly #ms: number;
  #entries: { at: number; failed: boolean }[] = [];
  /** Entries before `#head` have expired; they are dropped in batches, not shifted one by one. */
  #head = 0;
  #failures = 0;

  constructor(ms: number) {
    this.#ms = ms;
  }

  record(failed: boolean, now: number): void {
    this.#entries.push({ at: now, failed });
    if (failed) this.#failures++;
  }

  stats(now: number): { calls: number; failures: number } {
    while (this.#head < this.#entries.length && now - this.#entries[this.#head]!.at >= this.#ms) {
      if (this.#entries[this.#head]!.failed) this.#failures--;
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    return { calls: this.#entries.length - this.#head, failures: this.#failures };
  }

  clear(): void {
    this.#entries = [];
    this.#head = 0;
    this.#failures = 0;
  }
}

export class CircuitBreaker {
  readonly #window: Window;
  readonly #threshold: number;
  readonly #minimumCalls: number;
  readonly #openMs: number;
  readonly #halfOpenMaxCalls: number;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #clock: Clock;
  readonly #listeners = new Set<(change: StateChange) => void>();
  #state: CircuitState = 'closed';
  #openedAt = 0;
  /** Trial calls let through in this half-open phase, and how many of them succeeded. */
  #trials = 0;
  #trialSuccesses = 0;
  /** Bumped on every transition: a call that started in an earlier phase has no say in this one. */
  #phase = 0;

  /**
   * @throws {TypeError} for a `window.type` other than 'count' or 'time', or a missing clock.
   * @throws {RangeError} for a bad number, naming the option and the value.
   */
  constructor({ window, failureRateThreshold, minimumCalls, openMs, halfOpenMaxCalls = 1, isFailure = () => true, clock }: CircuitBreakerOptions) {
    if (window.type === 'count') {
      requireInteger('window.size', window.size);
      this.#window = new CountWindow(window.size);
    } else if (window.type === 'time') {
      requirePositive('window.ms', window.ms);
      this.#window = new TimeWindow(window.ms);
    } else {
      throw new TypeError(`window.type must be 'count' or 'time', got ${String((window as { type: unknown }).type)}`);
    }
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
      throw new RangeError(`failureRateThreshold must be in (0, 1], got ${failureRateThreshold}`);
    }
    requireInteger('minimumCalls', minimumCalls);
    // A count window never holds more than `size` calls: a larger minimum would never open.
    if (window.type === 'count' && minimumCalls > window.size) {
      throw new RangeError(`minimumCalls must be at most window.size (${window.size}), got ${minimumCalls}`);
    }
    requirePositive('openMs', openMs);
    requireInteger('halfOpenMaxCalls', halfOpenMaxCalls);
    if (typeof isFailure !== 'function') throw new TypeError('isFailure must be a function');
    if (typeof clock?.now !== 'function') throw new TypeError('clock must have a now() method');
    this.#threshold = failureRateThreshold;
    this.#minimumCalls = minimumCalls;
    this.#openMs = openMs;
    this.#halfOpenMaxCalls = halfOpenMaxCalls;
    this.#isFailure = isFailure;
    this.#clock = clock;
  }

  /** The current state; an open circuit whose `openMs` has passed reads (and becomes) half-open. */
  get state(): CircuitState {
    this.#coolDown();
    return this.#state;
  }

  /**
   * Calls `fn` if the circuit lets it through, and records its outcome. Resolves or rejects
   * as `fn` does; an error is rethrown as is, whether or not it counts as a failure.
   * @throws {CircuitOpenError} (as a rejection) without calling `fn` when the circuit is open,
   *   or half-open with every trial call taken.
   */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    this.#coolDown();
    if (this.#state === 'open') throw new CircuitOpenError(this.#openedAt + this.#openMs - this.#clock.now());
    if (this.#state === 'half-open') {
      if (this.#trials >= this.#halfOpenMaxCalls) throw new CircuitOpenError(0);
      this.#trials++;
    }
    const phase = this.#phase;
    let result: T;
    try {
      result = await fn();
    } catch (error: unknown) {
      this.#settle(phase, this.#isFailure(error));
      throw error;
    }
    this.#settle(phase, false);
    return result;
  }

  /** Calls `listener` on every transition, in order. Returns a function that unsubscribes it. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #settle(phase: number, failed: boolean): void {
    // Opened, probed or closed since the call started: its outcome describes another phase.
    if (phase !== this.#phase) return;
    const now = this.#clock.now();
    if (this.#state === 'half-open') {
      if (failed) this.#transition('open', now);
      else if (++this.#trialSuccesses === this.#halfOpenMaxCalls) this.#transition('closed', now);
      return;
    }
    this.#window.record(failed, now);
    const { calls, failures } = this.#window.stats(now);
    if (calls >= this.#minimumCalls && failures / calls >= this.#threshold) this.#transition('open', now);
  }

  // No timer: the circuit went half-open at openedAt + openMs, whenever someone looks.
  #coolDown(): void {
    const reopensAt = this.#openedAt + this.#openMs;
    if (this.#state === 'open' && this.#clock.now() >= reopensAt) this.#transition('half-open', reopensAt);
  }

  #transition(to: CircuitState, at: number): void {
    const from = this.#state;
    this.#state = to;
    this.#phase++;
    if (to === 'open') this.#openedAt = at;
    if (to === 'half-open') {
      this.#trials = 0;
      this.#trialSuccesses = 0;
    }
    if (to === 'closed') this.#window.clear();
    for (const listener of [...this.#listeners]) listener({ from, to, at });
  }
}

function requireInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}
