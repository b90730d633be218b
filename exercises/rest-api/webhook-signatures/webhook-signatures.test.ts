import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, type Handler } from '#http';
import { arbitraryRequestShape, expectProblem, ManualClock, toRequest } from '#testing';
import { createWebhookMiddleware, parseSignatureHeader, sign, WebhookVerifier, type VerifyFailure, type WebhookVerifierOptions } from './webhook-signatures.ts';

const SECRET = 'whsec_trips_2026';
/** 2026-01-01T00:00:00Z, in unix seconds. */
const NOW = 1_767_225_600;
const EVENT = JSON.stringify({ id: 'evt_1', type: 'trip.joined', data: { trip_id: 'trip-1', seats_available: 2 } });

/** The oracle: the expected header, built with node:crypto over the exact string "t.payload". */
const oracle = (payload: string, secret: string, t: number): string => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
const v1Of = (header: string): string => /v1=([0-9a-f]+)/.exec(header)![1]!;

/** A verifier whose clock reads `seconds` (unix seconds). */
function verifierAt(seconds = NOW, options: Partial<WebhookVerifierOptions> = {}) {
  const clock = new ManualClock(seconds * 1000);
  const verifier = new WebhookVerifier({ secrets: [SECRET], clock, ...options });
  return { clock, verifier };
}

const accepted = (timestamp: number) => ({ ok: true, timestamp });
const refused = (reason: VerifyFailure) => ({ ok: false, reason });

describe('sign', () => {
  it('should produce t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">', () => {
    expect(sign(EVENT, SECRET, NOW)).toBe(oracle(EVENT, SECRET, NOW));
    expect(sign(EVENT, SECRET, NOW)).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
  });

  it('should sign the UTF-8 bytes of any text, and the empty payload', () => {
    const payload = JSON.stringify({ origin: 'Zürich', destination: 'Genève 🚗' });
    expect(sign(payload, SECRET, NOW)).toBe(oracle(payload, SECRET, NOW));
    expect(sign('', SECRET, 0)).toBe(oracle('', SECRET, 0));
  });

  it('should change with the payload, the timestamp and the secret', () => {
    const base = sign(EVENT, SECRET, NOW);
    expect(v1Of(sign(`${EVENT} `, SECRET, NOW))).not.toBe(v1Of(base));
    expect(v1Of(sign(EVENT, SECRET, NOW + 1))).not.toBe(v1Of(base));
    expect(v1Of(sign(EVENT, `${SECRET}2`, NOW))).not.toBe(v1Of(base));
  });

  it.each([{ timestamp: -1 }, { timestamp: 1.5 }, { timestamp: Number.NaN }, { timestamp: 2 ** 53 }])('should reject the timestamp $timestamp with a RangeError', ({ timestamp }) => {
    expect(() => sign(EVENT, SECRET, timestamp)).toThrow(RangeError);
  });

  it('should reject an empty secret with a RangeError, and a secret that is not a string with a TypeError', () => {
    expect(() => sign(EVENT, '', NOW)).toThrow(RangeError);
    expect(() => sign(EVENT, 42 as unknown as string, NOW)).toThrow(TypeError);
  });
});

