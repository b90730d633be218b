/**
 * Pagination of a listing ordered by (created_at, id), newest first: offset pages and cursor
 * pages, opaque base64url cursors, and RFC 8288 `Link` headers, served as `GET /items`.
 *
 * The items live in an `ItemStore` (item-store.ts, given), which hands them over unsorted.
 * README.md has the idea and the exact contract; `npm run kata -- hint pagination` when stuck.
 */
import type { Handler } from '#http';
import type { ItemStore } from './item-store.ts';

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

/**
 * The page at `offset` of `items` (in any order), sorted newest first.
 * @throws {RangeError} when `offset` is not a non-negative integer or `limit` not a positive one.
 */
export function paginateOffset<T extends SortKey>(_items: readonly T[], _options: OffsetOptions): OffsetPage<T> {
  throw new Error('TODO: implement paginateOffset');
}

/**
 * The page of `items` (in any order, sorted newest first) that starts right after `after`, or
 * ends right before `before`, or else the first page. The key need not belong to an item still
 * there: a deleted item's key still marks a place in the order.
 * @throws {RangeError} when `limit` is not a positive integer.
 * @throws {TypeError} when both `after` and `before` are given.
 */
export function paginateCursor<T extends SortKey>(_items: readonly T[], _options: CursorOptions): CursorPage<T> {
  throw new Error('TODO: implement paginateCursor');
}

/** The opaque form of a cursor: base64url (no padding, no `+` or `/`) of a small JSON array. */
export function encodeCursor(_cursor: Cursor): string {
  throw new Error('TODO: implement encodeCursor');
}

/**
 * The cursor that `encodeCursor` turned into `text`, or `undefined` for anything else: not
 * base64url, not the expected JSON, a timestamp not in `toISOString()` form, or any text that
 * `encodeCursor` would not have written byte for byte.
 */
export function decodeCursor(_text: string): Cursor | undefined {
  throw new Error('TODO: implement decodeCursor');
}

/**
 * An RFC 8288 `Link` header value: `<url>; rel="next", <url>; rel="prev"`, in the order of
 * `links`. Each URL is `baseUrl` with the link's parameters set (replacing any of the same name,
 * keeping the others) and without a fragment; `undefined` when there is no link at all.
 * @throws {TypeError} when `baseUrl` is not an absolute URL.
 */
export function buildLinkHeader(_baseUrl: string, _links: Links): string | undefined {
  throw new Error('TODO: implement buildLinkHeader');
}

/**
 * `GET /items` over `store`: cursor pages by default (`?limit=&cursor=`), offset pages when
 * `offset` is given (`?offset=&limit=`). Requests never make it throw: every failure is an
 * `application/problem+json` response.
 * @throws {TypeError} when `store` has no `list` method.
 */
export function createListHandler(_options: ListHandlerOptions): Handler {
  throw new Error('TODO: implement createListHandler');
}
