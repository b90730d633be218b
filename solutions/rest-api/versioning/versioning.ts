/**
 * API versioning: one handler in front of every version of the trips API. The version comes from
 * the URL (`/v1/trips`) or, when the URL names none, from the media type
 * (`Accept: application/vnd.trips.v2+json`); with neither, the default version answers.
 *
 *   URL version      unknown → 404; the Accept header does not take it → 406; else served
 *   no URL version   the Accept range that prefers a version most; none → 406; no Accept → default
 *
 * v2 is the canonical representation; v1 is derived from it (`toV1`, `adaptV1`), so there is one
 * implementation to maintain. Deprecated versions carry `Deprecation` (RFC 9745), `Sunset`
 * (RFC 8594) and a `Link` to the migration guide, and answer 410 Gone once their sunset has
 * passed. Every response carries `Vary: Accept`, since the Accept header may change it.
 *
 * Complexity: O(r · v) per request to negotiate (r Accept ranges, v versions), plus the version's
 * own handler; adaptV1 parses and re-serializes the body, O(body size).
 * Trade-off: URL versions are visible and cache-friendly; media types keep one URL per resource.
 * Serving both costs a precedence rule, here: the URL decides, the Accept header may only refuse.
 */
import { problem, type Handler } from '#http';

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
export function toV1(trip: TripV2): TripV1 {
  return {
    trip_id: trip.trip_id,
    origin: trip.origin,
    destination: trip.destination,
    // The date as written, in the origin's offset: through UTC, a 00:30+02:00 departure would move to the day before.
    date: trip.departs_at.slice(0, 10),
    seats_available: trip.seats.available,
  };
}

/**
 * The v1 API as a view of the v2 one: runs `v2`, and rewrites the body of a successful JSON
 * response, a trip through `toV1`, a list `{ trips, ... }` trip by trip (other members kept).
 * Every other response passes unchanged.
 * @throws {TypeError} when `v2` is not a function.
 */
