/**
 * JSON Web Tokens (RFC 7519) signed with HS256 (RFC 7515, RFC 7518), and a bearer-token
 * middleware (RFC 6750) that answers 401 or 403 as problems.
 *
 * A token is `base64url(header).base64url(payload).base64url(signature)`, where the signature
 * is HMAC-SHA256(secret, "<header>.<payload>") over the two segments exactly as sent. verify
 * decides the algorithm itself (the header may only agree with it), compares the signature in
 * constant time, and only then looks at the claims: exp and nbf with leeway, iss, aud.
 * Complexity: sign and verify are O(n) in the size of the token; the middleware adds O(r) for a
 * role check against r required roles.
 * Trade-off: one shared secret is simple and fast, but every service that can verify a token
 * can also mint one; with many verifiers, an asymmetric algorithm (RS256, EdDSA) keeps the
 * power to mint in one place.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { problem, type Middleware } from '#http';

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

/** A token that does not verify; `code` says why. Its message never repeats the token. */
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

const HEADER = encode(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
const SEGMENT = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Signs `claims` with HS256. The header is `{"alg":"HS256","typ":"JWT"}`. When `now` or a
 * relative time option is given, `iat` is the signing time in whole seconds; options override
 * the claims of the same name.
 * @throws {TypeError} when `claims` is not a plain object or does not serialise to JSON.
 * @throws {RangeError} for an empty secret or a time option that is not a finite number.
 */
export function sign(claims: Claims, secret: string | Uint8Array, options: SignOptions = {}): string {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError(`claims must be a JSON object, got ${claims === null ? 'null' : Array.isArray(claims) ? 'an array' : typeof claims}`);
  }
  const key = toKey(secret);
  const { expiresInSeconds, notBeforeSeconds, issuer, audience, now } = options;
  for (const [name, value] of [['expiresInSeconds', expiresInSeconds], ['notBeforeSeconds', notBeforeSeconds]] as const) {
    if (value !== undefined && !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
  }
  const payload: Claims = { ...claims };
  if (now !== undefined || expiresInSeconds !== undefined || notBeforeSeconds !== undefined) {
    const iat = Math.floor(readNow(now ?? Date.now) / 1000);
    payload['iat'] = iat;
    if (expiresInSeconds !== undefined) payload['exp'] = iat + expiresInSeconds;
    if (notBeforeSeconds !== undefined) payload['nbf'] = iat + notBeforeSeconds;
  }
  if (issuer !== undefined) payload['iss'] = issuer;
  if (audience !== undefined) payload['aud'] = typeof audience === 'string' ? audience : [...audience];
  const signingInput = `${HEADER}.${encode(Buffer.from(JSON.stringify(payload), 'utf8'))}`;
  return `${signingInput}.${encode(createHmac('sha256', key).update(signingInput).digest())}`;
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
export function verify(token: string, secret: string | Uint8Array, options: VerifyOptions): Claims {
  const key = toKey(secret);
  const { now, leewaySeconds = 0, issuer, audience, algorithms = ['HS256'] } = options;
  checkLeeway(leewaySeconds);
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((alg) => alg !== 'HS256')) {
    throw new RangeError(`algorithms must be a non-empty list of supported algorithms (HS256), got ${JSON.stringify(algorithms)}`);
  }
  const nowMs = readNow(now);

  const segments = typeof token === 'string' ? token.split('.') : [];
  if (segments.length !== 3) throw new TokenError('malformed', 'a token has three segments separated by dots');
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  const header = decodeObject(headerSegment, 'header');
  const claims = decodeObject(payloadSegment, 'payload');
  const signature = decode(signatureSegment);
  if (signature === undefined) throw new TokenError('malformed', 'the signature is not base64url');

  // The server picks the algorithm; the header may only agree. Honouring the header's choice
  // is how `alg: none` and algorithm-confusion attacks get in.
  const algorithm = header['alg'];
  if (typeof algorithm !== 'string' || !algorithms.includes(algorithm as Algorithm)) {
    throw new TokenError('algorithm', 'the token is not signed with an accepted algorithm');
  }
  // The HMAC is computed over the segments as received, not over re-serialised JSON.
  const expected = createHmac('sha256', key).update(`${headerSegment}.${payloadSegment}`).digest();
  // timingSafeEqual throws on different lengths; the length of an HMAC is no secret.
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new TokenError('signature', 'the signature does not match');
  }

  const exp = numericDate(claims, 'exp');
  const nbf = numericDate(claims, 'nbf');
  numericDate(claims, 'iat');
  if (exp !== undefined && nowMs >= (exp + leewaySeconds) * 1000) throw new TokenError('expired', 'the token has expired');
  if (nbf !== undefined && nowMs < (nbf - leewaySeconds) * 1000) throw new TokenError('not-before', 'the token is not valid yet');
  if (issuer !== undefined && claims['iss'] !== issuer) throw new TokenError('issuer', 'the token comes from another issuer');
  if (audience !== undefined) {
    const aud = claims['aud'];
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(audience)) throw new TokenError('audience', 'the token is meant for another audience');
  }
  return claims;
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

