/**
 * A circuit breaker: closed, open and half-open, with a rolling window of outcomes (the last N
 * calls, or the calls of the last W ms) and an injected clock.
 *
 * Read README.md for the idea, `npm run kata -- hint circuit-breaker` when you are stuck.
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

/** Rejects a call the circuit did not let through; the protected function was not called. (Given complete.) */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** Milliseconds until the circuit lets a trial call through; 0 when half-open with every trial taken. */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(retryAfterMs > 0 ? `circuit open, retry in ${retryAfterMs} ms` : 'circuit half-open, trial calls in flight');
    this.retryAfterMs = retryAfterMs;
  }
}

export class CircuitBreaker {
  /**
   * @throws {TypeError} for a `window.type` other than 'count' or 'time', or a missing clock.
   * @throws {RangeError} for a bad number, naming the option and the value.
   */
  constructor(_options: CircuitBreakerOptions) {
    throw new Error('TODO: implement the CircuitBreaker constructor');
  }

  /** The current state; an open circuit whose `openMs` has passed reads (and becomes) half-open. */
  get state(): CircuitState {
    throw new Error('TODO: implement CircuitBreaker#state');
  }

  /**
   * Calls `fn` if the circuit lets it through, and records its outcome. Resolves or rejects
   * as `fn` does; an error is rethrown as is, whether or not it counts as a failure.
   * @throws {CircuitOpenError} (as a rejection) without calling `fn` when the circuit is open,
   *   or half-open with every trial call taken.
   */
  async execute<T>(_fn: () => Promise<T>): Promise<T> {
    throw new Error('TODO: implement CircuitBreaker#execute');
  }

  /** Calls `listener` on every transition, in order. Returns a function that unsubscribes it. */
  onStateChange(_listener: (change: StateChange) => void): () => void {
    throw new Error('TODO: implement CircuitBreaker#onStateChange');
  }
}
