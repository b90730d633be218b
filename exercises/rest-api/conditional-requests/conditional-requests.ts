/**
 * Conditional requests (RFC 9110, section 13) on a trips resource: entity tags, `If-Match` and
 * `If-None-Match`, 304 Not Modified, 412 Precondition Failed and 428 Precondition Required.
 *
 *   GET  /api/trips        every trip, { trips: { <id>: trip } }, with a weak ETag
 *   GET  /api/trips/:id    one trip, the bytes it was PUT with, with a strong ETag
 *   PUT  /api/trips/:id    create or replace it, optionally only if it is still the version the client saw
 *
 * The trips live in a `TripStore` (trip-store.ts, given). README.md has the idea and the exact
 * contract; `npm run kata -- hint conditional-requests` when you are stuck.
 */
import type { Handler } from '#http';
import type { TripStore } from './trip-store.ts';

export type { TripRow, TripStore } from './trip-store.ts';

/** What the preconditions of a request decide: go on, answer 304 Not Modified, or 412 Precondition Failed. */
export type PreconditionOutcome = 'proceed' | 'not-modified' | 'failed';

export interface TripResourceOptions {
  /** Where the trips live. */
  readonly store: TripStore;
  /** Answer 428 to a PUT that has neither `If-Match` nor `If-None-Match`; default `false`. */
  readonly requirePrecondition?: boolean;
}

/**
 * Strong comparison (RFC 9110, 8.8.3.2): both entity-tags are strong and identical. Anything
 * that is not an entity-tag matches nothing.
 */
export function strongMatch(_a: string, _b: string): boolean {
  throw new Error('TODO: implement strongMatch');
}

/**
 * Weak comparison (RFC 9110, 8.8.3.2): the opaque tags are identical, whether either is weak
 * or not. Anything that is not an entity-tag matches nothing.
 */
export function weakMatch(_a: string, _b: string): boolean {
  throw new Error('TODO: implement weakMatch');
}

/**
 * The value of an `If-Match` or `If-None-Match` field: `'*'`, or the entity-tags as written
 * (`"a"`, `W/"b"`), in order; empty list elements are skipped. `undefined` when the value does
 * not parse, which callers treat as a list that matches nothing.
 */
export function parseEtagList(_value: string): '*' | string[] | undefined {
  throw new Error('TODO: implement parseEtagList');
}

/**
 * Evaluates `If-Match` then `If-None-Match` (RFC 9110, 13.2.2) for a request with `method`,
 * against the current representation's entity-tag (`undefined` when there is none).
 * `If-Unmodified-Since` and `If-Modified-Since` are ignored: this resource keeps no modification
 * dates. A field that does not parse matches nothing.
 */
export function evaluatePreconditions(_method: string, _headers: Headers, _currentEtag: string | undefined): PreconditionOutcome {
  throw new Error('TODO: implement evaluatePreconditions');
}

/**
 * A handler for `GET /api/trips`, and `GET` and `PUT /api/trips/:id` (with `HEAD` for each GET),
 * over `store`. Requests never make it throw: every failure is an `application/problem+json`
 * response, except 304, which has no body.
 * @throws {TypeError} when `store` is not a `TripStore` or `requirePrecondition` not a boolean.
 */
export function createTripResource(_options: TripResourceOptions): Handler {
  throw new Error('TODO: implement createTripResource');
}
