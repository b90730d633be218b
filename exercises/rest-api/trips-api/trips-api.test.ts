import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectProblem as expectProblemBody, type ProblemBody } from '#testing';
import { createTripsHandler, type Trip } from './trips-api.ts';

type Handler = (req: Request) => Promise<Response>;
type NewTrip = Omit<Trip, 'trip_id'>;

const BASE = 'http://localhost';
const parisLyon: NewTrip = { origin: 'Paris', destination: 'Lyon', date: '2026-05-01', seats_available: 3 };

/** A handler whose ids are trip-1, trip-2, ... */
function tripsApi(): Handler {
  let n = 0;
  return createTripsHandler({ ids: () => `trip-${++n}` });
}

const get = (path: string, method = 'GET') => new Request(BASE + path, { method });
const postJson = (path: string, body: unknown) =>
  new Request(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const join = (id: string) => new Request(`${BASE}/api/trips/${id}/join`, { method: 'POST' });

async function createTrip(api: Handler, trip: unknown = parisLyon): Promise<string> {
  const res = await api(postJson('/api/trips', trip));
  expect(res.status).toBe(201);
  return ((await res.json()) as { trip_id: string }).trip_id;
}

async function listTrips(api: Handler, query = ''): Promise<Trip[]> {
  const res = await api(get(`/api/trips${query}`));
  expect(res.status).toBe(200);
  return ((await res.json()) as { trips: Trip[] }).trips;
}

interface Problem extends ProblemBody {
  errors?: { field: string; detail: string }[];
}

const expectProblem = (res: Response, status: number) => expectProblemBody<Problem>(res, status);

const allowed = (res: Response) =>
  (res.headers.get('allow') ?? '')
    .split(',')
    .map((method) => method.trim())
    .filter((method) => method !== '')
    .sort();

describe('createTripsHandler', () => {
  describe('POST /api/trips', () => {
    it('should create a trip: 201, its id in the body and its URL in Location', async () => {
      const api = tripsApi();
      const res = await api(postJson('/api/trips', parisLyon));
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('location')).toBe('/api/trips/trip-1');
      expect(await res.json()).toEqual({ trip_id: 'trip-1' });
    });

    it('should give each trip a fresh id, a UUID by default', async () => {
      const api = createTripsHandler();
      const first = await createTrip(api);
      const second = await createTrip(api);
      expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(second).not.toBe(first);
    });
  });

  describe('GET /api/trips/:id', () => {
    it('should return the trip at the URL given in Location', async () => {
      const api = tripsApi();
      const created = await api(postJson('/api/trips', parisLyon));
      const res = await api(get(created.headers.get('location')!));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ trip_id: 'trip-1', ...parisLyon });
    });

    it('should store origin and destination trimmed, and ignore unknown fields', async () => {
      const api = tripsApi();
      const id = await createTrip(api, { ...parisLyon, origin: '  Paris ', destination: '\tLyon\n', driver: 'Ann' });
      const res = await api(get(`/api/trips/${id}`));
      expect(await res.json()).toEqual({ trip_id: id, ...parisLyon });
    });

    it('should percent-encode the id in Location and decode it from the path', async () => {
      const api = createTripsHandler({ ids: () => 'trip 1/α' });
      const created = await api(postJson('/api/trips', parisLyon));
      const location = created.headers.get('location')!;
      expect(location).toBe('/api/trips/trip%201%2F%CE%B1');
      const res = await api(get(location));
      expect(res.status).toBe(200);
      expect(((await res.json()) as Trip).trip_id).toBe('trip 1/α');
    });
  });

  describe('GET /api/trips', () => {
    const trips: NewTrip[] = [
      { origin: 'Paris', destination: 'Lyon', date: '2026-05-01', seats_available: 3 },
      { origin: 'Paris', destination: 'Nice', date: '2026-05-01', seats_available: 2 },
      { origin: 'Lyon', destination: 'Paris', date: '2026-05-02', seats_available: 4 },
      { origin: 'Paris', destination: 'Lyon', date: '2026-05-02', seats_available: 1 },
    ];
    const seeded = async (): Promise<Handler> => {
      const api = tripsApi();
      for (const trip of trips) await createTrip(api, trip);
      return api;
    };

    it('should start empty', async () => {
      expect(await listTrips(tripsApi())).toEqual([]);
    });

    it('should list every trip, oldest first', async () => {
      const api = await seeded();
      expect(await listTrips(api)).toEqual(trips.map((trip, i) => ({ trip_id: `trip-${i + 1}`, ...trip })));
    });

    it.each([
      { query: '?origin=Paris', ids: ['trip-1', 'trip-2', 'trip-4'] },
      { query: '?destination=Lyon', ids: ['trip-1', 'trip-4'] },
      { query: '?date=2026-05-02', ids: ['trip-3', 'trip-4'] },
      { query: '?origin=Paris&destination=Lyon&date=2026-05-02', ids: ['trip-4'] },
      { query: '?origin=Berlin', ids: [] },
      { query: '?origin=paris&destination=LYON', ids: ['trip-1', 'trip-4'] },
      { query: '?origin=%20Lyon%20', ids: ['trip-3'] },
      { query: '?origin=&destination=&date=', ids: ['trip-1', 'trip-2', 'trip-3', 'trip-4'] },
      { query: '?seats=9&page=2', ids: ['trip-1', 'trip-2', 'trip-3', 'trip-4'] },
    ])('should filter $query to $ids', async ({ query, ids }) => {
      const api = await seeded();
      expect((await listTrips(api, query)).map((trip) => trip.trip_id)).toEqual(ids);
    });
  });

  describe('POST /api/trips/:id/join', () => {
    it('should take a seat and answer with the seats left', async () => {
      const api = tripsApi();
      const id = await createTrip(api);
      const res = await api(join(id));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ trip_id: id, seats_available: 2 });
      expect(await (await api(get(`/api/trips/${id}`))).json()).toMatchObject({ seats_available: 2 });
    });

    it('should drop a full trip from the list but still serve it by id', async () => {
      const api = tripsApi();
      const full = await createTrip(api, { ...parisLyon, seats_available: 1 });
      const open = await createTrip(api);
      expect(await (await api(join(full))).json()).toEqual({ trip_id: full, seats_available: 0 });
      expect((await listTrips(api)).map((trip) => trip.trip_id)).toEqual([open]);
      expect(await (await api(get(`/api/trips/${full}`))).json()).toEqual({ trip_id: full, ...parisLyon, seats_available: 0 });
    });

    it('should answer 409 Conflict, not 400, when no seat is left', async () => {
      const api = tripsApi();
      const id = await createTrip(api, { ...parisLyon, seats_available: 1 });
      await api(join(id));
      await expectProblem(await api(join(id)), 409);
      expect(await (await api(get(`/api/trips/${id}`))).json()).toMatchObject({ seats_available: 0 });
    });
  });

  describe('bad requests', () => {
    it.each([
      { body: '' },
      { body: '{' },
      { body: "{'origin': 'Paris'}" },
      { body: '{"origin": }' },
      { body: 'Paris' },
    ])('should answer 400 to the malformed JSON body $body', async ({ body }) => {
      const api = tripsApi();
      const req = new Request(`${BASE}/api/trips`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await expectProblem(await api(req), 400);
    });

    it.each([{ body: '[]' }, { body: 'null' }, { body: '"Paris"' }, { body: '42' }, { body: '[{"origin":"Paris"}]' }])(
      'should answer 400 to the JSON body $body, which is not an object',
      async ({ body }) => {
        const api = tripsApi();
        const req = new Request(`${BASE}/api/trips`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await expectProblem(await api(req), 400);
        expect(await listTrips(api)).toEqual([]);
      },
    );

    it.each([
      { contentType: 'text/plain' },
      { contentType: 'application/x-www-form-urlencoded' },
      { contentType: 'application/problem+json' },
      { contentType: 'application/jsonp' },
      { contentType: 'json' },
    ])('should answer 415 to Content-Type $contentType', async ({ contentType }) => {
      const api = tripsApi();
      const req = new Request(`${BASE}/api/trips`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(parisLyon) });
      await expectProblem(await api(req), 415);
      expect(await listTrips(api)).toEqual([]);
    });

    it('should answer 415 when the Content-Type is missing', async () => {
      const api = tripsApi();
      // Bytes, not a string: a string body would get a text/plain Content-Type from Request.
      const req = new Request(`${BASE}/api/trips`, { method: 'POST', body: new TextEncoder().encode(JSON.stringify(parisLyon)) });
      await expectProblem(await api(req), 415);
    });

    it.each([{ contentType: 'application/json; charset=utf-8' }, { contentType: 'Application/JSON' }])(
      'should accept Content-Type $contentType',
      async ({ contentType }) => {
        const api = tripsApi();
        const req = new Request(`${BASE}/api/trips`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(parisLyon) });
        expect((await api(req)).status).toBe(201);
      },
    );

    it.each([{ query: '?date=2026-02-30' }, { query: '?date=tomorrow' }, { query: '?date=2026-5-1' }])(
      'should answer 400 naming the date filter in $query',
      async ({ query }) => {
        const body = await expectProblem(await tripsApi()(get(`/api/trips${query}`)), 400);
        expect(body.errors).toEqual([{ field: 'date', detail: expect.any(String) }]);
      },
    );
  });

  describe('invalid fields', () => {
    const MISSING = Symbol('missing');
    it.each([
      { field: 'origin', value: MISSING, why: 'missing' },
      { field: 'origin', value: '', why: 'empty' },
      { field: 'origin', value: '   ', why: 'blank' },
      { field: 'origin', value: 42, why: 'a number' },
      { field: 'origin', value: null, why: 'null' },
      { field: 'origin', value: 'x'.repeat(101), why: 'too long' },
      { field: 'destination', value: MISSING, why: 'missing' },
      { field: 'destination', value: ['Lyon'], why: 'an array' },
      { field: 'destination', value: { city: 'Lyon' }, why: 'an object' },
      { field: 'date', value: MISSING, why: 'missing' },
      { field: 'date', value: '2026-02-30', why: 'February 30th' },
      { field: 'date', value: '2023-02-29', why: 'February 29th of a common year' },
      { field: 'date', value: '1900-02-29', why: 'February 29th of a century not divisible by 400' },
      { field: 'date', value: '2026-04-31', why: 'April 31st' },
      { field: 'date', value: '2026-13-01', why: 'month 13' },
      { field: 'date', value: '2026-00-10', why: 'month 0' },
      { field: 'date', value: '2026-05-00', why: 'day 0' },
      { field: 'date', value: '2026-5-1', why: 'not zero-padded' },
      { field: 'date', value: '01/05/2026', why: 'in another format' },
      { field: 'date', value: '2026-05-01T10:00:00Z', why: 'a timestamp' },
      { field: 'date', value: ' 2026-05-01', why: 'padded with a space' },
      { field: 'date', value: 20260501, why: 'a number' },
      { field: 'seats_available', value: MISSING, why: 'missing' },
      { field: 'seats_available', value: 0, why: 'zero' },
      { field: 'seats_available', value: -1, why: 'negative' },
      { field: 'seats_available', value: 1.5, why: 'a fraction' },
      { field: 'seats_available', value: '3', why: 'a string' },
      { field: 'seats_available', value: 101, why: 'above 100' },
      { field: 'seats_available', value: 1e21, why: 'huge' },
      { field: 'seats_available', value: true, why: 'a boolean' },
      { field: 'seats_available', value: null, why: 'null' },
    ])('should answer 422 naming $field when it is $why', async ({ field, value }) => {
      const api = tripsApi();
      const trip: Record<string, unknown> = { ...parisLyon };
      if (value === MISSING) delete trip[field];
      else trip[field] = value;
      const body = await expectProblem(await api(postJson('/api/trips', trip)), 422);
      expect(body.errors).toEqual([{ field, detail: expect.stringMatching(/\S/) }]);
      expect(await listTrips(api)).toEqual([]);
    });

    it.each([
      { field: 'origin', value: 'x'.repeat(100), why: '100 characters long' },
      { field: 'date', value: '2024-02-29', why: 'February 29th of a leap year' },
      { field: 'date', value: '2000-02-29', why: 'February 29th of a century divisible by 400' },
      { field: 'date', value: '2026-12-31', why: 'the last day of the year' },
      { field: 'seats_available', value: 1, why: '1' },
      { field: 'seats_available', value: 100, why: '100' },
    ])('should accept $field when it is $why', async ({ field, value }) => {
      const api = tripsApi();
      const id = await createTrip(api, { ...parisLyon, [field]: value });
      expect(await (await api(get(`/api/trips/${id}`))).json()).toMatchObject({ [field]: value });
    });

    it('should list every invalid field at once, in order', async () => {
      const api = tripsApi();
      const body = await expectProblem(await api(postJson('/api/trips', { origin: '', date: '2026-02-30', seats_available: 0 })), 422);
      expect(body.errors?.map((error) => error.field)).toEqual(['origin', 'destination', 'date', 'seats_available']);
    });
  });

  describe('unknown resources and methods', () => {
    it.each([
      { path: '/' },
      { path: '/api' },
      { path: '/api/trip' },
      { path: '/api/trips/' },
      { path: '/API/TRIPS' },
      { path: '/api/trips/trip-1/leave' },
      { path: '/api/trips/trip-1/join/now' },
      { path: '/api/trips//join' },
      { path: '/api/trips/%E0%A4%A' },
    ])('should answer 404 to GET $path', async ({ path }) => {
      const api = tripsApi();
      await createTrip(api);
      await expectProblem(await api(get(path)), 404);
    });

    it('should answer 404 to an unknown trip', async () => {
      await expectProblem(await tripsApi()(get('/api/trips/trip-9')), 404);
    });

    it('should answer 404 to a join on an unknown trip, and create nothing', async () => {
      const api = tripsApi();
      await expectProblem(await api(join('trip-9')), 404);
      expect(await listTrips(api)).toEqual([]);
    });

    it('should answer 404 to a join on an id that is not valid percent-encoding', async () => {
      await expectProblem(await tripsApi()(join('%E0%A4%A')), 404);
    });

    it.each([
      { method: 'DELETE', path: '/api/trips', allow: ['GET', 'HEAD', 'POST'] },
      { method: 'PUT', path: '/api/trips', allow: ['GET', 'HEAD', 'POST'] },
      { method: 'PUT', path: '/api/trips/trip-1', allow: ['GET', 'HEAD'] },
      { method: 'POST', path: '/api/trips/trip-1', allow: ['GET', 'HEAD'] },
      { method: 'DELETE', path: '/api/trips/no-such-trip', allow: ['GET', 'HEAD'] },
      { method: 'GET', path: '/api/trips/trip-1/join', allow: ['POST'] },
      { method: 'PATCH', path: '/api/trips/trip-1/join', allow: ['POST'] },
      { method: 'OPTIONS', path: '/api/trips', allow: ['GET', 'HEAD', 'POST'] },
    ])('should answer 405 to $method $path, with Allow: $allow', async ({ method, path, allow }) => {
      const api = tripsApi();
      await createTrip(api);
      const res = await api(get(path, method));
      await expectProblem(res, 405);
      expect(allowed(res)).toEqual(allow);
    });

    it('should answer HEAD like GET, without a body', async () => {
      const api = tripsApi();
      const id = await createTrip(api);
      const found = await api(get(`/api/trips/${id}`, 'HEAD'));
      expect(found.status).toBe(200);
      expect(found.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await found.text()).toBe('');
      const missing = await api(get('/api/trips/trip-9', 'HEAD'));
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await missing.text()).toBe('');
    });

    it('should reject an ids option that is not a function with a TypeError', () => {
      expect(() => createTripsHandler({ ids: 'trip-1' as unknown as () => string })).toThrow(TypeError);
    });
  });

  describe('concurrency', () => {
    it('should let exactly 3 of 50 concurrent joins on a 3-seat trip succeed', async () => {
      const api = tripsApi();
      const id = await createTrip(api, { ...parisLyon, seats_available: 3 });
      const responses = await Promise.all(Array.from({ length: 50 }, () => api(join(id))));
      const statuses = responses.map((res) => res.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(3);
      expect(statuses.filter((status) => status === 409)).toHaveLength(47);
      const seatsLeft = await Promise.all(responses.filter((res) => res.status === 200).map(async (res) => ((await res.json()) as Trip).seats_available));
      expect(seatsLeft.sort()).toEqual([0, 1, 2]);
      expect(await (await api(get(`/api/trips/${id}`))).json()).toMatchObject({ seats_available: 0 });
    });
  });

  describe('properties', () => {
    const methods = fc.oneof(
      fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'get', 'post'),
      fc.stringMatching(/^[A-Z]{1,10}$/).filter((m) => !['CONNECT', 'TRACE', 'TRACK'].includes(m)),
    );
    const segment = fc.oneof(
      fc.constantFrom('api', 'trips', 'trip-1', 'join', '', '.', '..', '%', '%2F', '%E0%A4%A', '%00', '%zz', 'é', '%F0%9F%9A%97', '?x=1', '#top', ';'),
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.integer({ min: 1_000, max: 4_000 }).map((n) => 'a'.repeat(n)),
    );
    const paths = fc.oneof(
      fc.constantFrom('/api/trips', '/api/trips/trip-1', '/api/trips/trip-1/join', '/api/trips/nope/join'),
      fc.array(segment, { maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
      fc.array(segment, { maxLength: 3 }).map((segments) => `/api/trips/${segments.join('/')}`),
      fc.tuple(fc.constantFrom('origin', 'destination', 'date', 'x'), segment).map(([key, value]) => `/api/trips?${key}=${value}`),
    );
    const contentTypes = fc.option(
      fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/problem+json', 'multipart/form-data; boundary=x', ';', ''),
        fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,30}$/),
      ),
    );
    const anyValue = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('2026-02-30', '2024-02-29', '', '   ', 'Paris', -0, 1e308, 100, 101, 0.5, Number.MAX_SAFE_INTEGER),
    );
    const tripLike = fc.record(
      { origin: anyValue, destination: anyValue, date: anyValue, seats_available: anyValue, extra: anyValue },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string(),
      fc.json({ maxDepth: 4 }),
      tripLike.map((trip) => JSON.stringify(trip)),
      fc.constantFrom(`{"seats_available": 1${'0'.repeat(400)}}`, `${'['.repeat(2_000)}${']'.repeat(2_000)}`, JSON.stringify(parisLyon)),
    );

    it('should answer any request with a status below 500, and a problem on every 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(methods, paths, contentTypes, bodies, async (method, path, contentType, body) => {
          const api = tripsApi();
          await createTrip(api);
          const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
          const hasBody = !['GET', 'HEAD'].includes(method.toUpperCase());
          const res = await api(new Request(BASE + path, { method, headers, ...(hasBody ? { body } : {}) }));
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            if (res.status === 405) expect(allowed(res).length).toBeGreaterThan(0);
            if (method.toUpperCase() !== 'HEAD') await expectProblem(res, res.status);
          }
        }),
      );
    });

    it('should never oversell: joins succeed min(seats, attempts) times, whatever the interleaving', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(4), { maxLength: 12 }), async (seats, delays) => {
          const api = tripsApi();
          const id = await createTrip(api, { ...parisLyon, seats_available: seats });
          // Each join starts after its own number of turns of the event loop, so requests overlap differently.
          const responses = await Promise.all(
            delays.map(async (delay) => {
              for (let turn = 0; turn < delay; turn++) await Promise.resolve();
              return api(join(id));
            }),
          );
          const succeeded = responses.filter((res) => res.status === 200);
          expect(succeeded).toHaveLength(Math.min(seats, delays.length));
          expect(responses.filter((res) => res.status === 409)).toHaveLength(delays.length - succeeded.length);
          // Every seat count is handed out once: seats - 1, seats - 2, ..., never below 0.
          const seatsLeft = await Promise.all(succeeded.map(async (res) => ((await res.json()) as Trip).seats_available));
          expect(seatsLeft.sort((a, b) => b - a)).toEqual(succeeded.map((_, i) => seats - 1 - i));
          expect(await (await api(get(`/api/trips/${id}`))).json()).toMatchObject({ seats_available: seats - succeeded.length });
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a model', () => {
    // The model: every trip by id, in creation order, as a Map keeps them.
    type Model = { trips: Map<string, Trip> };
    type Real = { api: Handler };
    type Filter = Partial<Record<'origin' | 'destination' | 'date', string>>;

    const pick = (model: Model, index: number): string => [...model.trips.keys()][index] ?? 'no-such-trip';
    // Places match trimmed and case-insensitively; dates match exactly.
    const samePlace = (stored: string, wanted: string | undefined) => wanted === undefined || stored.toLowerCase() === wanted.trim().toLowerCase();
    const available = (model: Model, filter: Filter = {}): Trip[] =>
      [...model.trips.values()].filter(
        (trip) =>
          trip.seats_available > 0 &&
          samePlace(trip.origin, filter.origin) &&
          samePlace(trip.destination, filter.destination) &&
          (filter.date === undefined || trip.date === filter.date),
      );
    const expectSameState = async (model: Model, real: Real): Promise<void> => {
      expect(await listTrips(real.api)).toEqual(available(model));
    };

    class CreateCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly trip: NewTrip) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const res = await real.api(postJson('/api/trips', this.trip));
        expect(res.status).toBe(201);
        const { trip_id } = (await res.json()) as { trip_id: string };
        expect(model.trips.has(trip_id)).toBe(false);
        expect(res.headers.get('location')).toBe(`/api/trips/${trip_id}`);
        model.trips.set(trip_id, { trip_id, ...this.trip, origin: this.trip.origin.trim(), destination: this.trip.destination.trim() });
        await expectSameState(model, real);
      }
      toString = () => `create(${JSON.stringify(this.trip)})`;
    }

    class GetCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly index: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const id = pick(model, this.index);
        const res = await real.api(get(`/api/trips/${id}`));
        const trip = model.trips.get(id);
        if (trip === undefined) await expectProblem(res, 404);
        else expect(await res.json()).toEqual(trip);
        await expectSameState(model, real);
      }
      toString = () => `get(#${this.index})`;
    }

    class ListCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly filter: Filter) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const query = new URLSearchParams(this.filter as Record<string, string>).toString();
        expect(await listTrips(real.api, `?${query}`)).toEqual(available(model, this.filter));
        await expectSameState(model, real);
      }
      toString = () => `list(${JSON.stringify(this.filter)})`;
    }

    class JoinCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly index: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const id = pick(model, this.index);
        const res = await real.api(join(id));
        const trip = model.trips.get(id);
        if (trip === undefined) {
          await expectProblem(res, 404);
        } else if (trip.seats_available === 0) {
          await expectProblem(res, 409);
        } else {
          const joined = { ...trip, seats_available: trip.seats_available - 1 };
          expect(await res.json()).toEqual({ trip_id: id, seats_available: joined.seats_available });
          model.trips.set(id, joined);
        }
        await expectSameState(model, real);
      }
      toString = () => `join(#${this.index})`;
    }

    it('should behave like a map of trips under any sequence of requests', async () => {
      const place = fc.constantFrom('Paris', 'paris', ' Lyon ', 'Nice');
      const date = fc.constantFrom('2026-05-01', '2026-05-02');
      const newTrip = fc.record({ origin: place, destination: place, date, seats_available: fc.integer({ min: 1, max: 3 }) });
      const filter = fc.record({ origin: place, destination: place, date }, { requiredKeys: [] }) as fc.Arbitrary<Filter>;
      const index = fc.nat(5);
      const commands = fc.commands(
        [
          newTrip.map((trip) => new CreateCommand(trip)),
          index.map((i) => new GetCommand(i)),
          filter.map((f) => new ListCommand(f)),
          index.map((i) => new JoinCommand(i)),
        ],
        { maxCommands: 20 },
      );
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          await fc.asyncModelRun(() => ({ model: { trips: new Map() }, real: { api: tripsApi() } }), cmds);
        }),
        { numRuns: 40 },
      );
    });
  });
});
