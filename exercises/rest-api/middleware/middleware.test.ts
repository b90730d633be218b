import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, type Handler, type Middleware } from '#http';
import { arbitraryRequestShape, expectProblem, ManualClock, toRequest } from '#testing';
import { catchErrors, compose, cors, handlerOf, HttpError, NextCalledTwiceError, requestId, timing } from './middleware.ts';

const BASE = 'http://localhost';
const get = (path = '/', headers: Record<string, string> = {}, method = 'GET') => new Request(BASE + path, { method, headers });
const ok: Handler = async () => json(200, { ok: true });

/** A middleware that writes `>name` to `log` on the way in and `<name` on the way out. */
const logged =
  (log: string[], name: string): Middleware =>
  async (req, next) => {
    log.push(`>${name}`);
    const res = await next(req);
    log.push(`<${name}`);
    return res;
  };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APP = 'https://app.example.com';
const secret = 'connect ECONNREFUSED 10.0.0.7:5432 (user=trips password=hunter2)';
const ADMIN = 'https://admin.example.com';

describe('compose', () => {
  it('should run the first middleware outermost: in first to last, out last to first', async () => {
    const log: string[] = [];
    const handler = handlerOf(compose(logged(log, 'a'), logged(log, 'b'), logged(log, 'c')), async () => {
      log.push('handler');
      return new Response('done');
    });
    expect(await (await handler(get())).text()).toBe('done');
    expect(log).toEqual(['>a', '>b', '>c', 'handler', '<c', '<b', '<a']);
  });

  it('should pass on the request a middleware gives to next', async () => {
    const tag: Middleware = (req, next) => next(new Request(req, { headers: { 'x-tag': 'tagged' } }));
    const handler = handlerOf(compose(tag), async (req) => new Response(req.headers.get('x-tag')));
    expect(await (await handler(get())).text()).toBe('tagged');
  });

  it('should let a middleware change the response on the way out', async () => {
    const shout: Middleware = async (req, next) => new Response((await (await next(req)).text()).toUpperCase());
    const handler = handlerOf(compose(shout), async () => new Response('quiet'));
    expect(await (await handler(get())).text()).toBe('QUIET');
  });

  it('should let a middleware answer without calling next: what is inside it never runs', async () => {
    const log: string[] = [];
    const gate: Middleware = async () => {
      log.push('gate');
      return new Response('no', { status: 403 });
    };
    const handler = handlerOf(compose(logged(log, 'outer'), gate, logged(log, 'inner')), async () => {
      log.push('handler');
      return new Response('yes');
    });
    expect((await handler(get())).status).toBe(403);
    expect(log).toEqual(['>outer', 'gate', '<outer']);
  });

  it('should reject with a NextCalledTwiceError when a middleware calls next twice, and run the rest once', async () => {
    let calls = 0;
    const twice: Middleware = async (req, next) => {
      await next(req);
      return next(req);
    };
    const handler = handlerOf(compose(twice), async () => {
      calls++;
      return new Response('once');
    });
    await expect(handler(get())).rejects.toThrow(NextCalledTwiceError);
    expect(calls).toBe(1);
  });

  it('should tell which middleware called next twice', async () => {
    const twice: Middleware = async (req, next) => {
      await next(req);
      return next(req);
    };
    const handler = handlerOf(compose(logged([], 'a'), twice), ok);
    await expect(handler(get())).rejects.toMatchObject({ name: 'NextCalledTwiceError', index: 1 });
  });

  it('should guard next per request: the same chain serves any number of requests', async () => {
    const handler = handlerOf(compose(logged([], 'a'), logged([], 'b')), ok);
    const statuses = await Promise.all([1, 2, 3].map(async () => (await handler(get())).status));
    expect(statuses).toEqual([200, 200, 200]);
    expect((await handler(get())).status).toBe(200);
  });

  it('should nest: a composed chain is one middleware among others', async () => {
    const log: string[] = [];
    const inner = compose(logged(log, 'b'), logged(log, 'c'));
    const handler = handlerOf(compose(logged(log, 'a'), inner, logged(log, 'd')), async () => {
      log.push('handler');
      return new Response('done');
    });
    await handler(get());
    expect(log).toEqual(['>a', '>b', '>c', '>d', 'handler', '<d', '<c', '<b', '<a']);
  });

  it('should go straight to the handler when composing nothing', async () => {
    const handler = handlerOf(compose(), async () => new Response('direct'));
    expect(await (await handler(get())).text()).toBe('direct');
  });

  it('should let an outer middleware catch what an inner one rejects with', async () => {
    const rescue: Middleware = async (req, next) => {
      try {
        return await next(req);
      } catch {
        return new Response('rescued', { status: 503 });
      }
    };
    const handler = handlerOf(compose(rescue, logged([], 'inner')), async () => {
      throw new Error('boom');
    });
    expect((await handler(get())).status).toBe(503);
  });

  it('should turn a middleware that throws instead of rejecting into a rejection', async () => {
    const sync = (() => {
      throw new RangeError('thrown, not rejected');
    }) as unknown as Middleware;
    const chain = compose(sync);
    let outcome: unknown;
    try {
      outcome = chain(get(), ok);
    } catch (error) {
      outcome = error;
    }
    expect(outcome).toBeInstanceOf(Promise);
    await expect(outcome).rejects.toThrow(RangeError);
  });

  it.each([{ value: 'logger' }, { value: undefined }, { value: {} }])('should reject a middleware that is $value with a TypeError', ({ value }) => {
    expect(() => compose(logged([], 'a'), value as unknown as Middleware)).toThrow(TypeError);
  });
});

