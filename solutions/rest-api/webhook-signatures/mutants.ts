import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the HMAC covers the payload without the timestamp: an old signature can be re-dated',
    find: `return createHmac('sha256', secret).update(\`\${timestamp}.\`).update(payload).digest();`,
    replace: `return createHmac('sha256', secret).update(payload).digest();`,
  },
  {
    name: 'the comparison looks only at a prefix: timingSafeEqual on the expected MAC cut to the length of whatever was sent',
    find: `    const candidates = signatures.filter((s) => HEX_SHA256.test(s)).map((s) => Buffer.from(s, 'hex'));`,
    replace: `    const candidates = signatures.map((s) => Buffer.from(s, 'hex'));`,
  },
  {
    name: 'the tolerance check forgets the future: a timestamp years ahead is accepted',
    find: `if (Math.abs(now - timestamp) > this.#tolerance) return { ok: false, reason: 'expired' };`,
    replace: `if (now - timestamp > this.#tolerance) return { ok: false, reason: 'expired' };`,
  },
  {
    name: 'the replay memory never forgets: it grows with every webhook ever accepted',
    find: `    this.#forgetExpired(now);
`,
    replace: ``,
  },
  {
    name: 'only the first secret is tried: rotation breaks every webhook signed with the new one',
    find: `const expected = this.#secrets.map((secret) => hmac(secret, timestamp, payload));`,
    replace: `const expected = [hmac(this.#secrets[0]!, timestamp, payload)];`,
  },
  {
    name: 'a webhook is remembered until its arrival leaves the window, not its timestamp: a future-dated one can be replayed',
    find: `this.#seen.set(id, timestamp + this.#tolerance);`,
    replace: `this.#seen.set(id, now + this.#tolerance);`,
  },
  {
    name: 'header items are split but not trimmed: "t=1, v1=…" (a space after the comma) is malformed',
    find: `    const name = item.slice(0, equals).trim();
    const value = item.slice(equals + 1).trim();`,
    replace: `    const name = item.slice(0, equals);
    const value = item.slice(equals + 1);`,
  },
]);
