import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryRequestShape, expectProblem as expectProblemBody, type ProblemBody, toRequest } from '#testing';
import { type Item, MemoryItemStore } from './item-store.ts';
import {
  buildLinkHeader,
  createListHandler,
  type Cursor,
  decodeCursor,
  DEFAULT_LIMIT,
  encodeCursor,
  MAX_LIMIT,
  paginateCursor,
  paginateOffset,
  type SortKey,
} from './pagination.ts';

type Handler = (req: Request) => Promise<Response>;

const BASE = 'http://localhost';

/** 2026-01-01 at 09:00 plus `minute` minutes, as `toISOString()` writes it. */
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();
const item = (id: string, minute: number): Item => ({ id, created_at: at(minute), title: `Item ${id}` });
const keyOf = ({ created_at, id }: SortKey): SortKey => ({ created_at, id });
const idsOf = (items: readonly SortKey[]): string[] => items.map((i) => i.id);

// The listing order, written out naively: newest first, then the greatest id first.
const compareKeys = (a: SortKey, b: SortKey): number =>
  a.created_at !== b.created_at ? (a.created_at < b.created_at ? 1 : -1) : a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
const newestFirst = <T extends SortKey>(items: readonly T[]): T[] => [...items].sort(compareKeys);

/** a (09:01) … e (09:05): newest first they read e, d, c, b, a. Stored out of order on purpose. */
const fiveItems = [item('c', 3), item('a', 1), item('e', 5), item('b', 2), item('d', 4)];
/** Five items created in the same millisecond: only the id orders them (e, d, c, b, a). */
const sameInstant = ['c', 'a', 'e', 'b', 'd'].map((id) => item(id, 0));

interface ListBody {
  items: Item[];
  total?: number;
  next_cursor?: string;
  prev_cursor?: string;
}

interface Problem extends ProblemBody {
  errors?: { field: string; detail: string }[];
}

const expectProblem = (res: Response, status: number) => expectProblemBody<Problem>(res, status);

/** `<url>; rel="name", …` as { name: url }; fails the test on anything else. */
function parseLinks(header: string | null): Record<string, string> {
  if (header === null) return {};
  const links: Record<string, string> = {};
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^<([^>]*)>;\s*rel="([a-z]+)"$/.exec(part.trim());
    expect(match, `a Link header entry of the form <url>; rel="name", got ${part}`).not.toBeNull();
    links[match![2]!] = match![1]!;
  }
  return links;
}

async function fetchPage(api: Handler, url: string): Promise<{ res: Response; body: ListBody; links: Record<string, string> }> {
  const res = await api(new Request(new URL(url, BASE)));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { res, body: (await res.json()) as ListBody, links: parseLinks(res.headers.get('link')) };
}

/**
 * Follows `rel="next"` from `start` to the end, calling `between` before each next page, and
 * returns every item served. Stops a walk that goes on for longer than `maxPages`.
 */
async function walk(api: Handler, start: string, maxPages: number, between: (page: number) => Promise<void> = async () => {}): Promise<Item[]> {
  const seen: Item[] = [];
  let url: string | undefined = start;
  for (let page = 0; url !== undefined; page++) {
    expect(page, 'the walk should end: a next link on every page never stops').toBeLessThan(maxPages);
    if (page > 0) await between(page);
    const { body, links } = await fetchPage(api, url);
    seen.push(...body.items);
    url = links.next;
  }
  return seen;
}

const listHandler = (items: readonly Item[] = []) => {
  const store = new MemoryItemStore(items);
  return { store, api: createListHandler({ store }) };
};

