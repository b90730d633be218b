/**
 * Conditional requests (RFC 9110, section 13) on a trips resource: entity tags, `If-Match` and
 * `If-None-Match`, 304 Not Modified, 412 Precondition Failed and 428 Precondition Required.
 *
 *   GET  /api/trips        every trip, { trips: { <id>: trip } }, with a weak ETag
 *   GET  /api/trips/:id    one trip, the bytes it was PUT with, with a strong ETag
 *   PUT  /api/trips/:id    create or replace it, optionally only if it is still the version the client saw
 *
 * A strong ETag is the SHA-256 of the exact bytes; the listing's weak ETag is the SHA-256 of a
 * canonical form (keys sorted), so a listing that differs only in key order keeps its tag.
 * If-Match compares strongly, If-None-Match weakly. A conditional PUT checks, then writes with
 * a compare-and-set on the etag it checked: two clients holding the same version cannot both win.
 * Complexity: O(b) per request to hash b bytes, plus one or two store calls; the listing is O(total size).
 * Trade-off: hashing the content needs no version column and gives equal tags to equal bytes on
 * every server; a version counter is cheaper for large bodies but must be kept in the row.
 */
import { createHash } from 'node:crypto';
import { type Handler, problem } from '#http';
import type { TripRow, TripStore } from './trip-store.ts';

export type { TripRow, TripStore } from './trip-store.ts';

/** What the preconditions of a request decide: go on, answer 304 Not Modified, or 412 Precondition Failed. */
export type PreconditionOutcome = 'proceed' | 'not-modified' | 'failed';

export interface TripResourceOptions {
  /** Where the trips live. */
  readonly store: TripStore;
  /** Answer 428 to a PUT that has neither `If-Match` nor `If-None-Match`; default `false`. */
  readonly requirePrecondition?: boolean;
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (RFC 9110, 8.8.3).
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7E\x80-\xFF]*"$/;
const LIST_ELEMENT = /(?:W\/)?"[\x21\x23-\x7E\x80-\xFF]*"/y;

const isEntityTag = (tag: string): boolean => ENTITY_TAG.test(tag);
const opaqueTag = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * Strong comparison (RFC 9110, 8.8.3.2): both entity-tags are strong and identical. Anything
 * that is not an entity-tag matches nothing.
 */
export function strongMatch(a: string, b: string): boolean {
  return isEntityTag(a) && isEntityTag(b) && !a.startsWith('W/') && a === b;
}

/**
 * Weak comparison (RFC 9110, 8.8.3.2): the opaque tags are identical, whether either is weak
 * or not. Anything that is not an entity-tag matches nothing.
 */
export function weakMatch(a: string, b: string): boolean {
  return isEntityTag(a) && isEntityTag(b) && opaqueTag(a) === opaqueTag(b);
}

/**
 * The value of an `If-Match` or `If-None-Match` field: `'*'`, or the entity-tags as written
 * (`"a"`, `W/"b"`), in order; empty list elements are skipped. `undefined` when the value does
 * not parse, which callers treat as a list that matches nothing.
 */
export function parseEtagList(value: string): '*' | string[] | undefined {
  if (value.trim() === '*') return '*';
  const tags: string[] = [];
  let i = 0;
  const skipWhitespace = () => {
    while (value[i] === ' ' || value[i] === '\t') i++;
  };
  for (;;) {
    skipWhitespace();
    if (i >= value.length) return tags;
    if (value[i] === ',') {
      i++;
      continue;
    }
    // A sticky match: the tag must start exactly here. A comma inside quotes belongs to the tag.
    LIST_ELEMENT.lastIndex = i;
    const match = LIST_ELEMENT.exec(value);
    if (match === null) return undefined;
    tags.push(match[0]);
    i = LIST_ELEMENT.lastIndex;
    skipWhitespace();
    if (i < value.length && value[i] !== ',') return undefined;
  }
}

function listMatches(list: '*' | string[] | undefined, current: string | undefined, compare: (a: string, b: string) => boolean): boolean {
  // Nothing matches a resource that has no current representation, not even '*'.
  if (list === undefined || current === undefined) return false;
  if (list === '*') return true;
  return list.some((tag) => compare(tag, current));
}

/**
 * Evaluates `If-Match` then `If-None-Match` (RFC 9110, 13.2.2) for a request with `method`,
 * against the current representation's entity-tag (`undefined` when there is none).
 * `If-Unmodified-Since` and `If-Modified-Since` are ignored: this resource keeps no modification
 * dates. A field that does not parse matches nothing.
 */
export function evaluatePreconditions(method: string, headers: Headers, currentEtag: string | undefined): PreconditionOutcome {
  const ifMatch = headers.get('if-match');
  if (ifMatch !== null && !listMatches(parseEtagList(ifMatch), currentEtag, strongMatch)) return 'failed';
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null && listMatches(parseEtagList(ifNoneMatch), currentEtag, weakMatch)) {
    // A cache may reuse what it has for a read; a write must not go ahead.
    return method === 'GET' || method === 'HEAD' ? 'not-modified' : 'failed';
  }
  return 'proceed';
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url');

