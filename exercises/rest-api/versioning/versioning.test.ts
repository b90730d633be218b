import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, problem, type Handler } from '#http';
import { arbitraryRequestShape, expectProblem as expectProblemBody, ManualClock, type ProblemBody, toRequest } from '#testing';
import { adaptV1, createVersionedHandler, toV1, type TripV1, type TripV2 } from './versioning.ts';

const BASE = 'http://localhost';
const V1 = 'application/vnd.trips.v1+json';
const V2 = 'application/vnd.trips.v2+json';

const parisLyon: TripV2 = {
  trip_id: 't1',
  origin: 'Paris',
  destination: 'Lyon',
  departs_at: '2026-05-01T08:30:00+02:00',
  seats: { available: 2, total: 4 },
};
// Leaves just after midnight, local time: still the evening before in UTC.
const lyonNice: TripV2 = {
  trip_id: 't2',
  origin: 'Lyon',
  destination: 'Nice',
  departs_at: '2026-05-02T00:30:00+02:00',
  seats: { available: 0, total: 3 },
};
const TRIPS = [parisLyon, lyonNice];
// What v1 clients see of them.
const parisLyonV1: TripV1 = { trip_id: 't1', origin: 'Paris', destination: 'Lyon', date: '2026-05-01', seats_available: 2 };
const lyonNiceV1: TripV1 = { trip_id: 't2', origin: 'Lyon', destination: 'Nice', date: '2026-05-02', seats_available: 0 };

/** The v2 trips API, written once: GET /trips and GET /trips/:id, v2 bodies. */
function tripsV2(trips: readonly TripV2[] = TRIPS): Handler {
  return async (req) => {
    const { pathname } = new URL(req.url);
    if (pathname === '/trips') return json(200, { trips, next_cursor: null });
    const id = /^\/trips\/([^/]+)$/.exec(pathname)?.[1];
    const trip = trips.find((t) => t.trip_id === id);
    return trip === undefined ? problem(404, { detail: 'There is no trip here.' }) : json(200, trip);
  };
}

// RFC 9745's own example date (2023-06-30T23:59:59Z); the sunset is an HTTP-date (RFC 8594).
const DEPRECATED_AT = new Date('2023-06-30T23:59:59Z');
const SUNSET_AT = new Date('2026-12-31T23:59:59Z');
const GUIDE = 'https://api.example.com/docs/migrating-to-v2';

function tripsApi(options: { default?: string; clock?: ManualClock; v2?: Handler } = {}): Handler {
  const clock = options.clock ?? new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  const v2 = options.v2 ?? tripsV2();
  return createVersionedHandler({
    versions: { v1: adaptV1(v2), v2 },
    ...(options.default === undefined ? {} : { default: options.default }),
    deprecated: { v1: { deprecation: DEPRECATED_AT, sunset: SUNSET_AT, link: GUIDE } },
    now: () => clock.now(),
  });
}

const get = (path: string, accept?: string) => new Request(BASE + path, accept === undefined ? {} : { headers: { accept } });

/** The version a response was served in, from its Content-Type. */
const servedVersion = (res: Response) => /^application\/vnd\.trips\.(v\d+)\+json$/.exec(res.headers.get('content-type') ?? '')?.[1];

interface Problem extends ProblemBody {
  versions?: string[];
}

const expectProblem = (res: Response, status: number) => expectProblemBody<Problem>(res, status);

const varyFields = (res: Response) => (res.headers.get('vary') ?? '').split(',').map((field) => field.trim().toLowerCase());

describe('toV1', () => {
  it('should derive the v1 trip from the v2 one', () => {
    expect(toV1(parisLyon)).toEqual(parisLyonV1);
  });

  it('should read seats_available from the seats left, not the seats in the car', () => {
    expect(toV1(lyonNice).seats_available).toBe(0);
  });

  it('should keep the day of departure at the origin, not the UTC day', () => {
    expect(toV1(lyonNice).date).toBe('2026-05-02');
    expect(toV1({ ...parisLyon, departs_at: '2026-05-01T23:30:00-05:00' }).date).toBe('2026-05-01');
  });

  it('should carry v1 fields only', () => {
    expect(Object.keys(toV1(parisLyon)).sort()).toEqual(['date', 'destination', 'origin', 'seats_available', 'trip_id']);
  });
});

