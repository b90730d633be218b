import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, STATUS_TITLES } from '#http';
import { arbitraryRequestShape, expectProblem, toRequest } from '#testing';
import { RouteConflictError, Router, type RouteHandler } from './router.ts';

const BASE = 'http://localhost';

/** A handler that answers 200 with the name of its route and the parameters it received. */
const echo =
  (name: string): RouteHandler =>
  async (_req, params) =>
    json(200, { route: name, params }, { 'x-route': name });

const request = (method: string, path: string, init: RequestInit = {}) => new Request(BASE + path, { ...init, method });

async function call(router: Router, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await router.handle(request(method, path));
  return { status: res.status, body: await res.json() };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/** The methods of an Allow header, sorted. */
const allowed = (res: Response): string[] =>
  (res.headers.get('allow') ?? '')
    .split(',')
    .map((method) => method.trim())
    .filter((method) => method !== '')
    .sort();

/** The trips routes used by most examples. */
function tripsRouter(): Router {
  return new Router()
    .on('GET', '/trips', echo('list'))
    .on('POST', '/trips', echo('create'))
    .on('GET', '/trips/new', echo('form'))
    .on('GET', '/trips/:id', echo('show'))
    .on('DELETE', '/trips/:id', echo('delete'))
    .on('GET', '/trips/:id/photos/:photoId', echo('photo'));
}

describe('Router', () => {
  describe('matching', () => {
    it('should call the handler of a static route', async () => {
      const router = new Router().on('GET', '/health', echo('health'));
      expect(await call(router, 'GET', '/health')).toEqual({ status: 200, body: { route: 'health', params: {} } });
    });

    it('should pass a path parameter by name', async () => {
      expect(await call(tripsRouter(), 'GET', '/trips/42')).toEqual({ status: 200, body: { route: 'show', params: { id: '42' } } });
    });

    it('should capture nested parameters', async () => {
      expect((await call(tripsRouter(), 'GET', '/trips/42/photos/7')).body).toEqual({ route: 'photo', params: { id: '42', photoId: '7' } });
    });

    it('should choose the route by method as well as by path', async () => {
      const router = tripsRouter();
      expect((await call(router, 'GET', '/trips')).body).toMatchObject({ route: 'list' });
      expect((await call(router, 'POST', '/trips')).body).toMatchObject({ route: 'create' });
    });

    it('should match the root pattern /', async () => {
      const router = new Router().on('GET', '/', echo('home'));
      expect((await call(router, 'GET', '/')).body).toMatchObject({ route: 'home' });
    });

    it('should give the handler the request itself', async () => {
      const router = new Router().on('POST', '/echo', async (req) => new Response(await req.text()));
      const res = await router.handle(request('POST', '/echo', { body: 'hello' }));
      expect(await res.text()).toBe('hello');
    });

    it("should let a route handler's rejection propagate, for an error middleware to handle", async () => {
      const failure = new Error('database down');
      const router = new Router().on('GET', '/boom', async () => {
        throw failure;
      });
      await expect(router.handle(request('GET', '/boom'))).rejects.toBe(failure);
    });

    it('should let a static segment win over a parameter, whatever the order of registration', async () => {
      const router = new Router().on('GET', '/trips/:id', echo('show')).on('GET', '/trips/new', echo('form'));
      expect((await call(router, 'GET', '/trips/new')).body).toMatchObject({ route: 'form' });
      expect((await call(router, 'GET', '/trips/newer')).body).toMatchObject({ route: 'show', params: { id: 'newer' } });
    });

    it('should backtrack to a parameter when the static branch dead-ends', async () => {
      const router = new Router().on('GET', '/trips/new/edit', echo('edit-form')).on('GET', '/trips/:id/photos', echo('photos'));
      expect((await call(router, 'GET', '/trips/new/photos')).body).toEqual({ route: 'photos', params: { id: 'new' } });
    });

    it('should backtrack when the static route has the path but not the method', async () => {
      // DELETE /trips/new deletes the trip whose id is "new": only GET is declared on /trips/new.
      expect((await call(tripsRouter(), 'DELETE', '/trips/new')).body).toEqual({ route: 'delete', params: { id: 'new' } });
    });

    it("should name the parameters after the matching route's own pattern", async () => {
      const router = new Router().on('GET', '/trips/:id', echo('show')).on('GET', '/trips/:tripId/photos', echo('photos'));
      expect((await call(router, 'GET', '/trips/1')).body).toMatchObject({ params: { id: '1' } });
      expect((await call(router, 'GET', '/trips/1/photos')).body).toMatchObject({ params: { tripId: '1' } });
    });

    it('should tell which route would handle a request through match', () => {
      const router = tripsRouter();
      expect(router.match('GET', '/trips/42/photos/7')).toMatchObject({ pattern: '/trips/:id/photos/:photoId', params: { id: '42', photoId: '7' } });
      expect(router.match('GET', '/trips/new')).toMatchObject({ pattern: '/trips/new', params: {} });
      expect(router.match('PUT', '/trips/42')).toBeUndefined();
      expect(router.match('GET', '/nowhere')).toBeUndefined();
    });
  });

  describe('percent-encoding', () => {
    it('should decode parameters', async () => {
      expect((await call(tripsRouter(), 'GET', '/trips/caf%C3%A9%20noir')).body).toMatchObject({ params: { id: 'café noir' } });
    });

    it('should split the path before decoding, so %2F stays inside one parameter', async () => {
      const router = new Router().on('GET', '/files/:name', echo('file'));
      expect((await call(router, 'GET', '/files/a%2Fb')).body).toMatchObject({ params: { name: 'a/b' } });
      expect((await router.handle(request('GET', '/files/a/b'))).status).toBe(404);
    });

    it('should compare static segments with the decoded path', async () => {
      // new URL() encodes the é of /café: the pathname is /caf%C3%A9.
      const router = new Router().on('GET', '/café', echo('cafe'));
      expect((await call(router, 'GET', '/café')).body).toMatchObject({ route: 'cafe' });
    });

    it.each([{ path: '/trips/%E0%A4%A' }, { path: '/trips/%' }, { path: '/trips/100%/photos/1' }, { path: '/nowhere/%ZZ' }])(
      'should answer 400 to $path, which is not valid percent-encoding',
      async ({ path }) => {
        const body = await expectProblem(await tripsRouter().handle(request('GET', path)), 400);
        expect(body.detail).toMatch(/encoding/);
      },
    );

    it('should match nothing through match for a path that does not decode', () => {
      expect(tripsRouter().match('GET', '/trips/%E0%A4%A')).toBeUndefined();
    });
  });

  describe('404 and 405', () => {
    it.each([{ path: '/nowhere' }, { path: '/trips/42/photos' }, { path: '/trips/42/photos/7/large' }, { path: '/TRIPS' }])(
      'should answer 404 to $path, which no route has',
      async ({ path }) => {
        await expectProblem(await tripsRouter().handle(request('GET', path)), 404);
      },
    );

    it('should answer 405 with Allow when the path exists but not with this method', async () => {
      const res = await tripsRouter().handle(request('PUT', '/trips'));
      await expectProblem(res, 405);
      expect(allowed(res)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    });

    it('should list in Allow the methods of every route that has the path', async () => {
      // GET comes from /trips/new, DELETE from /trips/:id.
      const res = await tripsRouter().handle(request('PATCH', '/trips/new'));
      await expectProblem(res, 405);
      expect(allowed(res)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS']);
    });

    it('should not add HEAD to Allow when the path has no GET', async () => {
      const router = new Router().on('POST', '/trips/:id/join', echo('join'));
      const res = await router.handle(request('GET', '/trips/1/join'));
      await expectProblem(res, 405);
      expect(allowed(res)).toEqual(['OPTIONS', 'POST']);
    });

    it('should treat method names as case-sensitive', async () => {
      const router = new Router().on('PURGE', '/cache/:key', echo('purge'));
      // fetch upper-cases get, post, put, delete, head and options only: "purge" (or "patch") stays as it is.
      const res = await router.handle(request('purge', '/cache/1'));
      await expectProblem(res, 405);
      expect(allowed(res)).toEqual(['OPTIONS', 'PURGE']);
      expect(router.match('purge', '/cache/1')).toBeUndefined();
    });
  });

  describe('HEAD', () => {
    it('should answer HEAD on a GET route with the same status and headers and no body', async () => {
      const router = tripsRouter();
      const get = await router.handle(request('GET', '/trips/42'));
      const head = await router.handle(request('HEAD', '/trips/42'));
      expect(head.status).toBe(get.status);
      expect([...head.headers]).toEqual([...get.headers]);
      expect(head.body).toBeNull();
      expect(await head.text()).toBe('');
    });

    it('should let an explicit HEAD route win over the GET one', async () => {
      const router = new Router().on('GET', '/file', echo('get')).on('HEAD', '/file', echo('head'));
      const res = await router.handle(request('HEAD', '/file'));
      expect(res.headers.get('x-route')).toBe('head');
      expect(res.body).toBeNull();
    });

    it('should answer HEAD without a body even when it is an error', async () => {
      const router = new Router().on('POST', '/trips', echo('create'));
      const res = await router.handle(request('HEAD', '/trips'));
      expect(res.status).toBe(405);
      expect(allowed(res)).toEqual(['OPTIONS', 'POST']);
      expect(res.body).toBeNull();
    });

    it('should find the GET route of a HEAD request through match', () => {
      expect(tripsRouter().match('HEAD', '/trips/42')).toMatchObject({ pattern: '/trips/:id' });
    });
  });

  describe('OPTIONS', () => {
    it('should answer 204 with Allow and no body', async () => {
      const res = await tripsRouter().handle(request('OPTIONS', '/trips/42'));
      expect(res.status).toBe(204);
      expect(allowed(res)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS']);
      expect(res.body).toBeNull();
    });

    it('should answer 404 to OPTIONS on a path no route has', async () => {
      await expectProblem(await tripsRouter().handle(request('OPTIONS', '/nowhere')), 404);
    });

    it('should let an explicit OPTIONS route win', async () => {
      const router = tripsRouter().on('OPTIONS', '/trips', echo('preflight'));
      const res = await router.handle(request('OPTIONS', '/trips'));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-route')).toBe('preflight');
    });
  });

  describe('trailing slash', () => {
    it('should redirect with 308 to the path without the slash, keeping the query', async () => {
      const res = await tripsRouter().handle(request('GET', '/trips/42/?fields=date'));
      expect(res.status).toBe(308);
      expect(res.headers.get('location')).toBe('/trips/42?fields=date');
    });

    it('should redirect whatever the method, so that the client repeats it', async () => {
      const res = await tripsRouter().handle(request('POST', '/trips/', { body: '{}' }));
      expect(res.status).toBe(308);
      expect(res.headers.get('location')).toBe('/trips');
    });

    it('should keep the percent-encoding of the path in Location', async () => {
      const res = await tripsRouter().handle(request('GET', '/trips/caf%C3%A9/'));
      expect(res.headers.get('location')).toBe('/trips/caf%C3%A9');
    });

    it('should answer 404 when the path without the slash is unknown too', async () => {
      await expectProblem(await tripsRouter().handle(request('GET', '/nowhere/')), 404);
    });

    it('should never redirect to another host', async () => {
      // Stripping the slash of //evil.example/ would give //evil.example, a protocol-relative URL.
      const router = tripsRouter().on('GET', '/:anything', echo('any'));
      const res = await router.handle(new Request(`${BASE}//evil.example/`));
      await expectProblem(res, 404);
    });

    it('should not let a parameter match an empty segment', async () => {
      await expectProblem(await tripsRouter().handle(request('GET', '/trips//photos/7')), 404);
    });
  });

  describe('registration', () => {
    it('should chain', () => {
      const router = new Router();
      expect(router.on('GET', '/a', echo('a'))).toBe(router);
    });

    it('should reject a second route with the same method and pattern', () => {
      const router = new Router().on('GET', '/trips/:id', echo('show'));
      expect(() => router.on('GET', '/trips/:id', echo('again'))).toThrow(RouteConflictError);
    });

    it('should reject a second route with the same shape under other parameter names', () => {
      const router = new Router().on('GET', '/trips/:id/photos/:photoId', echo('photo'));
      expect(() => router.on('GET', '/trips/:tripId/photos/:n', echo('again'))).toThrow(/\/trips\/:id\/photos\/:photoId/);
      expect(() => router.on('GET', '/trips/:tripId/photos/:n', echo('again'))).toThrow(RouteConflictError);
    });

    it('should accept the same shape with another method, and a static segment beside a parameter', () => {
      const router = new Router().on('GET', '/trips/:id', echo('show'));
      expect(() => router.on('PUT', '/trips/:tripId', echo('replace')).on('GET', '/trips/new', echo('form'))).not.toThrow();
      expect(router.match('PUT', '/trips/1')).toMatchObject({ params: { tripId: '1' } });
    });

    it.each([
      { pattern: 'trips', why: 'no leading slash' },
      { pattern: '', why: 'empty' },
      { pattern: '/trips/', why: 'a trailing slash' },
      { pattern: '/trips//photos', why: 'an empty segment' },
      { pattern: '/trips/:', why: 'a parameter without a name' },
      { pattern: '/trips/:1st', why: 'a name starting with a digit' },
      { pattern: '/trips/:trip-id', why: 'a name with a dash' },
      { pattern: '/trips/:id/photos/:id', why: 'a repeated name' },
    ])('should reject the pattern "$pattern" ($why) with a TypeError', ({ pattern }) => {
      expect(() => new Router().on('GET', pattern, echo('x'))).toThrow(TypeError);
    });

    it.each([{ method: '' }, { method: 'GET POST' }, { method: 'GÉT' }, { method: 'GET\n' }])('should reject the method $method with a TypeError', ({ method }) => {
      expect(() => new Router().on(method, '/a', echo('x'))).toThrow(TypeError);
    });

    it('should reject a handler that is not a function', () => {
      expect(() => new Router().on('GET', '/a', 'echo' as unknown as RouteHandler)).toThrow(TypeError);
    });

    it('should reject an onVisit that is not a function', () => {
      expect(() => new Router({ onVisit: 1 as unknown as () => void })).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    it('should never throw nor answer 5xx, and answer every 4xx with a problem', async () => {
      const router = tripsRouter();
      await fc.assert(
        fc.asyncProperty(arbitraryRequestShape(['/trips', '/trips/new', '/']), async (shape) => {
          const res = await router.handle(toRequest(shape));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            if (shape.method !== 'HEAD') {
              const body = (await res.json()) as Problem;
              expect(body).toMatchObject({ type: 'about:blank', title: STATUS_TITLES[res.status], status: res.status, detail: expect.any(String) });
            }
          }
        }),
        { numRuns: 100 },
      );
    });

    // The reference: every pattern that fits the path, best first. At the first segment where two
    // patterns differ, static text beats a parameter; on the same node, HEAD beats the GET fallback.
    type RouteSpec = { method: string; pattern: string };
    const parts = (path: string) => (path === '/' ? [] : path.slice(1).split('/'));
    const fits = (pattern: string, segments: string[]) => {
      const ps = parts(pattern);
      return ps.length === segments.length && ps.every((p, i) => (p.startsWith(':') ? segments[i] !== '' : p === segments[i]));
    };
    const rank = (pattern: string) => parts(pattern).map((p) => (p.startsWith(':') ? '1' : '0')).join('');
    function naiveMatch(routes: RouteSpec[], method: string, path: string) {
      const segments = parts(path);
      const best = routes
        .filter((r) => (r.method === method || (method === 'HEAD' && r.method === 'GET')) && fits(r.pattern, segments))
        .sort((a, b) => rank(a.pattern).localeCompare(rank(b.pattern)) || (a.method === method ? -1 : 1))[0];
      if (best === undefined) return undefined;
      const params = Object.fromEntries(parts(best.pattern).flatMap((p, i) => (p.startsWith(':') ? [[p.slice(1), segments[i]!]] : [])));
      return { pattern: best.pattern, params };
    }
    function naiveAllow(routes: RouteSpec[], path: string): string[] {
      const methods = new Set(routes.filter((r) => fits(r.pattern, parts(path))).map((r) => r.method));
      if (methods.size === 0) return [];
      if (methods.has('GET')) methods.add('HEAD');
      return [...methods, 'OPTIONS'].sort();
    }

    it('should agree with a naive list of patterns ranked by precedence', async () => {
      const shape = fc.array(fc.constantFrom('a', 'b', ':'), { maxLength: 3 });
      const route = fc.record({ method: fc.constantFrom('GET', 'POST', 'DELETE'), shape, name: fc.constantFrom('x', 'y') });
      const routes = fc
        .uniqueArray(route, { selector: (r) => `${r.method} ${r.shape.join('/')}`, maxLength: 12 })
        .map((rs) => rs.map(({ method, shape, name }) => ({ method, pattern: `/${shape.map((s, i) => (s === ':' ? `:${name}${i}` : s)).join('/')}` })));
      const path = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }).map((segments) => `/${segments.join('/')}`);
      await fc.assert(
        fc.asyncProperty(routes, path, async (specs, p) => {
          const router = new Router();
          for (const spec of specs) router.on(spec.method, spec.pattern, echo(spec.pattern));
          for (const method of ['GET', 'HEAD', 'POST', 'DELETE', 'PUT']) {
            const found = router.match(method, p);
            expect(found === undefined ? undefined : { pattern: found.pattern, params: { ...found.params } }).toEqual(naiveMatch(specs, method, p));
          }
          const res = await router.handle(request('OPTIONS', p));
          const allow = naiveAllow(specs, p);
          expect(res.status).toBe(allow.length === 0 ? 404 : 204);
          if (allow.length > 0) expect(allowed(res)).toEqual(allow);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('complexity', () => {
    it('should visit as many trie nodes among 1,000 routes as among 10', () => {
      const visitsFor = (routeCount: number): number => {
        let visits = 0;
        const router = new Router({ onVisit: () => visits++ });
        for (let i = 0; i < routeCount; i++) router.on('GET', `/r${i}/:id/items/:item`, echo(`r${i}`));
        visits = 0;
        expect(router.match('GET', '/r7/x/items/y')).toMatchObject({ params: { id: 'x', item: 'y' } });
        return visits;
      };
      const few = visitsFor(10);
      expect(few).toBeGreaterThan(0);
      expect(few).toBeLessThanOrEqual(10);
      expect(visitsFor(1000)).toBe(few);
    });
  });
});