/** The strong entity-tag of a representation: its exact bytes hashed. */
const strongEtag = (body: string): string => `"${sha256(body)}"`;

/** JSON with every object's keys sorted: equal for semantically equal JSON values. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function isJson(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const representation = (status: number, body: string, etag: string, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { 'content-type': 'application/json', etag, ...headers } });

const preconditionFailed = (): Response =>
  problem(412, { detail: 'The resource does not match the preconditions: it changed since you read it, or it exists and you asked to create it.' });

/** The answer the preconditions force, or `undefined` to go on. A 304 carries the ETag and no body. */
function preconditionResponse(outcome: PreconditionOutcome, etag: string | undefined): Response | undefined {
  if (outcome === 'failed') return preconditionFailed();
  if (outcome === 'not-modified') return new Response(null, { status: 304, headers: etag === undefined ? {} : { etag } });
  return undefined;
}

/**
 * A handler for `GET /api/trips`, and `GET` and `PUT /api/trips/:id` (with `HEAD` for each GET),
 * over `store`. Requests never make it throw: every failure is an `application/problem+json`
 * response, except 304, which has no body.
 * @throws {TypeError} when `store` is not a `TripStore` or `requirePrecondition` not a boolean.
 */
export function createTripResource({ store, requirePrecondition = false }: TripResourceOptions): Handler {
  for (const method of ['get', 'list', 'put', 'insert', 'update'] as const) {
    if (typeof store?.[method] !== 'function') throw new TypeError(`store.${method} must be a function, got ${typeof store?.[method]}`);
  }
  if (typeof requirePrecondition !== 'boolean') {
    throw new TypeError(`requirePrecondition must be a boolean, got ${String(requirePrecondition)}`);
  }

  async function listTrips(req: Request): Promise<Response> {
    const rows = await store.list();
    const listing = { trips: Object.fromEntries(rows.map((row) => [row.id, JSON.parse(row.body) as unknown])) };
    // The bytes follow the store's order and each client's key order; the meaning does not.
    const etag = `W/"${sha256(canonicalJson(listing))}"`;
    return preconditionResponse(evaluatePreconditions(req.method, req.headers, etag), etag) ?? representation(200, JSON.stringify(listing), etag);
  }

  async function getTrip(req: Request, id: string): Promise<Response> {
    const row = await store.get(id);
    // Without the preconditions this would be a 404, so they are ignored (RFC 9110, 13.2.1).
    if (row === undefined) return problem(404, { detail: 'There is no trip with this id.' });
    return preconditionResponse(evaluatePreconditions(req.method, req.headers, row.etag), row.etag) ?? representation(200, row.body, row.etag);
  }

  async function putTrip(req: Request, id: string): Promise<Response> {
    if (!isJson(req.headers.get('content-type'))) return problem(415, { detail: 'Send the trip as application/json.' });
    const conditional = req.headers.has('if-match') || req.headers.has('if-none-match');
    if (requirePrecondition && !conditional) {
      return problem(428, { detail: 'Send If-Match with the ETag you read, or If-None-Match: * to create.' });
    }
    const current = await store.get(id);
    const refused = preconditionResponse(evaluatePreconditions(req.method, req.headers, current?.etag), current?.etag);
    if (refused !== undefined) return refused;

    const body = await req.text();
    if (parseObject(body) === undefined) return problem(400, { detail: 'The body must be a JSON object.' });
    const row: TripRow = { id, body, etag: strongEtag(body) };

    if (!conditional) {
      await store.put(row);
    } else {
      // Write only if the row is still the one the preconditions were checked against: another
      // request may have written it since our read (check-then-act).
      const written = current === undefined ? await store.insert(row) : await store.update(row, current.etag);
      if (!written) return preconditionFailed();
    }
    // The body is stored as sent, untransformed, so the ETag may go with the response (RFC 9110, 9.3.4).
    return current === undefined
      ? representation(201, body, row.etag, { location: `/api/trips/${encodeURIComponent(id)}` })
      : representation(200, body, row.etag);
  }

  async function dispatch(req: Request): Promise<Response> {
    const match = /^\/api\/trips(?:\/([^/]+))?$/.exec(new URL(req.url).pathname);
    if (match === null) return problem(404, { detail: 'There is no resource at this path.' });
    const rawId = match[1];
    if (rawId === undefined) {
      if (req.method === 'GET' || req.method === 'HEAD') return listTrips(req);
      return problem(405, { detail: `${req.method} is not allowed here.`, headers: { allow: 'GET, HEAD' } });
    }
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      return problem(404, { detail: 'There is no trip with this id.' });
    }
    if (req.method === 'GET' || req.method === 'HEAD') return getTrip(req, id);
    if (req.method === 'PUT') return putTrip(req, id);
    return problem(405, { detail: `${req.method} is not allowed here.`, headers: { allow: 'GET, HEAD, PUT' } });
  }

  return async (req) => {
    let res: Response;
    try {
      res = await dispatch(req);
    } catch {
      // A bug or a failing store, not the client's fault; a real service logs it here.
      res = problem(500, { detail: 'The server failed to handle the request.' });
    }
    return req.method === 'HEAD' ? new Response(null, { status: res.status, headers: res.headers }) : res;
  };
}
