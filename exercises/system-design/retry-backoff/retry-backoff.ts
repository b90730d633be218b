/**
 * Retry with exponential backoff and jitter, bounded by a number of attempts, a total deadline
 * and an AbortSignal; and `withTimeout`, which stops waiting for a promise.
 *
 * Read README.md for the idea, `npm run kata -- hint retry-backoff` when you are stuck.
 */

export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/** What `onRetry` hears before each sleep. */
export interface RetryEvent {
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  /** How long the retry waits before the next attempt. */
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryOptions {
  /** Attempts in all, the first one included: a positive integer. */
  readonly maxAttempts: number;
  /** The backoff of the first retry: a positive number of ms. */
  readonly baseDelayMs: number;
  /** The cap on any delay: a finite number of ms, at least `baseDelayMs`. */
  readonly maxDelayMs: number;
  readonly jitter: Jitter;
  /** The total budget in ms from the call to `retry`; no attempt starts after it. Default: none. */
  readonly deadlineMs?: number;
  /** Whether an error is worth another attempt; default every error. */
  readonly retryable?: (error: unknown) => boolean;
  /** Aborting it stops everything at once, rejecting with its reason. */
  readonly signal?: AbortSignal;
  /** A source of randomness in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Waits `ms`; should reject with the signal's reason when it aborts. Default: a real timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The time in ms, for the deadline; default `performance.now`. */
  readonly now?: () => number;
  /** Called before each sleep, for logs and metrics. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * Thrown when `retry` gives up on retryable errors: `cause` is the last attempt's error,
 * `errors` every attempt's error, oldest first. (Given complete.)
 */
export class RetryError extends Error {
  override readonly name = 'RetryError';
  /** How many attempts were made. */
  readonly attempts: number;
  /** What stopped the retries: the attempts ran out, or the next one would start after the deadline. */
  readonly reason: 'maxAttempts' | 'deadline';
  readonly errors: readonly unknown[];

  constructor(errors: readonly unknown[], reason: 'maxAttempts' | 'deadline') {
    const last = errors.at(-1);
    const detail = last instanceof Error ? `: ${last.message}` : '';
    const why = reason === 'deadline' ? ' (the next one would miss the deadline)' : '';
    super(`Failed after ${errors.length} attempt${errors.length === 1 ? '' : 's'}${why}${detail}`, { cause: last });
    this.attempts = errors.length;
    this.reason = reason;
    this.errors = errors;
  }
}

/** Thrown by `withTimeout` when the promise did not settle in time. (Given complete.) */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly ms: number;

  constructor(ms: number) {
    super(`Timed out after ${ms} ms`);
    this.ms = ms;
  }
}

/**
 * Calls `fn(attempt, signal)` until it resolves, and resolves with its value. A rejection is
 * retried after a backoff while it is `retryable`, attempts remain, and the next attempt would
 * start before the deadline.
 * @throws {RetryError} when the attempts run out or the deadline is near, on retryable errors.
 * @throws the error itself, at once, when it is not retryable.
 * @throws the signal's reason, at once, when the signal aborts (during an attempt or a sleep).
 * @throws {RangeError} or {TypeError} for bad options, before any attempt.
 * (All of these as rejections.)
 */
export async function retry<T>(_fn: (attempt: number, signal: AbortSignal) => Promise<T>, _options: RetryOptions): Promise<T> {
  throw new Error('TODO: implement retry');
}

/**
 * Settles like `promise`, unless `ms` pass first (then rejects with a `TimeoutError`) or
 * `signal` aborts first (then rejects with its reason). Either way its timer is cleared when it
 * settles. It stops the waiting, not the work: pass the same signal to the operation to cancel it.
 * @throws {RangeError} at once, unless `ms` is a non-negative finite number.
 */
export function withTimeout<T>(_promise: Promise<T>, _ms: number, _signal?: AbortSignal): Promise<T> {
  throw new Error('TODO: implement withTimeout');
}