describe('handlerOf', () => {
  it('should detect next called twice by a single middleware', async () => {
    let calls = 0;
    const twice: Middleware = async (req, next) => {
      await next(req);
      return next(req);
    };
    const handler = handlerOf(twice, async () => {
      calls++;
      return new Response();
    });
    await expect(handler(get())).rejects.toThrow(NextCalledTwiceError);
    expect(calls).toBe(1);
  });

  it('should reject a handler that is not a function with a TypeError', () => {
    expect(() => handlerOf(logged([], 'a'), 'handler' as unknown as Handler)).toThrow(TypeError);
  });
});

describe('requestId', () => {
  const ids = () => {
    let n = 0;
    return () => `req-${++n}`;
  };
  /** Echoes the id the handler saw, so a test can compare it with the response's. */
  const seen: Handler = async (req) => json(200, { seen: req.headers.get('x-request-id') });

  it('should generate an id, and give it to the handler and to the client', async () => {
    const handler = handlerOf(requestId({ generate: ids() }), seen);
    const res = await handler(get());
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toEqual({ seen: 'req-1' });
    expect((await handler(get())).headers.get('x-request-id')).toBe('req-2');
  });

  it('should generate UUIDs by default', async () => {
    const handler = handlerOf(requestId(), ok);
    const first = (await handler(get())).headers.get('x-request-id');
    const second = (await handler(get())).headers.get('x-request-id');
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(second).not.toBe(first);
  });

  it.each([
    { id: 'abc-123' },
    { id: '4bf92f3577b34da6a3ce929d0e0e4736' },
    { id: 'edge.lb-01_7f3a' },
    { id: 'x'.repeat(128) },
  ])('should keep the valid incoming id $id', async ({ id }) => {
    const handler = handlerOf(requestId({ generate: ids() }), seen);
    const res = await handler(get('/', { 'x-request-id': id }));
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(await res.json()).toEqual({ seen: id });
  });

  it.each([
    { why: 'empty', id: '' },
    { why: 'too long', id: 'x'.repeat(129) },
    { why: 'with spaces', id: 'abc def' },
    { why: 'a fake log line', id: 'abc status=200 user=admin' },
    { why: 'markup', id: '<script>alert(1)</script>' },
    { why: 'two ids joined by a proxy', id: 'abc, def' },
    { why: 'quoted', id: '"abc"' },
    { why: 'not ASCII', id: 'caf\u00e9' },
  ])('should replace an incoming id that is $why', async ({ id }) => {
    const handler = handlerOf(requestId({ generate: ids() }), seen);
    const res = await handler(get('/', { 'x-request-id': id }));
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toEqual({ seen: 'req-1' });
  });

  it('should use the header it is given, both ways', async () => {
    const handler = handlerOf(requestId({ generate: ids(), header: 'x-correlation-id' }), async (req) => new Response(req.headers.get('x-correlation-id')));
    const res = await handler(get('/', { 'x-correlation-id': 'corr-7', 'x-request-id': 'other' }));
    expect(res.headers.get('x-correlation-id')).toBe('corr-7');
    expect(await res.text()).toBe('corr-7');
    expect(res.headers.get('x-request-id')).toBeNull();
  });

  it('should pass on the method, the URL, the other headers and the body', async () => {
    const handler = handlerOf(requestId({ generate: ids() }), async (req) =>
      json(200, { method: req.method, url: req.url, type: req.headers.get('content-type'), body: await req.text() }),
    );
    const req = new Request(`${BASE}/api/trips?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"seats":3}' });
    expect(await (await handler(req)).json()).toEqual({ method: 'POST', url: `${BASE}/api/trips?x=1`, type: 'application/json', body: '{"seats":3}' });
  });

  it('should keep the status, body and headers of the response', async () => {
    const handler = handlerOf(requestId({ generate: ids() }), async () => json(201, { trip_id: 't1' }, { location: '/api/trips/t1' }));
    const res = await handler(get());
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/trips/t1');
    expect(await res.json()).toEqual({ trip_id: 't1' });
  });

  it('should set the id even on a response whose headers are immutable', async () => {
    // Response.redirect() (like a fetch() response) has immutable headers: setting one throws.
    const handler = handlerOf(requestId({ generate: ids() }), async () => Response.redirect(`${BASE}/elsewhere`, 302));
    const res = await handler(get());
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${BASE}/elsewhere`);
    expect(res.headers.get('x-request-id')).toBe('req-1');
  });

  it('should reject bad options', () => {
    expect(() => requestId({ generate: 'req-1' as unknown as () => string })).toThrow(TypeError);
    expect(() => requestId({ header: 'x request id' })).toThrow(RangeError);
    expect(() => requestId({ header: '' })).toThrow(RangeError);
  });
});

