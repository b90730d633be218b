/**
 * Retry with exponential backoff and jitter, bounded three ways: a number of attempts, a total
 * deadline, and an AbortSignal. Plus `withTimeout`, which stops waiting for a promise.
 *
 * The delay before retry n (n = 0 after the first failure) grows as base * 2^n up to a cap, and
 * jitter spreads it at random so that clients which failed together do not retry together
 * (the strategies of the AWS Architecture Blog's "Exponential Backoff And Jitter"):
 *   none          min(cap, base * 2^n)
 *   full          random(0, min(cap, base * 2^n))
 *   equal         half + random(0, half), where half = min(cap, base * 2^n) / 2
 *   decorrelated  min(cap, random(base, previous * 3)), starting from previous = base
 *
 * Complexity: O(1) work per attempt besides `fn` and the sleep; O(attempts) memory for the errors.
 * Trade-off: more jitter spreads the load better and makes a single client's wait less
 * predictable; full jitter does the least total work, equal jitter guarantees half the backoff.
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
 * `errors` every attempt's error, oldest first.
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

/** Thrown by `withTimeout` when the promise did not settle in time. */
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
export async function retry<T>(fn: (attempt: number, signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const {
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    jitter,
    deadlineMs = Infinity,
    retryable = () => true,
    signal = new AbortController().signal,
    random = Math.random,
    sleep = sleepFor,
    now = () => performance.now(),
    onRetry,
  } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  if (!Number.isFinite(baseDelayMs) || baseDelayMs <= 0) throw new RangeError(`baseDelayMs must be a positive finite number, got ${baseDelayMs}`);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) {
    throw new RangeError(`maxDelayMs must be a finite number at least baseDelayMs (${baseDelayMs}), got ${maxDelayMs}`);
  }
  if (!(deadlineMs > 0)) throw new RangeError(`deadlineMs must be a positive number, got ${deadlineMs}`);
  if (!JITTERS.includes(jitter)) throw new TypeError(`jitter must be one of ${JITTERS.join(', ')}, got ${String(jitter)}`);

  const deadlineAt = now() + deadlineMs;
  const errors: unknown[] = [];
  let previousDelay = baseDelayMs;
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    try {
      return await untilAborted(fn(attempt, signal), signal);
    } catch (error: unknown) {
      if (signal.aborted) throw signal.reason;
      if (!retryable(error)) throw error;
      errors.push(error);
    }
    if (attempt >= maxAttempts) throw new RetryError(errors, 'maxAttempts');

    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    let delay: number;
    switch (jitter) {
      case 'none':
        delay = ceiling;
        break;
      case 'full':
        delay = random() * ceiling;
        break;
      case 'equal':
        delay = ceiling / 2 + (random() * ceiling) / 2;
        break;
      case 'decorrelated':
        // Grows from the previous delay rather than from the attempt number, so that two clients
        // that failed together drift apart instead of staying in step.
        delay = Math.min(maxDelayMs, baseDelayMs + random() * (previousDelay * 3 - baseDelayMs));
        break;
    }
    previousDelay = delay;

    // Sleeping until the deadline, or past it, only to give up then: give up now.
    if (now() + delay >= deadlineAt) throw new RetryError(errors, 'deadline');
    onRetry?.({ attempt, delayMs: delay, error: errors.at(-1) });
    // The injected sleep may ignore the signal: abort must not wait for it.
    await untilAborted(sleep(delay, signal), signal);
  }
}

/**
 * Settles like `promise`, unless `ms` pass first (then rejects with a `TimeoutError`) or
 * `signal` aborts first (then rejects with its reason). Either way its timer is cleared when it
 * settles. It stops the waiting, not the work: pass the same signal to the operation to cancel it.
 * @throws {RangeError} at once, unless `ms` is a non-negative finite number.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a non-negative finite number, got ${ms}`);
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => settle(() => reject(signal!.reason));
    const timer = setTimeout(() => settle(() => reject(new TimeoutError(ms))), ms);
    // A pending timer keeps the process alive and fires for nothing: clear it whoever wins.
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/** A real sleep that rejects with the signal's reason, and clears its timer, on abort. */
function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
