import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, type Handler, type Middleware } from '#http';
import { arbitraryRequestShape, expectProblem, ManualClock, toRequest } from '#testing';
import { claimsOf, requireAuth, sign, TokenError, verify, type Claims, type SignOptions, type TokenErrorCode } from './jwt-auth.ts';

// RFC 7515 Appendix A.1: the key (a JWK "k", base64url) and the token it signs. The header and
// payload hold CR LF and spaces, so only the given string verifies, not a re-serialisation.
const RFC_KEY = Buffer.from('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow', 'base64url');
const RFC_PAYLOAD = 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ';
const RFC_TOKEN = `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${RFC_PAYLOAD}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`;
const RFC_CLAIMS = { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true };
/** RFC 7519 section 6.1: the same claims as an unsecured token, `{"alg":"none"}` and no signature. */
const UNSECURED_TOKEN = `eyJhbGciOiJub25lIn0.${RFC_PAYLOAD}.`;

// The example token of jwt.io, and its (too short for HS256, see the README) secret.
const JWT_IO_SECRET = 'your-256-bit-secret';
const JWT_IO_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const JWT_IO_CLAIMS = { sub: '1234567890', name: 'John Doe', iat: 1516239022 };

const SECRET = 'kata-secret-of-32-bytes-or-more!';
const NOW = 1_700_000_000_000;
const at = (ms: number) => ({ now: () => ms });

