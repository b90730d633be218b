/**
 * Webhook signatures, Stripe style: the sender puts `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.payload">` in a header; the receiver recomputes the HMAC with each of its secrets, compares
 * in constant time, accepts only timestamps within a tolerance of its clock, and remembers the
 * messages it accepted until their timestamps leave that window, so that a captured request
 * cannot be replayed.
 *
 * Complexity: sign and verify are O(p) for a payload of p bytes, times the number of secrets and
 * signatures in the header (one or two each in practice). The replay memory holds one entry per
 * message accepted within the last two tolerance windows, and evicting costs O(1) amortised.
 * Trade-off: signing the timestamp bounds replay memory by time instead of keeping every
 * signature forever, at the price of a clock dependency: a receiver whose clock is off by more
 * than the tolerance rejects everything.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { problem, type Middleware } from '#http';

/** Why a webhook was refused. */
export type VerifyFailure = 'malformed' | 'mismatch' | 'expired' | 'replayed';

/** The outcome of a verification: the signed timestamp, or why it failed. */
export type VerifyResult = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: VerifyFailure };

/** A signature header, parsed. */
export interface SignatureHeader {
  /** The signed timestamp, in unix seconds. */
  readonly timestamp: number;
  /** Every `v1` value, in order (unchecked: any string). */
  readonly signatures: readonly string[];
}

export interface WebhookVerifierOptions {
  /** The endpoint's secrets; any of them verifies (several during a rotation). */
  readonly secrets: readonly string[];
  /** The time in milliseconds, e.g. `Date` or a `ManualClock`. */
  readonly clock: { now(): number };
  /** How far a timestamp may be from the clock, either way, in seconds; default 300. */
  readonly toleranceSeconds?: number;
}

