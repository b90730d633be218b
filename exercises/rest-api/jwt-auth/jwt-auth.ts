/**
 * JSON Web Tokens signed with HS256, from scratch with node:crypto, and a bearer-token
 * middleware that answers 401 or 403.
 *
 * Read README.md for the idea, `npm run kata -- hint jwt-auth` when you are stuck.
 */
import type { Middleware } from '#http';

/** The payload of a token: a JSON object. */
export type Claims = Record<string, unknown>;

/** The algorithms this module implements. */
export type Algorithm = 'HS256';

/** A source of time in milliseconds. */
export interface Clock {
  now(): number;
}

/** The current time in milliseconds: a `Clock`, or a function such as `Date.now`. */
export type Now = Clock | (() => number);

/** Why a token was refused. */
export type TokenErrorCode = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not-before' | 'issuer' | 'audience';

/** A token that does not verify; `code` says why. Its message never repeats the token. (Given complete.) */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface SignOptions {
  /** Adds `exp` = `iat` + this many seconds. */
  readonly expiresInSeconds?: number;
  /** Adds `nbf` = `iat` + this many seconds. */
  readonly notBeforeSeconds?: number;
  /** Sets `iss`. */
  readonly issuer?: string;
  /** Sets `aud`: one audience, or several. */
  readonly audience?: string | readonly string[];
  /** The time of signing, for `iat`, `exp` and `nbf`; default `Date.now`. */
  readonly now?: Now;
}

export interface VerifyOptions {
  /** The current time; required, so that tests and servers decide what "now" is. */
  readonly now: Now;
  /** Seconds of clock skew tolerated on `exp` and `nbf`; default 0. */
  readonly leewaySeconds?: number;
  /** When set, `iss` must equal it. */
  readonly issuer?: string;
  /** When set, `aud` (a string or an array of strings) must be or contain it. */
  readonly audience?: string;
  /** The algorithms accepted, whatever the header says; default `['HS256']`. */
  readonly algorithms?: readonly Algorithm[];
}

/**
 * Signs `claims` with HS256. The header is `{"alg":"HS256","typ":"JWT"}`. When `now` or a
 * relative time option is given, `iat` is the signing time in whole seconds; options override
 * the claims of the same name.
 * @throws {TypeError} when `claims` is not a plain object or does not serialise to JSON.
 * @throws {RangeError} for an empty secret or a time option that is not a finite number.
 */
export function sign(_claims: Claims, _secret: string | Uint8Array, _options: SignOptions = {}): string {
  throw new Error('TODO: implement sign');
}

/**
 * Verifies an HS256 token and returns its claims. The checks run in this order, and the first
 * that fails decides the code: the form of the token (`malformed`), its algorithm against
 * `algorithms` (`algorithm`), the signature (`signature`), the types of exp, nbf and iat
 * (`malformed`), then `expired` (now >= exp + leeway), `not-before` (now < nbf - leeway),
 * `issuer` and `audience`.
 * @throws {TokenError} for any token that does not verify, whatever the input string.
 * @throws {RangeError} or {TypeError} for bad options or an empty secret.
 */
export function verify(_token: string, _secret: string | Uint8Array, _options: VerifyOptions): Claims {
  throw new Error('TODO: implement verify');
}

export interface AuthOptions {
  /** The HS256 secret shared with whoever issues the tokens. */
  readonly secret: string | Uint8Array;
  /** The current time, for exp and nbf. */
  readonly clock: Now;
  /** When non-empty, the token's `roles` claim must hold at least one of these. */
  readonly roles?: readonly string[];
  /** Passed to verify. */
  readonly issuer?: string;
  /** Passed to verify. */
  readonly audience?: string;
  /** Passed to verify; default 0. */
  readonly leewaySeconds?: number;
}

/** The claims `requireAuth` verified for this very request object; `undefined` if it did not. */
export function claimsOf(_req: Request): Claims | undefined {
  throw new Error('TODO: implement claimsOf');
}

/**
 * A middleware that lets a request through only with a valid `Authorization: Bearer <token>`:
 * 401 with `WWW-Authenticate: Bearer` when there is no bearer token, 401 with
 * `error="invalid_token"` when the token does not verify, 403 with
 * `error="insufficient_scope"` when it lacks every required role. The handler reads the
 * verified claims with `claimsOf(req)`.
 * @throws {RangeError} or {TypeError} for bad options, at once.
 */
export function requireAuth(_options: AuthOptions): Middleware {
  throw new Error('TODO: implement requireAuth');
}
