import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryRequestShape, expectProblem, toRequest } from '#testing';
import { createTripResource, evaluatePreconditions, parseEtagList, strongMatch, weakMatch } from './conditional-requests.ts';
import { MemoryTripStore } from './trip-store.ts';

type Handler = (req: Request) => Promise<Response>;

const BASE = 'http://localhost';

/** The strong ETag README.md specifies: the SHA-256 of the bytes, base64url, in quotes. */
const strongTag = (body: string): string => `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;

const parisLyon = '{"origin":"Paris","destination":"Lyon","seats":3}';
const parisLyonTwoSeats = '{"origin":"Paris","destination":"Lyon","seats":2}';
/** The same trip as parisLyon, its keys in another order: other bytes, same meaning. */
const parisLyonReordered = '{"seats":3,"destination":"Lyon","origin":"Paris"}';

function tripResource(options: { requirePrecondition?: boolean } = {}): { api: Handler; store: MemoryTripStore } {
  const store = new MemoryTripStore();
  return { store, api: createTripResource({ store, ...options }) };
}

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => new Request(BASE + path, { method, headers });
const put = (path: string, body: string, headers: Record<string, string> = {}) =>
  new Request(BASE + path, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body });

/** Creates trip `id` with a blind PUT and returns its ETag. */
async function create(api: Handler, id: string, body: string): Promise<string> {
  const res = await api(put(`/api/trips/${id}`, body));
  expect(res.status).toBe(201);
  return res.headers.get('etag')!;
}

async function expectNotModified(res: Response, etag: string): Promise<void> {
  expect(res.status).toBe(304);
  expect(res.headers.get('etag')).toBe(etag);
  expect(await res.text()).toBe('');
}

async function expectTrip(api: Handler, id: string, body: string): Promise<void> {
  const res = await api(get(`/api/trips/${id}`));
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(body);
  expect(res.headers.get('etag')).toBe(strongTag(body));
}

describe('conditional requests', () => {
  describe('comparing entity-tags (RFC 9110, section 8.8.3.2)', () => {
    it.each([
      { a: 'W/"1"', b: 'W/"1"', strong: false, weak: true },
      { a: 'W/"1"', b: 'W/"2"', strong: false, weak: false },
      { a: 'W/"1"', b: '"1"', strong: false, weak: true },
      { a: '"1"', b: 'W/"1"', strong: false, weak: true },
      { a: '"1"', b: '"1"', strong: true, weak: true },
      { a: '"1"', b: '"2"', strong: false, weak: false },
      { a: '""', b: '""', strong: true, weak: true },
    ])('should compare $a with $b: strong $strong, weak $weak', ({ a, b, strong, weak }) => {
      expect(strongMatch(a, b)).toBe(strong);
      expect(weakMatch(a, b)).toBe(weak);
    });

    it.each([
      { a: '1', b: '1', why: 'not quoted' },
      { a: 'w/"1"', b: 'w/"1"', why: 'a lower-case weak prefix' },
      { a: '*', b: '*', why: 'a star, which is not an entity-tag' },
      { a: '"a b"', b: '"a b"', why: 'a space inside the quotes' },
    ])('should match nothing that is not an entity-tag: $why', ({ a, b }) => {
      expect(strongMatch(a, b)).toBe(false);
      expect(weakMatch(a, b)).toBe(false);
    });
  });

  describe('parseEtagList', () => {
    it.each([
      { value: '"a"', tags: ['"a"'] },
      { value: '"a", W/"b"', tags: ['"a"', 'W/"b"'] },
      { value: '*', tags: '*' },
      { value: '"a,b", "c"', tags: ['"a,b"', '"c"'] },
      { value: '"a",, \t,"b"', tags: ['"a"', '"b"'] },
      { value: '""', tags: ['""'] },
      { value: '', tags: [] },
    ])('should read $value as $tags', ({ value, tags }) => {
      expect(parseEtagList(value)).toEqual(tags);
    });

    it.each([
      { value: 'a', why: 'not quoted' },
      { value: '"a', why: 'unterminated' },
      { value: 'w/"a"', why: 'a lower-case weak prefix' },
      { value: 'W/ "a"', why: 'a space after W/' },
      { value: '"a" "b"', why: 'no comma between two tags' },
      { value: '"a"b', why: 'text after a tag' },
      { value: '"a", *', why: 'a star inside a list' },
      { value: '**', why: 'two stars' },
    ])('should give undefined for $value ($why)', ({ value }) => {
      expect(parseEtagList(value)).toBeUndefined();
    });
  });

  describe('evaluatePreconditions', () => {
    const current = '"v2"';
    it.each([
      { method: 'GET', headers: {}, etag: current, outcome: 'proceed' },
      { method: 'GET', headers: { 'if-none-match': '"v2"' }, etag: current, outcome: 'not-modified' },
      { method: 'HEAD', headers: { 'if-none-match': '"v2"' }, etag: current, outcome: 'not-modified' },
      { method: 'GET', headers: { 'if-none-match': 'W/"v2"' }, etag: current, outcome: 'not-modified' },
      { method: 'GET', headers: { 'if-none-match': '"v1", W/"v2"' }, etag: current, outcome: 'not-modified' },
      { method: 'GET', headers: { 'if-none-match': '"v1"' }, etag: current, outcome: 'proceed' },
      { method: 'GET', headers: { 'if-none-match': '*' }, etag: current, outcome: 'not-modified' },
      { method: 'PUT', headers: { 'if-none-match': '"v2"' }, etag: current, outcome: 'failed' },
      { method: 'PUT', headers: { 'if-none-match': '*' }, etag: current, outcome: 'failed' },
      { method: 'PUT', headers: { 'if-none-match': '*' }, etag: undefined, outcome: 'proceed' },
      { method: 'PUT', headers: { 'if-match': '"v2"' }, etag: current, outcome: 'proceed' },
      { method: 'PUT', headers: { 'if-match': '"v1", "v2"' }, etag: current, outcome: 'proceed' },
      { method: 'PUT', headers: { 'if-match': '"v1"' }, etag: current, outcome: 'failed' },
      { method: 'PUT', headers: { 'if-match': 'W/"v2"' }, etag: current, outcome: 'failed' },
      { method: 'PUT', headers: { 'if-match': '*' }, etag: current, outcome: 'proceed' },
      { method: 'PUT', headers: { 'if-match': '*' }, etag: undefined, outcome: 'failed' },
      { method: 'PUT', headers: { 'if-match': '"v2"' }, etag: undefined, outcome: 'failed' },
      { method: 'GET', headers: { 'if-match': '"v1"' }, etag: current, outcome: 'failed' },
      { method: 'GET', headers: { 'if-match': '"v2"' }, etag: 'W/"v2"', outcome: 'failed' },
    ])('should decide $outcome for $method with $headers when the current ETag is $etag', ({ method, headers, etag, outcome }) => {
      expect(evaluatePreconditions(method, new Headers(headers), etag)).toBe(outcome);
    });

    it.each([
      { why: 'If-Match fails: 412, though If-None-Match alone would give 304', method: 'GET', headers: { 'if-match': '"v1"', 'if-none-match': '"v2"' }, outcome: 'failed' },
      { why: 'If-Match passes, then If-None-Match matches: 304', method: 'GET', headers: { 'if-match': '"v2"', 'if-none-match': '"v2"' }, outcome: 'not-modified' },
      { why: 'If-Match passes, then If-None-Match: * fails a write', method: 'PUT', headers: { 'if-match': '*', 'if-none-match': '*' }, outcome: 'failed' },
      { why: 'If-Match passes and If-None-Match does not match', method: 'PUT', headers: { 'if-match': '"v2"', 'if-none-match': '"v1"' }, outcome: 'proceed' },
    ])('should evaluate If-Match before If-None-Match: $why', ({ method, headers, outcome }) => {
      expect(evaluatePreconditions(method, new Headers(headers), current)).toBe(outcome);
    });

    it.each([
      { header: 'if-match', method: 'PUT', outcome: 'failed' },
      { header: 'if-none-match', method: 'GET', outcome: 'proceed' },
      { header: 'if-none-match', method: 'PUT', outcome: 'proceed' },
    ])('should treat an unparseable $header as matching nothing: $outcome for $method', ({ header, method, outcome }) => {
      expect(evaluatePreconditions(method, new Headers({ [header]: 'v2' }), current)).toBe(outcome);
      expect(evaluatePreconditions(method, new Headers({ [header]: '"v2" "v1"' }), current)).toBe(outcome);
    });

    it('should ignore If-Modified-Since and If-Unmodified-Since: the resource keeps no dates', () => {
      const past = 'Thu, 01 Jan 1970 00:00:00 GMT';
      const future = 'Fri, 01 Jan 2100 00:00:00 GMT';
      expect(evaluatePreconditions('GET', new Headers({ 'if-modified-since': future }), current)).toBe('proceed');
      expect(evaluatePreconditions('PUT', new Headers({ 'if-unmodified-since': past }), current)).toBe('proceed');
    });
  });

  describe('GET /api/trips/:id', () => {
    it('should serve the trip byte for byte as it was PUT, with a strong ETag: the SHA-256 of those bytes', async () => {
      const { api } = tripResource();
      const spaced = '{ "origin": "Paris",  "seats": 3 }';
      await create(api, 'trip-1', spaced);
      const res = await api(get('/api/trips/trip-1'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('etag')).toBe(strongTag(spaced));
      expect(await res.text()).toBe(spaced);
    });

    it('should answer 304 Not Modified, with the ETag and no body, when the client has the current version', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectNotModified(await api(get('/api/trips/trip-1', { 'if-none-match': etag })), etag);
    });

    it('should answer 304 to the weak form of the tag, to a list holding it, and to *', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectNotModified(await api(get('/api/trips/trip-1', { 'if-none-match': `W/${etag}` })), etag);
      await expectNotModified(await api(get('/api/trips/trip-1', { 'if-none-match': `"old", ${etag}` })), etag);
      await expectNotModified(await api(get('/api/trips/trip-1', { 'if-none-match': '*' })), etag);
    });

    it('should answer 304 to HEAD too', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectNotModified(await api(get('/api/trips/trip-1', { 'if-none-match': etag }, 'HEAD')), etag);
      const head = await api(get('/api/trips/trip-1', {}, 'HEAD'));
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(etag);
      expect(await head.text()).toBe('');
    });

    it('should serve the new version, with its new ETag, to a client holding an old one', async () => {
      const { api } = tripResource();
      const old = await create(api, 'trip-1', parisLyon);
      await api(put('/api/trips/trip-1', parisLyonTwoSeats));
      const res = await api(get('/api/trips/trip-1', { 'if-none-match': old }));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(strongTag(parisLyonTwoSeats));
      expect(await res.text()).toBe(parisLyonTwoSeats);
    });

    it('should give equal bytes the same ETag on any server, and other bytes, even other whitespace, another', async () => {
      const first = tripResource();
      const second = tripResource();
      expect(await create(first.api, 'trip-1', parisLyon)).toBe(await create(second.api, 'trip-7', parisLyon));
      expect(await create(first.api, 'trip-2', parisLyonReordered)).not.toBe(strongTag(parisLyon));
      expect(await create(first.api, 'trip-3', `${parisLyon} `)).not.toBe(strongTag(parisLyon));
    });

    it('should answer 412 to a GET whose If-Match names an old version', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectProblem(await api(get('/api/trips/trip-1', { 'if-match': '"old"' })), 412);
      expect((await api(get('/api/trips/trip-1', { 'if-match': etag }))).status).toBe(200);
    });

    it.each([{ 'if-match': '*' }, { 'if-none-match': '*' }, { 'if-match': '"x"' }])(
      'should answer 404 for a missing trip whatever the preconditions: %o',
      async (headers) => {
        await expectProblem(await tripResource().api(get('/api/trips/nope', headers)), 404);
      },
    );
  });

  describe('PUT /api/trips/:id', () => {
    it('should create a trip: 201, Location, the ETag of the bytes sent, and the trip as the body', async () => {
      const { api } = tripResource();
      const res = await api(put('/api/trips/trip-1', parisLyon));
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe('/api/trips/trip-1');
      expect(res.headers.get('etag')).toBe(strongTag(parisLyon));
      expect(await res.text()).toBe(parisLyon);
      await expectTrip(api, 'trip-1', parisLyon);
    });

    it('should replace a trip: 200 with the new ETag', async () => {
      const { api } = tripResource();
      const before = await create(api, 'trip-1', parisLyon);
      const res = await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-match': before }));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(strongTag(parisLyonTwoSeats));
      await expectTrip(api, 'trip-1', parisLyonTwoSeats);
    });

    it('should prevent a lost update: of two clients that read the same version, the second to write gets 412', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      const read = await api(get('/api/trips/trip-1'));
      const seen = read.headers.get('etag')!;
      const alice = await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-match': seen }));
      expect(alice.status).toBe(200);
      const bob = await api(put('/api/trips/trip-1', '{"origin":"Paris","destination":"Nice","seats":3}', { 'if-match': seen }));
      await expectProblem(bob, 412);
      await expectTrip(api, 'trip-1', parisLyonTwoSeats);
      // Bob reads again, gets Alice's version and its ETag, and can now write.
      const again = (await api(get('/api/trips/trip-1'))).headers.get('etag')!;
      expect((await api(put('/api/trips/trip-1', parisLyon, { 'if-match': again }))).status).toBe(200);
    });

    it('should refuse If-Match with the weak form of the current tag: If-Match compares strongly', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectProblem(await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-match': `W/${etag}` })), 412);
      await expectTrip(api, 'trip-1', parisLyon);
    });

    it('should create only once with If-None-Match: *, answering 412 (not 304) when the trip exists', async () => {
      const { api } = tripResource();
      expect((await api(put('/api/trips/trip-1', parisLyon, { 'if-none-match': '*' }))).status).toBe(201);
      await expectProblem(await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-none-match': '*' })), 412);
      await expectTrip(api, 'trip-1', parisLyon);
    });

    it('should answer 412, not 304, to a PUT whose If-None-Match holds the current tag', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectProblem(await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-none-match': etag })), 412);
      await expectTrip(api, 'trip-1', parisLyon);
    });

    it('should let If-Match: * replace any current version, and never create', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      expect((await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-match': '*' }))).status).toBe(200);
      await expectProblem(await api(put('/api/trips/trip-2', parisLyon, { 'if-match': '*' })), 412);
      await expectProblem(await api(get('/api/trips/trip-2')), 404);
    });

    it('should answer 412 to an If-Match that does not parse, and ignore an If-None-Match that does not parse', async () => {
      const { api } = tripResource();
      const etag = await create(api, 'trip-1', parisLyon);
      await expectProblem(await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-match': etag.slice(1, -1) })), 412);
      expect((await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-none-match': 'garbage' }))).status).toBe(200);
    });

    it('should let exactly one of two concurrent writes holding the same ETag win', async () => {
      const { api } = tripResource();
      const seen = await create(api, 'trip-1', parisLyon);
      const bodies = ['{"seats":2,"by":"alice"}', '{"seats":1,"by":"bob"}'];
      const responses = await Promise.all(bodies.map((body) => api(put('/api/trips/trip-1', body, { 'if-match': seen }))));
      expect(responses.map((res) => res.status).sort()).toEqual([200, 412]);
      const winner = bodies[responses.findIndex((res) => res.status === 200)]!;
      await expectTrip(api, 'trip-1', winner);
    });

    it('should let exactly one of two concurrent create-only writes win', async () => {
      const { api } = tripResource();
      const responses = await Promise.all([parisLyon, parisLyonTwoSeats].map((body) => api(put('/api/trips/trip-1', body, { 'if-none-match': '*' }))));
      expect(responses.map((res) => res.status).sort()).toEqual([201, 412]);
    });
  });

  describe('requirePrecondition', () => {
    it('should answer 428 Precondition Required to a PUT with neither If-Match nor If-None-Match, and write nothing', async () => {
      const { api, store } = tripResource({ requirePrecondition: true });
      await expectProblem(await api(put('/api/trips/trip-1', parisLyon)), 428);
      expect(await store.list()).toEqual([]);
      expect((await api(put('/api/trips/trip-1', parisLyon, { 'if-none-match': '*' }))).status).toBe(201);
      await expectProblem(await api(put('/api/trips/trip-1', parisLyonTwoSeats)), 428);
      await expectTrip(api, 'trip-1', parisLyon);
      expect((await api(put('/api/trips/trip-1', parisLyonTwoSeats, { 'if-match': strongTag(parisLyon) }))).status).toBe(200);
    });

    it('should take blind writes by default (last writer wins)', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      expect((await api(put('/api/trips/trip-1', parisLyonTwoSeats))).status).toBe(200);
      await expectTrip(api, 'trip-1', parisLyonTwoSeats);
    });
  });

  describe('GET /api/trips, with a weak ETag', () => {
    it('should list every trip by id with a weak ETag', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      await create(api, 'trip-2', parisLyonTwoSeats);
      const res = await api(get('/api/trips'));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toMatch(/^W\/"[^"]+"$/);
      expect(await res.json()).toEqual({ trips: { 'trip-1': JSON.parse(parisLyon), 'trip-2': JSON.parse(parisLyonTwoSeats) } });
    });

    it('should keep its weak ETag when a trip only changes its key order, though the bytes and the trip\'s strong ETag change', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      const listing = await api(get('/api/trips'));
      const weak = listing.headers.get('etag')!;
      const before = await listing.text();
      const rewritten = await api(put('/api/trips/trip-1', parisLyonReordered));
      expect(rewritten.headers.get('etag')).not.toBe(strongTag(parisLyon));
      const after = await api(get('/api/trips'));
      expect(after.headers.get('etag')).toBe(weak);
      expect(await after.text()).not.toBe(before);
      await expectNotModified(await api(get('/api/trips', { 'if-none-match': weak })), weak);
    });

    it('should change its weak ETag when a trip changes', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      const weak = (await api(get('/api/trips'))).headers.get('etag')!;
      await api(put('/api/trips/trip-1', parisLyonTwoSeats));
      const res = await api(get('/api/trips', { 'if-none-match': weak }));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).not.toBe(weak);
    });

    it('should fail If-Match with its own weak ETag: a weak tag never passes a strong comparison', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      const weak = (await api(get('/api/trips'))).headers.get('etag')!;
      await expectProblem(await api(get('/api/trips', { 'if-match': weak })), 412);
    });
  });

  describe('bad requests', () => {
    it.each([{ contentType: 'text/plain' }, { contentType: 'application/jsonp' }])('should answer 415 to a PUT with Content-Type $contentType', async ({ contentType }) => {
      const { api } = tripResource();
      await expectProblem(await api(put('/api/trips/trip-1', parisLyon, { 'content-type': contentType })), 415);
    });

    it.each([{ body: '' }, { body: '{' }, { body: '[1]' }, { body: 'null' }, { body: '"trip"' }])('should answer 400 to the body $body', async ({ body }) => {
      const { api } = tripResource();
      await expectProblem(await api(put('/api/trips/trip-1', body)), 400);
      await expectProblem(await api(get('/api/trips/trip-1')), 404);
    });

    it('should check the preconditions before reading the body', async () => {
      const { api } = tripResource();
      await create(api, 'trip-1', parisLyon);
      await expectProblem(await api(put('/api/trips/trip-1', '{', { 'if-match': '"old"' })), 412);
    });

    it.each([{ path: '/' }, { path: '/api/trips/' }, { path: '/api/trips/a/b' }, { path: '/api/trips/%E0%A4%A' }])('should answer 404 to $path', async ({ path }) => {
      await expectProblem(await tripResource().api(get(path)), 404);
    });

    it.each([
      { method: 'DELETE', path: '/api/trips/trip-1', allow: 'GET, HEAD, PUT' },
      { method: 'POST', path: '/api/trips/trip-1', allow: 'GET, HEAD, PUT' },
      { method: 'PUT', path: '/api/trips', allow: 'GET, HEAD' },
      { method: 'PATCH', path: '/api/trips', allow: 'GET, HEAD' },
    ])('should answer 405 to $method $path with Allow: $allow', async ({ method, path, allow }) => {
      const res = await tripResource().api(new Request(BASE + path, { method }));
      await expectProblem(res, 405);
      expect(res.headers.get('allow')).toBe(allow);
    });

    it('should percent-decode the id in the path and encode it in Location', async () => {
      const { api } = tripResource();
      const res = await api(put('/api/trips/trip%201', parisLyon));
      expect(res.headers.get('location')).toBe('/api/trips/trip%201');
      await expectTrip(api, 'trip%201', parisLyon);
      expect(await (await api(get('/api/trips'))).json()).toEqual({ trips: { 'trip 1': JSON.parse(parisLyon) } });
    });

    it('should reject a store that is not one, or a requirePrecondition that is not a boolean, with a TypeError', () => {
      expect(() => createTripResource({ store: {} as MemoryTripStore })).toThrow(TypeError);
      expect(() => createTripResource({ store: new MemoryTripStore(), requirePrecondition: 'yes' as unknown as boolean })).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    /** The same JSON value with every object's keys in reverse order. */
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)]));
    };
    const object = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });

    it('should give a listing the same weak ETag whatever the key order of its trips, and a trip a new strong ETag for new bytes', async () => {
      await fc.assert(
        fc.asyncProperty(object, object, async (a, b) => {
          const one = tripResource();
          const other = tripResource();
          const bodies = [JSON.stringify(a), JSON.stringify(b), JSON.stringify(reverseKeys(a)), JSON.stringify(reverseKeys(b))] as const;
          const tags = [await create(one.api, 'a', bodies[0]), await create(one.api, 'b', bodies[1]), await create(other.api, 'a', bodies[2])];
          await create(other.api, 'b', bodies[3]);
          expect(tags[0] === tags[1]).toBe(bodies[0] === bodies[1]);
          expect(tags[0] === tags[2]).toBe(bodies[0] === bodies[2]);
          const weak = (await one.api(get('/api/trips'))).headers.get('etag');
          expect((await other.api(get('/api/trips'))).headers.get('etag')).toBe(weak);
        }),
        { numRuns: 20 },
      );
    });

    it('should never throw or answer 5xx, whatever the request', async () => {
      const { api, store } = tripResource();
      await store.put({ id: 't1', body: parisLyon, etag: strongTag(parisLyon) });
      await fc.assert(
        fc.asyncProperty(arbitraryRequestShape(['/api/trips', '/api/trips/t1']), async (shape) => {
          const res = await api(toRequest(shape));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400 && shape.method !== 'HEAD') await expectProblem(res, res.status);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('against a model', () => {
    // A precondition, symbolically: resolved against the model when the command runs.
    type Tag = 'current' | 'weak current' | 'stale' | 'star' | 'garbage';
    interface Preconditions {
      ifMatch?: Tag;
      ifNoneMatch?: Tag;
    }
    // The model: each trip's versions (its bodies, oldest first; the version is the count) and
    // the ETag first seen for each body.
    interface Model {
      readonly requirePrecondition: boolean;
      readonly versions: Map<string, string[]>;
      readonly etags: Map<string, string>;
    }
    interface Real {
      readonly api: Handler;
    }

    const currentEtag = (model: Model, id: string): string | undefined => {
      const body = model.versions.get(id)?.at(-1);
      return body === undefined ? undefined : model.etags.get(body);
    };
    const resolve = (model: Model, id: string, tag: Tag): string => {
      const current = currentEtag(model, id);
      switch (tag) {
        case 'current':
          return current ?? '"never-issued"';
        case 'weak current':
          return `W/${current ?? '"never-issued"'}`;
        case 'stale': {
          const older = (model.versions.get(id) ?? []).map((body) => model.etags.get(body)).filter((etag) => etag !== current);
          return older.at(-1) ?? '"never-issued"';
        }
        case 'star':
          return '*';
        case 'garbage':
          return 'garbage';
      }
    };
    const headersFor = (model: Model, id: string, pre: Preconditions): Record<string, string> => ({
      ...(pre.ifMatch === undefined ? {} : { 'if-match': resolve(model, id, pre.ifMatch) }),
      ...(pre.ifNoneMatch === undefined ? {} : { 'if-none-match': resolve(model, id, pre.ifNoneMatch) }),
    });
    /** What RFC 9110 decides, written out per symbolic tag. */
    const expectedOutcome = (exists: boolean, method: string, pre: Preconditions): 'proceed' | 304 | 412 => {
      if (pre.ifMatch !== undefined && !(exists && (pre.ifMatch === 'current' || pre.ifMatch === 'star'))) return 412;
      const hit = exists && (pre.ifNoneMatch === 'current' || pre.ifNoneMatch === 'weak current' || pre.ifNoneMatch === 'star');
      if (hit) return method === 'GET' ? 304 : 412;
      return 'proceed';
    };
    const describePre = (pre: Preconditions) => `${pre.ifMatch ? ` If-Match: ${pre.ifMatch}` : ''}${pre.ifNoneMatch ? ` If-None-Match: ${pre.ifNoneMatch}` : ''}`;

    class GetCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string, readonly pre: Preconditions) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const res = await real.api(get(`/api/trips/${this.id}`, headersFor(model, this.id, this.pre)));
        const body = model.versions.get(this.id)?.at(-1);
        if (body === undefined) return void (await expectProblem(res, 404));
        const outcome = expectedOutcome(true, 'GET', this.pre);
        if (outcome === 412) return void (await expectProblem(res, 412));
        if (outcome === 304) return expectNotModified(res, currentEtag(model, this.id)!);
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBe(currentEtag(model, this.id));
        expect(await res.text()).toBe(body);
      }
      toString = () => `GET ${this.id}${describePre(this.pre)}`;
    }

    class PutCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly id: string, readonly body: string, readonly pre: Preconditions) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const res = await real.api(put(`/api/trips/${this.id}`, this.body, headersFor(model, this.id, this.pre)));
        const exists = model.versions.has(this.id);
        const conditional = this.pre.ifMatch !== undefined || this.pre.ifNoneMatch !== undefined;
        if (model.requirePrecondition && !conditional) return void (await expectProblem(res, 428));
        if (expectedOutcome(exists, 'PUT', this.pre) === 412) return void (await expectProblem(res, 412));
        expect(res.status).toBe(exists ? 200 : 201);
        const etag = res.headers.get('etag')!;
        const known = model.etags.get(this.body);
        if (known === undefined) {
          // New bytes, a new tag: no other version ever had it.
          expect([...model.etags.values()]).not.toContain(etag);
          model.etags.set(this.body, etag);
        } else {
          expect(etag).toBe(known);
        }
        model.versions.set(this.id, [...(model.versions.get(this.id) ?? []), this.body]);
      }
      toString = () => `PUT ${this.id} ${this.body}${describePre(this.pre)}`;
    }

    it('should answer every GET and PUT as RFC 9110 decides, against a model of versions', async () => {
      const id = fc.constantFrom('a', 'b');
      const body = fc.constantFrom('{"seats":1}', '{"seats":2}', '{ "seats": 1 }', '{"seats":1,"by":"x"}', '{"by":"x","seats":1}');
      const tag = fc.constantFrom<Tag>('current', 'weak current', 'stale', 'star', 'garbage');
      const pre = fc.record({ ifMatch: tag, ifNoneMatch: tag }, { requiredKeys: [] }) as fc.Arbitrary<Preconditions>;
      const commands = fc.commands(
        [fc.tuple(id, pre).map(([i, p]) => new GetCommand(i, p)), fc.tuple(id, body, pre).map(([i, b, p]) => new PutCommand(i, b, p))],
        { maxCommands: 16 },
      );
      await fc.assert(
        fc.asyncProperty(fc.boolean(), commands, async (requirePrecondition, cmds) => {
          await fc.asyncModelRun(() => {
            const store = new MemoryTripStore();
            return {
              model: { requirePrecondition, versions: new Map(), etags: new Map() },
              real: { api: createTripResource({ store, requirePrecondition }) },
            };
          }, cmds);
        }),
        { numRuns: 25 },
      );
    });
  });
});