describe('timing', () => {
  /** A handler that takes `ms` of the clock's time. */
  const takes =
    (clock: ManualClock, ms: number): Handler =>
    async () => {
      clock.advance(ms);
      return new Response('done');
    };

  it('should report the time spent in the handler, in milliseconds', async () => {
    const clock = new ManualClock(1_000);
    const res = await handlerOf(timing({ now: () => clock.now() }), takes(clock, 42))(get());
    expect(res.headers.get('x-process-time')).toBe('42');
    expect(res.headers.get('server-timing')).toBe('app;dur=42');
    expect(await res.text()).toBe('done');
  });

  it('should round to the microsecond', async () => {
    const clock = new ManualClock();
    const res = await handlerOf(timing({ now: () => clock.now() }), takes(clock, 1.23456))(get());
    expect(res.headers.get('x-process-time')).toBe('1.235');
    expect(res.headers.get('server-timing')).toBe('app;dur=1.235');
  });

  it('should add its entry to the Server-Timing metrics the handler reported', async () => {
    const clock = new ManualClock();
    const handler = handlerOf(timing({ now: () => clock.now() }), async () => {
      clock.advance(7);
      return new Response('done', { headers: { 'server-timing': 'db;dur=3' } });
    });
    expect((await handler(get())).headers.get('server-timing')).toBe('db;dur=3, app;dur=7');
  });

  it('should measure only what is inside it', async () => {
    const clock = new ManualClock();
    const slowOutside: Middleware = async (req, next) => {
      clock.advance(100);
      return next(req);
    };
    const res = await handlerOf(compose(slowOutside, timing({ now: () => clock.now() })), takes(clock, 5))(get());
    expect(res.headers.get('x-process-time')).toBe('5');
  });

  it('should report 0, not a negative time, when the clock steps back', async () => {
    const clock = new ManualClock(10_000);
    const handler = handlerOf(timing({ now: () => clock.now() }), async () => {
      clock.set(9_000);
      return new Response();
    });
    expect((await handler(get())).headers.get('x-process-time')).toBe('0');
  });

  it('should time with performance.now by default', async () => {
    const res = await handlerOf(timing(), ok)(get());
    expect(Number(res.headers.get('x-process-time'))).toBeGreaterThanOrEqual(0);
    expect(res.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d{1,3})?$/);
  });

  it('should reject a clock that is not a function with a TypeError', () => {
    expect(() => timing({ now: 0 as unknown as () => number })).toThrow(TypeError);
  });
});