const verifiedClaims = new WeakMap<Request, Claims>();

/** The claims `requireAuth` verified for this very request object; `undefined` if it did not. */
export function claimsOf(req: Request): Claims | undefined {
  return verifiedClaims.get(req);
}

const INVALID_TOKEN: Readonly<Record<TokenErrorCode, string>> = {
  malformed: 'The token is malformed.',
  algorithm: 'The token is not signed with an accepted algorithm.',
  signature: 'The token signature is invalid.',
  expired: 'The token has expired.',
  'not-before': 'The token is not valid yet.',
  issuer: 'The token comes from another issuer.',
  audience: 'The token is meant for another audience.',
};

/**
 * A middleware that lets a request through only with a valid `Authorization: Bearer <token>`:
 * 401 with `WWW-Authenticate: Bearer` when there is no bearer token, 401 with
 * `error="invalid_token"` when the token does not verify, 403 with
 * `error="insufficient_scope"` when it lacks every required role. The handler reads the
 * verified claims with `claimsOf(req)`.
 * @throws {RangeError} or {TypeError} for bad options, at once.
 */
export function requireAuth({ secret, clock, roles = [], issuer, audience, leewaySeconds = 0 }: AuthOptions): Middleware {
  toKey(secret);
  if (!isNow(clock)) throw new TypeError('clock must be a Clock or a function returning milliseconds');
  checkLeeway(leewaySeconds);
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string' || role === '')) {
    throw new TypeError(`roles must be an array of non-empty strings, got ${JSON.stringify(roles)}`);
  }
  const options: VerifyOptions = {
    now: clock,
    leewaySeconds,
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
  };

  return async (req, next) => {
    const token = bearerToken(req.headers.get('authorization'));
    if (token === undefined) {
      return problem(401, { detail: 'This resource needs a bearer token.', headers: { 'www-authenticate': 'Bearer' } });
    }
    let claims: Claims;
    try {
      claims = verify(token, secret, options);
    } catch (err: unknown) {
      if (!(err instanceof TokenError)) throw err;
      // Fixed texts only: echoing the token into a header could inject CR LF.
      const description = INVALID_TOKEN[err.code];
      return problem(401, {
        detail: description,
        headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
      });
    }
    if (roles.length > 0) {
      const granted = claims['roles'];
      if (!Array.isArray(granted) || !roles.some((role) => granted.includes(role))) {
        return problem(403, {
          detail: `This resource needs one of the roles: ${roles.join(', ')}.`,
          headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' },
        });
      }
    }
    verifiedClaims.set(req, claims);
    return next(req);
  };
}

/** The credentials of `Authorization: Bearer <credentials>` (the scheme is case-insensitive). */
function bearerToken(authorization: string | null): string | undefined {
  const credentials = /^bearer[ \t]+(.*)$/i.exec(authorization ?? '')?.[1]?.trim();
  return credentials === '' ? undefined : credentials;
}

function checkLeeway(leewaySeconds: number): void {
  if (!Number.isFinite(leewaySeconds) || leewaySeconds < 0) {
    throw new RangeError(`leewaySeconds must be a finite number >= 0, got ${leewaySeconds}`);
  }
}

function toKey(secret: string | Uint8Array): Uint8Array {
  if (typeof secret === 'string') {
    if (secret === '') throw new RangeError('secret must not be empty');
    return Buffer.from(secret, 'utf8');
  }
  if (!(secret instanceof Uint8Array)) throw new TypeError(`secret must be a string or a Uint8Array, got ${typeof secret}`);
  if (secret.length === 0) throw new RangeError('secret must not be empty');
  return secret;
}

function isNow(now: unknown): now is Now {
  return typeof now === 'function' || (typeof now === 'object' && now !== null && typeof (now as Clock).now === 'function');
}

function readNow(now: Now): number {
  if (!isNow(now)) throw new TypeError('now must be a Clock or a function returning milliseconds');
  const ms = typeof now === 'function' ? now() : now.now();
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError(`now must give a finite time in milliseconds, got ${ms}`);
  return ms;
}

function encode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** base64url without padding, in its one canonical spelling; `undefined` otherwise. */
function decode(segment: string): Buffer | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  // Unused low bits in the last character give a second spelling of the same bytes, and so a
  // second valid token: accept only the spelling that encoding produces.
  return encode(bytes) === segment ? bytes : undefined;
}

function decodeObject(segment: string, what: 'header' | 'payload'): Claims {
  const bytes = decode(segment);
  if (bytes === undefined) throw new TokenError('malformed', `the ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new TokenError('malformed', `the ${what} is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenError('malformed', `the ${what} is not a JSON object`);
  return value as Claims;
}

/** A NumericDate claim (seconds since the epoch), if present. */
function numericDate(claims: Claims, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  // JSON.parse turns 1e999 into Infinity.
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TokenError('malformed', `${name} must be a number of seconds`);
  return value;
}