const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** A token built by hand: any header and payload (objects, or raw JSON text or bytes), signed with HMAC. */
function forge(header: unknown, payload: unknown, key: string | Uint8Array = SECRET, hash = 'sha256'): string {
  const segment = (part: unknown) => b64url(typeof part === 'string' || part instanceof Uint8Array ? part : JSON.stringify(part));
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${b64url(createHmac(hash, key).update(input).digest())}`;
}

/** The code of the TokenError that `run` throws, or 'accepted' when it throws nothing; other errors propagate. */
function rejectionCode(run: () => unknown): TokenErrorCode | 'accepted' {
  try {
    run();
  } catch (err: unknown) {
    if (err instanceof TokenError) return err.code;
    throw err;
  }
  return 'accepted';
}

const payloadOf = (token: string): unknown => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

describe('sign', () => {
  it('should reproduce the jwt.io example token byte for byte', () => {
    expect(sign(JWT_IO_CLAIMS, JWT_IO_SECRET)).toBe(JWT_IO_TOKEN);
  });

  it('should write base64url without padding: - and _ instead of + and /, no =', () => {
    // In standard base64 this payload is eyJzdWIiOiI+Pj4/In0=
    const token = sign({ sub: '>>>?' }, SECRET);
    expect(token.split('.')[1]).toBe('eyJzdWIiOiI-Pj4_In0');
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('should add iat, exp and nbf from the signing time, and iss and aud', () => {
    const token = sign({ sub: 'ann' }, SECRET, {
      now: () => NOW + 999,
      expiresInSeconds: 3600,
      notBeforeSeconds: 10,
      issuer: 'https://auth.example.com',
      audience: ['trips-api', 'billing'],
    });
    expect(payloadOf(token)).toEqual({
      sub: 'ann',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
      nbf: 1_700_000_010,
      iss: 'https://auth.example.com',
      aud: ['trips-api', 'billing'],
    });
  });

  it('should take the signing time from a Clock too, and let options override claims', () => {
    const token = sign({ sub: 'ann', iat: 1, exp: 2 }, SECRET, { now: new ManualClock(NOW), expiresInSeconds: 60 });
    expect(payloadOf(token)).toEqual({ sub: 'ann', iat: 1_700_000_000, exp: 1_700_000_060 });
  });

  it('should sign with a secret given as bytes', () => {
    const bytes = new TextEncoder().encode(JWT_IO_SECRET);
    expect(sign(JWT_IO_CLAIMS, bytes)).toBe(JWT_IO_TOKEN);
  });
});

describe('verify', () => {
  describe('the reference tokens', () => {
    it('should verify the jwt.io token with its secret', () => {
      expect(verify(JWT_IO_TOKEN, JWT_IO_SECRET, at(NOW))).toEqual(JWT_IO_CLAIMS);
    });

    it('should verify the RFC 7515 A.1 token with its key, before its exp (March 2011)', () => {
      expect(verify(RFC_TOKEN, RFC_KEY, at(1_300_819_379_000))).toEqual(RFC_CLAIMS);
    });

    it('should refuse the RFC 7515 A.1 token from the second of its exp on', () => {
      expect(rejectionCode(() => verify(RFC_TOKEN, RFC_KEY, at(1_300_819_380_000)))).toBe('expired');
    });

    it('should return what sign signed', () => {
      const claims = { sub: 'ann', roles: ['driver'], nested: { ok: true, n: [1, 2.5, null] }, name: 'Zoë 🚗' };
      expect(verify(sign(claims, SECRET), SECRET, at(NOW))).toEqual(claims);
    });

    it('should accept the time as a Clock as well as a function', () => {
      expect(verify(JWT_IO_TOKEN, JWT_IO_SECRET, { now: new ManualClock(NOW) })).toEqual(JWT_IO_CLAIMS);
    });
  });

  describe('signatures', () => {
    it('should refuse a token signed with another secret', () => {
      expect(rejectionCode(() => verify(JWT_IO_TOKEN, SECRET, at(NOW)))).toBe('signature');
    });

    it('should refuse a token whose payload was changed after signing', () => {
      const [header, , signature] = JWT_IO_TOKEN.split('.');
      const tampered = `${header}.${b64url(JSON.stringify({ ...JWT_IO_CLAIMS, admin: true }))}.${signature}`;
      expect(rejectionCode(() => verify(tampered, JWT_IO_SECRET, at(NOW)))).toBe('signature');
    });

    it('should refuse an empty or truncated signature without crashing', () => {
      const [header, payload, signature] = JWT_IO_TOKEN.split('.') as [string, string, string];
      expect(rejectionCode(() => verify(`${header}.${payload}.`, JWT_IO_SECRET, at(NOW)))).toBe('signature');
      expect(rejectionCode(() => verify(`${header}.${payload}.${signature.slice(0, 20)}`, JWT_IO_SECRET, at(NOW)))).toBe('signature');
    });

    it('should verify over the segments as sent, not over re-serialised JSON', () => {
      // The same claims with a space after each colon: other bytes, so another signature.
      const spaced = forge({ alg: 'HS256', typ: 'JWT' }, '{"sub": "ann"}');
      expect(verify(spaced, SECRET, at(NOW))).toEqual({ sub: 'ann' });
      const [, , spacedSignature] = spaced.split('.');
      const [header, payload] = sign({ sub: 'ann' }, SECRET).split('.');
      expect(rejectionCode(() => verify(`${header}.${payload}.${spacedSignature}`, SECRET, at(NOW)))).toBe('signature');
    });
  });

  describe('algorithms', () => {
    it('should refuse the unsecured token of RFC 7519 section 6.1 (alg none)', () => {
      expect(rejectionCode(() => verify(UNSECURED_TOKEN, SECRET, at(1_300_819_379_000)))).toBe('algorithm');
    });

    it.each([
      { name: 'alg none with a signature', token: () => forge({ alg: 'none' }, JWT_IO_CLAIMS) },
      { name: 'alg None', token: () => forge({ alg: 'None', typ: 'JWT' }, JWT_IO_CLAIMS) },
      { name: 'alg NONE, no signature', token: () => `${b64url('{"alg":"NONE"}')}.${b64url(JSON.stringify(JWT_IO_CLAIMS))}.` },
      { name: 'HS512, signed with the right secret', token: () => forge({ alg: 'HS512', typ: 'JWT' }, JWT_IO_CLAIMS, SECRET, 'sha512') },
      { name: 'HS384, signed with the right secret', token: () => forge({ alg: 'HS384' }, JWT_IO_CLAIMS, SECRET, 'sha384') },
      { name: 'RS256 with an HMAC signature (algorithm confusion)', token: () => forge({ alg: 'RS256', typ: 'JWT' }, JWT_IO_CLAIMS) },
      { name: 'no alg at all', token: () => forge({ typ: 'JWT' }, JWT_IO_CLAIMS) },
      { name: 'alg as a list', token: () => forge({ alg: ['HS256'] }, JWT_IO_CLAIMS) },
      { name: 'alg hs256 in lower case', token: () => forge({ alg: 'hs256' }, JWT_IO_CLAIMS) },
    ])('should refuse a token whose header says $name', ({ token }) => {
      expect(rejectionCode(() => verify(token(), SECRET, at(NOW)))).toBe('algorithm');
    });

    it('should accept an explicit algorithms list of HS256', () => {
      expect(verify(JWT_IO_TOKEN, JWT_IO_SECRET, { now: () => NOW, algorithms: ['HS256'] })).toEqual(JWT_IO_CLAIMS);
    });
  });

  describe('malformed tokens', () => {
    const [header, payload, signature] = JWT_IO_TOKEN.split('.') as [string, string, string];
    const hs256 = { alg: 'HS256', typ: 'JWT' };
    const badUtf8 = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff]), Buffer.from('"}')]);

    it.each([
      { name: 'an empty string', token: () => '' },
      { name: 'one segment', token: () => 'eyJhbGciOiJIUzI1NiJ9' },
      { name: 'two segments', token: () => `${header}.${payload}` },
      { name: 'four segments', token: () => `${JWT_IO_TOKEN}.${signature}` },
      { name: 'five segments (the shape of an encrypted JWE)', token: () => `${header}..${payload}.${signature}.${signature}` },
      { name: 'characters outside base64url', token: () => `${header}.${payload}!.${signature}` },
      { name: 'base64 padding', token: () => `${JWT_IO_TOKEN}=` },
      { name: 'a signature in standard base64 (/ for _)', token: () => `${header}.${payload}.${signature.replace('_', '/')}` },
      { name: 'a second spelling of the signature (unused low bits set)', token: () => `${header}.${payload}.${signature.slice(0, -1)}d` },
      { name: 'a header that is not JSON', token: () => forge('{"alg":"HS256"', JWT_IO_CLAIMS) },
      { name: 'a header that is a JSON array', token: () => forge(['HS256'], JWT_IO_CLAIMS) },
      { name: 'a payload that is null', token: () => forge(hs256, 'null') },
      { name: 'a payload that is a number', token: () => forge(hs256, '42') },
      { name: 'a payload that is a string', token: () => forge(hs256, '"ann"') },
      { name: 'a payload that is an array', token: () => forge(hs256, '[{"sub":"ann"}]') },
      { name: 'a payload that is not UTF-8', token: () => forge(hs256, new Uint8Array(badUtf8)) },
      { name: 'exp as a string', token: () => forge(hs256, { exp: '1300819380' }) },
      { name: 'exp as 1e999 (Infinity once parsed)', token: () => forge(hs256, '{"exp":1e999}') },
      { name: 'nbf as a boolean', token: () => forge(hs256, { nbf: true }) },
      { name: 'iat as a date string', token: () => forge(hs256, { iat: '2026-01-01' }) },
    ])('should refuse $name as malformed', ({ token }) => {
      expect(rejectionCode(() => verify(token(), SECRET, at(NOW)))).toBe('malformed');
    });
  });

  describe('time: exp and nbf, with leeway', () => {
    // exp at 1000 s, nbf at 500 s: valid in [500 s, 1000 s), widened by the leeway on both sides.
    const token = () => sign({ sub: 'ann', nbf: 500, exp: 1000 }, SECRET);

    it.each([
      { when: '1 ms before exp', now: 999_999, leeway: 0, expected: 'accepted' },
      { when: 'exactly at exp', now: 1_000_000, leeway: 0, expected: 'expired' },
      { when: '1 ms before exp + a leeway of 30 s', now: 1_029_999, leeway: 30, expected: 'accepted' },
      { when: 'exactly at exp + a leeway of 30 s', now: 1_030_000, leeway: 30, expected: 'expired' },
      { when: '1 ms before nbf', now: 499_999, leeway: 0, expected: 'not-before' },
      { when: 'exactly at nbf', now: 500_000, leeway: 0, expected: 'accepted' },
      { when: '1 ms before nbf - a leeway of 30 s', now: 469_999, leeway: 30, expected: 'not-before' },
      { when: 'exactly at nbf - a leeway of 30 s', now: 470_000, leeway: 30, expected: 'accepted' },
    ])('should answer $expected $when', ({ now, leeway, expected }) => {
      expect(rejectionCode(() => verify(token(), SECRET, { now: () => now, leewaySeconds: leeway }))).toBe(expected);
    });

    it('should expire a token signed with expiresInSeconds exactly that many seconds later', () => {
      const clock = new ManualClock(NOW);
      const shortLived = sign({ sub: 'ann' }, SECRET, { now: clock, expiresInSeconds: 60 });
      expect(rejectionCode(() => verify(shortLived, SECRET, { now: clock.advance(59_999) }))).toBe('accepted');
      expect(rejectionCode(() => verify(shortLived, SECRET, { now: clock.advance(1) }))).toBe('expired');
    });

    it('should check the signature before the time: a forged expired token is a bad signature', () => {
      const forged = forge({ alg: 'HS256' }, { exp: 1 }, 'another-secret');
      expect(rejectionCode(() => verify(forged, SECRET, at(NOW)))).toBe('signature');
    });
  });

  describe('issuer and audience', () => {
    const token = (claims: Claims) => sign(claims, SECRET);

    it.each([
      { name: 'the expected issuer', claims: { iss: 'https://auth.example.com' }, expected: 'accepted' },
      { name: 'another issuer', claims: { iss: 'https://evil.example.com' }, expected: 'issuer' },
      { name: 'no issuer', claims: {}, expected: 'issuer' },
    ])('should answer $expected for $name', ({ claims, expected }) => {
      expect(rejectionCode(() => verify(token(claims), SECRET, { now: () => NOW, issuer: 'https://auth.example.com' }))).toBe(expected);
    });

    it.each([
      { name: 'aud equal to the audience', aud: 'trips-api', expected: 'accepted' },
      { name: 'aud an array holding the audience', aud: ['billing', 'trips-api'], expected: 'accepted' },
      { name: 'aud another string', aud: 'billing', expected: 'audience' },
      { name: 'aud an array without the audience', aud: ['billing', 'trips'], expected: 'audience' },
      { name: 'aud an empty array', aud: [], expected: 'audience' },
      { name: 'no aud', aud: undefined, expected: 'audience' },
    ])('should answer $expected for $name', ({ aud, expected }) => {
      const claims = aud === undefined ? {} : { aud };
      expect(rejectionCode(() => verify(token(claims), SECRET, { now: () => NOW, audience: 'trips-api' }))).toBe(expected);
    });

    it('should not check iss or aud when the verifier does not ask', () => {
      const claims = { iss: 'anyone', aud: ['anything'] };
      expect(verify(token(claims), SECRET, at(NOW))).toEqual(claims);
    });
  });

  describe('bad options', () => {
    it.each([
      { name: 'an empty secret', run: () => verify(JWT_IO_TOKEN, '', at(NOW)) },
      { name: 'an empty byte secret', run: () => verify(JWT_IO_TOKEN, new Uint8Array(0), at(NOW)) },
      { name: 'a negative leeway', run: () => verify(JWT_IO_TOKEN, JWT_IO_SECRET, { now: () => NOW, leewaySeconds: -1 }) },
      { name: 'an empty algorithms list', run: () => verify(JWT_IO_TOKEN, JWT_IO_SECRET, { now: () => NOW, algorithms: [] }) },
      { name: 'algorithms naming none', run: () => verify(JWT_IO_TOKEN, JWT_IO_SECRET, { now: () => NOW, algorithms: ['none' as 'HS256'] }) },
    ])('should throw a RangeError for $name', ({ run }) => {
      expect(run).toThrow(RangeError);
    });

    it('should throw a TypeError when there is no clock', () => {
      expect(() => verify(JWT_IO_TOKEN, JWT_IO_SECRET, {} as { now: () => number })).toThrow(TypeError);
    });

    it('should refuse to sign claims that are not an object, or with bad options', () => {
      expect(() => sign([] as unknown as Claims, SECRET)).toThrow(TypeError);
      expect(() => sign(null as unknown as Claims, SECRET)).toThrow(TypeError);
      expect(() => sign({}, '')).toThrow(RangeError);
      expect(() => sign({}, SECRET, { now: () => NOW, expiresInSeconds: Number.NaN })).toThrow(RangeError);
    });
  });
});

describe('requireAuth', () => {
  const clock = new ManualClock(NOW);
  const tokenFor = (claims: Claims, options: SignOptions = {}) => sign(claims, SECRET, { now: clock, expiresInSeconds: 600, ...options });

  /** Runs `middleware` on a request with `authorization`; counts the calls that reach the handler. */
  async function call(middleware: Middleware, authorization?: string) {
    let handled = 0;
    const handler: Handler = async (req) => {
      handled++;
      return json(200, { claims: claimsOf(req) ?? null });
    };
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    const response = await middleware(new Request('http://localhost/api/trips', { method: 'POST', headers }), handler);
    return { response, handled };
  }

  it('should let a valid bearer token through and give the handler its claims', async () => {
    const token = tokenFor({ sub: 'ann', roles: ['driver'] });
    const { response, handled } = await call(requireAuth({ secret: SECRET, clock }), `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(handled).toBe(1);
    expect(await response.json()).toEqual({ claims: { sub: 'ann', roles: ['driver'], iat: 1_700_000_000, exp: 1_700_000_600 } });
  });

  it('should answer 401 with WWW-Authenticate: Bearer when there is no token', async () => {
    const { response, handled } = await call(requireAuth({ secret: SECRET, clock }));
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(handled).toBe(0);
  });

  it('should answer 401, not 403, when there is no token even if roles are required', async () => {
    const { response } = await call(requireAuth({ secret: SECRET, clock, roles: ['admin'] }));
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    { name: 'another scheme (Basic)', authorization: 'Basic YW5uOnNlY3JldA==' },
    { name: 'the scheme alone', authorization: 'Bearer' },
    { name: 'the scheme glued to the token', authorization: `Bearer${JWT_IO_TOKEN}` },
  ])('should treat $name as no bearer token: 401 without an error code', async ({ authorization }) => {
    const { response, handled } = await call(requireAuth({ secret: SECRET, clock }), authorization);
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(handled).toBe(0);
  });

  it('should read the scheme case-insensitively', async () => {
    const { response } = await call(requireAuth({ secret: SECRET, clock }), `bearer ${tokenFor({ sub: 'ann' })}`);
    expect(response.status).toBe(200);
  });

  it.each([
    { name: 'a token signed with another secret', token: () => sign({ sub: 'ann' }, 'another-secret-another-secret!!!') },
    { name: 'an alg none token', token: () => UNSECURED_TOKEN },
    { name: 'an expired token', token: () => sign({ sub: 'ann' }, SECRET, { now: () => NOW - 601_000, expiresInSeconds: 600 }) },
    { name: 'a token that is not yet valid', token: () => sign({ sub: 'ann' }, SECRET, { now: clock, notBeforeSeconds: 60 }) },
    { name: 'garbage', token: () => 'not.a.token' },
    { name: 'two tokens', token: () => `${tokenFor({ sub: 'ann' })} ${tokenFor({ sub: 'bob' })}` },
  ])('should answer 401 with error="invalid_token" for $name', async ({ token }) => {
    const { response, handled } = await call(requireAuth({ secret: SECRET, clock }), `Bearer ${token()}`);
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
    expect(handled).toBe(0);
  });

  it('should follow its clock: the same token passes, then expires', async () => {
    const ticking = new ManualClock(NOW);
    const middleware = requireAuth({ secret: SECRET, clock: ticking });
    const token = `Bearer ${tokenFor({ sub: 'ann' })}`;
    expect((await call(middleware, token)).response.status).toBe(200);
    ticking.advance(600_000);
    expect((await call(middleware, token)).response.status).toBe(401);
  });

  it('should answer 403 with error="insufficient_scope" when the token lacks every required role', async () => {
    const middleware = requireAuth({ secret: SECRET, clock, roles: ['admin'] });
    const { response, handled } = await call(middleware, `Bearer ${tokenFor({ sub: 'ann', roles: ['driver', 'passenger'] })}`);
    await expectProblem(response, 403);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="insufficient_scope"/);
    expect(handled).toBe(0);
  });

  it.each([
    { name: 'no roles claim', claims: { sub: 'ann' } },
    { name: 'roles as a string', claims: { sub: 'ann', roles: 'admin' } },
    { name: 'an empty roles claim', claims: { sub: 'ann', roles: [] } },
  ])('should answer 403 for $name', async ({ claims }) => {
    const { response } = await call(requireAuth({ secret: SECRET, clock, roles: ['admin'] }), `Bearer ${tokenFor(claims)}`);
    await expectProblem(response, 403);
  });

  it('should let a token through that holds any one of the required roles', async () => {
    const middleware = requireAuth({ secret: SECRET, clock, roles: ['admin', 'driver'] });
    const { response, handled } = await call(middleware, `Bearer ${tokenFor({ sub: 'ann', roles: ['driver'] })}`);
    expect(response.status).toBe(200);
    expect(handled).toBe(1);
  });

  it('should check issuer and audience when given', async () => {
    const middleware = requireAuth({ secret: SECRET, clock, issuer: 'https://auth.example.com', audience: 'trips-api' });
    const good = tokenFor({ sub: 'ann' }, { issuer: 'https://auth.example.com', audience: ['trips-api'] });
    const otherAudience = tokenFor({ sub: 'ann' }, { issuer: 'https://auth.example.com', audience: 'billing' });
    expect((await call(middleware, `Bearer ${good}`)).response.status).toBe(200);
    expect((await call(middleware, `Bearer ${otherAudience}`)).response.status).toBe(401);
  });

  it('should have no claims for a request it did not let through', () => {
    expect(claimsOf(new Request('http://localhost/'))).toBeUndefined();
  });

  it.each([
    { name: 'an empty secret', options: { secret: '', clock }, error: RangeError },
    { name: 'a negative leeway', options: { secret: SECRET, clock, leewaySeconds: -5 }, error: RangeError },
    { name: 'roles as a string', options: { secret: SECRET, clock, roles: 'admin' as unknown as string[] }, error: TypeError },
    { name: 'an empty role', options: { secret: SECRET, clock, roles: [''] }, error: TypeError },
    { name: 'no clock', options: { secret: SECRET } as { secret: string; clock: ManualClock }, error: TypeError },
  ])('should throw for $name at once', ({ options, error }) => {
    expect(() => requireAuth(options)).toThrow(error);
  });
});

