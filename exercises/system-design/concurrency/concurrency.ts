/**
 * Concurrency primitives for one event loop: a semaphore, a mutex, and a map with a bound on
 * the calls in flight.
 *
 * Read README.md for the idea, `npm run kata -- hint concurrency` when you are stuck.
 */

/** Releases what an acquire obtained. Calling it again does nothing. */
export type Release = () => void;

/** A counting semaphore with FIFO waiters. */
export class Semaphore {
  /** @throws {RangeError} unless `permits` is a positive integer. */
  constructor(_permits: number) {
    throw new Error('TODO: implement the Semaphore constructor');
  }

  /** Permits free right now. */
  get available(): number {
    throw new Error('TODO: implement Semaphore#available');
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    throw new Error('TODO: implement Semaphore#waiting');
  }

  /**
   * Resolves with a release function once a permit is held: at once if one is free, otherwise
   * after every earlier waiter has had its turn (FIFO).
   */
  acquire(): Promise<Release> {
    throw new Error('TODO: implement Semaphore#acquire');
  }

  /** Runs `fn` holding a permit, and releases it however `fn` ends. Resolves or rejects like `fn`. */
  use<T>(_fn: () => Promise<T> | T): Promise<T> {
    throw new Error('TODO: implement Semaphore#use');
  }
}

/** A lock for a critical section that spans `await`s. Waiters get it in FIFO order. */
export class Mutex {
  /** Whether someone holds the lock. */
  get locked(): boolean {
    throw new Error('TODO: implement Mutex#locked');
  }

  /** Resolves with a release function once the lock is held. */
  lock(): Promise<Release> {
    throw new Error('TODO: implement Mutex#lock');
  }

  /** Runs `fn` holding the lock, and releases it however `fn` ends. Resolves or rejects like `fn`. */
  runExclusive<T>(_fn: () => Promise<T> | T): Promise<T> {
    throw new Error('TODO: implement Mutex#runExclusive');
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, starting the next item as soon
 * as one finishes. Resolves with the results in input order. Items are read lazily, one per
 * start. At the first failure it rejects with that error and starts nothing more; calls already
 * running are left to finish, and their results are dropped.
 * @throws {RangeError} (as a rejection) unless `limit` is a positive integer.
 * @throws {TypeError} (as a rejection) unless `fn` is a function.
 */
export async function mapWithConcurrency<T, R>(_items: Iterable<T>, _limit: number, _fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  throw new Error('TODO: implement mapWithConcurrency');
}
