import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'accepts alg none: an unsecured token skips the signature check',
    find: `  const algorithm = header['alg'];
`,
    replace: `  const algorithm = header['alg'];
  if (algorithm === 'none') return claims;
`,
  },
  {
    name: "trusts the header's alg: picks the hash it names, so an HS512 token verifies",
    find: `  if (typeof algorithm !== 'string' || !algorithms.includes(algorithm as Algorithm)) {
    throw new TokenError('algorithm', 'the token is not signed with an accepted algorithm');
  }
  // The HMAC is computed over the segments as received, not over re-serialised JSON.
  const expected = createHmac('sha256', key).update(\`\${headerSegment}.\${payloadSegment}\`).digest();`,
    replace: `  const hash = ({ HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as Record<string, string>)[String(algorithm)];
  if (hash === undefined) throw new TokenError('algorithm', 'the token is not signed with an accepted algorithm');
  const expected = createHmac(hash, key).update(\`\${headerSegment}.\${payloadSegment}\`).digest();`,
  },
  {
    name: 'exp compared with > instead of >=: a token is still valid at the second of its exp',
    find: `nowMs >= (exp + leewaySeconds) * 1000`,
    replace: `nowMs > (exp + leewaySeconds) * 1000`,
  },
  {
    name: 'nbf never checked',
    find: `  if (nbf !== undefined && nowMs < (nbf - leewaySeconds) * 1000) throw new TokenError('not-before', 'the token is not valid yet');
`,
    replace: ``,
  },
  {
    name: "decodes with atob (standard base64): a segment holding '-' or '_' crashes",
    find: `const bytes = Buffer.from(segment, 'base64url');`,
    replace: `const bytes = Buffer.from(atob(segment), 'latin1');`,
  },
  {
    name: 'aud compared as a string only: an array of audiences never matches',
    find: `const audiences = Array.isArray(aud) ? aud : [aud];`,
    replace: `const audiences = [aud];`,
  },
  {
    name: 'a missing token answers 403 instead of 401',
    find: `return problem(401, { detail: 'This resource needs a bearer token.'`,
    replace: `return problem(403, { detail: 'This resource needs a bearer token.'`,
  },
]);
