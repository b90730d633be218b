import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'a blob length counts characters instead of bytes',
    find: 'writer.ascii(`${marker}${bytes.length}\\r\\n`);',
    replace: 'writer.ascii(`${marker}${text.length}\\r\\n`);',
  },
  {
    name: 'a chunk ending between \\r and \\n is taken for a complete line',
    find: 'if (cr + 1 >= end) {',
    replace: 'if (cr === end) {',
  },
  {
    name: 'a map count is taken as elements, not pairs',
    find: "remaining: type === 'map' ? count * 2 : count",
    replace: 'remaining: count',
  },
  {
    name: 'the null bulk string is parsed as an empty string',
    find: "value = { type: 'bulk', value: null };",
    replace: "value = { type: 'bulk', value: new Uint8Array(0) };",
  },
  {
    name: 'the sign of an integer is dropped',
    find: 'return BigInt(this.#text(from, to));',
    replace: 'return BigInt(this.#text(digits, to));',
  },
  {
    name: 'infinity is written as JavaScript prints it',
    find: `  if (Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n);
  return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';`,
    replace: `  return String(n);`,
  },
  {
    name: 'bulk strings are views of the parser buffer, overwritten by later chunks',
    find: "if (marker === DOLLAR) return { type: 'bulk', value: this.#buffer.slice(from, to) };",
    replace: "if (marker === DOLLAR) return { type: 'bulk', value: this.#buffer.subarray(from, to) };",
  },
]);