describe('cors', () => {
  const api = (options: Parameters<typeof cors>[0], handler: Handler = ok) => handlerOf(cors(options), handler);
  const preflight = (origin: string, method = 'PUT', headers = 'content-type') =>
    get('/api/trips', { origin, 'access-control-request-method': method, 'access-control-request-headers': headers }, 'OPTIONS');

  describe('simple and actual requests', () => {
    it.each([
      { origin: APP, allowed: APP },
      { origin: ADMIN, allowed: ADMIN },
      { origin: 'https://evil.example', allowed: null },
      { origin: 'https://app.example.com.evil.example', allowed: null },
      { origin: 'https://evilapp.example.com', allowed: null },
      { origin: 'http://app.example.com', allowed: null },
      { origin: 'https://app.example.com:8443', allowed: null },
      { origin: 'null', allowed: null },
    ])('should answer Origin $origin with Access-Control-Allow-Origin $allowed', async ({ origin, allowed }) => {
      const res = await api({ origins: [APP, ADMIN] })(get('/api/trips', { origin }));
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(res.headers.get('vary')).toBe('Origin');
    });

    it('should still serve a request from a denied origin: CORS limits what a page reads, not what the server gets', async () => {
      let calls = 0;
      const res = await api({ origins: [APP] }, async () => {
        calls++;
        return new Response('served');
      })(get('/', { origin: 'https://evil.example' }));
      expect(calls).toBe(1);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('should add Vary: Origin to a request without Origin, so a cache never serves it to a page', async () => {
      const res = await api({ origins: [APP] })(get('/'));
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('vary')).toBe('Origin');
    });

    it('should add Origin to the Vary the handler set, once', async () => {
      const handler = api({ origins: [APP] }, async () => new Response('x', { headers: { vary: 'Accept' } }));
      expect((await handler(get('/', { origin: APP }))).headers.get('vary')).toBe('Accept, Origin');
      const already = api({ origins: [APP] }, async () => new Response('x', { headers: { vary: 'accept, origin' } }));
      expect((await already(get('/', { origin: APP }))).headers.get('vary')).toBe('accept, origin');
    });

    it("should answer any origin with * when origins is '*'", async () => {
      const res = await api({ origins: '*' })(get('/', { origin: 'https://anyone.example' }));
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('should echo the origin, never *, and allow credentials when asked to', async () => {
      const res = await api({ origins: [APP], credentials: true })(get('/', { origin: APP, cookie: 'session=1' }));
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    });

    it('should expose the listed response headers to an allowed origin only', async () => {
      const handler = api({ origins: [APP], exposeHeaders: ['x-request-id', 'x-process-time'] });
      expect((await handler(get('/', { origin: APP }))).headers.get('access-control-expose-headers')).toBe('x-request-id, x-process-time');
      expect((await handler(get('/', { origin: 'https://evil.example' }))).headers.get('access-control-expose-headers')).toBeNull();
    });

    it('should pass an OPTIONS request that is not a preflight on to the handler', async () => {
      const handler = api({ origins: [APP] }, async (req) => new Response(null, { status: 204, headers: { allow: `GET, ${req.method}` } }));
      const res = await handler(get('/api/trips', { origin: APP }, 'OPTIONS'));
      expect(res.headers.get('allow')).toBe('GET, OPTIONS');
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    });
  });

  describe('preflight', () => {
    it('should answer an allowed origin with 204 and the rules, without calling the handler', async () => {
      let calls = 0;
      const handler = api({ origins: [APP], methods: ['GET', 'POST', 'PUT'], headers: ['content-type', 'authorization'], maxAge: 3600 }, async () => {
        calls++;
        return new Response();
      });
      const res = await handler(preflight(APP));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
      expect(res.headers.get('access-control-max-age')).toBe('3600');
      expect(res.headers.get('vary')).toBe('Origin');
      expect(await res.text()).toBe('');
      expect(calls).toBe(0);
    });

    it('should use the defaults: GET, HEAD, POST; content-type; ten minutes', async () => {
      const res = await api({ origins: [APP] })(preflight(APP, 'POST'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
      expect(res.headers.get('access-control-max-age')).toBe('600');
    });

    it('should refuse a denied origin with a 403 problem and no CORS grant', async () => {
      let calls = 0;
      const handler = api({ origins: [APP] }, async () => {
        calls++;
        return new Response();
      });
      const res = await handler(preflight('https://evil.example'));
      await expectProblem(res, 403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
      expect(calls).toBe(0);
    });

    it('should allow credentials on the preflight too, with the origin echoed', async () => {
      const res = await api({ origins: [APP], credentials: true })(preflight(APP));
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    });

    it("should answer a preflight from any origin with * when origins is '*'", async () => {
      const res = await api({ origins: '*' })(preflight('https://anyone.example'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('configuration', () => {
    it("should refuse origins '*' with credentials: browsers reject it, and any site could act as the user", () => {
      expect(() => cors({ origins: '*', credentials: true })).toThrow(TypeError);
    });

    it.each([
      { origin: 'https://app.example.com/', why: 'a trailing slash' },
      { origin: 'https://app.example.com/api', why: 'a path' },
      { origin: 'app.example.com', why: 'no scheme' },
      { origin: 'https://app.example.com:443', why: 'the default port' },
      { origin: 'https://APP.example.com', why: 'upper case' },
      { origin: 'null', why: 'the opaque origin' },
      { origin: '*', why: 'a wildcard in a list' },
    ])('should refuse the origin $origin ($why) with a RangeError: no browser sends it', ({ origin }) => {
      expect(() => cors({ origins: [APP, origin] })).toThrow(RangeError);
    });

    it('should refuse bad methods, headers and max ages', () => {
      expect(() => cors({ origins: [APP], methods: ['GET', 'PUT DELETE'] })).toThrow(RangeError);
      expect(() => cors({ origins: [APP], headers: ['content type'] })).toThrow(RangeError);
      expect(() => cors({ origins: [APP], maxAge: -1 })).toThrow(RangeError);
      expect(() => cors({ origins: [APP], maxAge: 1.5 })).toThrow(RangeError);
      expect(() => cors({ origins: APP as unknown as string[] })).toThrow(TypeError);
    });
  });
});

describe('catchErrors', () => {

  it('should pass a response through untouched', async () => {
    const res = await handlerOf(catchErrors(), async () => json(201, { trip_id: 't1' }))(get());
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ trip_id: 't1' });
  });

  it('should answer a thrown error with a 500 problem that tells nothing of it', async () => {
    const res = await handlerOf(catchErrors(), async () => {
      throw new Error(secret);
    })(get());
    const text = await res.clone().text();
    const body = await expectProblem(res, 500);
    expect(body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: expect.any(String) });
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/\bat .*:\d+:\d+/);
    expect(text).not.toContain('Error:');
  });

  it.each([
    { what: 'a string', thrown: 'boom' },
    { what: 'undefined', thrown: undefined },
    { what: 'null', thrown: null },
    { what: 'an object', thrown: { code: 'E42' } },
    { what: 'a TypeError', thrown: new TypeError("Cannot read properties of undefined (reading 'seats')") },
  ])('should answer 500 to $what thrown', async ({ thrown }) => {
    const res = await handlerOf(catchErrors(), async () => {
      throw thrown;
    })(get());
    const body = await expectProblem(res, 500);
    expect(body.detail).not.toContain('seats');
  });

  it('should hand the error and the request to onError', async () => {
    const caught: [unknown, string][] = [];
    const error = new Error(secret);
    const handler = handlerOf(catchErrors({ onError: (err, req) => caught.push([err, req.url]) }), async () => {
      throw error;
    });
    await handler(get('/api/trips'));
    expect(caught).toEqual([[error, `${BASE}/api/trips`]]);
  });

  it('should still answer 500 when onError throws', async () => {
    const handler = handlerOf(
      catchErrors({
        onError: () => {
          throw new Error('the logger is down');
        },
      }),
      async () => {
        throw new Error(secret);
      },
    );
    await expectProblem(await handler(get()), 500);
  });

  it('should answer an HttpError below 500 with its status, message and headers', async () => {
    const handler = handlerOf(catchErrors(), async () => {
      throw new HttpError(405, 'Use GET or POST on /api/trips.', { headers: { allow: 'GET, POST' } });
    });
    const res = await handler(get());
    const body = await expectProblem(res, 405);
    expect(body.detail).toBe('Use GET or POST on /api/trips.');
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  it('should answer an HttpError from 500 up with its status and headers, but not its message', async () => {
    const handler = handlerOf(catchErrors(), async () => {
      throw new HttpError(503, `database down: ${secret}`, { headers: { 'retry-after': '30' } });
    });
    const res = await handler(get());
    const body = await expectProblem(res, 503);
    expect(body.detail).not.toContain('hunter2');
    expect(res.headers.get('retry-after')).toBe('30');
  });

  it('should answer 500 when a middleware forgets to return the response', async () => {
    const forgetful = (async (req: Request, next: Handler) => {
      await next(req);
    }) as unknown as Middleware;
    const caught: unknown[] = [];
    const res = await handlerOf(compose(catchErrors({ onError: (err) => caught.push(err) }), forgetful), ok)(get());
    await expectProblem(res, 500);
    expect(caught).toEqual([expect.any(TypeError)]);
  });

  it('should reject an onError that is not a function with a TypeError', () => {
    expect(() => catchErrors({ onError: 'console' as unknown as () => void })).toThrow(TypeError);
  });
});

describe('a service chain', () => {
  it('should give a 500 the request id, the timing and the CORS grant the client needs to report it', async () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const chain = compose(
      requestId({ generate: () => 'req-1' }),
      timing({ now: () => clock.now() }),
      cors({ origins: [APP], exposeHeaders: ['x-request-id'] }),
      catchErrors({ onError: (_err, req) => lines.push(`request ${req.headers.get('x-request-id')} failed`) }),
    );
    const res = await handlerOf(chain, async () => {
      clock.advance(3);
      throw new Error(secret);
    })(get('/api/trips', { origin: APP }));
    await expectProblem(res, 500);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('x-process-time')).toBe('3');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(lines).toEqual(['request req-1 failed']);
  });
});

describe('properties', () => {
  it('should run any chain in onion order, up to the first middleware that answers, however it is nested', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 6 }), fc.nat(6), async (answers, split) => {
        const log: string[] = [];
        const layers = answers.map(
          (answersItself, i): Middleware =>
            async (req, next) => {
              log.push(`>${i}`);
              const res = answersItself ? new Response(`layer ${i}`) : await next(req);
              log.push(`<${i}`);
              return res;
            },
        );
        const cut = Math.min(split, layers.length);
        const chain = compose(compose(...layers.slice(0, cut)), compose(...layers.slice(cut)));
        const res = await handlerOf(chain, async () => {
          log.push('handler');
          return new Response('handler');
        })(get());

        const stop = answers.indexOf(true);
        const reached = stop === -1 ? answers.length : stop + 1;
        const inward = Array.from({ length: reached }, (_, i) => `>${i}`);
        const outward = Array.from({ length: reached }, (_, i) => `<${reached - 1 - i}`);
        expect(log).toEqual([...inward, ...(stop === -1 ? ['handler'] : []), ...outward]);
        expect(await res.text()).toBe(stop === -1 ? 'handler' : `layer ${stop}`);
      }),
      { numRuns: 100 },
    );
  });

  it('should answer any request, and answer 5xx only for an error the handler did not mean, as a 500 that leaks nothing', async () => {
    // The handler throws on odd input, as buggy code does. The chain must never reject; a 500 is
    // the right answer to such a bug, so the property is: no rejection, no 5xx unless the handler
    // failed unexpectedly, then exactly a 500 problem without the message; a 4xx is a problem.
    const clock = new ManualClock();
    let n = 0;
    const failures: Error[] = [];
    const buggy: Handler = async (req) => {
      const url = new URL(req.url);
      if (req.method === 'DELETE') throw new HttpError(405, 'Use GET or POST.', { headers: { allow: 'GET, POST' } });
      if (url.pathname.includes('%')) throw new URIError(`odd path ${url.pathname}`);
      if (req.method === 'POST') {
        const body = JSON.parse(await req.text()) as { seats: { length: number } };
        return json(201, { seats: body.seats.length });
      }
      clock.advance(1);
      return json(200, { path: url.pathname });
    };
    const tracked: Handler = async (req) => {
      try {
        return await buggy(req);
      } catch (error) {
        if (!(error instanceof HttpError)) failures.push(error as Error);
        throw error;
      }
    };
    const handler = handlerOf(
      compose(requestId({ generate: () => `gen-${++n}` }), timing({ now: () => clock.now() }), cors({ origins: [APP], credentials: true }), catchErrors()),
      tracked,
    );
    const preflightHeaders = fc.option(fc.constantFrom('GET', 'PUT', ''), { nil: undefined });

    await fc.assert(
      fc.asyncProperty(arbitraryRequestShape(['/', '/api/trips']), preflightHeaders, fc.boolean(), async (shape, requested, fromApp) => {
        failures.length = 0;
        const headers = { ...shape.headers, ...(fromApp ? { origin: APP } : {}), ...(requested === undefined ? {} : { 'access-control-request-method': requested }) };
        const res = await handler(toRequest({ ...shape, headers }));
        expect(res.headers.get('x-request-id')).toMatch(/^[\w.-]{1,128}$/);
        expect(res.headers.get('x-process-time')).toMatch(/^\d+(\.\d+)?$/);
        const text = await res.text();
        const failed = failures[0];
        if (failed !== undefined) {
          expect(res.status).toBe(500);
          expect(text).not.toContain(failed.message);
          expect(JSON.parse(text)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: expect.any(String) });
        } else {
          expect(res.status).toBeLessThan(500);
        }
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(text)).toMatchObject({ type: 'about:blank', status: res.status, detail: expect.any(String) });
        }
      }),
      { numRuns: 100 },
    );
  });
});