describe('adaptV1', () => {
  it('should turn a v2 trip into a v1 trip', async () => {
    const res = await adaptV1(tripsV2())(get('/trips/t1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(parisLyonV1);
  });

  it('should turn a list trip by trip and keep its other members', async () => {
    const res = await adaptV1(tripsV2())(get('/trips'));
    expect(await res.json()).toEqual({ trips: [parisLyonV1, lyonNiceV1], next_cursor: null });
  });

  it('should keep the status and headers of the response', async () => {
    const created: Handler = async () => json(201, parisLyon, { location: '/trips/t1', etag: '"7"' });
    const res = await adaptV1(created)(get('/trips'));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/trips/t1');
    expect(res.headers.get('etag')).toBe('"7"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('should pass errors and bodies that are not JSON through unchanged', async () => {
    const missing = await adaptV1(tripsV2())(get('/trips/t9'));
    await expectProblem(missing, 404);
    const text = await adaptV1(async () => new Response('{"trip_id":"t1"}', { headers: { 'content-type': 'text/plain' } }))(get('/'));
    expect(await text.text()).toBe('{"trip_id":"t1"}');
  });

  it('should reject a v2 handler that is not a function with a TypeError', () => {
    expect(() => adaptV1('v2' as unknown as Handler)).toThrow(TypeError);
  });
});

describe('createVersionedHandler', () => {
  describe('version in the URL', () => {
    it.each([
      { path: '/v1/trips/t1', version: 'v1', body: parisLyonV1 },
      { path: '/v2/trips/t1', version: 'v2', body: parisLyon },
      { path: '/v1/trips', version: 'v1', body: { trips: [parisLyonV1, lyonNiceV1], next_cursor: null } },
      { path: '/v2/trips', version: 'v2', body: { trips: TRIPS, next_cursor: null } },
    ])('should serve $path in $version', async ({ path, version, body }) => {
      const res = await tripsApi()(get(path));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(`application/vnd.trips.${version}+json`);
      expect(await res.json()).toEqual(body);
    });

    it("should hand the version's handler the path without the version, and the rest of the request as it came", async () => {
      let seen: { url: string; method: string; type: string | null; body: string } | undefined;
      const spy: Handler = async (req) => {
        seen = { url: req.url, method: req.method, type: req.headers.get('content-type'), body: await req.text() };
        return json(200, {});
      };
      const api = createVersionedHandler({ versions: { v1: spy, v2: spy } });
      const req = new Request(`${BASE}/v2/trips/t1/join?seat=3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
      expect((await api(req)).status).toBe(200);
      expect(seen).toEqual({ url: `${BASE}/trips/t1/join?seat=3`, method: 'POST', type: 'application/json', body: '{"n":1}' });
      await api(get('/v1'));
      expect(seen?.url).toBe(`${BASE}/`);
    });

    it('should never let the rest of the path change the host', async () => {
      const urls: string[] = [];
      const spy: Handler = async (req) => {
        urls.push(req.url);
        return json(200, {});
      };
      await createVersionedHandler({ versions: { v1: spy } })(get('/v1//evil.example/trips'));
      expect(new URL(urls[0]!).host).toBe('localhost');
      expect(new URL(urls[0]!).pathname).toBe('//evil.example/trips');
    });

    it.each([{ path: '/v3/trips' }, { path: '/v0/trips' }, { path: '/v01/trips' }, { path: '/v99' }])(
      'should answer 404 to $path, a version that does not exist, listing the versions that do',
      async ({ path }) => {
        const body = await expectProblem(await tripsApi()(get(path)), 404);
        expect(body.versions).toEqual(['v1', 'v2']);
      },
    );

    it.each([{ path: '/trips/t1' }, { path: '/v1x/trips' }, { path: '/version/1' }])('should read $path as naming no version', async ({ path }) => {
      const paths: string[] = [];
      const spy: Handler = async (req) => {
        paths.push(new URL(req.url).pathname);
        return json(200, {});
      };
      const res = await createVersionedHandler({ versions: { v1: spy, v2: spy } })(get(path));
      expect(servedVersion(res)).toBe('v1');
      expect(paths).toEqual([path]);
    });
  });

  describe('version in the media type', () => {
    it.each([
      { accept: V2, version: 'v2' },
      { accept: V1, version: 'v1' },
      { accept: 'Application/VND.Trips.V2+JSON', version: 'v2' },
      { accept: `${V2}; charset=utf-8`, version: 'v2' },
      { accept: 'application/json', version: 'v1' },
      { accept: 'application/vnd.trips+json', version: 'v1' },
      { accept: '*/*', version: 'v1' },
      { accept: 'application/*', version: 'v1' },
      { accept: `text/html, ${V2};q=0.9`, version: 'v2' },
      { accept: `${V1};q=0.5, ${V2}`, version: 'v2' },
      { accept: `${V1}, ${V2};q=0.8`, version: 'v1' },
      { accept: `${V1}, ${V2}`, version: 'v1' },
      { accept: `application/json, ${V2}`, version: 'v2' },
      { accept: `*/*, ${V1};q=0`, version: 'v2' },
      { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', version: 'v1' },
      { accept: '', version: 'v1' },
      { accept: 'not a media type', version: 'v1' },
    ])('should serve Accept: $accept in $version', async ({ accept, version }) => {
      const res = await tripsApi()(get('/trips/t1', accept));
      expect(res.status).toBe(200);
      expect(servedVersion(res)).toBe(version);
      expect(await res.json()).toEqual(version === 'v1' ? parisLyonV1 : parisLyon);
    });

    it('should serve the default version when there is no Accept header', async () => {
      expect(servedVersion(await tripsApi()(get('/trips/t1')))).toBe('v1');
      expect(servedVersion(await tripsApi({ default: 'v2' })(get('/trips/t1')))).toBe('v2');
    });

    it('should let the default win a tie, and any version named explicitly beat it', async () => {
      const api = tripsApi({ default: 'v2' });
      expect(servedVersion(await api(get('/trips/t1', `${V1}, ${V2}`)))).toBe('v2');
      expect(servedVersion(await api(get('/trips/t1', `*/*, ${V1}`)))).toBe('v1');
    });
  });

  describe('when the URL and the Accept header both speak', () => {
    it.each([
      { path: '/v2/trips/t1', accept: V2, version: 'v2' },
      { path: '/v1/trips/t1', accept: 'application/json', version: 'v1' },
      { path: '/v2/trips/t1', accept: '*/*', version: 'v2' },
      { path: '/v1/trips/t1', accept: `${V2}, ${V1};q=0.1`, version: 'v1' },
    ])('should serve $path with Accept: $accept in $version: the URL decides', async ({ path, accept, version }) => {
      const res = await tripsApi()(get(path, accept));
      expect(res.status).toBe(200);
      expect(servedVersion(res)).toBe(version);
    });

    it.each([
      { path: '/v1/trips/t1', accept: V2 },
      { path: '/v2/trips/t1', accept: V1 },
      { path: '/v2/trips/t1', accept: 'text/html' },
    ])('should answer 406 to $path with Accept: $accept, which refuses what the URL names', async ({ path, accept }) => {
      await expectProblem(await tripsApi()(get(path, accept)), 406);
    });
  });

  describe('406 Not Acceptable', () => {
    it('should answer 406 to a media type naming a version that does not exist, listing the versions', async () => {
      const body = await expectProblem(await tripsApi()(get('/trips/t1', 'application/vnd.trips.v3+json')), 406);
      expect(body.versions).toEqual(['v1', 'v2']);
      expect(body.detail).toContain('v3');
    });

    it.each([{ accept: 'text/html' }, { accept: 'application/xml' }, { accept: `${V2};q=0` }, { accept: 'image/*, text/*;q=0.5' }])(
      'should answer 406 to Accept: $accept, which takes nothing this API produces',
      async ({ accept }) => {
        const body = await expectProblem(await tripsApi()(get('/trips/t1', accept)), 406);
        expect(body.versions).toEqual(['v1', 'v2']);
      },
    );

    it('should not call any version for a 406', async () => {
      let calls = 0;
      const spy: Handler = async () => {
        calls++;
        return json(200, {});
      };
      await createVersionedHandler({ versions: { v1: spy, v2: spy } })(get('/trips', 'text/html'));
      expect(calls).toBe(0);
    });
  });

  describe('headers', () => {
    it.each([
      { path: '/v2/trips/t1', accept: undefined },
      { path: '/trips/t1', accept: V2 },
      { path: '/v1/trips/t1', accept: undefined },
      { path: '/v2/trips/t9', accept: undefined },
      { path: '/v3/trips', accept: undefined },
      { path: '/trips', accept: 'text/html' },
    ])('should send Vary: Accept on $path with Accept: $accept', async ({ path, accept }) => {
      expect(varyFields(await tripsApi()(get(path, accept)))).toContain('accept');
    });

    it('should add Accept to the Vary the version set, once', async () => {
      const varies: Handler = async () => json(200, {}, { vary: 'Origin' });
      const api = createVersionedHandler({ versions: { v1: varies } });
      expect((await api(get('/v1/x'))).headers.get('vary')).toBe('Origin, Accept');
      const already: Handler = async () => json(200, {}, { vary: 'accept' });
      expect((await createVersionedHandler({ versions: { v1: already } })(get('/v1/x'))).headers.get('vary')).toBe('accept');
    });

    it('should mark every v1 response with Deprecation, Sunset and a deprecation Link', async () => {
      for (const req of [get('/v1/trips/t1'), get('/trips/t1', V1), get('/v1/trips/t9')]) {
        const res = await tripsApi()(req);
        expect(res.headers.get('deprecation')).toBe('@1688169599');
        expect(res.headers.get('sunset')).toBe('Thu, 31 Dec 2026 23:59:59 GMT');
        expect(res.headers.get('link')).toBe(`<${GUIDE}>; rel="deprecation"`);
      }
    });

    it('should send no Deprecation, Sunset or deprecation Link with v2', async () => {
      for (const req of [get('/v2/trips/t1'), get('/trips/t1', V2), get('/v2/trips/t9')]) {
        const res = await tripsApi()(req);
        expect(res.headers.get('deprecation')).toBeNull();
        expect(res.headers.get('sunset')).toBeNull();
        expect(res.headers.get('link')).toBeNull();
      }
    });

    it('should add the deprecation link to the links the version sent', async () => {
      const paged: Handler = async () => json(200, { trips: [] }, { link: '</trips?cursor=abc>; rel="next"' });
      const api = createVersionedHandler({ versions: { v1: paged }, deprecated: { v1: { deprecation: DEPRECATED_AT, link: GUIDE } } });
      const res = await api(get('/v1/trips'));
      expect(res.headers.get('link')).toBe(`</trips?cursor=abc>; rel="next", <${GUIDE}>; rel="deprecation"`);
      expect(res.headers.get('sunset')).toBeNull();
    });

    it('should label only JSON bodies with the versioned media type', async () => {
      const res = await tripsApi()(get('/v2/trips/t9'));
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const text = await createVersionedHandler({ versions: { v1: async () => new Response('hi') } })(get('/v1/x'));
      expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    });
  });

  describe('sunset', () => {
    it('should keep serving a deprecated version until its sunset, then answer 410 Gone', async () => {
      const clock = new ManualClock(SUNSET_AT.getTime() - 1);
      let calls = 0;
      const v2 = tripsV2();
      const counted: Handler = async (req) => {
        calls++;
        return v2(req);
      };
      const api = tripsApi({ clock, v2: counted });
      expect((await api(get('/v1/trips/t1'))).status).toBe(200);
      clock.advance(1);
      const gone = await api(get('/v1/trips/t1'));
      const body = await expectProblem(gone, 410);
      expect(body.detail).toContain('v2');
      expect(gone.headers.get('sunset')).toBe('Thu, 31 Dec 2026 23:59:59 GMT');
      expect(calls).toBe(1);
      expect((await api(get('/v2/trips/t1'))).status).toBe(200);
    });
  });

  describe('configuration', () => {
    const v = tripsV2();
    it.each([
      { why: 'no versions', options: { versions: {} }, error: RangeError },
      { why: 'a version not named vN', options: { versions: { latest: v } }, error: RangeError },
      { why: 'a version that is not a handler', options: { versions: { v1: 'v1' } }, error: TypeError },
      { why: 'an unknown default', options: { versions: { v1: v }, default: 'v2' }, error: RangeError },
      { why: 'deprecating an unknown version', options: { versions: { v2: v }, deprecated: { v1: { deprecation: DEPRECATED_AT } } }, error: RangeError },
      { why: 'a deprecation that is not a date', options: { versions: { v1: v }, deprecated: { v1: { deprecation: '2023-06-30' } } }, error: TypeError },
      { why: 'an invalid date', options: { versions: { v1: v }, deprecated: { v1: { deprecation: new Date('soon') } } }, error: TypeError },
      {
        why: 'a sunset before the deprecation',
        options: { versions: { v1: v }, deprecated: { v1: { deprecation: SUNSET_AT, sunset: DEPRECATED_AT } } },
        error: RangeError,
      },
      { why: 'a link that is not an absolute URL', options: { versions: { v1: v }, deprecated: { v1: { deprecation: DEPRECATED_AT, link: 'docs/v1' } } }, error: RangeError },
      { why: 'a clock that is not a function', options: { versions: { v1: v }, now: 0 }, error: TypeError },
    ])('should refuse $why', ({ options, error }) => {
      expect(() => createVersionedHandler(options as unknown as Parameters<typeof createVersionedHandler>[0])).toThrow(error);
    });
  });
});

describe('properties', () => {
  const tripV2 = fc.record({
    trip_id: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
    origin: fc.string({ maxLength: 10 }),
    destination: fc.string({ maxLength: 10 }),
    departs_at: fc
      .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: -12 * 60, max: 14 * 60 }))
      .map(([date, offset]) => rfc3339(date, offset)),
    seats: fc.integer({ min: 1, max: 8 }).chain((total) => fc.record({ total: fc.constant(total), available: fc.integer({ min: 0, max: total }) })),
  }) as fc.Arbitrary<TripV2>;

  it('should make v1 a faithful view of v2: the same trips, the v1 fields derived', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(tripV2, { selector: (t) => t.trip_id, maxLength: 5 }), async (trips) => {
        const api = tripsApi({ v2: tripsV2(trips) });
        const v1 = (await (await api(get('/v1/trips'))).json()) as { trips: TripV1[] };
        const v2 = (await (await api(get('/trips', V2))).json()) as { trips: TripV2[] };
        expect(v2.trips).toEqual(trips);
        expect(v1.trips).toEqual(
          trips.map((t) => ({ trip_id: t.trip_id, origin: t.origin, destination: t.destination, date: localDate(t.departs_at), seats_available: t.seats.available })),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('should answer any request without a 5xx, with Vary: Accept, a problem for every 4xx, and deprecation headers on v1 only', async () => {
    const accept = fc.option(fc.oneof(fc.constantFrom(V1, V2, 'application/vnd.trips.v3+json', 'application/json', '*/*', 'text/html', `${V1};q=0`, `${V2};q=x`, ';;,,'), fc.string({ maxLength: 30 })), {
      nil: undefined,
    });
    const api = tripsApi();
    await fc.assert(
      fc.asyncProperty(arbitraryRequestShape(['/', '/trips', '/v1/trips', '/v2/trips', '/v3']), accept, async (shape, acceptValue) => {
        const headers = acceptValue === undefined || !/^[\t\x20-\x7e]*$/.test(acceptValue) ? shape.headers : { ...shape.headers, accept: acceptValue };
        const res = await api(toRequest({ ...shape, headers }));
        expect(res.status).toBeLessThan(500);
        expect(varyFields(res)).toContain('accept');
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(await res.json()).toMatchObject({ type: 'about:blank', status: res.status, detail: expect.any(String) });
        }
        const version = servedVersion(res);
        if (version === 'v2') expect([res.headers.get('deprecation'), res.headers.get('sunset')]).toEqual([null, null]);
        if (version === 'v1') expect(res.headers.get('deprecation')).toBe('@1688169599');
      }),
      { numRuns: 100 },
    );
  });
});

/** `date` as RFC 3339 in the zone `offset` minutes east of UTC: 2026-05-01T08:30:00+02:00. */
function rfc3339(date: Date, offset: number): string {
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** The calendar day of an RFC 3339 time in its own offset, computed through the instant. */
function localDate(value: string): string {
  const [, sign, hours, minutes] = /([+-])(\d{2}):(\d{2})$/.exec(value) ?? [];
  const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  return new Date(Date.parse(value) + offset * 60_000).toISOString().slice(0, 10);
}
