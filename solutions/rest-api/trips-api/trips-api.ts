/**
 * Trips API: a small REST resource as a web-standard handler, `(req: Request) => Promise<Response>`.
 *
 *   POST /api/trips             create a trip          201 { trip_id }, Location | 400 415 422
 *   GET  /api/trips             trips with seats left  200 { trips }, filters origin, destination, date
 *   GET  /api/trips/:id         one trip               200 trip | 404
 *   POST /api/trips/:id/join    take one seat          200 { trip_id, seats_available } | 404 409
 *
 * Every failure is an RFC 9457 problem (`application/problem+json`); no request yields a 5xx.
 * A join is one conditional decrement in the store (UPDATE ... WHERE seats_available > 0
 * RETURNING), so concurrent joins cannot oversell.
 * Complexity: create, get and join are O(1) store calls; list scans every trip, O(n).
 * Trade-off: the handler owns its routing, parsing and validation (no framework), which keeps
 * every status code visible in one file at the price of a little plumbing.
 */
import { MemoryTripStore, type Trip } from './trip-store.ts';

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

const MAX_PLACE_LENGTH = 100;
const MAX_SEATS = 100;

const RULES = {
  origin: `must be a non-empty string of at most ${MAX_PLACE_LENGTH} characters`,
  destination: `must be a non-empty string of at most ${MAX_PLACE_LENGTH} characters`,
  date: 'must be a real calendar date in YYYY-MM-DD form',
  seats_available: `must be an integer from 1 to ${MAX_SEATS}`,
} as const;

const TITLES = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
} as const;

type Route = { readonly resource: 'trips' } | { readonly resource: 'trip' | 'join'; readonly id: string };

const ALLOW = { trips: 'GET, HEAD, POST', trip: 'GET, HEAD', join: 'POST' } as const;

/**
 * A web-standard handler for the trips resource. Requests never make it throw: every failure
 * is an `application/problem+json` response.
 * @throws {TypeError} when `ids` is not a function.
 */
