/**
 * Concurrency primitives for one event loop, where a race happens between two `await`s rather
 * than between two threads:
 *
 * - Semaphore: `permits` holders at a time, the others wait in a FIFO queue. A release hands its
 *   permit straight to the longest waiter, so nobody can barge in ahead of the queue;
 * - Mutex: a semaphore with one permit, for a read-modify-write that spans an `await`;
 * - mapWithConcurrency: maps items with at most `limit` calls running, results in input order,
 *   and stops starting new calls at the first failure.
 *
 * Complexity: acquire and release are O(1), apart from `Array#shift` on the waiter queue (a
 * linked queue makes it O(1) outright; queues here stay short). mapWithConcurrency does O(1)
 * work per item and holds O(limit) calls in flight plus the results.
 * Trade-off: FIFO hand-off is fair and starvation-free, at the price of one extra queue hop for
 * a caller that arrives just as a permit is released. A release function is idempotent: a
 * second call does nothing, so that a release in both a `catch` and a `finally` cannot mint a
 * permit.
 */

/** Releases what an acquire obtained. Calling it again does nothing. */
export type Release = () => void;

/** A counting semaphore with FIFO waiters. */
export class Semaphore {
  #available: number;
  readonly #waiters: ((release: Release) => void)[] = [];

  /** @throws {RangeError} unless `permits` is a positive integer. */
  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, got ${permits}`);
    this.#available = permits;
  }

  /** Permits free right now. */
  get available(): number {
    return this.#available;
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves with a release function once a permit is held: at once if one is free, otherwise
   * after every earlier waiter has had its turn (FIFO).
   */
  acquire(): Promise<Release> {
    // With direct hand-off, a free permit means nobody is waiting.
    if (this.#available > 0) {
      this.#available -= 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Runs `fn` holding a permit, and releases it however `fn` ends. Resolves or rejects like `fn`. */
  async use<T>(fn: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the permit to the longest waiter instead of freeing it, so that a caller arriving
      // in between cannot take it first.
      const next = this.#waiters.shift();
      if (next === undefined) this.#available += 1;
      else next(this.#releaser());
    };
  }
}

/** A lock for a critical section that spans `await`s. Waiters get it in FIFO order. */
export class Mutex {
  readonly #semaphore = new Semaphore(1);

  /** Whether someone holds the lock. */
  get locked(): boolean {
    return this.#semaphore.available === 0;
  }

  /** Resolves with a release function once the lock is held. */
  lock(): Promise<Release> {
    return this.#semaphore.acquire();
  }

  /** Runs `fn` holding the lock, and releases it however `fn` ends. Resolves or rejects like `fn`. */
  runExclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.#semaphore.use(fn);
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
export async function mapWithConcurrency<T, R>(items: Iterable<T>, limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  if (typeof fn !== 'function') throw new TypeError(`fn must be a function, got ${typeof fn}`);
  const iterator = items[Symbol.iterator]();
  const results: R[] = [];
  return new Promise<R[]>((resolve, reject) => {
    let started = 0;
    let running = 0;
    let exhausted = false;
    let failed = false;

    const fail = (error: unknown): void => {
      failed = true;
      reject(error);
    };

    const fill = (): void => {
      try {
        while (!failed && !exhausted && running < limit) {
          const step = iterator.next();
          if (step.done) {
            exhausted = true;
            break;
          }
          const index = started++;
          running += 1;
          // An async wrapper turns a synchronous throw from fn into a rejection.
          (async () => fn(step.value, index))().then((result) => {
            results[index] = result;
            running -= 1;
            fill();
          }, fail);
        }
        if (exhausted && running === 0 && !failed) resolve(results);
      } catch (error: unknown) {
        // The iterable itself threw.
        fail(error);
      }
    };

    fill();
  });
}
