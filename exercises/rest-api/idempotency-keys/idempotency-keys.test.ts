import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, problem, type Handler } from '#http';
import { arbitraryRequestShape, deferred, expectProblem, flush, ManualClock, toRequest, track, type Tracked } from '#testing';
import { createIdempotencyMiddleware, type IdempotencyOptions } from './idempotency-keys.ts';
import { MemoryIdempotencyStore } from './idempotency-store.ts';

const BASE = 'http://localhost';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A handler that creates trips named trip-1, trip-2, ...: 201 with a Location, and the body it
 * received echoed back. `runs` lists the bodies of the requests it ran.
 */
function tripsHandler() {
  const runs: string[] = [];
  const handler: Handler = async (req) => {
    const received = await req.text();
    runs.push(received);
    const id = `trip-${runs.length}`;
    return json(201, { trip_id: id, received }, { location: `/api/trips/${id}`, 'x-trip-version': '1' });
  };
  return { handler, runs };
}

function setup(options: Omit<IdempotencyOptions, 'store'> = {}, handler?: Handler) {
  const clock = new ManualClock();
  const store = new MemoryIdempotencyStore(clock);
  const trips = tripsHandler();
  const middleware = createIdempotencyMiddleware({ store, ...options });
  const send = (req: Request) => middleware(req, handler ?? trips.handler);
  return { clock, store, send, runs: trips.runs };
}

interface RequestOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
}

/** A JSON request, with an Idempotency-Key unless `key` is undefined. */
function request(key: string | undefined, body: unknown = { origin: 'Paris' }, { method = 'POST', path = '/api/trips', headers = {} }: RequestOptions = {}): Request {
  const keyHeader = key === undefined ? {} : { 'idempotency-key': key };
  const canHaveBody = method !== 'GET' && method !== 'HEAD';
  return new Request(BASE + path, {
    method,
    headers: { 'content-type': 'application/json', ...keyHeader, ...headers },
    ...(canHaveBody ? { body: JSON.stringify(body) } : {}),
  });
}

