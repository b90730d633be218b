import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, problem, type Handler } from '#http';
import { arbitraryRequestShape, ManualClock, toRequest } from '#testing';
import { rateLimit, type Decision, type RateLimiter, type RateLimitOptions } from './rate-limit-headers.ts';

const POLICY = { quota: 100, windowSeconds: 60 };

/** A limiter that answers with the given decisions in turn (repeating the last) and records every key. */
function scripted(...decisions: Decision[]): RateLimiter & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    consume(key) {
      keys.push(key);
      return decisions[Math.min(keys.length - 1, decisions.length - 1)]!;
    },
  };
}
const allow = (remaining: number, resetAfterMs?: number): Decision => ({ allowed: true, remaining, retryAfterMs: 0, ...(resetAfterMs === undefined ? {} : { resetAfterMs }) });
const deny = (retryAfterMs: number, resetAfterMs?: number): Decision => ({ allowed: false, remaining: 0, retryAfterMs, ...(resetAfterMs === undefined ? {} : { resetAfterMs }) });

/** A fixed-window limiter for the tests: `quota` requests per key in each window of `windowMs`. */
function windowLimiter(quota: number, windowMs: number, clock: ManualClock): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    consume(key) {
      const now = clock.now();
      const start = Math.floor(now / windowMs) * windowMs;
      let window = windows.get(key);
      if (window === undefined || window.start !== start) windows.set(key, (window = { start, count: 0 }));
      const resetAfterMs = start + windowMs - now;
      if (window.count >= quota) return { allowed: false, remaining: 0, retryAfterMs: resetAfterMs, resetAfterMs };
      window.count++;
      return { allowed: true, remaining: quota - window.count, retryAfterMs: 0, resetAfterMs };
    },
  };
}

/** The connection's address, as a server would pass it: beside the request, not in its headers. */
const addresses = new WeakMap<Request, string>();
const clientAddress = (req: Request) => addresses.get(req);

function request(headers: Record<string, string> = {}, address = '203.0.113.7'): Request {
  const req = new Request('http://localhost/api/trips', { method: 'POST', headers });
  addresses.set(req, address);
  return req;
}

/** A handler that answers `response` (200 JSON by default) and counts its calls. */
function handler(response: () => Response = () => json(200, { ok: true })): Handler & { calls: number } {
  const counted = Object.assign(async () => {
    counted.calls++;
    return response();
  }, { calls: 0 });
  return counted;
}

const middleware = (limiter: RateLimiter, options: Partial<RateLimitOptions> = {}) => rateLimit({ limiter, policy: POLICY, clientAddress, ...options });

async function expectTooManyRequests(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(await response.json()).toMatchObject({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: expect.any(String) });
}