describe('pagination', () => {
  describe('paginateOffset', () => {
    it('should sort newest first and serve the first page, with the next and last offsets', () => {
      const page = paginateOffset(fiveItems, { offset: 0, limit: 2 });
      expect(idsOf(page.items)).toEqual(['e', 'd']);
      expect(page).toMatchObject({ total: 5, next: 2, last: 4 });
      expect(page.prev).toBeUndefined();
    });

    it('should serve a middle page with both neighbours', () => {
      const page = paginateOffset(fiveItems, { offset: 2, limit: 2 });
      expect(idsOf(page.items)).toEqual(['c', 'b']);
      expect(page).toMatchObject({ total: 5, prev: 0, next: 4, last: 4 });
    });

    it('should serve a short last page with no next', () => {
      const page = paginateOffset(fiveItems, { offset: 4, limit: 2 });
      expect(idsOf(page.items)).toEqual(['a']);
      expect(page.next).toBeUndefined();
      expect(page.prev).toBe(2);
    });

    it('should point last at the start of the last page when the total is a multiple of the limit', () => {
      const four = fiveItems.slice(0, 4);
      expect(paginateOffset(four, { offset: 0, limit: 2 }).last).toBe(2);
      expect(paginateOffset(four, { offset: 0, limit: 4 }).last).toBe(0);
      expect(paginateOffset(four, { offset: 2, limit: 2 }).next).toBeUndefined();
    });

    it('should order items created at the same instant by id, greatest first', () => {
      expect(idsOf(paginateOffset(sameInstant, { offset: 1, limit: 3 }).items)).toEqual(['d', 'c', 'b']);
    });

    it('should serve an empty page past the end, and an empty listing', () => {
      expect(paginateOffset(fiveItems, { offset: 10, limit: 2 })).toMatchObject({ items: [], total: 5, prev: 8, last: 4 });
      const empty = paginateOffset([], { offset: 0, limit: 20 });
      expect(empty).toEqual({ items: [], total: 0, last: 0 });
    });

    it.each([
      { offset: -1, limit: 2 },
      { offset: 1.5, limit: 2 },
      { offset: Number.NaN, limit: 2 },
      { offset: 0, limit: 0 },
      { offset: 0, limit: 2.5 },
      { offset: 0, limit: Number.POSITIVE_INFINITY },
    ])('should reject offset $offset with limit $limit with a RangeError', ({ offset, limit }) => {
      expect(() => paginateOffset(fiveItems, { offset, limit })).toThrow(RangeError);
    });
  });

  describe('paginateCursor', () => {
    it('should serve the first page newest first, with a cursor after its last item', () => {
      const page = paginateCursor(fiveItems, { limit: 2 });
      expect(idsOf(page.items)).toEqual(['e', 'd']);
      expect(page.next).toEqual({ after: { created_at: at(4), id: 'd' } });
      expect(page.prev).toBeUndefined();
    });

    it('should start the next page strictly after the cursor', () => {
      const page = paginateCursor(fiveItems, { after: keyOf(item('d', 4)), limit: 2 });
      expect(idsOf(page.items)).toEqual(['c', 'b']);
      expect(page.next).toEqual({ after: keyOf(item('b', 2)) });
      expect(page.prev).toEqual({ before: keyOf(item('c', 3)) });
    });

    it('should have no next on the last page, even when it is full', () => {
      const four = fiveItems.slice(1);
      const last = paginateCursor(four, { after: keyOf(item('d', 4)), limit: 2 });
      expect(idsOf(last.items)).toEqual(['b', 'a']);
      expect(last.next).toBeUndefined();
      const everything = paginateCursor(four, { limit: 4 });
      expect(everything.next).toBeUndefined();
    });

    it('should walk items created at the same instant one by one, by id', () => {
      let page = paginateCursor(sameInstant, { limit: 2 });
      const seen = [...idsOf(page.items)];
      while (page.next !== undefined) {
        page = paginateCursor(sameInstant, { ...page.next, limit: 2 });
        seen.push(...idsOf(page.items));
      }
      expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
    });

    it('should serve the items right before a cursor, in listing order', () => {
      const page = paginateCursor(fiveItems, { before: keyOf(item('b', 2)), limit: 2 });
      expect(idsOf(page.items)).toEqual(['d', 'c']);
      expect(page.prev).toEqual({ before: keyOf(item('d', 4)) });
      expect(page.next).toEqual({ after: keyOf(item('c', 3)) });
      const first = paginateCursor(fiveItems, { before: keyOf(item('d', 4)), limit: 2 });
      expect(idsOf(first.items)).toEqual(['e']);
      expect(first.prev).toBeUndefined();
    });

    it('should carry on from the key of an item that was deleted since', () => {
      const withoutD = fiveItems.filter((i) => i.id !== 'd');
      expect(idsOf(paginateCursor(withoutD, { after: keyOf(item('d', 4)), limit: 2 }).items)).toEqual(['c', 'b']);
      const tie = sameInstant.filter((i) => i.id !== 'c');
      expect(idsOf(paginateCursor(tie, { after: keyOf(item('c', 0)), limit: 5 }).items)).toEqual(['b', 'a']);
    });

    it('should serve an empty page for an empty listing or a cursor past the end', () => {
      expect(paginateCursor([], { limit: 20 })).toEqual({ items: [] });
      expect(paginateCursor(fiveItems, { after: keyOf(item('a', 1)), limit: 2 })).toEqual({ items: [] });
    });

    it.each([{ limit: 0 }, { limit: -2 }, { limit: 0.5 }, { limit: Number.NaN }])('should reject limit $limit with a RangeError', ({ limit }) => {
      expect(() => paginateCursor(fiveItems, { limit })).toThrow(RangeError);
    });

    it('should reject after and before together with a TypeError', () => {
      expect(() => paginateCursor(fiveItems, { after: keyOf(item('d', 4)), before: keyOf(item('b', 2)), limit: 2 })).toThrow(TypeError);
    });
  });

  describe('encodeCursor and decodeCursor', () => {
    it('should turn a cursor into an opaque string and back', () => {
      const cursor: Cursor = { after: { created_at: at(5), id: 'e' } };
      const text = encodeCursor(cursor);
      expect(text).not.toContain('e"');
      expect(decodeCursor(text)).toEqual(cursor);
      const backwards: Cursor = { before: { created_at: at(5), id: 'e' } };
      expect(decodeCursor(encodeCursor(backwards))).toEqual(backwards);
      expect(encodeCursor(backwards)).not.toBe(text);
    });

    it.each([
      { id: 'item~1', why: 'a plus sign in standard base64' },
      { id: 'a?b', why: 'a slash in standard base64' },
      { id: 'ab', why: 'padding in standard base64' },
    ])('should use only URL-safe characters, even for the id $id ($why)', ({ id }) => {
      const text = encodeCursor({ after: { created_at: at(0), id } });
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    it.each([
      { text: '', why: 'empty' },
      { text: 'abc!', why: 'not base64url' },
      { text: Buffer.from('hello').toString('base64url'), why: 'not JSON' },
      { text: Buffer.from('{"after":1}').toString('base64url'), why: 'a JSON object' },
      { text: Buffer.from('["after","2026-01-01T09:00:00.000Z"]').toString('base64url'), why: 'missing the id' },
      { text: Buffer.from('["later","2026-01-01T09:00:00.000Z","a"]').toString('base64url'), why: 'an unknown direction' },
      { text: Buffer.from('["after","yesterday","a"]').toString('base64url'), why: 'a timestamp that is not ISO 8601' },
      { text: Buffer.from('["after","2026-01-01T09:00:00.000Z",7]').toString('base64url'), why: 'an id that is not a string' },
      { text: Buffer.from('["after", "2026-01-01T09:00:00.000Z", "a"]').toString('base64url'), why: 'JSON spelled differently' },
      { text: `${cursorAfter('a')}==`, why: 'padded' },
      { text: Buffer.from('["after","2026-01-01T09:00:00.000Z","item~1"]').toString('base64'), why: 'spelled with a plus sign' },
    ])('should decode $why to undefined', ({ text }) => {
      expect(decodeCursor(text)).toBeUndefined();
    });
  });

  describe('buildLinkHeader', () => {
    it('should write one <url>; rel="…" per link, in the order given', () => {
      const header = buildLinkHeader('http://localhost/items', { next: { cursor: 'abc', limit: 20 }, prev: { cursor: 'xyz', limit: 20 } });
      expect(header).toBe('<http://localhost/items?cursor=abc&limit=20>; rel="next", <http://localhost/items?cursor=xyz&limit=20>; rel="prev"');
    });

    it('should replace the parameters it sets, keep the others, and drop the fragment', () => {
      const header = buildLinkHeader('http://localhost/items?tag=news&offset=40&limit=20#top', { first: { offset: 0, limit: 20 } });
      expect(header).toBe('<http://localhost/items?tag=news&offset=0&limit=20>; rel="first"');
    });

    it('should percent-encode parameter values', () => {
      expect(buildLinkHeader('http://localhost/items', { next: { cursor: 'a+b/c d' } })).toBe('<http://localhost/items?cursor=a%2Bb%2Fc+d>; rel="next"');
    });

    it('should skip undefined links, and give undefined when none is left', () => {
      expect(buildLinkHeader('http://localhost/items', { next: undefined, last: { offset: 0 } })).toBe('<http://localhost/items?offset=0>; rel="last"');
      expect(buildLinkHeader('http://localhost/items', { next: undefined })).toBeUndefined();
      expect(buildLinkHeader('http://localhost/items', {})).toBeUndefined();
    });
  });

  describe('GET /items', () => {
    it('should serve the first page, newest first, with a next cursor in the body and the Link header', async () => {
      const { api } = listHandler(fiveItems);
      const { body, links } = await fetchPage(api, '/items?limit=2');
      expect(body.items).toEqual([item('e', 5), item('d', 4)]);
      expect(body.next_cursor).toEqual(expect.any(String));
      expect(body.prev_cursor).toBeUndefined();
      expect(links).toEqual({ next: `${BASE}/items?cursor=${body.next_cursor}&limit=2` });
    });

    it('should serve the next pages through the cursor, ending with a page that has prev and no next', async () => {
      const { api } = listHandler(fiveItems);
      const first = await fetchPage(api, '/items?limit=2');
      const second = await fetchPage(api, `/items?limit=2&cursor=${first.body.next_cursor}`);
      expect(idsOf(second.body.items)).toEqual(['c', 'b']);
      expect(Object.keys(second.links).sort()).toEqual(['next', 'prev']);
      const third = await fetchPage(api, second.links.next!);
      expect(idsOf(third.body.items)).toEqual(['a']);
      expect(third.body.next_cursor).toBeUndefined();
      expect(Object.keys(third.links)).toEqual(['prev']);
      const back = await fetchPage(api, third.links.prev!);
      expect(idsOf(back.body.items)).toEqual(['c', 'b']);
    });

    it(`should serve ${DEFAULT_LIMIT} items by default and up to ${MAX_LIMIT} on request`, async () => {
      const many = Array.from({ length: 120 }, (_, i) => item(`item-${String(i).padStart(3, '0')}`, i));
      const { api } = listHandler(many);
      const byDefault = await fetchPage(api, '/items');
      expect(byDefault.body.items).toHaveLength(DEFAULT_LIMIT);
      expect(byDefault.links.next).toContain(`limit=${DEFAULT_LIMIT}`);
      expect((await fetchPage(api, `/items?limit=${MAX_LIMIT}`)).body.items).toHaveLength(MAX_LIMIT);
      expect((await fetchPage(api, '/items?limit=1')).body.items).toEqual([item('item-119', 119)]);
    });

    it(`should answer 400 naming limit when it is above ${MAX_LIMIT}`, async () => {
      const { api } = listHandler(fiveItems);
      const body = await expectProblem(await api(new Request(`${BASE}/items?limit=${MAX_LIMIT + 1}`)), 400);
      expect(body.errors).toEqual([{ field: 'limit', detail: expect.any(String) }]);
    });

    it('should serve offset pages with a total and first, prev, next and last links', async () => {
      const { api } = listHandler(fiveItems);
      const { body, links } = await fetchPage(api, '/items?offset=2&limit=2');
      expect(body).toEqual({ items: [item('c', 3), item('b', 2)], total: 5 });
      expect(links).toEqual({
        first: `${BASE}/items?offset=0&limit=2`,
        prev: `${BASE}/items?offset=0&limit=2`,
        next: `${BASE}/items?offset=4&limit=2`,
        last: `${BASE}/items?offset=4&limit=2`,
      });
      const first = await fetchPage(api, '/items?offset=0');
      expect(first.body.total).toBe(5);
      expect(Object.keys(first.links).sort()).toEqual(['first', 'last']);
    });

    it('should hand out cursors a client can paste into a URL as they are', async () => {
      // In standard base64 this cursor would contain a '+', which a query string reads as a space.
      const { api } = listHandler([item('item~1', 1), item('item-0', 0)]);
      const first = await fetchPage(api, '/items?limit=1');
      expect(first.body.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await fetchPage(api, `/items?limit=1&cursor=${first.body.next_cursor}`);
      expect(idsOf(second.body.items)).toEqual(['item-0']);
    });

    it('should keep other query parameters in its links', async () => {
      const { api } = listHandler(fiveItems);
      const { links } = await fetchPage(api, '/items?limit=2&tag=news');
      expect(new URL(links.next!).searchParams.get('tag')).toBe('news');
    });

    it.each([
      { query: '?limit=0', fields: ['limit'] },
      { query: '?limit=-1', fields: ['limit'] },
      { query: '?limit=2.5', fields: ['limit'] },
      { query: '?limit=ten', fields: ['limit'] },
      { query: '?limit=', fields: ['limit'] },
      { query: '?limit=1e1', fields: ['limit'] },
      { query: '?limit=99999999999999999999', fields: ['limit'] },
      { query: '?offset=-5', fields: ['offset'] },
      { query: '?offset=1.5', fields: ['offset'] },
      { query: '?offset=', fields: ['offset'] },
      { query: '?cursor=', fields: ['cursor'] },
      { query: '?cursor=not-a-cursor', fields: ['cursor'] },
      { query: `?offset=0&cursor=${cursorAfter('a')}`, fields: ['offset'] },
      { query: '?limit=0&cursor=%25', fields: ['limit', 'cursor'] },
    ])('should answer 400 to $query, naming $fields', async ({ query, fields }) => {
      const { api } = listHandler(fiveItems);
      const body = await expectProblem(await api(new Request(`${BASE}/items${query}`)), 400);
      expect(body.errors?.map((error) => error.field)).toEqual(fields);
    });

    it('should answer 400 to a cursor tampered with, never a 5xx', async () => {
      const { api } = listHandler(fiveItems);
      const { body } = await fetchPage(api, '/items?limit=2');
      const cursor = body.next_cursor!;
      for (let i = 0; i < cursor.length; i += 3) {
        const flipped = cursor[i] === 'A' ? 'B' : 'A';
        const tampered = cursor.slice(0, i) + flipped + cursor.slice(i + 1);
        const res = await api(new Request(`${BASE}/items?limit=2&cursor=${tampered}`));
        // A flip may still decode to a well-formed cursor (a different timestamp or id): then it is a place in the order like any other.
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) await expectProblem(res, 400);
      }
      await expectProblem(await api(new Request(`${BASE}/items?cursor=${cursor.slice(0, -3)}`)), 400);
    });

    it.each([{ path: '/' }, { path: '/items/' }, { path: '/items/e' }, { path: '/ITEMS' }])('should answer 404 to $path', async ({ path }) => {
      const { api } = listHandler(fiveItems);
      await expectProblem(await api(new Request(BASE + path)), 404);
    });

    it.each([{ method: 'POST' }, { method: 'DELETE' }, { method: 'PUT' }])('should answer 405 to $method with Allow: GET, HEAD', async ({ method }) => {
      const { api } = listHandler(fiveItems);
      const res = await api(new Request(`${BASE}/items`, { method }));
      await expectProblem(res, 405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    });

    it('should answer HEAD like GET, with the Link header and without a body', async () => {
      const { api } = listHandler(fiveItems);
      const res = await api(new Request(`${BASE}/items?limit=2`, { method: 'HEAD' }));
      expect(res.status).toBe(200);
      expect(parseLinks(res.headers.get('link'))).toHaveProperty('next');
      expect(await res.text()).toBe('');
    });

    it('should reject a store without a list method with a TypeError', () => {
      expect(() => createListHandler({ store: {} as MemoryItemStore })).toThrow(TypeError);
    });
  });

  describe('walking every page while the listing changes', () => {
    it('should not repeat an item when one arrives between two pages, unlike offset', async () => {
      const { api, store } = listHandler(fiveItems);
      const byOffset = await walk(api, '/items?offset=0&limit=2', 10, async (page) => {
        if (page === 1) await store.insert(item('f', 6));
      });
      // Page 2 at offset 2 starts one place earlier than it did: d is served twice.
      expect(idsOf(byOffset)).toEqual(['e', 'd', 'd', 'c', 'b', 'a']);

      const fresh = listHandler(fiveItems);
      const byCursor = await walk(fresh.api, '/items?limit=2', 10, async (page) => {
        if (page === 1) await fresh.store.insert(item('f', 6));
      });
      expect(idsOf(byCursor)).toEqual(['e', 'd', 'c', 'b', 'a']);
    });

    it('should not skip an item when one is deleted between two pages, unlike offset', async () => {
      const { api, store } = listHandler(fiveItems);
      const byOffset = await walk(api, '/items?offset=0&limit=2', 10, async (page) => {
        if (page === 1) await store.delete('e');
      });
      // Everything moved up one place: c is never served.
      expect(idsOf(byOffset)).toEqual(['e', 'd', 'b', 'a']);

      const fresh = listHandler(fiveItems);
      const byCursor = await walk(fresh.api, '/items?limit=2', 10, async (page) => {
        // Even the item the cursor points after may go.
        if (page === 1) await fresh.store.delete('d');
      });
      expect(idsOf(byCursor)).toEqual(['e', 'd', 'c', 'b', 'a']);
    });

    // Few distinct timestamps, so that many items share one and only the id tells them apart.
    const arbitraryItems = fc.uniqueArray(
      fc.record({ id: fc.stringMatching(/^[a-z~?]{1,3}$/), minute: fc.nat(3) }).map(({ id, minute }) => item(id, minute)),
      { selector: (i) => i.id, maxLength: 12 },
    );
    const arbitraryLimit = fc.integer({ min: 1, max: 6 });

    it('should visit every item exactly once, in order, following rel="next" cursor or offset links', async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryItems, arbitraryLimit, fc.boolean(), async (items, limit, byOffset) => {
          const { api } = listHandler(items);
          const start = byOffset ? `/items?offset=0&limit=${limit}` : `/items?limit=${limit}`;
          const seen = await walk(api, start, items.length + 2);
          expect(seen).toEqual(newestFirst(items));
        }),
        { numRuns: 25 },
      );
    });

    it('should walk the same pages backwards through prev, from the last page to the first', () => {
      fc.assert(
        fc.property(arbitraryItems, arbitraryLimit, (items, limit) => {
          const pages = [paginateCursor(items, { limit })];
          for (let page = pages[0]!; page.next !== undefined; pages.push(page)) page = paginateCursor(items, { ...page.next, limit });
          for (let i = pages.length - 1; i > 0; i--) {
            const prev = paginateCursor(items, { ...pages[i]!.prev, limit });
            expect(prev.items).toEqual(pages[i - 1]!.items);
          }
          expect(pages[0]!.prev).toBeUndefined();
        }),
        { numRuns: 40 },
      );
    });

    it('should serve exactly the items that existed at the start when new ones arrive at the head; offset repeats some', async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryItems, arbitraryLimit, fc.array(fc.nat(2), { minLength: 1, maxLength: 4 }), async (items, limit, arrivals) => {
          const expected = newestFirst(items);
          let serial = 0;
          const arrive = (store: MemoryItemStore) => async (page: number) => {
            // Newer than everything so far: they land at the head of the listing.
            for (let n = 0; n < (arrivals[page - 1] ?? 0); n++, serial++) await store.insert(item(`new-${serial}`, 10 + serial));
          };
          const byCursor = listHandler(items);
          expect(await walk(byCursor.api, `/items?limit=${limit}`, items.length + 2, arrive(byCursor.store))).toEqual(expected);

          serial = 0;
          const byOffset = listHandler(items);
          let repeated = false;
          const arriveAndNote = async (page: number) => {
            if ((arrivals[page - 1] ?? 0) > 0) repeated = true;
            await arrive(byOffset.store)(page);
          };
          const seen = idsOf(await walk(byOffset.api, `/items?offset=0&limit=${limit}`, items.length + 30, arriveAndNote));
          expect(new Set(seen).size < seen.length).toBe(repeated);
        }),
        { numRuns: 15 },
      );
    });
  });

  describe('properties', () => {
    it('should decode every cursor it encodes, and encode it with URL-safe characters only', () => {
      const key = fc.record({ created_at: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()), id: fc.string() });
      const cursor = fc.oneof(key.map((k): Cursor => ({ after: k })), key.map((k): Cursor => ({ before: k })));
      fc.assert(
        fc.property(cursor, (c) => {
          const text = encodeCursor(c);
          expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
          expect(decodeCursor(text)).toEqual(c);
        }),
        { numRuns: 40 },
      );
    });

    it('should decode any other string to undefined or to a cursor that encodes back to it', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.base64String(), fc.string({ unit: fc.constantFrom(...'AZaz09-_+/='.split('')) })), (text) => {
          const cursor = decodeCursor(text);
          if (cursor !== undefined) expect(encodeCursor(cursor)).toBe(text);
        }),
      );
    });

    it('should answer any query with 200 or a 400 problem naming the bad parameters', async () => {
      const valid = cursorAfter('c');
      const value = fc.oneof(
        fc.constantFrom('', '0', '1', '20', '100', '101', '-1', '1.5', '1e2', ' 5', '0x10', '%', valid, valid.slice(1), `${valid}=`, 'null'),
        fc.string({ maxLength: 12 }),
        fc.nat(200).map(String),
      );
      const query = fc.dictionary(fc.constantFrom('limit', 'offset', 'cursor', 'tag'), value, { maxKeys: 4 });
      const { api } = listHandler(fiveItems);
      await fc.assert(
        fc.asyncProperty(query, async (params) => {
          const res = await api(new Request(`${BASE}/items?${new URLSearchParams(params)}`));
          if (res.status === 200) return;
          const body = await expectProblem(res, 400);
          expect(body.errors?.length).toBeGreaterThan(0);
          for (const error of body.errors ?? []) expect(['limit', 'offset', 'cursor']).toContain(error.field);
        }),
        { numRuns: 40 },
      );
    });

    it('should never throw or answer 5xx, whatever the request', async () => {
      const { api } = listHandler(fiveItems);
      await fc.assert(
        fc.asyncProperty(arbitraryRequestShape(['/items', '/api']), async (shape) => {
          const res = await api(toRequest(shape));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400 && shape.method !== 'HEAD') await expectProblem(res, res.status);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('against a model', () => {
    // The model: the items in a Map, and where the walk stands; pages are recomputed naively.
    interface Model {
      items: Map<string, Item>;
      /** The keys of the first and last items of the page served last, and its links. */
      last?: { first: SortKey; end: SortKey; hasNext: boolean; hasPrev: boolean } | undefined;
    }
    interface Real {
      api: Handler;
      store: MemoryItemStore;
      next?: string | undefined;
      prev?: string | undefined;
    }

    const expectPage = async (model: Model, real: Real, url: string, expected: Item[], sorted: Item[]) => {
      const { body, links } = await fetchPage(real.api, url);
      expect(body.items).toEqual(expected);
      const first = expected[0];
      const end = expected.at(-1);
      const hasNext = end !== undefined && sorted.indexOf(end) < sorted.length - 1;
      const hasPrev = first !== undefined && sorted.indexOf(first) > 0;
      expect(links.next !== undefined).toBe(hasNext);
      expect(links.prev !== undefined).toBe(hasPrev);
      real.next = links.next;
      real.prev = links.prev;
      model.last = first === undefined || end === undefined ? undefined : { first, end, hasNext, hasPrev };
    };

    class InsertCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly item: Item) {}
      check = (model: Readonly<Model>) => !model.items.has(this.item.id);
      async run(model: Model, real: Real): Promise<void> {
        await real.store.insert(this.item);
        model.items.set(this.item.id, this.item);
      }
      toString = () => `insert(${this.item.id} at ${this.item.created_at.slice(11, 16)})`;
    }

    class DeleteCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string) {}
      check = (model: Readonly<Model>) => model.items.has(this.id);
      async run(model: Model, real: Real): Promise<void> {
        expect(await real.store.delete(this.id)).toBe(true);
        model.items.delete(this.id);
      }
      toString = () => `delete(${this.id})`;
    }

    /** Follows the last page's next link, or starts over at the first page when there is none. */
    class NextCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly limit: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const sorted = newestFirst([...model.items.values()]);
        const from = model.last?.hasNext ? model.last.end : undefined;
        const rest = from === undefined ? sorted : sorted.filter((i) => compareKeys(i, from) > 0);
        const url = from === undefined ? `/items?limit=${this.limit}` : new URL(real.next!).pathname + new URL(real.next!).search;
        // A next link keeps the limit of the page it came from.
        const limit = from === undefined ? this.limit : Number(new URL(real.next!).searchParams.get('limit'));
        await expectPage(model, real, url, rest.slice(0, limit), sorted);
      }
      toString = () => `next(limit ${this.limit})`;
    }

    class PrevCommand implements fc.AsyncCommand<Model, Real> {
      check = (model: Readonly<Model>) => model.last?.hasPrev === true;
      async run(model: Model, real: Real): Promise<void> {
        const sorted = newestFirst([...model.items.values()]);
        const until = model.last!.first;
        const before = sorted.filter((i) => compareKeys(i, until) < 0);
        const limit = Number(new URL(real.prev!).searchParams.get('limit'));
        await expectPage(model, real, real.prev!, before.slice(-limit), sorted);
      }
      toString = () => 'prev';
    }

    it('should serve the pages a naive model predicts, under any interleaving of inserts, deletes and page turns', async () => {
      const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
      const commands = fc.commands(
        [
          fc.tuple(id, fc.nat(3)).map(([i, minute]) => new InsertCommand(item(i, minute))),
          id.map((i) => new DeleteCommand(i)),
          fc.integer({ min: 1, max: 3 }).map((limit) => new NextCommand(limit)),
          fc.constant(new PrevCommand()),
        ],
        { maxCommands: 20 },
      );
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          await fc.asyncModelRun(() => {
            const store = new MemoryItemStore();
            return { model: { items: new Map() }, real: { api: createListHandler({ store }), store } };
          }, cmds);
        }),
        { numRuns: 25 },
      );
    });
  });
});

/** The cursor after item `id` at 09:00, spelled out as README.md specifies it. */
function cursorAfter(id: string): string {
  return Buffer.from(JSON.stringify(['after', '2026-01-01T09:00:00.000Z', id])).toString('base64url');
}
