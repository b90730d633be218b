/**
 * API versioning: one handler in front of every version of the trips API. The version comes from
 * the URL (`/v1/trips`) or, when the URL names none, from the media type
 * (`Accept: application/vnd.trips.v2+json`); with neither, the default version answers.
 *
 * v2 is the canonical representation; v1 is derived from it. `Handler` comes from `#http`, and so
 * does `problem`, to build the errors. Read README.md for the rules, `npm run kata -- hint
 * versioning` when you are stuck.
 */
import type { Handler } from '#http';

/** A trip as v2 represents it: the canonical form. */
export interface TripV2 {
  readonly trip_id: string;
  readonly origin: string;
  readonly destination: string;
  /** Departure, RFC 3339 with the origin's UTC offset: `2026-05-01T08:30:00+02:00`. */
  readonly departs_at: string;
  readonly seats: { readonly available: number; readonly total: number };
}

/** A trip as v1 represents it, derived from v2. */
export interface TripV1 {
  readonly trip_id: string;
  readonly origin: string;
  readonly destination: string;
  /** The calendar day of departure at the origin, `YYYY-MM-DD`. */
  readonly date: string;
  readonly seats_available: number;
}

/** The v1 representation of a trip: `seats.available` becomes `seats_available`, `departs_at` the local `date`. */
export function toV1(_trip: TripV2): TripV1 {
  throw new Error('TODO: implement toV1');
}

/**
 * The v1 API as a view of the v2 one: runs `v2`, and rewrites the body of a successful JSON
 * response, a trip through `toV1`, a list `{ trips, ... }` trip by trip (other members kept).
 * Every other response passes unchanged.
 * @throws {TypeError} when `v2` is not a function.
 */
export function adaptV1(_v2: Handler): Handler {
  throw new Error('TODO: implement adaptV1');
}

/** A deprecated version's schedule. */
export interface VersionDeprecation {
  /** When the version was, or will be, deprecated: `Deprecation: @<seconds since the epoch>`. */
  readonly deprecation: Date;
  /** When it stops being served, not before `deprecation`: `Sunset: <HTTP-date>`, then 410 Gone. */
  readonly sunset?: Date;
  /** An absolute URL documenting the deprecation and the migration: `Link: <url>; rel="deprecation"`. */
  readonly link?: string;
}

export interface VersioningOptions {
  /** The handler of each version, by name: `v` and a positive integer, e.g. `{ v1, v2 }`. */
  readonly versions: Readonly<Record<string, Handler>>;
  /** The version of a request that names none; default the oldest. */
  readonly default?: string;
  /** The deprecated versions, by name. */
  readonly deprecated?: Readonly<Record<string, VersionDeprecation>>;
  /** The current time in milliseconds, to know when a sunset has passed; default `Date.now()`. */
  readonly now?: () => number;
}

/**
 * A handler serving every version in `versions`, chosen by the URL or the Accept header (see
 * README.md for the rules). The version's handler gets the request with the `/vN` prefix removed
 * from its path; a JSON response is relabelled `application/vnd.trips.<version>+json`; every
 * response gets `Vary: Accept`, and those of a deprecated version its `Deprecation`, `Sunset` and
 * `Link` headers.
 * @throws {TypeError} or {RangeError} for options that are missing, of the wrong type, or
 * inconsistent (an unknown default, a sunset before its deprecation).
 */
export function createVersionedHandler(_options: VersioningOptions): Handler {
  throw new Error('TODO: implement createVersionedHandler');
}