export function createTripsHandler({ ids = () => crypto.randomUUID() }: TripsDeps = {}): (req: Request) => Promise<Response> {
  if (typeof ids !== 'function') throw new TypeError(`ids must be a function, got ${typeof ids}`);
  const store = new MemoryTripStore();

  async function createTrip(req: Request): Promise<Response> {
    if (!isJson(req.headers.get('content-type'))) return problem(415, 'Send the trip as application/json.');
    let body: unknown;
    try {
      body = JSON.parse(await req.text());
    } catch {
      return problem(400, 'The request body is not valid JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return problem(400, 'The request body must be a JSON object.');
    }
    const parsed = parseTrip(body as Record<string, unknown>);
    if (Array.isArray(parsed)) return problem(422, 'The trip has invalid fields.', { errors: parsed });
    const trip: Trip = { trip_id: ids(), ...parsed };
    await store.insert(trip);
    return json(201, { trip_id: trip.trip_id }, { location: `/api/trips/${encodeURIComponent(trip.trip_id)}` });
  }

  async function listTrips(query: URLSearchParams): Promise<Response> {
    const origin = filterValue(query, 'origin');
    const destination = filterValue(query, 'destination');
    const date = filterValue(query, 'date');
    if (date !== undefined && !isCalendarDate(date)) {
      return problem(400, 'The date filter is invalid.', { errors: [{ field: 'date', detail: RULES.date }] });
    }
    const trips = (await store.list()).filter(
      (trip) =>
        trip.seats_available > 0 &&
        (origin === undefined || samePlace(trip.origin, origin)) &&
        (destination === undefined || samePlace(trip.destination, destination)) &&
        (date === undefined || trip.date === date),
    );
    return json(200, { trips });
  }

  async function getTrip(id: string): Promise<Response> {
    const trip = await store.get(id);
    return trip === undefined ? problem(404, 'There is no trip with this id.') : json(200, trip);
  }

  async function joinTrip(id: string): Promise<Response> {
    // One conditional decrement: reading the seats first and writing them back later would let
    // every join in flight see, and take, the same last seat.
    const seatsLeft = await store.takeSeat(id);
    if (seatsLeft !== undefined) return json(200, { trip_id: id, seats_available: seatsLeft });
    // No row matched: the trip is missing or full. Trips are never deleted, so a read tells which.
    if ((await store.get(id)) === undefined) return problem(404, 'There is no trip with this id.');
    return problem(409, 'The trip has no seats left.');
  }

  async function dispatch(req: Request, method: string): Promise<Response> {
    const url = new URL(req.url);
    const target = route(url.pathname);
    if (target === undefined) return problem(404, 'There is no resource at this path.');
    switch (target.resource) {
      case 'trips':
        if (method === 'GET') return listTrips(url.searchParams);
        if (method === 'POST') return createTrip(req);
        break;
      case 'trip':
        if (method === 'GET') return getTrip(target.id);
        break;
      case 'join':
        if (method === 'POST') return joinTrip(target.id);
        break;
    }
    const allow = ALLOW[target.resource];
    return problem(405, `${req.method} is not allowed here; use ${allow}.`, {}, { allow });
  }

  return async (req) => {
    // HEAD is GET without the body, with the same status and headers.
    const head = req.method === 'HEAD';
    let res: Response;
    try {
      res = await dispatch(req, head ? 'GET' : req.method);
    } catch {
      // A bug, not the client's fault; a real service logs the error here, and leaks no stack trace.
      res = problem(500, 'The server failed to handle the request.');
    }
    return head ? new Response(null, { status: res.status, headers: res.headers }) : res;
  };
}

/** `/api/trips`, `/api/trips/:id` or `/api/trips/:id/join`, with the id percent-decoded. */
function route(pathname: string): Route | undefined {
  const match = /^\/api\/trips(?:\/([^/]+)(\/join)?)?$/.exec(pathname);
  if (match === null) return undefined;
  const [, rawId, join] = match;
  if (rawId === undefined) return { resource: 'trips' };
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    // Malformed percent-encoding names no trip.
    return undefined;
  }
  return { resource: join === undefined ? 'trip' : 'join', id };
}

/** The trip's fields, trimmed, or every field that is wrong. Unknown fields are ignored. */
function parseTrip(body: Record<string, unknown>): Omit<Trip, 'trip_id'> | FieldError[] {
  const origin = placeName(body.origin);
  const destination = placeName(body.destination);
  const date = typeof body.date === 'string' && isCalendarDate(body.date) ? body.date : undefined;
  const seats_available = seatCount(body.seats_available);

  if (origin !== undefined && destination !== undefined && date !== undefined && seats_available !== undefined) {
    return { origin, destination, date, seats_available };
  }
  const values = { origin, destination, date, seats_available };
  return (Object.keys(RULES) as (keyof typeof RULES)[])
    .filter((field) => values[field] === undefined)
    .map((field) => ({ field, detail: body[field] === undefined ? 'is required' : RULES[field] }));
}

function placeName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= MAX_PLACE_LENGTH ? trimmed : undefined;
}

function seatCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SEATS ? value : undefined;
}

// Case-insensitive: "paris" finds "Paris". The stored name keeps the case it was created with.
const samePlace = (stored: string, wanted: string): boolean => stored.toLowerCase() === wanted.toLowerCase();

/** A query parameter, trimmed; absent or empty means no filter. */
function filterValue(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)?.trim();
  return value === '' ? undefined : value;
}

/** `YYYY-MM-DD` naming a day that exists: 2024-02-29 does, 2023-02-29 and 2026-04-31 do not. */
function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isJson(contentType: string | null): boolean {
  // `application/json; charset=utf-8` is JSON too; media types compare case-insensitively.
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** An RFC 9457 problem: `type` about:blank, so `title` is the status phrase. */
function problem(status: keyof typeof TITLES, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  const body = { type: 'about:blank', title: TITLES[status], status, detail, ...extensions };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json', ...headers } });
}
