/**
 * Webhook signatures, Stripe style: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`,
 * verified with constant-time comparison, a tolerance window, several secrets during a rotation,
 * and a memory of accepted messages against replays.
 *
 * Read README.md for the idea, `npm run kata -- hint webhook-signatures` when you are stuck.
 */
import type { Middleware } from '#http';

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

/**
 * The signature header for `payload`: `t=<timestamp>,v1=<hex HMAC-SHA256 of "timestamp.payload">`,
 * the HMAC keyed with `secret` over the UTF-8 bytes.
 * @throws {TypeError} when `payload` or `secret` is not a string.
 * @throws {RangeError} when `secret` is empty or `timestamp` is not a non-negative safe integer (unix seconds).
 */
export function sign(_payload: string, _secret: string, _timestamp: number): string {
  throw new Error('TODO: implement sign');
}

/**
 * Parses `t=<unix seconds>,v1=<signature>[,v1=…]`. Items are separated by commas; whitespace
 * around items, names and values is ignored, and so are items with any other name (`v0`, `v2`)
 * or without `=`. `undefined` (malformed) unless there is exactly one `t`, made of digits, and
 * at least one `v1`.
 */
export function parseSignatureHeader(_header: string): SignatureHeader | undefined {
  throw new Error('TODO: implement parseSignatureHeader');
}

/**
 * Verifies webhooks signed by `sign` with one of its secrets, and refuses replays.
 * Not safe to share between processes: each instance remembers only what it accepted itself.
 */
export class WebhookVerifier {
  /**
   * @throws {TypeError} when `secrets` is not an array of strings or `clock` has no `now`.
   * @throws {RangeError} when `secrets` is empty or holds an empty string, or `toleranceSeconds` is not positive and finite.
   */
  constructor(_options: WebhookVerifierOptions) {
    throw new Error('TODO: implement the WebhookVerifier constructor');
  }

  /** How many accepted messages are remembered to refuse their replays. */
  get remembered(): number {
    throw new Error('TODO: implement WebhookVerifier#remembered');
  }

  /**
   * Checks, in this order: the header parses (`malformed`; a missing header too), a `v1`
   * matches the HMAC of "t.payload" under one of the secrets (`mismatch`), the timestamp is
   * within `toleranceSeconds` of the clock, past or future (`expired`), and this timestamp and
   * payload were not accepted before (`replayed`). Only an accepted message is remembered.
   * Never throws for any header.
   * @throws {TypeError} when `payload` is not a string.
   */
  verify(_payload: string, _header: string | null): VerifyResult {
    throw new Error('TODO: implement WebhookVerifier#verify');
  }
}

/**
 * A middleware that lets through only requests whose body verifies against the signature
 * header: a malformed or missing header is a 400 problem; a mismatch, an expired timestamp or
 * a replay is a 401 problem with `WWW-Authenticate: Signature` and the failure as `reason`.
 * `next` can still read the body.
 * @throws {TypeError} when `verifier` has no `verify` method or `header` is not a non-empty string.
 */
export function createWebhookMiddleware(_options: WebhookMiddlewareOptions): Middleware {
  throw new Error('TODO: implement createWebhookMiddleware');
}
