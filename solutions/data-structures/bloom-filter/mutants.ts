import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'hashCount computed with log base 10',
    find: `const hashCount = Math.max(1, Math.round(-Math.log(p) / Math.LN2));`,
    replace: `const hashCount = Math.max(1, Math.round(-Math.log10(p) / Math.LN2));`,
  },
  {
    name: 'every probe uses h1 alone (i * h2 missing)',
    find: `probes.push((h1 + i * h2) % this.#bitCount);`,
    replace: `probes.push(h1 % this.#bitCount);`,
  },
  {
    name: 'bit index taken modulo bitCount + 1',
    find: `probes.push((h1 + i * h2) % this.#bitCount);`,
    replace: `probes.push((h1 + i * h2) % (this.#bitCount + 1));`,
  },
  {
    name: 'bit index without the modulo',
    find: `probes.push((h1 + i * h2) % this.#bitCount);`,
    replace: `probes.push(h1 + i * h2);`,
  },
  {
    name: 'h2 | 1 left signed, so probes go negative',
    find: `const h2 = (murmur3(bytes, h1) | 1) >>> 0;`,
    replace: `const h2 = murmur3(bytes, h1) | 1;`,
  },
  {
    name: 'mightContain answers true if any of the k bits is set',
    find: `return this.#probes(item).every(`,
    replace: `return this.#probes(item).some(`,
  },
  {
    name: 'fromBytes ignores the header and infers bitCount from the length',
    find: `const bitCount = view.getUint32(0);`,
    replace: `const bitCount = (bytes.length - HEADER_BYTES) * 8;`,
  },
]);