describe('parseSignatureHeader', () => {
  it('should read the timestamp and the signature', () => {
    expect(parseSignatureHeader('t=1767225600,v1=abc123')).toEqual({ timestamp: 1_767_225_600, signatures: ['abc123'] });
  });

  it('should keep every v1, in order, and ignore other schemes', () => {
    expect(parseSignatureHeader('t=5,v0=old,v1=first,v2=future,v1=second')).toEqual({ timestamp: 5, signatures: ['first', 'second'] });
  });

  it('should ignore spaces around items, names and values, and items without =', () => {
    expect(parseSignatureHeader(' t = 5 ,  v1= abc ,, note ,')).toEqual({ timestamp: 5, signatures: ['abc'] });
  });

  it.each([
    { header: '', why: 'empty' },
    { header: 't=5', why: 'without a signature' },
    { header: 'v1=abc', why: 'without a timestamp' },
    { header: 't=,v1=abc', why: 'with an empty timestamp' },
    { header: 't=abc,v1=abc', why: 'with a timestamp that is not a number' },
    { header: 't=1.5,v1=abc', why: 'with a fractional timestamp' },
    { header: 't=-5,v1=abc', why: 'with a negative timestamp' },
    { header: 't=1e9,v1=abc', why: 'with a timestamp in exponent form' },
    { header: 't=5,t=6,v1=abc', why: 'with two timestamps' },
    { header: 'T=5,V1=abc', why: 'with upper-case names' },
    { header: 'sha256=abc', why: 'in another format' },
  ])('should find nothing in a header $why', ({ header }) => {
    expect(parseSignatureHeader(header)).toBeUndefined();
  });
});