export function adaptV1(v2: Handler): Handler {
  if (typeof v2 !== 'function') throw new TypeError(`v2 must be a function, got ${typeof v2}`);
  return async (req) => {
    const res = await v2(req);
    if (!res.ok || !isJson(res.headers.get('content-type'))) return res;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    const body = JSON.stringify(bodyToV1(await res.json()));
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
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

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

interface Preference {
  readonly q: number;
  /** 3 `application/vnd.trips.vN+json`, 2 `application/json` or `vnd.trips+json`, 1 `application/*`, 0 `*\/*`, -1 no match. */
  readonly specificity: number;
}

interface Policy {
  readonly headers: readonly (readonly [string, string])[];
  readonly sunsetMs: number | undefined;
}

const VERSION = /^v[1-9]\d*$/;
// RFC 9110 qvalue: 0 to 1 with at most three decimals.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/**
 * A handler serving every version in `versions`, chosen by the URL or the Accept header (see the
 * file header and README.md for the rules). The version's handler gets the request with the
 * `/vN` prefix removed from its path; a JSON response is relabelled
 * `application/vnd.trips.<version>+json`; every response gets `Vary: Accept`, and those of a
 * deprecated version its `Deprecation`, `Sunset` and `Link` headers.
 * @throws {TypeError} or {RangeError} for options that are missing, of the wrong type, or
 * inconsistent (an unknown default, a sunset before its deprecation).
 */
export function createVersionedHandler({ versions, default: defaultOption, deprecated = {}, now = () => Date.now() }: VersioningOptions): Handler {
  if (typeof versions !== 'object' || versions === null) throw new TypeError(`versions must be an object of handlers, got ${versions}`);
  const handlers = new Map<string, Handler>();
  for (const [name, handler] of Object.entries(versions)) {
    if (!VERSION.test(name)) throw new RangeError(`versions must be named v1, v2, …, got ${JSON.stringify(name)}`);
    if (typeof handler !== 'function') throw new TypeError(`versions.${name} must be a function, got ${typeof handler}`);
    handlers.set(name, handler);
  }
  if (handlers.size === 0) throw new RangeError('versions must name at least one version');
  // Oldest first.
  const names = [...handlers.keys()].sort((a, b) => number(a) - number(b));
  const defaultVersion = defaultOption ?? names[0]!;
  if (!handlers.has(defaultVersion)) throw new RangeError(`default must be one of ${names.join(', ')}, got ${JSON.stringify(defaultVersion)}`);
  if (typeof now !== 'function') throw new TypeError(`now must be a function, got ${typeof now}`);
  const policies = new Map(Object.entries(deprecated).map(([name, schedule]) => [name, policyOf(name, schedule, handlers)] as const));
  const latest = names.at(-1)!;
  const available = { versions: names };

  const decorate = (res: Response, version: string | undefined): Response => {
    const out = new Response(res.body, res);
    appendVary(out.headers, 'Accept');
    if (version === undefined) return out;
    if (isJson(out.headers.get('content-type'))) out.headers.set('content-type', mediaType(version));
    const policy = policies.get(version);
    for (const [name, value] of policy?.headers ?? []) out.headers.append(name, value);
    return out;
  };

  const serve = async (req: Request, version: string): Promise<Response> => {
    const policy = policies.get(version);
    if (policy?.sunsetMs !== undefined && now() >= policy.sunsetMs) {
      return decorate(problem(410, { detail: `API version ${version} was retired; use ${latest}.`, extensions: available }), version);
    }
    const handler = handlers.get(version)!;
    return decorate(await handler(req), version);
  };

  return async (req) => {
    const url = new URL(req.url);
    const ranges = parseAccept(req.headers.get('accept'));
    const named = /^\/(v\d+)(?:\/|$)/.exec(url.pathname)?.[1];

    if (named !== undefined) {
      if (!handlers.has(named)) {
        return decorate(problem(404, { detail: `There is no API version ${named}; use one of ${names.join(', ')}.`, extensions: available }), undefined);
      }
      if (ranges !== undefined && preference(ranges, named).q === 0) {
        const detail = `${url.pathname} is served as ${mediaType(named)}, which the Accept header does not take.`;
        return decorate(problem(406, { detail, extensions: available }), undefined);
      }
      // Assign the path rather than parse a new URL: `/v1//evil.example/x` must not become a host.
      url.pathname = url.pathname.slice(1 + named.length);
      return serve(new Request(url, req), named);
    }

    const chosen = ranges === undefined ? defaultVersion : negotiate(ranges, names, defaultVersion);
    if (chosen !== undefined) return serve(req, chosen);
    const unknown = ranges?.map((range) => /^vnd\.trips\.(v\d+)\+json$/.exec(range.subtype)?.[1]).find((v) => v !== undefined && !handlers.has(v));
    if (unknown !== undefined) {
      return decorate(problem(406, { detail: `There is no API version ${unknown}; use one of ${names.join(', ')}.`, extensions: available }), undefined);
    }
    const detail = `This API answers ${names.map(mediaType).join(' or ')}; the Accept header takes none of them.`;
    return decorate(problem(406, { detail, extensions: available }), undefined);
  };
}

/** The version an Accept header prefers: highest q, then the most specific range, then the default, then the newest. */
function negotiate(ranges: readonly MediaRange[], names: readonly string[], defaultVersion: string): string | undefined {
  let best: { version: string; preference: Preference } | undefined;
  // Newest first, so that on a full tie the newest wins, unless the default ties too.
  for (const version of [...names].reverse()) {
    const candidate = preference(ranges, version);
    if (candidate.q === 0) continue;
    if (best === undefined || better(candidate, version === defaultVersion, best.preference, best.version === defaultVersion)) {
      best = { version, preference: candidate };
    }
  }
  return best?.version;
}

function better(a: Preference, aIsDefault: boolean, b: Preference, bIsDefault: boolean): boolean {
  if (a.q !== b.q) return a.q > b.q;
  if (a.specificity !== b.specificity) return a.specificity > b.specificity;
  return aIsDefault && !bIsDefault;
}

/** How much `ranges` want `version`: the q of the most specific range that matches it (RFC 9110 §12.5.1). */
function preference(ranges: readonly MediaRange[], version: string): Preference {
  let best: Preference = { q: 0, specificity: -1 };
  for (const range of ranges) {
    const specificity = specificityOf(range, version);
    if (specificity === -1) continue;
    if (specificity > best.specificity || (specificity === best.specificity && range.q > best.q)) best = { q: range.q, specificity };
  }
  return best;
}

function specificityOf(range: MediaRange, version: string): number {
  if (range.type === '*') return range.subtype === '*' ? 0 : -1;
  if (range.type !== 'application') return -1;
  if (range.subtype === '*') return 1;
  if (range.subtype === 'json' || range.subtype === 'vnd.trips+json') return 2;
  return range.subtype === `vnd.trips.${version}+json` ? 3 : -1;
}

/** The media ranges of an Accept header, lower-cased; malformed ones are skipped. `undefined` when none is left: as if absent. */
function parseAccept(header: string | null): MediaRange[] | undefined {
  if (header === null) return undefined;
  const ranges = header.split(',').flatMap((part): MediaRange[] => {
    const [range = '', ...params] = part.split(';');
    const [type = '', subtype = '', extra] = range.trim().toLowerCase().split('/');
    if (!TOKEN.test(type) || !TOKEN.test(subtype) || extra !== undefined) return [];
    let q = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((s) => s.trim());
      if (name.toLowerCase() !== 'q') continue;
      if (!QVALUE.test(value)) return [];
      q = Number(value);
    }
    return [{ type, subtype, q }];
  });
  return ranges.length === 0 ? undefined : ranges;
}

function policyOf(name: string, schedule: VersionDeprecation, handlers: ReadonlyMap<string, Handler>): Policy {
  if (!handlers.has(name)) throw new RangeError(`deprecated names ${JSON.stringify(name)}, which is not in versions`);
  const { deprecation, sunset, link } = schedule;
  if (!isDate(deprecation)) throw new TypeError(`deprecated.${name}.deprecation must be a valid Date, got ${deprecation}`);
  if (sunset !== undefined && !isDate(sunset)) throw new TypeError(`deprecated.${name}.sunset must be a valid Date, got ${sunset}`);
  if (sunset !== undefined && sunset.getTime() < deprecation.getTime()) {
    throw new RangeError(`deprecated.${name}.sunset must not come before its deprecation, got ${sunset.toISOString()}`);
  }
  const headers: [string, string][] = [['deprecation', `@${Math.floor(deprecation.getTime() / 1000)}`]];
  if (sunset !== undefined) headers.push(['sunset', sunset.toUTCString()]);
  if (link !== undefined) headers.push(['link', `<${absoluteUrl(link, `deprecated.${name}.link`)}>; rel="deprecation"`]);
  return { headers, sunsetMs: sunset?.getTime() };
}

function bodyToV1(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  if ('trips' in body && Array.isArray(body.trips)) return { ...body, trips: (body.trips as TripV2[]).map(toV1) };
  if ('trip_id' in body) return toV1(body as TripV2);
  return body;
}

const mediaType = (version: string): string => `application/vnd.trips.${version}+json`;
const number = (version: string): number => Number(version.slice(1));
const isDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

function isJson(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function absoluteUrl(value: unknown, name: string): string {
  try {
    return new URL(String(value)).href;
  } catch {
    throw new RangeError(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
}

/** Adds `name` to `Vary` unless it is already there (or `Vary: *` already covers it). */
function appendVary(headers: Headers, name: string): void {
  const current = headers.get('vary');
  if (current === null || current.trim() === '') {
    headers.set('vary', name);
    return;
  }
  const listed = current.split(',').map((field) => field.trim().toLowerCase());
  if (!listed.includes('*') && !listed.includes(name.toLowerCase())) headers.set('vary', `${current}, ${name}`);
}
