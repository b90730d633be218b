/**
 * Pagination of a listing ordered by (created_at, id), newest first: offset pages and cursor
 * (keyset) pages, opaque base64url cursors, and RFC 8288 `Link` headers.
 *
 * Offset: sort, skip `offset`, take `limit`. It gives page numbers and a total, but a database
 * still reads every skipped row (OFFSET 980 LIMIT 20 reads 1,000), and an insert or a delete
 * ahead of the page shifts every later page: items repeat or go missing between requests.
 * Cursor: the next page starts strictly after the sort key of the last item served. The key
 * includes the id, so ties on created_at are ordered; it needs no stored state, survives
 * inserts and deletes, and with an index on (created_at, id) costs O(log n + limit) at any
 * depth. It cannot jump to page 37 or count the pages.
 * Complexity here: O(n log n) per page, because the store hands over every row unsorted; a
 * database would seek in its index instead.
 */
import { type Handler, json, problem } from '#http';
import type { Item, ItemStore } from './item-store.ts';

export type { Item, ItemStore } from './item-store.ts';

/** The page size when the request names none. */
export const DEFAULT_LIMIT = 20;
/** The largest page size a request may ask for. */
export const MAX_LIMIT = 100;

/** What the listing is ordered by: `created_at` (`Date#toISOString()` form), then `id`. */
export interface SortKey {
  readonly created_at: string;
  readonly id: string;
}

/** A position in the listing: strictly after, or strictly before, the item with this key. */
export type Cursor = { readonly after: SortKey; readonly before?: never } | { readonly before: SortKey; readonly after?: never };

export interface OffsetOptions {
  /** How many items to skip: a non-negative integer. */
  readonly offset: number;
  /** The page size: a positive integer. */
  readonly limit: number;
}

export interface OffsetPage<T> {
  readonly items: T[];
  readonly total: number;
  /** The offset of the previous page, `max(0, offset - limit)`; absent at offset 0. */
  readonly prev?: number;
  /** The offset of the next page, `offset + limit`; absent when no item is left after this page. */
  readonly next?: number;
  /** The offset of the last page, counting pages of `limit` from 0 (0 for an empty listing). */
  readonly last: number;
}

export interface CursorOptions {
  /** Serve the items that come strictly after this key. */
  readonly after?: SortKey;
  /** Serve the `limit` items that come strictly before this key. */
  readonly before?: SortKey;
  /** The page size: a positive integer. */
  readonly limit: number;
}

export interface CursorPage<T> {
  readonly items: T[];
  /** `{ after: key of the last item }`, present only when more items follow this page. */
  readonly next?: Cursor;
  /** `{ before: key of the first item }`, present only when items precede this page. */
  readonly prev?: Cursor;
}

export type LinkRelation = 'first' | 'prev' | 'next' | 'last';

/** Query parameters of each link; a relation left out or `undefined` gets no link. */
export type Links = Readonly<Partial<Record<LinkRelation, Readonly<Record<string, string | number>> | undefined>>>;

export interface ListHandlerOptions {
  /** Where the items live. */
  readonly store: ItemStore;
}

/** A field of the query that is wrong, as listed in the `errors` member of a 400 problem. */
export interface FieldError {
  readonly field: string;
  readonly detail: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INTEGER = /^\d{1,15}$/;

/** Listing order: newest first, and among equal timestamps the greatest id first. */
function byListingOrder(a: SortKey, b: SortKey): number {
  if (a.created_at !== b.created_at) return a.created_at > b.created_at ? -1 : 1;
  if (a.id !== b.id) return a.id > b.id ? -1 : 1;
  return 0;
}

// Only the key goes into a cursor, never the rest of the item.
const keyOf = (item: SortKey): SortKey => ({ created_at: item.created_at, id: item.id });

function indexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  const index = items.findIndex(predicate);
  return index === -1 ? items.length : index;
}

function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