describe('WebhookVerifier', () => {
  describe('verify', () => {
    it('should accept a webhook signed with its secret, and give its timestamp', () => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, oracle(EVENT, SECRET, NOW))).toEqual(accepted(NOW));
    });

    it('should refuse a tampered payload as a mismatch', () => {
      const { verifier } = verifierAt();
      const header = sign(EVENT, SECRET, NOW);
      expect(verifier.verify(EVENT.replace('"seats_available":2', '"seats_available":9'), header)).toEqual(refused('mismatch'));
    });

    it('should refuse a tampered timestamp as a mismatch: the timestamp is signed too', () => {
      const { verifier } = verifierAt();
      const header = sign(EVENT, SECRET, NOW - 3600).replace(`t=${NOW - 3600}`, `t=${NOW}`);
      expect(verifier.verify(EVENT, header)).toEqual(refused('mismatch'));
    });

    it('should refuse a webhook signed with another secret', () => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, sign(EVENT, 'whsec_someone_else', NOW))).toEqual(refused('mismatch'));
    });

    it.each([
      { what: 'empty', signature: () => '' },
      { what: 'the first half of the right one', signature: (right: string) => right.slice(0, 32) },
      { what: 'the right one and more', signature: (right: string) => `${right}00` },
      { what: 'not hex', signature: (right: string) => `${right.slice(0, 62)}zz` },
    ])('should refuse a signature that is $what', ({ signature }) => {
      const { verifier } = verifierAt();
      const right = v1Of(sign(EVENT, SECRET, NOW));
      expect(verifier.verify(EVENT, `t=${NOW},v1=${signature(right)}`)).toEqual(refused('mismatch'));
    });

    it('should accept a header with spaces, unknown schemes and several signatures', () => {
      const { verifier } = verifierAt();
      const right = v1Of(sign(EVENT, SECRET, NOW));
      expect(verifier.verify(EVENT, ` t=${NOW} , v0=${'0'.repeat(64)}, v1=${'f'.repeat(64)} ,v1= ${right} `)).toEqual(accepted(NOW));
    });

    it('should refuse a missing header as malformed', () => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, null)).toEqual(refused('malformed'));
    });
  });

  describe('the tolerance window', () => {
    it.each([
      { age: 300, result: accepted(NOW - 300) },
      { age: 301, result: refused('expired') },
      { age: 86_400, result: refused('expired') },
    ])('should judge a webhook signed $age s ago', ({ age, result }) => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, sign(EVENT, SECRET, NOW - age))).toEqual(result);
    });

    it.each([
      { ahead: 300, result: accepted(NOW + 300) },
      { ahead: 301, result: refused('expired') },
      { ahead: 86_400 * 365, result: refused('expired') },
    ])('should judge a webhook dated $ahead s in the future: a skewed sender clock, or a pre-signed replay', ({ ahead, result }) => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, sign(EVENT, SECRET, NOW + ahead))).toEqual(result);
    });

    it('should take the window from toleranceSeconds, against the clock', () => {
      const { verifier, clock } = verifierAt(NOW, { toleranceSeconds: 60 });
      const header = sign(EVENT, SECRET, NOW);
      clock.advance(61_000);
      expect(verifier.verify(EVENT, header)).toEqual(refused('expired'));
    });

    it('should check the signature first: a forged header says nothing about time', () => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, sign(EVENT, 'whsec_forger', NOW - 86_400))).toEqual(refused('mismatch'));
    });
  });

  describe('secret rotation', () => {
    const OLD = 'whsec_old';
    const NEW = 'whsec_new';

    it('should accept a webhook signed with any of its secrets', () => {
      const { verifier } = verifierAt(NOW, { secrets: [OLD, NEW] });
      expect(verifier.verify(EVENT, sign(EVENT, OLD, NOW))).toEqual(accepted(NOW));
      expect(verifier.verify(`${EVENT}\n`, sign(`${EVENT}\n`, NEW, NOW))).toEqual(accepted(NOW));
    });

    it('should accept a header that carries one signature per secret, in either order', () => {
      const { verifier } = verifierAt(NOW, { secrets: [NEW] });
      const both = `t=${NOW},v1=${v1Of(sign(EVENT, OLD, NOW))},v1=${v1Of(sign(EVENT, NEW, NOW))}`;
      expect(verifier.verify(EVENT, both)).toEqual(accepted(NOW));
    });

    it('should refuse the old secret once it is retired', () => {
      const { verifier } = verifierAt(NOW, { secrets: [NEW] });
      expect(verifier.verify(EVENT, sign(EVENT, OLD, NOW))).toEqual(refused('mismatch'));
    });
  });

  describe('replays', () => {
    it('should refuse the same signed webhook a second time', () => {
      const { verifier, clock } = verifierAt();
      const header = sign(EVENT, SECRET, NOW);
      expect(verifier.verify(EVENT, header)).toEqual(accepted(NOW));
      clock.advance(10_000);
      expect(verifier.verify(EVENT, header)).toEqual(refused('replayed'));
    });

    it('should accept the same event signed again at another time: a retry by the sender is not a replay', () => {
      const { verifier, clock } = verifierAt();
      expect(verifier.verify(EVENT, sign(EVENT, SECRET, NOW))).toEqual(accepted(NOW));
      clock.advance(60_000);
      expect(verifier.verify(EVENT, sign(EVENT, SECRET, NOW + 60))).toEqual(accepted(NOW + 60));
    });

    it('should refuse a replay that keeps only the other signature of a rotation header', () => {
      const { verifier } = verifierAt(NOW, { secrets: ['whsec_old', 'whsec_new'] });
      const oldSignature = v1Of(sign(EVENT, 'whsec_old', NOW));
      const newSignature = v1Of(sign(EVENT, 'whsec_new', NOW));
      expect(verifier.verify(EVENT, `t=${NOW},v1=${oldSignature},v1=${newSignature}`)).toEqual(accepted(NOW));
      expect(verifier.verify(EVENT, `t=${NOW},v1=${newSignature}`)).toEqual(refused('replayed'));
    });

    it('should remember only what it accepted', () => {
      const { verifier } = verifierAt();
      verifier.verify(EVENT, sign(EVENT, 'whsec_forger', NOW));
      verifier.verify(EVENT, sign(EVENT, SECRET, NOW - 3600));
      verifier.verify(EVENT, 't=oops');
      expect(verifier.remembered).toBe(0);
      verifier.verify(EVENT, sign(EVENT, SECRET, NOW));
      expect(verifier.remembered).toBe(1);
    });

    it('should forget accepted webhooks once their timestamps leave the window: its memory is bounded', () => {
      const { verifier, clock } = verifierAt();
      const headers = Array.from({ length: 50 }, (_, i) => sign(`${EVENT}#${i}`, SECRET, NOW));
      headers.forEach((header, i) => expect(verifier.verify(`${EVENT}#${i}`, header)).toEqual(accepted(NOW)));
      expect(verifier.remembered).toBe(50);
      clock.advance(301_000);
      expect(verifier.verify(EVENT, sign(EVENT, SECRET, NOW + 301))).toEqual(accepted(NOW + 301));
      expect(verifier.remembered).toBe(1);
      // Forgotten, and still refused: a replay of an old webhook is now expired.
      expect(verifier.verify(`${EVENT}#0`, headers[0]!)).toEqual(refused('expired'));
    });

    it('should remember a future-dated webhook until its own timestamp leaves the window', () => {
      const { verifier, clock } = verifierAt();
      const header = sign(EVENT, SECRET, NOW + 200);
      expect(verifier.verify(EVENT, header)).toEqual(accepted(NOW + 200));
      clock.advance(400_000);
      // Another webhook runs the cleanup; the first is 200 s old now, well inside the window.
      expect(verifier.verify('{}', sign('{}', SECRET, NOW + 400))).toEqual(accepted(NOW + 400));
      expect(verifier.verify(EVENT, header)).toEqual(refused('replayed'));
    });
  });

  describe('bad input', () => {
    it.each([
      { header: '' },
      { header: ',,,' },
      { header: '=' },
      { header: 't' },
      { header: 't=99999999999999999999,v1=ab' },
      { header: `t=${NOW},v1` },
      { header: 'v1=a,v1=b' },
      { header: '\u0000t=1,v1=2' },
      { header: 'x'.repeat(10_000) },
    ])('should refuse the header $header as malformed, without throwing', ({ header }) => {
      const { verifier } = verifierAt();
      expect(verifier.verify(EVENT, header)).toEqual(refused('malformed'));
    });

    it('should throw a TypeError for a payload that is not a string', () => {
      const { verifier } = verifierAt();
      expect(() => verifier.verify({ id: 1 } as unknown as string, sign(EVENT, SECRET, NOW))).toThrow(TypeError);
    });

    it.each([
      { name: 'no secrets', options: { secrets: [] }, error: RangeError },
      { name: 'an empty secret', options: { secrets: ['whsec_a', ''] }, error: RangeError },
      { name: 'secrets as a string', options: { secrets: 'whsec_a' }, error: TypeError },
      { name: 'a tolerance of 0', options: { toleranceSeconds: 0 }, error: RangeError },
      { name: 'a negative tolerance', options: { toleranceSeconds: -300 }, error: RangeError },
      { name: 'an infinite tolerance', options: { toleranceSeconds: Number.POSITIVE_INFINITY }, error: RangeError },
      { name: 'no clock', options: { clock: undefined }, error: TypeError },
    ])('should reject $name', ({ options, error }) => {
      const valid = { secrets: [SECRET], clock: new ManualClock() };
      expect(() => new WebhookVerifier({ ...valid, ...options } as unknown as WebhookVerifierOptions)).toThrow(error);
    });
  });
});