/** Everything a client sees of a response. */
async function view(res: Response) {
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

const replayOf = (first: Awaited<ReturnType<typeof view>>) => ({ ...first, headers: { ...first.headers, 'idempotent-replayed': 'true' } });

/**
 * Where `promise` stands once everything ready has run. A test never awaits a response that
 * may wait on a held handler: a wrong implementation would hang it instead of failing it.
 */
async function settled<T>(promise: Promise<T>): Promise<Tracked<T>> {
  const tracked = track(promise);
  for (let turn = 0; turn < 10 && tracked.state === 'pending'; turn++) await flush();
  return tracked;
}

describe('createIdempotencyMiddleware', () => {
  describe('a first request and its repeats', () => {
    it('should run the first request with a key and return its response as is', async () => {
      const { send, runs } = setup();
      const res = await send(request('key-1'));
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe('/api/trips/trip-1');
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect(await res.json()).toEqual({ trip_id: 'trip-1', received: '{"origin":"Paris"}' });
      expect(runs).toHaveLength(1);
    });

    it('should replay the stored response to a repeat, with every header, and not run the handler again', async () => {
      const { send, runs } = setup();
      const first = await view(await send(request('key-1')));
      const repeat = await view(await send(request('key-1')));
      expect(repeat).toEqual(replayOf(first));
      expect(runs).toHaveLength(1);
    });

    it('should replay the same response to every repeat', async () => {
      const { send, runs } = setup();
      const first = await view(await send(request('key-1')));
      for (let i = 0; i < 3; i++) expect(await view(await send(request('key-1')))).toEqual(replayOf(first));
      expect(runs).toHaveLength(1);
    });

    it('should treat another key as another request', async () => {
      const { send, runs } = setup();
      await send(request('key-1'));
      const res = await send(request('key-2'));
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect(await res.json()).toMatchObject({ trip_id: 'trip-2' });
      expect(runs).toHaveLength(2);
    });

    it('should replay a response without a body, such as a 204', async () => {
      const { send } = setup({}, async () => new Response(null, { status: 204, headers: { etag: '"7"' } }));
      await send(request('key-1', {}, { method: 'PATCH', path: '/api/trips/trip-1' }));
      const repeat = await send(request('key-1', {}, { method: 'PATCH', path: '/api/trips/trip-1' }));
      expect(await view(repeat)).toEqual({ status: 204, headers: { etag: '"7"', 'idempotent-replayed': 'true' }, body: '' });
    });
  });

  describe('a key reused for another request', () => {
    it('should answer 422 to the same key with another body, and run nothing', async () => {
      const { send, runs } = setup();
      await send(request('key-1', { origin: 'Paris' }));
      const body = await expectProblem(await send(request('key-1', { origin: 'Lyon' })), 422);
      expect(body).toMatchObject({ title: 'Unprocessable Content', status: 422 });
      expect(runs).toEqual(['{"origin":"Paris"}']);
    });

    it.each([
      { what: 'another path', options: { path: '/api/trips/trip-1/join' } },
      { what: 'another query', options: { path: '/api/trips?dry_run=1' } },
      { what: 'another method', options: { method: 'PATCH' } },
    ])('should answer 422 to the same key on $what', async ({ options }) => {
      const { send, runs } = setup();
      await send(request('key-1'));
      await expectProblem(await send(request('key-1', { origin: 'Paris' }, options)), 422);
      expect(runs).toHaveLength(1);
    });

    it('should compare bodies byte for byte: the same JSON spelled differently is another payload', async () => {
      const { send } = setup();
      await send(request('key-1', { origin: 'Paris', seats: 3 }));
      await expectProblem(await send(request('key-1', { seats: 3, origin: 'Paris' })), 422);
    });

    it('should still replay to the original payload after a 422', async () => {
      const { send } = setup();
      const first = await view(await send(request('key-1', { origin: 'Paris' })));
      await send(request('key-1', { origin: 'Lyon' }));
      expect(await view(await send(request('key-1', { origin: 'Paris' })))).toEqual(replayOf(first));
    });
  });

  describe('expiry', () => {
    it('should remember a key for 24 hours by default, then run it as new', async () => {
      const { send, clock, runs } = setup();
      await send(request('key-1', { origin: 'Paris' }));
      clock.advance(DAY_MS - 1);
      expect((await send(request('key-1', { origin: 'Paris' }))).headers.get('idempotent-replayed')).toBe('true');
      clock.advance(1);
      const res = await send(request('key-1', { origin: 'Lyon' }));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ trip_id: 'trip-2' });
      expect(runs).toHaveLength(2);
    });

    it('should remember a key for ttlMs when given', async () => {
      const { send, clock, store } = setup({ ttlMs: 1000 });
      await send(request('key-1'));
      expect(store.size).toBe(1);
      clock.advance(999);
      expect(store.size).toBe(1);
      clock.advance(1);
      expect(store.size).toBe(0);
      const res = await send(request('key-1'));
      expect(res.headers.get('idempotent-replayed')).toBeNull();
    });
  });

  describe('failures', () => {
    /** A handler that answers `statuses` in turn, then 201s. */
    function flaky(...statuses: number[]) {
      const runs: number[] = [];
      const handler: Handler = async () => {
        const status = statuses[runs.length] ?? 201;
        runs.push(status);
        return status === 201 ? json(201, { trip_id: `trip-${runs.length}` }) : problem(status, { detail: `failed with ${status}` });
      };
      return { handler, runs };
    }

    it('should not store a 5xx: the retry runs the handler again', async () => {
      const { handler, runs } = flaky(503);
      const { send, store } = setup({}, handler);
      await expectProblem(await send(request('key-1')), 503);
      expect(store.size).toBe(0);
      const retry = await send(request('key-1'));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(runs).toEqual([503, 201]);
    });

    it.each([{ status: 408 }, { status: 429 }, { status: 500 }])('should not store a $status either', async ({ status }) => {
      const { handler, runs } = flaky(status);
      const { send } = setup({}, handler);
      await send(request('key-1'));
      expect((await send(request('key-1'))).status).toBe(201);
      expect(runs).toEqual([status, 201]);
    });

    it('should store and replay any other 4xx: the same request gets the same answer', async () => {
      const { handler, runs } = flaky(409);
      const { send } = setup({}, handler);
      const first = await view(await send(request('key-1')));
      expect(first.status).toBe(409);
      expect(await view(await send(request('key-1')))).toEqual(replayOf(first));
      expect(runs).toEqual([409]);
    });

    it('should release the key when the handler throws, and let the error through', async () => {
      const trips = tripsHandler();
      let calls = 0;
      const handler: Handler = async (req) => {
        if (++calls === 1) throw new Error('database unreachable');
        return trips.handler(req);
      };
      const { send } = setup({}, handler);
      await expect(send(request('key-1'))).rejects.toThrow('database unreachable');
      const retry = await send(request('key-1'));
      expect(retry.status).toBe(201);
      expect(trips.runs).toHaveLength(1);
    });
  });

  describe('clients', () => {
    const byApiKey = (req: Request) => req.headers.get('x-api-key') ?? undefined;

    it('should scope keys per client: the same key from another client is another request', async () => {
      const { send, runs } = setup({ clientId: byApiKey });
      await send(request('key-1', { origin: 'Paris' }, { headers: { 'x-api-key': 'ann' } }));
      const bob = await send(request('key-1', { origin: 'Lyon' }, { headers: { 'x-api-key': 'bob' } }));
      expect(bob.status).toBe(201);
      expect(await bob.json()).toMatchObject({ trip_id: 'trip-2' });
      const annAgain = await send(request('key-1', { origin: 'Paris' }, { headers: { 'x-api-key': 'ann' } }));
      expect(annAgain.headers.get('idempotent-replayed')).toBe('true');
      expect(await annAgain.json()).toMatchObject({ trip_id: 'trip-1' });
      expect(runs).toHaveLength(2);
    });

    it('should share one namespace between the requests without a client', async () => {
      const { send } = setup({ clientId: byApiKey });
      await send(request('key-1', { origin: 'Paris' }));
      await expectProblem(await send(request('key-1', { origin: 'Lyon' })), 422);
      expect((await send(request('key-1', { origin: 'Lyon' }, { headers: { 'x-api-key': 'ann' } }))).status).toBe(201);
    });
  });

  describe('concurrent requests', () => {
    /** A trips handler that holds every request until `release` is resolved. */
    function heldHandler() {
      const release = deferred();
      const trips = tripsHandler();
      const handler: Handler = async (req) => {
        const response = trips.handler(req);
        await release.promise;
        return response;
      };
      return { handler, release, runs: trips.runs };
    }

    it('should answer 409 to a repeat while the first is in flight, then replay once it has finished', async () => {
      const held = heldHandler();
      const { send } = setup({}, held.handler);
      const first = track(send(request('key-1')));
      await flush();
      const repeat = await settled(send(request('key-1')));
      expect(repeat.state).toBe('fulfilled');
      await expectProblem(repeat.value!, 409);
      expect(first.state).toBe('pending');
      held.release.resolve();
      await flush();
      expect(first.state).toBe('fulfilled');
      const original = await view(first.value!);
      expect(original.status).toBe(201);
      expect(await view(await send(request('key-1')))).toEqual(replayOf(original));
      expect(held.runs).toHaveLength(1);
    });

    it('should answer 422, not 409, to another payload with a key in flight', async () => {
      const held = heldHandler();
      const { send } = setup({}, held.handler);
      void send(request('key-1', { origin: 'Paris' }));
      await flush();
      const other = await settled(send(request('key-1', { origin: 'Lyon' })));
      held.release.resolve();
      expect(other.state).toBe('fulfilled');
      await expectProblem(other.value!, 422);
    });

    it('should run 20 concurrent POSTs with one key once: the first gets the response, the others a 409, every retry the replay', async () => {
      const held = heldHandler();
      const { send } = setup({}, held.handler);
      const calls: Tracked<Response>[] = Array.from({ length: 20 }, () => track(send(request('key-1'))));
      for (let i = 0; i < 10 && calls.filter((call) => call.state === 'pending').length > 1; i++) await flush();
      expect(held.runs).toHaveLength(1);
      const rejected = calls.filter((call) => call.state === 'fulfilled');
      expect(rejected).toHaveLength(19);
      for (const call of rejected) await expectProblem(call.value!, 409);

      held.release.resolve();
      for (let i = 0; i < 10 && calls.some((call) => call.state === 'pending'); i++) await flush();
      const winner = calls.find((call) => call.value?.status === 201);
      const original = await view(winner!.value!);
      const retries = await Promise.all(Array.from({ length: 5 }, () => send(request('key-1'))));
      for (const retry of retries) expect(await view(retry)).toEqual(replayOf(original));
      expect(held.runs).toHaveLength(1);
    });
  });

  describe('which requests it guards', () => {
    it.each([{ method: 'GET' }, { method: 'HEAD' }, { method: 'PUT' }, { method: 'DELETE' }, { method: 'OPTIONS' }])(
      'should pass $method through, key or not, every time',
      async ({ method }) => {
        const { send, runs } = setup();
        for (let i = 0; i < 2; i++) {
          const res = await send(request('key-1', {}, { method }));
          expect(res.headers.get('idempotent-replayed')).toBeNull();
        }
        expect(runs).toHaveLength(2);
      },
    );

    it('should pass a POST without a key through, every time', async () => {
      const { send, runs, store } = setup();
      expect((await send(request(undefined))).status).toBe(201);
      expect((await send(request(undefined))).status).toBe(201);
      expect(runs).toHaveLength(2);
      expect(store.size).toBe(0);
    });

    it('should answer 400 to a POST without a key when the key is required', async () => {
      const { send, runs } = setup({ required: true });
      const body = await expectProblem(await send(request(undefined)), 400);
      expect(body).toMatchObject({ title: 'Bad Request' });
      expect(runs).toHaveLength(0);
      expect((await send(request(undefined, {}, { method: 'GET' }))).status).toBe(201);
    });

    it('should require the key only where the required function says so', async () => {
      const { send, runs } = setup({ required: (req) => new URL(req.url).pathname.endsWith('/join') });
      expect((await send(request(undefined))).status).toBe(201);
      await expectProblem(await send(request(undefined, {}, { path: '/api/trips/trip-1/join' })), 400);
      expect(runs).toHaveLength(1);
    });

    it.each([
      { key: '', why: 'empty' },
      { key: 'two words', why: 'with a space' },
      { key: 'clé', why: 'not ASCII' },
      { key: 'x'.repeat(256), why: '256 characters long' },
    ])('should answer 400 to a key that is $why', async ({ key }) => {
      const { send, runs } = setup();
      await expectProblem(await send(request(key)), 400);
      expect(runs).toHaveLength(0);
    });

    it('should answer 400 to two Idempotency-Key headers', async () => {
      const { send } = setup();
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('idempotency-key', 'a');
      headers.append('idempotency-key', 'b');
      await expectProblem(await send(new Request(`${BASE}/api/trips`, { method: 'POST', headers, body: '{}' })), 400);
    });

    it.each([{ key: '8e03978e-40d5-43e8-bc93-6894a57f9324' }, { key: 'x'.repeat(255) }, { key: '"quoted",;=' }])('should accept the key $key', async ({ key }) => {
      const { send } = setup();
      await send(request(key));
      expect((await send(request(key))).headers.get('idempotent-replayed')).toBe('true');
    });
  });

  describe('options', () => {
    const store = new MemoryIdempotencyStore(new ManualClock());

    it.each([{ ttlMs: 0 }, { ttlMs: -1 }, { ttlMs: Number.NaN }, { ttlMs: Number.POSITIVE_INFINITY }])('should reject ttlMs $ttlMs with a RangeError', ({ ttlMs }) => {
      expect(() => createIdempotencyMiddleware({ store, ttlMs })).toThrow(RangeError);
    });

    it.each([
      { name: 'a missing store', options: {} },
      { name: 'a store without claim', options: { store: { set: () => {}, delete: () => {} } } },
      { name: 'required as a string', options: { store, required: 'yes' } },
      { name: 'clientId as a string', options: { store, clientId: 'ann' } },
    ])('should reject $name with a TypeError', ({ options }) => {
      expect(() => createIdempotencyMiddleware(options as unknown as IdempotencyOptions)).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    it('should answer any request twice with the same status, below 500, and a problem on every 4xx', async () => {
      const shapes = fc.tuple(arbitraryRequestShape(['/api/trips']), fc.option(fc.constantFrom('key-1', 'key-2', '', 'a b')), fc.boolean());
      await fc.assert(
        fc.asyncProperty(shapes, async ([shape, key, required]) => {
          const { send, runs } = setup({ required });
          const withKey = key === null ? shape : { ...shape, headers: { ...shape.headers, 'idempotency-key': key } };
          const first = await send(toRequest(withKey));
          const second = await send(toRequest(withKey));
          for (const res of [first, second]) {
            expect(res.status).toBeLessThan(500);
            if (res.status >= 400) {
              expect(res.headers.get('content-type')).toBe('application/problem+json');
              expect(await res.clone().json()).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) });
            }
          }
          expect(second.status).toBe(first.status);
          if (second.headers.get('idempotent-replayed') === 'true') {
            expect(await second.text()).toBe(await first.text());
            expect(runs).toHaveLength(1);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('should run the handler once for any number of racing requests, whatever the interleaving', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(6), { minLength: 1, maxLength: 8 }), fc.nat(8), async (delays, handlerTurns) => {
          const trips = tripsHandler();
          const slow: Handler = async (req) => {
            const response = trips.handler(req);
            for (let turn = 0; turn < handlerTurns; turn++) await Promise.resolve();
            return response;
          };
          const { send } = setup({}, slow);
          // Each request starts after its own number of turns of the event loop, so they overlap differently.
          const responses = await Promise.all(
            delays.map(async (delay) => {
              for (let turn = 0; turn < delay; turn++) await Promise.resolve();
              return view(await send(request('key-1')));
            }),
          );
          expect(trips.runs).toHaveLength(1);
          const originals = responses.filter((res) => res.status === 201 && res.headers['idempotent-replayed'] === undefined);
          expect(originals).toHaveLength(1);
          for (const res of responses) {
            if (res !== originals[0]) expect(res.status === 409 || JSON.stringify(res) === JSON.stringify(replayOf(originals[0]!))).toBe(true);
          }
          expect(await view(await send(request('key-1')))).toEqual(replayOf(originals[0]!));
        }),
        { numRuns: 15 },
      );
    });
  });

  describe('against a model', () => {
    // The model: for each scoped key, the payload it was first used with, the trip it created,
    // and when it expires. A payload of 'fail' makes the handler answer 503.
    type Client = 'ann' | 'bob' | undefined;
    type Payload = 'Paris' | 'Lyon' | 'fail';
    interface Model {
      now: number;
      trips: number;
      keys: Map<string, { payload: Payload; tripId: string; expiresAt: number }>;
    }
    interface Real {
      clock: ManualClock;
      store: MemoryIdempotencyStore;
      send: Handler;
    }
    const TTL = 1000;

    const live = (model: Model) => [...model.keys].filter(([, entry]) => entry.expiresAt > model.now);

    class SendCommand implements fc.AsyncCommand<Model, Real> {
      constructor(
        readonly client: Client,
        readonly key: string | undefined,
        readonly payload: Payload,
      ) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const headers: Record<string, string> = this.client === undefined ? {} : { 'x-api-key': this.client };
        const res = await real.send(request(this.key, { origin: this.payload }, { headers }));
        const scoped = `${this.client ?? '-'}/${this.key}`;
        const entry = this.key === undefined ? undefined : model.keys.get(scoped);
        if (entry !== undefined && entry.expiresAt > model.now) {
          if (entry.payload !== this.payload) {
            await expectProblem(res, 422);
          } else {
            expect(res.status).toBe(201);
            expect(res.headers.get('idempotent-replayed')).toBe('true');
            expect(await res.json()).toMatchObject({ trip_id: entry.tripId });
          }
        } else if (this.payload === 'fail') {
          await expectProblem(res, 503);
        } else {
          const tripId = `trip-${++model.trips}`;
          expect(res.status).toBe(201);
          expect(res.headers.get('idempotent-replayed')).toBeNull();
          expect(await res.json()).toMatchObject({ trip_id: tripId });
          if (this.key !== undefined) model.keys.set(scoped, { payload: this.payload, tripId, expiresAt: model.now + TTL });
        }
        expect(real.store.size).toBe(live(model).length);
      }
      toString = () => `send(${this.client ?? '-'}, ${this.key ?? '-'}, ${this.payload})`;
    }

    class AdvanceCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly ms: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        real.clock.advance(this.ms);
        model.now += this.ms;
        expect(real.store.size).toBe(live(model).length);
      }
      toString = () => `advance(${this.ms})`;
    }

    it('should behave like a map of first responses that forgets after ttlMs, under any sequence of requests', async () => {
      let trips = 0;
      const handler: Handler = async (req) => {
        const { origin } = (await req.json()) as { origin: Payload };
        if (origin === 'fail') return problem(503, { detail: 'the trips database is down' });
        return json(201, { trip_id: `trip-${++trips}` });
      };
      const commands = fc.commands(
        [
          fc
            .tuple(fc.constantFrom<Client>('ann', 'bob', undefined), fc.constantFrom('k1', 'k2', undefined), fc.constantFrom<Payload>('Paris', 'Lyon', 'fail'))
            .map(([client, key, payload]) => new SendCommand(client, key, payload)),
          fc.constantFrom(1, 400, 999, 1000).map((ms) => new AdvanceCommand(ms)),
        ],
        { maxCommands: 20 },
      );
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          trips = 0;
          const clock = new ManualClock();
          const store = new MemoryIdempotencyStore(clock);
          const middleware = createIdempotencyMiddleware({ store, ttlMs: TTL, clientId: (req) => req.headers.get('x-api-key') ?? undefined });
          const real: Real = { clock, store, send: (req) => middleware(req, handler) };
          await fc.asyncModelRun(() => ({ model: { now: 0, trips: 0, keys: new Map() }, real }), cmds);
        }),
        { numRuns: 20 },
      );
    });
  });
});
