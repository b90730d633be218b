/**
 * Idempotency keys: a middleware that makes POST and PATCH safe to retry, by storing the first
 * response for each `Idempotency-Key` and replaying it for repeats.
 *
 * The keys live in an `IdempotencyStore`; `MemoryIdempotencyStore` in idempotency-store.ts is
 * given (do not change it). Read README.md for the idea, `npm run kata -- hint idempotency-keys`
 * when you are stuck.
 */
import type { Middleware } from '#http';
import type { IdempotencyStore } from './idempotency-store.ts';

export type { IdempotencyRecord, IdempotencyStore, StoredResponse } from './idempotency-store.ts';

export interface IdempotencyOptions {
  /** Where claims and responses live: shared by every instance of the service. */
  readonly store: IdempotencyStore;
  /** How long a key is remembered, in ms, from its claim and again from its stored response; default 24 hours. */
  readonly ttlMs?: number;
  /**
   * Whether a POST or PATCH without an `Idempotency-Key` is refused with a 400 (`true`, or a
   * function saying so per request) or passed through (`false`, the default).
   */
  readonly required?: boolean | ((req: Request) => boolean);
  /**
   * Who sent the request: keys are scoped per client, so two clients may use the same key.
   * `undefined` (the default for every request) puts the key in one namespace shared by all
   * requests without a client.
   */
  readonly clientId?: (req: Request) => string | undefined;
}

/**
 * A middleware that stores the first response for each `Idempotency-Key` of a POST or PATCH
 * and replays it for repeats. Other methods pass through untouched.
 *
 * - No header: passes through, or 400 when `required` says so. A malformed key: 400.
 * - First request with a key: runs `next`. A response a retry could change (408, 429, 5xx), or
 *   an error thrown by `next`, releases the key (the error propagates); any other is stored for
 *   `ttlMs` and returned with the same status, headers and body.
 * - Same key, same method, path and body: the stored response (status, headers, body) with
 *   `Idempotent-Replayed: true`; while the first is still running: 409.
 * - Same key, another method, path or body: 422, whether or not the first is still running.
 * @throws {TypeError} when `store` lacks `claim`, `set` or `delete`, or `required` or `clientId` has the wrong type.
 * @throws {RangeError} unless `ttlMs` is a positive finite number.
 */
export function createIdempotencyMiddleware(_options: IdempotencyOptions): Middleware {
  throw new Error('TODO: implement createIdempotencyMiddleware');
}