describe('properties', () => {
  const registered = new Set(['exp', 'nbf', 'iat']);
  const claims = fc
    .dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 1, stringUnit: 'binary' }), { maxKeys: 5 })
    .filter((c) => !Object.keys(c).some((key) => registered.has(key)));
  const secrets = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 64 }));

  it('should return the signed claims for any JSON object and secret', () => {
    fc.assert(
      fc.property(claims, secrets, (original, secret) => {
        expect(verify(sign(original, secret), secret, at(NOW))).toEqual(original);
      }),
      { numRuns: 60 },
    );
  });

  it('should accept a token until exactly exp + leeway, and never after', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.nat(120),
        fc.integer({ min: -5_000, max: 5_000 }),
        (signedAt, ttl, leeway, offset) => {
          const token = sign({}, SECRET, { now: () => signedAt, expiresInSeconds: ttl });
          const expiresAt = (Math.floor(signedAt / 1000) + ttl + leeway) * 1000;
          const code = rejectionCode(() => verify(token, SECRET, { now: () => expiresAt + offset, leewaySeconds: leeway }));
          expect(code).toBe(offset >= 0 ? 'expired' : 'accepted');
        },
      ),
    );
  });

  it('should refuse any one-character change to a valid token', () => {
    const token = sign({ sub: 'ann', roles: ['admin'] }, SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/= ';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (index, char) => {
        fc.pre(token[index] !== char);
        const changed = token.slice(0, index) + char + token.slice(index + 1);
        expect(rejectionCode(() => verify(changed, SECRET, at(NOW)))).not.toBe('accepted');
      }),
    );
  });

  it('should throw nothing but a TokenError, whatever the string', () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.uint8Array({ maxLength: 24 }).map(b64url),
      fc.json({ maxDepth: 2 }).map(b64url),
      fc.constantFrom('', 'eyJhbGciOiJIUzI1NiJ9', 'eyJhbGciOiJub25lIn0', 'bnVsbA', 'W10', '=', '%%'),
    );
    const tokens = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')));
    fc.assert(
      fc.property(tokens, (token) => {
        expect(() => verify(token, SECRET, at(NOW))).toThrow(TokenError);
      }),
    );
  });

  it('should answer any request with 200, 401 or 403, and a problem on every 4xx', async () => {
    const middleware = requireAuth({ secret: SECRET, clock: () => NOW, roles: ['admin'] });
    const handler: Handler = async () => json(200, { ok: true });
    const valid = (roles: readonly string[]) => sign({ sub: 'ann', roles }, SECRET, { now: () => NOW, expiresInSeconds: 60 });
    const tokens = { admin: valid(['admin']), driver: valid(['driver']), none: valid([]) };
    const authorization = fc.option(
      fc.oneof(
        fc.string({ maxLength: 40 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
        fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic abc', 'Bearer a.b.c', `Bearer ${UNSECURED_TOKEN}`, `Bearer ${JWT_IO_TOKEN}`),
        fc.constantFrom(tokens.admin, tokens.driver, tokens.none).map((token) => `Bearer ${token}`),
        fc.tuple(fc.nat(tokens.admin.length - 1), fc.constantFrom('x', '.', '=', ' ')).map(
          ([i, c]) => `Bearer ${tokens.admin.slice(0, i)}${c}${tokens.admin.slice(i + 1)}`,
        ),
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(arbitraryRequestShape(['/api/trips']), authorization, async (shape, auth) => {
        const headers = { ...shape.headers };
        if (auth !== undefined) headers['authorization'] = auth;
        const response = await middleware(toRequest({ ...shape, headers }), handler);
        expect([200, 401, 403]).toContain(response.status);
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toBe('application/problem+json');
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
          const body = (await response.json()) as { status: number; title: string; type: string; detail: string };
          expect(body).toMatchObject({ type: 'about:blank', status: response.status, detail: expect.any(String) });
        }
      }),
      { numRuns: 100 },
    );
  });
});