/**
 * The page at `offset` of `items` (in any order), sorted newest first.
 * @throws {RangeError} when `offset` is not a non-negative integer or `limit` not a positive one.
 */
export function paginateOffset<T extends SortKey>(items: readonly T[], { offset, limit }: OffsetOptions): OffsetPage<T> {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  checkLimit(limit);
  const sorted = [...items].sort(byListingOrder);
  const total = sorted.length;
  return {
    items: sorted.slice(offset, offset + limit),
    total,
    ...(offset > 0 ? { prev: Math.max(0, offset - limit) } : {}),
    ...(offset + limit < total ? { next: offset + limit } : {}),
    last: total === 0 ? 0 : Math.floor((total - 1) / limit) * limit,
  };
}

/**
 * The page of `items` (in any order, sorted newest first) that starts right after `after`, or
 * ends right before `before`, or else the first page. The key need not belong to an item still
 * there: a deleted item's key still marks a place in the order.
 * @throws {RangeError} when `limit` is not a positive integer.
 * @throws {TypeError} when both `after` and `before` are given.
 */
export function paginateCursor<T extends SortKey>(items: readonly T[], { after, before, limit }: CursorOptions): CursorPage<T> {
  checkLimit(limit);
  if (after !== undefined && before !== undefined) throw new TypeError('after and before cannot be used together');
  const sorted = [...items].sort(byListingOrder);
  let start: number;
  let end: number;
  if (before === undefined) {
    start = after === undefined ? 0 : indexWhere(sorted, (item) => byListingOrder(item, after) > 0);
    end = Math.min(sorted.length, start + limit);
  } else {
    end = indexWhere(sorted, (item) => byListingOrder(item, before) >= 0);
    start = Math.max(0, end - limit);
  }
  const page = sorted.slice(start, end);
  const first = page[0];
  const last = page.at(-1);
  return {
    items: page,
    ...(last !== undefined && end < sorted.length ? { next: { after: keyOf(last) } } : {}),
    ...(first !== undefined && start > 0 ? { prev: { before: keyOf(first) } } : {}),
  };
}

/** The opaque form of a cursor: base64url (no padding, no `+` or `/`) of a small JSON array. */
export function encodeCursor(cursor: Cursor): string {
  const fields = cursor.after !== undefined ? ['after', cursor.after.created_at, cursor.after.id] : ['before', cursor.before.created_at, cursor.before.id];
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/**
 * The cursor that `encodeCursor` turned into `text`, or `undefined` for anything else: not
 * base64url, not the expected JSON, a timestamp not in `toISOString()` form, or any text that
 * `encodeCursor` would not have written byte for byte.
 */
export function decodeCursor(text: string): Cursor | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [direction, created_at, id] = value as unknown[];
  if (typeof created_at !== 'string' || !TIMESTAMP.test(created_at) || typeof id !== 'string') return undefined;
  let cursor: Cursor;
  if (direction === 'after') cursor = { after: { created_at, id } };
  else if (direction === 'before') cursor = { before: { created_at, id } };
  else return undefined;
  // Node's decoder is lenient (it skips stray characters, accepts '+', '/' and padding):
  // accept only the one spelling this API hands out.
  return encodeCursor(cursor) === text ? cursor : undefined;
}

/**
 * An RFC 8288 `Link` header value: `<url>; rel="next", <url>; rel="prev"`, in the order of
 * `links`. Each URL is `baseUrl` with the link's parameters set (replacing any of the same name,
 * keeping the others) and without a fragment; `undefined` when there is no link at all.
 * @throws {TypeError} when `baseUrl` is not an absolute URL.
 */
export function buildLinkHeader(baseUrl: string, links: Links): string | undefined {
  const base = new URL(baseUrl);
  base.hash = '';
  const values: string[] = [];
  for (const [rel, params] of Object.entries(links)) {
    if (params === undefined) continue;
    const url = new URL(base);
    for (const name of Object.keys(params)) url.searchParams.delete(name);
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, String(value));
    values.push(`<${url.href}>; rel="${rel}"`);
  }
  return values.length === 0 ? undefined : values.join(', ');
}

