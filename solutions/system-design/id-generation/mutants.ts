import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the worker and datacenter bits are swapped',
    find: `(datacenterId << DATACENTER_SHIFT) | (workerId << WORKER_SHIFT)`,
    replace: `(workerId << DATACENTER_SHIFT) | (datacenterId << WORKER_SHIFT)`,
  },
  {
    name: 'the sequence is not reset in a new millisecond',
    find: `const sequence = now === this.#last ? (this.#sequence + 1) & SEQUENCE_MASK : 0;`,
    replace: `const sequence = (this.#sequence + 1) & SEQUENCE_MASK;`,
  },
  {
    name: 'the same millisecond counts as the clock moving backwards (>= instead of >)',
    find: `if (this.#last > now) throw`,
    replace: `if (this.#last >= now) throw`,
  },
  {
    name: 'a wrapped sequence does not wait for the next millisecond, repeating ids',
    find: `    if (now === this.#last && sequence === 0) now = this.#waitAfter(now);
`,
    replace: ``,
  },
  {
    name: 'fromBase62 reads digits with the lower-case-first alphabet',
    find: `new Map(Array.from(BASE62_ALPHABET, (digit, value)`,
    replace: `new Map(Array.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', (digit, value)`,
  },
  {
    name: 'the same URL gets a new code each time',
    find: `    if (existing !== undefined) return existing;
`,
    replace: ``,
  },
  {
    name: 'a generated code overwrites the alias that holds it',
    find: `    do code = toBase62(this.#nextId());
    while (this.#urls.has(code));`,
    replace: `    code = toBase62(this.#nextId());`,
  },
]);
