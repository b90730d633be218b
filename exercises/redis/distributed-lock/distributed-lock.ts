/**
 * A distributed lock on Redis: a lease (SET NX PX) with a random token, released and extended
 * only by its holder, with a fencing token from INCR on every acquisition, and `withLock`, which
 * retries a busy lock with backoff and jitter.
 *
 * Keys: the lock of `resource` lives at `lock:{resource}`, its fence counter at
 * `lock:{resource}:fence`. Read README.md for the idea, `npm run kata -- hint distributed-lock`
 * when you are stuck.
 */
import type { Redis } from '#redis';

/** A lock held by this process. */
export interface Lock {
  readonly resource: string;
  /** Proves ownership: only this token releases or extends the lock. */
  readonly token: string;
  /**
   * The fencing token: larger than the fence of every earlier holder of `resource`. Send it with
   * every write to the protected storage, which refuses writes with a fence older than it has seen.
   */
  readonly fence: number;
}

export interface LockManagerOptions {
  /** A new token for each acquisition, unique across every process; default `crypto.randomUUID`. */
  readonly generateToken?: () => string;
}

export interface WithLockOptions {
  /** Attempts after the first one, when the lock is busy: a non-negative integer; default 10. */
  readonly retries?: number;
  /** The backoff ceiling of the first retry, in ms; it doubles with each retry. Default 50. */
  readonly baseDelayMs?: number;
  /** The cap on the backoff ceiling, in ms: at least `baseDelayMs`. Default 1000. */
  readonly maxDelayMs?: number;
  /** A source of randomness in [0, 1), for the jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Waits `ms`; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface LockManager {
  /**
   * Takes the lock on `resource` for `ttlMs` if nobody holds it; `null` if somebody does.
   * @throws {RangeError} for an empty resource or a `ttlMs` that is not a positive integer.
   */
  acquire(resource: string, ttlMs: number): Promise<Lock | null>;
  /**
   * Releases the lock if `token` still holds it; `false` (and nothing deleted) otherwise, for
   * instance when the lease ran out and someone else holds the lock now.
   */
  release(resource: string, token: string): Promise<boolean>;
  /**
   * Sets the remaining lease of the lock to `ttlMs` if `token` still holds it; `false` otherwise.
   * @throws {RangeError} for a `ttlMs` that is not a positive integer.
   */
  extend(resource: string, token: string, ttlMs: number): Promise<boolean>;
  /**
   * Runs `fn` under the lock and releases it afterwards, whether `fn` succeeds or throws. While
   * the lock is busy it retries up to `retries` times, sleeping `random() * ceiling` before retry
   * n, where ceiling = min(maxDelayMs, baseDelayMs * 2^(n-1)).
   * @throws {LockBusyError} when every attempt found the lock busy.
   * @throws whatever `fn` throws.
   * @throws {RangeError} for bad arguments or options, before any attempt.
   */
  withLock<T>(resource: string, ttlMs: number, fn: (lock: Lock) => Promise<T> | T, options?: WithLockOptions): Promise<T>;
}

/** Thrown by `withLock` when the lock stayed busy through every attempt. (Given complete.) */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';
  readonly resource: string;
  /** How many times `withLock` tried to take the lock. */
  readonly attempts: number;

  constructor(resource: string, attempts: number) {
    super(`lock on "${resource}" still busy after ${attempts} attempt${attempts === 1 ? '' : 's'}`);
    this.resource = resource;
    this.attempts = attempts;
  }
}

/**
 * Locks on `redis`. Managers in different processes that share the server share the locks.
 * @throws {TypeError} when `generateToken` is not a function.
 */
export function createLockManager(_redis: Redis, _options: LockManagerOptions = {}): LockManager {
  return {
    acquire: async () => {
      throw new Error('TODO: implement acquire');
    },
    release: async () => {
      throw new Error('TODO: implement release');
    },
    extend: async () => {
      throw new Error('TODO: implement extend');
    },
    withLock: async () => {
      throw new Error('TODO: implement withLock');
    },
  };
}