type Query = { readonly limit: number } & ({ readonly offset: number } | { readonly offset?: undefined; readonly cursor?: Cursor });

/** The query's `limit`, `offset` and `cursor`, or every parameter that is wrong. */
function parseQuery(params: URLSearchParams): Query | FieldError[] {
  const errors: FieldError[] = [];
  const rawLimit = params.get('limit');
  const rawOffset = params.get('offset');
  const rawCursor = params.get('cursor');

  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    limit = INTEGER.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', detail: `must be an integer from 1 to ${MAX_LIMIT}` });
  }
  let offset: number | undefined;
  if (rawOffset !== null) {
    offset = Number(rawOffset);
    if (!INTEGER.test(rawOffset)) errors.push({ field: 'offset', detail: 'must be a non-negative integer' });
    if (rawCursor !== null) errors.push({ field: 'offset', detail: 'cannot be combined with cursor' });
  }
  let cursor: Cursor | undefined;
  if (rawCursor !== null) {
    cursor = decodeCursor(rawCursor);
    if (cursor === undefined) errors.push({ field: 'cursor', detail: 'is not a cursor this API handed out' });
  }
  if (errors.length > 0) return errors;
  if (offset !== undefined) return { limit, offset };
  return cursor === undefined ? { limit } : { limit, cursor };
}

/**
 * `GET /items` over `store`: cursor pages by default (`?limit=&cursor=`), offset pages when
 * `offset` is given (`?offset=&limit=`). Requests never make it throw: every failure is an
 * `application/problem+json` response.
 * @throws {TypeError} when `store` has no `list` method.
 */
export function createListHandler({ store }: ListHandlerOptions): Handler {
  if (typeof store?.list !== 'function') throw new TypeError(`store.list must be a function, got ${typeof store?.list}`);

  async function list(url: URL): Promise<Response> {
    const query = parseQuery(url.searchParams);
    if (Array.isArray(query)) return problem(400, { detail: 'The query has invalid parameters.', extensions: { errors: query } });
    const { limit } = query;
    const items: Item[] = await store.list();

    if (query.offset !== undefined) {
      const page = paginateOffset(items, { offset: query.offset, limit });
      const link = buildLinkHeader(url.href, {
        first: { offset: 0, limit },
        prev: page.prev === undefined ? undefined : { offset: page.prev, limit },
        next: page.next === undefined ? undefined : { offset: page.next, limit },
        last: { offset: page.last, limit },
      });
      return json(200, { items: page.items, total: page.total }, link === undefined ? {} : { link });
    }

    const page = paginateCursor(items, { ...query.cursor, limit });
    const next = page.next === undefined ? undefined : encodeCursor(page.next);
    const prev = page.prev === undefined ? undefined : encodeCursor(page.prev);
    const link = buildLinkHeader(url.href, {
      next: next === undefined ? undefined : { cursor: next, limit },
      prev: prev === undefined ? undefined : { cursor: prev, limit },
    });
    const body = { items: page.items, ...(next === undefined ? {} : { next_cursor: next }), ...(prev === undefined ? {} : { prev_cursor: prev }) };
    return json(200, body, link === undefined ? {} : { link });
  }

  async function dispatch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname !== '/items') return problem(404, { detail: 'There is no resource at this path.' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return problem(405, { detail: `${req.method} is not allowed here; use GET.`, headers: { allow: 'GET, HEAD' } });
    }
    return list(url);
  }

  return async (req) => {
    let res: Response;
    try {
      res = await dispatch(req);
    } catch {
      // A bug or a failing store, not the client's fault; a real service logs it here.
      res = problem(500, { detail: 'The server failed to handle the request.' });
    }
    // HEAD is GET without the body, with the same status and headers.
    return req.method === 'HEAD' ? new Response(null, { status: res.status, headers: res.headers }) : res;
  };
}
