/**
 * Trips API: a small REST resource as a web-standard handler, `(req: Request) => Promise<Response>`.
 *
 *   POST /api/trips             create a trip
 *   GET  /api/trips             list the trips with seats left, filtered by origin, destination, date
 *   GET  /api/trips/:id         one trip
 *   POST /api/trips/:id/join    take one seat
 *
 * The trips live in `MemoryTripStore` from trip-store.ts (given). README.md lists every status
 * code and rule; `npm run kata -- hint trips-api` when you are stuck.
 */
export type { Trip } from './trip-store.ts';

export interface TripsDeps {
  /** Generates the id of each new trip; default `crypto.randomUUID()`. */
  ids?: () => string;
}

/** A field that failed validation, as listed in the `errors` member of a 400 or 422 problem. */
export interface FieldError {
  readonly field: string;
  readonly detail: string;
}

/**
 * A web-standard handler for the trips resource. Requests never make it throw: every failure
 * is an `application/problem+json` response.
 * @throws {TypeError} when `ids` is not a function.
 */
export function createTripsHandler(_deps: TripsDeps = {}): (req: Request) => Promise<Response> {
  throw new Error('TODO: implement createTripsHandler');
}