export interface WebhookMiddlewareOptions {
  readonly verifier: WebhookVerifier;
  /** The request header carrying the signature; default `webhook-signature`. */
  readonly header?: string;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const UNIX_SECONDS = /^\d{1,15}$/;

/**
 * The signature header for `payload`: `t=<timestamp>,v1=<hex HMAC-SHA256 of "timestamp.payload">`,
 * the HMAC keyed with `secret` over the UTF-8 bytes.
 * @throws {TypeError} when `payload` or `secret` is not a string.
 * @throws {RangeError} when `secret` is empty or `timestamp` is not a non-negative safe integer (unix seconds).
 */
export function sign(payload: string, secret: string, timestamp: number): string {
  if (typeof payload !== 'string') throw new TypeError(`payload must be a string, got ${typeof payload}`);
  checkSecret(secret, 'secret');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be a non-negative integer of unix seconds, got ${timestamp}`);
  }
  return `t=${timestamp},v1=${hmac(secret, timestamp, payload).toString('hex')}`;
}

/**
 * Parses `t=<unix seconds>,v1=<signature>[,v1=…]`. Items are separated by commas; whitespace
 * around items, names and values is ignored, and so are items with any other name (`v0`, `v2`)
 * or without `=`. `undefined` (malformed) unless there is exactly one `t`, made of digits, and
 * at least one `v1`.
 */
export function parseSignatureHeader(header: string): SignatureHeader | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const equals = item.indexOf('=');
    if (equals === -1) continue;
    const name = item.slice(0, equals).trim();
    const value = item.slice(equals + 1).trim();
    if (name === 't') {
      // Two timestamps would leave it open which one was signed.
      if (timestamp !== undefined || !UNIX_SECONDS.test(value)) return undefined;
      timestamp = Number(value);
    } else if (name === 'v1') {
      signatures.push(value);
    }
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/**
 * Verifies webhooks signed by `sign` with one of its secrets, and refuses replays.
 * Not safe to share between processes: each instance remembers only what it accepted itself.
 */
export class WebhookVerifier {
  readonly #secrets: readonly string[];
  readonly #clock: { now(): number };
  readonly #tolerance: number;
  /** Accepted messages (digest of "t.payload") → when their timestamp leaves the window, in seconds; in insertion order. */
  readonly #seen = new Map<string, number>();

  /**
   * @throws {TypeError} when `secrets` is not an array of strings or `clock` has no `now`.
   * @throws {RangeError} when `secrets` is empty or holds an empty string, or `toleranceSeconds` is not positive and finite.
   */
  constructor({ secrets, clock, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS }: WebhookVerifierOptions) {
    if (!Array.isArray(secrets)) throw new TypeError(`secrets must be an array of strings, got ${typeof secrets}`);
    if (secrets.length === 0) throw new RangeError('secrets must hold at least one secret');
    secrets.forEach((secret, i) => checkSecret(secret, `secrets[${i}]`));
    if (typeof clock?.now !== 'function') throw new TypeError('clock must have a now() method');
    if (!(Number.isFinite(toleranceSeconds) && toleranceSeconds > 0)) {
      throw new RangeError(`toleranceSeconds must be a positive finite number, got ${toleranceSeconds}`);
    }
    this.#secrets = [...secrets];
    this.#clock = clock;
    this.#tolerance = toleranceSeconds;
  }

  /** How many accepted messages are remembered to refuse their replays. */
  get remembered(): number {
    return this.#seen.size;
  }

  /**
   * Checks, in this order: the header parses (`malformed`; a missing header too), a `v1`
   * matches the HMAC of "t.payload" under one of the secrets (`mismatch`), the timestamp is
   * within `toleranceSeconds` of the clock, past or future (`expired`), and this timestamp and
   * payload were not accepted before (`replayed`). Only an accepted message is remembered.
   * Never throws for any header.
   * @throws {TypeError} when `payload` is not a string.
   */
  verify(payload: string, header: string | null): VerifyResult {
    if (typeof payload !== 'string') throw new TypeError(`payload must be a string, got ${typeof payload}`);
    const parsed = typeof header === 'string' ? parseSignatureHeader(header) : undefined;
    if (parsed === undefined) return { ok: false, reason: 'malformed' };
    const { timestamp, signatures } = parsed;

    // Decode the candidates once; a value that is not 32 bytes of hex can match nothing.
    const candidates = signatures.filter((s) => HEX_SHA256.test(s)).map((s) => Buffer.from(s, 'hex'));
    const expected = this.#secrets.map((secret) => hmac(secret, timestamp, payload));
    // timingSafeEqual takes time independent of the contents, but throws on different lengths:
    // every buffer here is 32 bytes, so the length check above is what makes the call safe.
    const matches = expected.some((mac) => candidates.some((candidate) => timingSafeEqual(mac, candidate)));
    if (!matches) return { ok: false, reason: 'mismatch' };

    const now = this.#clock.now() / 1000;
    if (Math.abs(now - timestamp) > this.#tolerance) return { ok: false, reason: 'expired' };

    this.#forgetExpired(now);
    // Keyed by the signed message, not by the matching signature: during a rotation the header
    // carries one signature per secret, and replaying it with only the other one must still fail.
    const id = createHash('sha256').update(`${timestamp}.`).update(payload).digest('base64');
    if (this.#seen.has(id)) return { ok: false, reason: 'replayed' };
    // Forgotten once the timestamp itself leaves the window: from then on a replay is `expired`.
    this.#seen.set(id, timestamp + this.#tolerance);
    return { ok: true, timestamp };
  }

  // Entries go in roughly in timestamp order, so the expired ones gather at the front. Stopping
  // at the first live entry may keep a few expired ones a little longer, never a live one less:
  // everything accepted before time T is gone by T + 2 × tolerance.
  #forgetExpired(now: number): void {
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt >= now) break;
      this.#seen.delete(id);
    }
  }
}

/**
 * A middleware that lets through only requests whose body verifies against the signature
 * header: a malformed or missing header is a 400 problem; a mismatch, an expired timestamp or
 * a replay is a 401 problem with `WWW-Authenticate: Signature` and the failure as `reason`.
 * `next` can still read the body.
 * @throws {TypeError} when `verifier` has no `verify` method or `header` is not a non-empty string.
 */
export function createWebhookMiddleware({ verifier, header = 'webhook-signature' }: WebhookMiddlewareOptions): Middleware {
  if (typeof verifier?.verify !== 'function') throw new TypeError('verifier must be a WebhookVerifier');
  if (typeof header !== 'string' || header === '') throw new TypeError(`header must be a non-empty string, got ${String(header)}`);
  return async (req, next) => {
    // The raw body, before any parsing: the signature covers these exact bytes.
    const payload = await req.clone().text();
    const result = verifier.verify(payload, req.headers.get(header));
    if (result.ok) return next(req);
    if (result.reason === 'malformed') {
      return problem(400, { detail: `The ${header} header is missing or malformed.`, extensions: { reason: result.reason } });
    }
    return problem(401, {
      detail: `The webhook signature was refused: ${result.reason}.`,
      extensions: { reason: result.reason },
      headers: { 'www-authenticate': 'Signature' },
    });
  };
}

function hmac(secret: string, timestamp: number, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest();
}

function checkSecret(secret: unknown, name: string): void {
  if (typeof secret !== 'string') throw new TypeError(`${name} must be a string, got ${typeof secret}`);
  if (secret === '') throw new RangeError(`${name} must not be empty`);
}
