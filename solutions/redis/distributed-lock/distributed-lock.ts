/**
 * A lock on Redis shared by every process that reaches the same server: `SET key token NX PX ttl`
 * takes it only if nobody holds it, and lets it expire by itself if its holder dies. The random
 * token proves ownership: release and extend are compare-and-act Lua scripts, so a holder whose
 * lease ran out cannot delete or extend the lock that someone else holds now. Every acquisition
 * also takes a fencing token from INCR, in the same transaction: storage that remembers the
 * highest fence it has seen can refuse a write from a holder that paused past its lease.
 *
 * Keys: `lock:{resource}` holds the token, `lock:{resource}:fence` the counter. The braces are a
 * Redis Cluster hash tag: both keys land in one slot, which a transaction on both needs.
 *
 * Complexity: acquire, release and extend are one round trip and O(1) on the server; withLock
 * makes up to retries + 1 attempts, sleeping a jittered, capped, exponential backoff in between.
 * Trade-off: a lease makes the lock safe against crashed holders but not against slow ones;
 * fencing closes that gap only where the storage checks the fence. The fence counter never
 * expires (one small key per resource), or fences could start again from 1.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
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

/** Thrown by `withLock` when the lock stayed busy through every attempt. */
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

// Compare-and-act: GET then DEL (or PEXPIRE) as two commands would let the lease run out between
// them, and the DEL would remove the next holder's lock. A script runs with nothing in between.
// They return 0 or 1, never nil, which comes back as null from Redis and false from the mock.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const lockKey = (resource: string) => `lock:{${resource}}`;
const fenceKey = (resource: string) => `lock:{${resource}}:fence`;

/**
 * Locks on `redis`. Managers in different processes that share the server share the locks.
 * @throws {TypeError} when `generateToken` is not a function.
 */
export function createLockManager(redis: Redis, { generateToken = randomUUID }: LockManagerOptions = {}): LockManager {
  if (typeof generateToken !== 'function') throw new TypeError(`generateToken must be a function, got ${String(generateToken)}`);

  const acquire = async (resource: string, ttlMs: number): Promise<Lock | null> => {
    requireResource(resource);
    requireTtl(ttlMs);
    const token = generateToken();
    // One transaction, so that fences are handed out in the order the lock was taken. A failed
    // SET burns a fence number too: fences only have to grow, not to be consecutive.
    const [set, fence] = replies(await redis.multi().set(lockKey(resource), token, 'PX', ttlMs, 'NX').incr(fenceKey(resource)).exec());
    return set === 'OK' ? { resource, token, fence: fence as number } : null;
  };

  const release = async (resource: string, token: string): Promise<boolean> => {
    requireResource(resource);
    return (await redis.eval(RELEASE, 1, lockKey(resource), token)) === 1;
  };

  const extend = async (resource: string, token: string, ttlMs: number): Promise<boolean> => {
    requireResource(resource);
    requireTtl(ttlMs);
    return (await redis.eval(EXTEND, 1, lockKey(resource), token, ttlMs)) === 1;
  };

  const withLock = async <T>(resource: string, ttlMs: number, fn: (lock: Lock) => Promise<T> | T, options: WithLockOptions = {}): Promise<T> => {
    const { retries = 10, baseDelayMs = 50, maxDelayMs = 1000, random = Math.random, sleep = sleepFor } = options;
    requireResource(resource);
    requireTtl(ttlMs);
    if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be a non-negative integer, got ${retries}`);
    if (!Number.isFinite(baseDelayMs) || baseDelayMs <= 0) throw new RangeError(`baseDelayMs must be a positive finite number, got ${baseDelayMs}`);
    if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) {
      throw new RangeError(`maxDelayMs must be a finite number at least baseDelayMs (${baseDelayMs}), got ${maxDelayMs}`);
    }

    for (let attempt = 1; ; attempt++) {
      const lock = await acquire(resource, ttlMs);
      if (lock !== null) {
        try {
          return await fn(lock);
        } finally {
          // False here means the lease ran out while fn ran: the fence is what protects the
          // storage then, and fn's work is done, so its outcome stands.
          await release(resource, lock.token);
        }
      }
      if (attempt > retries) throw new LockBusyError(resource, attempt);
      // Full jitter: waiters that collided once spread out instead of colliding again in step.
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await sleep(random() * ceiling);
    }
  };

  return { acquire, release, extend, withLock };
}

/** The replies of EXEC, throwing the first command's error (EXEC reports them per command). */
function replies(results: [error: Error | null, reply: unknown][] | null): unknown[] {
  // EXEC answers null only when a WATCHed key changed, and nothing here WATCHes.
  if (results === null) throw new Error('the transaction was aborted');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

function requireResource(resource: string): void {
  if (typeof resource !== 'string' || resource === '') throw new RangeError(`resource must be a non-empty string, got ${JSON.stringify(resource)}`);
}

function requireTtl(ttlMs: number): void {
  // PX takes whole milliseconds.
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
}