describe('createWebhookMiddleware', () => {
  /** A webhook receiver behind the middleware: `received` lists the bodies that reached it. */
  function receiver(header?: string) {
    const { verifier, clock } = verifierAt();
    const received: string[] = [];
    const handler: Handler = async (req) => {
      received.push(await req.text());
      return json(200, { received: true });
    };
    const middleware = createWebhookMiddleware({ verifier, ...(header === undefined ? {} : { header }) });
    return { clock, received, send: (req: Request) => middleware(req, handler) };
  }
  const delivery = (body: string, headers: Record<string, string>) =>
    new Request('http://localhost/webhooks/trips', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  const expectRefusal = (res: Response, status: number, reason: VerifyFailure) => expectProblem(res, status, { reason });

  it('should pass a signed webhook to the handler, body intact', async () => {
    const { send, received } = receiver();
    const res = await send(delivery(EVENT, { 'webhook-signature': sign(EVENT, SECRET, NOW) }));
    expect(res.status).toBe(200);
    expect(received).toEqual([EVENT]);
  });

  it('should answer 400 to a missing or malformed header, and not call the handler', async () => {
    const { send, received } = receiver();
    await expectRefusal(await send(delivery(EVENT, {})), 400, 'malformed');
    await expectRefusal(await send(delivery(EVENT, { 'webhook-signature': 'v1=abc' })), 400, 'malformed');
    expect(received).toEqual([]);
  });

  it('should answer 401 with WWW-Authenticate to a mismatch, an expired webhook and a replay', async () => {
    const { send, received } = receiver();
    const header = sign(EVENT, SECRET, NOW);
    const mismatch = await send(delivery(`${EVENT} `, { 'webhook-signature': header }));
    expect(mismatch.headers.get('www-authenticate')).toBe('Signature');
    await expectRefusal(mismatch, 401, 'mismatch');
    await expectRefusal(await send(delivery(EVENT, { 'webhook-signature': sign(EVENT, SECRET, NOW - 3600) })), 401, 'expired');
    expect((await send(delivery(EVENT, { 'webhook-signature': header }))).status).toBe(200);
    await expectRefusal(await send(delivery(EVENT, { 'webhook-signature': header })), 401, 'replayed');
    expect(received).toEqual([EVENT]);
  });

  it('should read the signature from the header it is given', async () => {
    const { send } = receiver('stripe-signature');
    expect((await send(delivery(EVENT, { 'stripe-signature': sign(EVENT, SECRET, NOW) }))).status).toBe(200);
    expect((await send(delivery(EVENT, { 'webhook-signature': sign(EVENT, SECRET, NOW + 1) }))).status).toBe(400);
  });

  it('should reject a missing verifier or an empty header name with a TypeError', () => {
    expect(() => createWebhookMiddleware({} as Parameters<typeof createWebhookMiddleware>[0])).toThrow(TypeError);
    expect(() => createWebhookMiddleware({ verifier: verifierAt().verifier, header: '' })).toThrow(TypeError);
  });
});

describe('properties', () => {
  const secret = fc.string({ minLength: 1, maxLength: 40 });
  const payload = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.json({ maxDepth: 2 }));

  it('should accept what it signed, for any payload and secret, anywhere within the tolerance', () => {
    fc.assert(
      fc.property(payload, secret, fc.integer({ min: -300, max: 300 }), (p, s, offset) => {
        const verifier = new WebhookVerifier({ secrets: [s], clock: new ManualClock(NOW * 1000) });
        expect(verifier.verify(p, sign(p, s, NOW + offset))).toEqual(accepted(NOW + offset));
      }),
      { numRuns: 100 },
    );
  });

  it('should refuse any other payload under the same signature', () => {
    fc.assert(
      fc.property(payload, payload, (signed, sent) => {
        fc.pre(signed !== sent);
        const { verifier } = verifierAt();
        expect(verifier.verify(sent, sign(signed, SECRET, NOW))).toEqual(refused('mismatch'));
      }),
      { numRuns: 100 },
    );
  });

  it('should never throw, nor accept, a header it did not sign', () => {
    const piece = fc.oneof(
      fc.constantFrom('t', 'v1', 'v0', '=', ',', ' ', `${NOW}`, '-1', '1e3', 'T', 'V1', ''),
      fc.stringMatching(/^[0-9a-f]{0,70}$/),
      fc.string({ maxLength: 10 }),
    );
    const header = fc.oneof(fc.string({ maxLength: 100 }), fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')));
    fc.assert(
      fc.property(header, (h) => {
        const { verifier } = verifierAt();
        const result = verifier.verify(EVENT, h);
        expect(result.ok).toBe(false);
        expect(['malformed', 'mismatch']).toContain((result as { reason: string }).reason);
      }),
      { numRuns: 150 },
    );
  });

  it('should answer any request below 500, with a problem on every 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRequestShape(['/webhooks']), fc.option(fc.constantFrom(sign(EVENT, SECRET, NOW), `t=${NOW},v1=`, 't=x')), async (shape, signature) => {
        const { verifier } = verifierAt();
        const middleware = createWebhookMiddleware({ verifier });
        const headers = signature === null ? shape.headers : { ...shape.headers, 'webhook-signature': signature };
        const res = await middleware(toRequest({ ...shape, headers }), async () => json(200, { received: true }));
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          expect(await res.json()).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) });
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('against a model', () => {
  // The model: the webhooks accepted so far, by "t.payload", with when they arrived; and the
  // clock. A webhook is expired outside the window, a replay if accepted before, else accepted.
  const TOLERANCE = 300;
  interface Model {
    now: number;
    deliveries: { payload: string; header: string }[];
    accepted: Map<string, { t: number; arrival: number }>;
  }
  interface Real {
    clock: ManualClock;
    verifier: WebhookVerifier;
  }

  function check(model: Model, real: Real, payload: string, header: string): void {
    const t = Number(/t=(\d+)/.exec(header)![1]);
    const id = `${t}.${payload}`;
    const result = real.verifier.verify(payload, header);
    if (Math.abs(model.now - t) > TOLERANCE) {
      expect(result).toEqual(refused('expired'));
    } else if (model.accepted.has(id)) {
      expect(result).toEqual(refused('replayed'));
    } else {
      expect(result).toEqual(accepted(t));
      model.accepted.set(id, { t, arrival: model.now });
    }
    const entries = [...model.accepted.values()];
    // Never forgets a webhook still inside the window; never keeps one that arrived two windows ago.
    expect(real.verifier.remembered).toBeGreaterThanOrEqual(entries.filter(({ t }) => t + TOLERANCE >= model.now).length);
    if (result.ok || result.reason === 'replayed') {
      expect(real.verifier.remembered).toBeLessThanOrEqual(entries.filter(({ arrival }) => arrival >= model.now - 2 * TOLERANCE).length);
    }
  }

  class DeliverCommand implements fc.Command<Model, Real> {
    constructor(
      readonly payload: string,
      readonly offset: number,
    ) {}
    check = () => true;
    run(model: Model, real: Real): void {
      const header = sign(this.payload, SECRET, model.now + this.offset);
      model.deliveries.push({ payload: this.payload, header });
      check(model, real, this.payload, header);
    }
    toString = () => `deliver(${this.payload}, ${this.offset >= 0 ? '+' : ''}${this.offset})`;
  }

  class ReplayCommand implements fc.Command<Model, Real> {
    constructor(readonly index: number) {}
    check = (model: Readonly<Model>) => model.deliveries.length > 0;
    run(model: Model, real: Real): void {
      const { payload, header } = model.deliveries[this.index % model.deliveries.length]!;
      check(model, real, payload, header);
    }
    toString = () => `replay(#${this.index})`;
  }

  class AdvanceCommand implements fc.Command<Model, Real> {
    constructor(readonly seconds: number) {}
    check = () => true;
    run(model: Model, real: Real): void {
      real.clock.advance(this.seconds * 1000);
      model.now += this.seconds;
    }
    toString = () => `advance(${this.seconds} s)`;
  }

  it('should accept, expire and refuse replays like a set of recent messages, under any sequence of deliveries', () => {
    const commands = fc.commands(
      [
        fc.tuple(fc.constantFrom('{"id":"evt_1"}', '{"id":"evt_2"}', '{"id":"evt_3"}'), fc.constantFrom(-400, -300, -100, 0, 0, 100, 300, 400)).map(
          ([payload, offset]) => new DeliverCommand(payload, offset),
        ),
        fc.nat(20).map((index) => new ReplayCommand(index)),
        fc.constantFrom(1, 100, 250, 301, 600).map((seconds) => new AdvanceCommand(seconds)),
      ],
      { maxCommands: 30 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        const clock = new ManualClock(NOW * 1000);
        const verifier = new WebhookVerifier({ secrets: [SECRET], clock, toleranceSeconds: TOLERANCE });
        fc.modelRun(() => ({ model: { now: NOW, deliveries: [], accepted: new Map() }, real: { clock, verifier } }), cmds);
      }),
      { numRuns: 60 },
    );
  });
});
