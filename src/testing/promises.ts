/**
 * Promises a test controls and observes: hold work in flight, then look at where a promise
 * stands without awaiting it (an await on work nobody finishes would hang the test).
 */

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise the test settles by hand. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Where a promise stands: read it at any time. */
export interface Tracked<T> {
  state: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  error?: unknown;
}

/** Starts observing `promise`; the returned record changes when it settles. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { state: 'pending' };
  promise.then(
    (value) => Object.assign(tracked, { state: 'fulfilled', value }),
    (error: unknown) => Object.assign(tracked, { state: 'rejected', error }),
  );
  return tracked;
}

/** Lets every promise callback that is ready run: the next turn of the event loop comes after them all. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Where `promise` stands once everything ready has run; pending if nothing settles it. */
export async function outcome<T>(promise: Promise<T>): Promise<Tracked<T>> {
  const tracked = track(promise);
  await flush();
  return tracked;
}