describe('rateLimit', () => {
  describe('an allowed request', () => {
    it('should reach the handler and come back with RateLimit-Policy and RateLimit', async () => {
      const next = handler();
      const response = await middleware(scripted(allow(50, 30_000)))(request(), next);
      expect(next.calls).toBe(1);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(response.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
      expect(response.headers.get('ratelimit')).toBe('"default";r=50;t=30');
    });

    it("should keep the handler's status, body and headers", async () => {
      const next = handler(() => json(201, { trip_id: 't1' }, { location: '/api/trips/t1' }));
      const response = await middleware(scripted(allow(7, 1_000)))(request(), next);
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/api/trips/t1');
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ trip_id: 't1' });
      expect(response.headers.get('ratelimit')).toBe('"default";r=7;t=1');
    });

    it("should add the fields to the handler's own errors too", async () => {
      const next = handler(() => problem(404, { detail: 'There is no trip 7.' }));
      const response = await middleware(scripted(allow(3, 5_000)))(request(), next);
      expect(response.status).toBe(404);
      expect(response.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
      expect(response.headers.get('ratelimit')).toBe('"default";r=3;t=5');
    });

    it('should add the fields even when the handler answers with immutable headers (Response.redirect)', async () => {
      const next = handler(() => Response.redirect('http://localhost/api/trips/t1', 303));
      const response = await middleware(scripted(allow(9, 60_000)))(request(), next);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('http://localhost/api/trips/t1');
      expect(response.headers.get('ratelimit')).toBe('"default";r=9;t=60');
    });

    it('should name the policy in both fields', async () => {
      const limit = rateLimit({ limiter: scripted(allow(4, 2_000)), policy: { name: 'trip-joins', quota: 5, windowSeconds: 3600 }, clientAddress });
      const response = await limit(request(), handler());
      expect(response.headers.get('ratelimit-policy')).toBe('"trip-joins";q=5;w=3600');
      expect(response.headers.get('ratelimit')).toBe('"trip-joins";r=4;t=2');
    });

    it.each([
      { resetAfterMs: 1, t: 1 },
      { resetAfterMs: 29_001, t: 30 },
      { resetAfterMs: 30_000, t: 30 },
    ])('should round t up to whole seconds: $resetAfterMs ms is t=$t', async ({ resetAfterMs, t }) => {
      const response = await middleware(scripted(allow(10, resetAfterMs)))(request(), handler());
      expect(response.headers.get('ratelimit')).toBe(`"default";r=10;t=${t}`);
    });

    it('should report t=0 when the quota is already full, or while allowed when the limiter does not say', async () => {
      expect((await middleware(scripted(allow(10, 0)))(request(), handler())).headers.get('ratelimit')).toBe('"default";r=10;t=0');
      expect((await middleware(scripted(allow(10)))(request(), handler())).headers.get('ratelimit')).toBe('"default";r=10;t=0');
    });
  });

  describe('a denied request', () => {
    it('should get a 429 problem with Retry-After and both fields, without reaching the handler', async () => {
      const next = handler();
      const response = await middleware(scripted(deny(12_000, 45_000)))(request(), next);
      expect(next.calls).toBe(0);
      expect(response.headers.get('retry-after')).toBe('12');
      expect(response.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
      expect(response.headers.get('ratelimit')).toBe('"default";r=0;t=45');
      await expectTooManyRequests(response);
    });

    it.each([
      { retryAfterMs: 1, seconds: 1 },
      { retryAfterMs: 999, seconds: 1 },
      { retryAfterMs: 1_000, seconds: 1 },
      { retryAfterMs: 1_001, seconds: 2 },
      { retryAfterMs: 59_999, seconds: 60 },
      { retryAfterMs: 60_000, seconds: 60 },
    ])('should round Retry-After up: $retryAfterMs ms is $seconds s', async ({ retryAfterMs, seconds }) => {
      const response = await middleware(scripted(deny(retryAfterMs)))(request(), handler());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe(String(seconds));
    });

    it('should never say Retry-After: 0, even when the limiter reports no wait', async () => {
      const response = await middleware(scripted(deny(0)))(request(), handler());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
    });

    it('should report t as the retry time when the limiter does not say when it resets', async () => {
      const response = await middleware(scripted(deny(2_500)))(request(), handler());
      expect(response.headers.get('ratelimit')).toBe('"default";r=0;t=3');
    });

    it('should still send whole seconds when the limiter says the request can never pass', async () => {
      const response = await middleware(scripted(deny(Number.POSITIVE_INFINITY)))(request(), handler());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('60');
      expect(response.headers.get('ratelimit')).toBe('"default";r=0;t=60');
    });
  });

  describe('keys', () => {
    it('should charge a request with an API key to that key, whatever its address', async () => {
      const limiter = scripted(allow(1));
      const limit = middleware(limiter);
      await limit(request({ 'x-api-key': 'team-a' }, '198.51.100.1'), handler());
      await limit(request({ 'x-api-key': 'team-a' }, '198.51.100.2'), handler());
      await limit(request({ 'x-api-key': 'team-b' }, '198.51.100.1'), handler());
      expect(limiter.keys[0]).toBe(limiter.keys[1]);
      expect(limiter.keys[2]).not.toBe(limiter.keys[0]);
    });

    it('should charge a request without an API key to its client address', async () => {
      const limiter = scripted(allow(1));
      const limit = middleware(limiter);
      await limit(request({}, '198.51.100.1'), handler());
      await limit(request({}, '198.51.100.1'), handler());
      await limit(request({}, '198.51.100.2'), handler());
      expect(limiter.keys[0]).toBe(limiter.keys[1]);
      expect(limiter.keys[2]).not.toBe(limiter.keys[0]);
    });

    it('should keep an API key and an address apart even when they are the same text', async () => {
      const limiter = scripted(allow(1));
      const limit = middleware(limiter);
      await limit(request({ 'x-api-key': '198.51.100.1' }, '192.0.2.9'), handler());
      await limit(request({}, '198.51.100.1'), handler());
      expect(limiter.keys[1]).not.toBe(limiter.keys[0]);
    });

    it('should ignore X-Forwarded-For: a client cannot buy a fresh quota by writing a header', async () => {
      const limiter = scripted(allow(1));
      const limit = middleware(limiter);
      await limit(request({ 'x-forwarded-for': '10.0.0.1' }, '198.51.100.1'), handler());
      await limit(request({ 'x-forwarded-for': '10.0.0.2' }, '198.51.100.1'), handler());
      expect(limiter.keys[1]).toBe(limiter.keys[0]);
    });

    it('should use a key function when given one', async () => {
      const limiter = scripted(allow(1));
      const limit = middleware(limiter, { key: (req) => `user:${req.headers.get('x-user') ?? '-'}` });
      await limit(request({ 'x-user': 'ann', 'x-api-key': 'team-a' }), handler());
      expect(limiter.keys).toEqual(['user:ann']);
    });

    it('should give each API key its own quota', async () => {
      const limit = middleware(windowLimiter(2, 60_000, new ManualClock(0)));
      const statuses: number[] = [];
      for (const apiKey of ['team-a', 'team-a', 'team-a', 'team-b', 'team-b', 'team-b']) {
        statuses.push((await limit(request({ 'x-api-key': apiKey }), handler())).status);
      }
      expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    });
  });

  describe('with a fixed-window limiter', () => {
    it('should count down r, refuse the request after the quota until the window ends, then allow again', async () => {
      const clock = new ManualClock(0);
      const limit = rateLimit({ limiter: windowLimiter(3, 60_000, clock), policy: { quota: 3, windowSeconds: 60 }, clientAddress });
      const next = handler();
      const seen: string[] = [];
      for (let i = 0; i < 3; i++) {
        clock.advance(10_000);
        const response = await limit(request(), next);
        seen.push(`${response.status} ${response.headers.get('ratelimit')}`);
      }
      clock.advance(500);
      const denied = await limit(request(), next);
      expect(seen).toEqual(['200 "default";r=2;t=50', '200 "default";r=1;t=40', '200 "default";r=0;t=30']);
      expect(denied.status).toBe(429);
      expect(denied.headers.get('retry-after')).toBe('30');
      expect(next.calls).toBe(3);
      clock.advance(29_500);
      const again = await limit(request(), next);
      expect(again.status).toBe(200);
      expect(again.headers.get('ratelimit')).toBe('"default";r=2;t=60');
    });
  });

  describe('bad options', () => {
    const limiter = scripted(allow(1));
    it.each([
      { name: 'a quota of 0', policy: { quota: 0, windowSeconds: 60 } },
      { name: 'a fractional quota', policy: { quota: 1.5, windowSeconds: 60 } },
      { name: 'a window of 0 s', policy: { quota: 10, windowSeconds: 0 } },
      { name: 'a fractional window', policy: { quota: 10, windowSeconds: 0.5 } },
      { name: 'an empty name', policy: { name: '', quota: 10, windowSeconds: 60 } },
      { name: 'a name with a line break', policy: { name: 'a\r\nb', quota: 10, windowSeconds: 60 } },
    ])('should throw a RangeError for $name', ({ policy }) => {
      expect(() => rateLimit({ limiter, policy })).toThrow(RangeError);
    });

    it('should throw a TypeError without a limiter, or with a key that is not a function', () => {
      expect(() => rateLimit({ policy: POLICY } as RateLimitOptions)).toThrow(TypeError);
      expect(() => rateLimit({ limiter, policy: POLICY, key: 'x-api-key' as unknown as () => string })).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    it('should answer any request with the handler status or 429, with both fields, and a problem on 429', async () => {
      const decisions = fc.array(
        fc.record({
          allowed: fc.boolean(),
          remaining: fc.nat(100),
          retryAfterMs: fc.oneof(fc.nat(3_600_000), fc.constant(Number.POSITIVE_INFINITY)),
          resetAfterMs: fc.option(fc.nat(3_600_000), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 4 },
      );
      const field = /^"default";r=\d+;t=\d+$/;
      await fc.assert(
        fc.asyncProperty(arbitraryRequestShape(['/api/trips']), decisions, async (shape, script) => {
          const limit = rateLimit({ limiter: scripted(...script.map(({ resetAfterMs, ...rest }) => (resetAfterMs === undefined ? rest : { ...rest, resetAfterMs }))), policy: POLICY });
          const response = await limit(toRequest(shape), async () => json(200, { ok: true }));
          expect([200, 429]).toContain(response.status);
          expect(response.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
          expect(response.headers.get('ratelimit')).toMatch(field);
          if (response.status === 429) {
            expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
            await expectTooManyRequests(response);
          }
        }),
        { numRuns: 100 },
      );
    });

    it('should let through exactly what a per-client quota allows, for any sequence of requests', async () => {
      // API keys and addresses are drawn from the same texts, so that a mix-up shows.
      const texts = fc.constantFrom('a', 'b', 'c');
      const requests = fc.array(fc.record({ apiKey: fc.option(texts, { nil: undefined }), address: texts }), { maxLength: 25 });
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 90_000 }), requests, async (quota, waitMs, sequence) => {
          // The fake limiter counts per key it is given; the model counts per client.
          const counts = new Map<string, number>();
          const limiter: RateLimiter = {
            consume(key) {
              const used = counts.get(key) ?? 0;
              if (used >= quota) return { allowed: false, remaining: 0, retryAfterMs: waitMs };
              counts.set(key, used + 1);
              return { allowed: true, remaining: quota - used - 1, retryAfterMs: 0 };
            },
          };
          const limit = rateLimit({ limiter, policy: { quota, windowSeconds: 60 }, clientAddress });
          const next = handler();
          const model = new Map<string, number>();
          for (const { apiKey, address } of sequence) {
            const client = apiKey === undefined ? `address ${address}` : `api key ${apiKey}`;
            const used = model.get(client) ?? 0;
            const response = await limit(request(apiKey === undefined ? {} : { 'x-api-key': apiKey }, address), next);
            if (used < quota) {
              model.set(client, used + 1);
              expect(response.status).toBe(200);
              expect(response.headers.get('ratelimit')).toBe(`"default";r=${quota - used - 1};t=0`);
            } else {
              expect(response.status).toBe(429);
              expect(response.headers.get('retry-after')).toBe(String(Math.ceil(waitMs / 1000)));
              expect(response.headers.get('ratelimit')).toBe(`"default";r=0;t=${Math.ceil(waitMs / 1000)}`);
            }
          }
          expect(next.calls).toBe([...model.values()].reduce((sum, n) => sum + n, 0));
        }),
        { numRuns: 40 },
      );
    });
  });
});
