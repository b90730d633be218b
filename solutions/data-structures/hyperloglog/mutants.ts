import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'rank is the count of leading zeros, without the + 1 (a first bit of 1 looks like an empty register)',
    find: `Math.clz32(hash << this.#precision) + 1`,
    replace: `Math.clz32(hash << this.#precision)`,
  },
  {
    name: 'rank counts the leading zeros of the whole hash, index bits included',
    find: `Math.clz32(hash << this.#precision) + 1`,
    replace: `Math.clz32(hash) + 1`,
  },
  {
    name: 'arithmetic mean of 2^register instead of the harmonic mean',
    find: `    for (let rank = 0; rank < histogram.length; rank++) sum += histogram[rank]! * 2 ** -rank;
    const empty = histogram[0]!;
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;`,
    replace: `    for (let rank = 0; rank < histogram.length; rank++) sum += histogram[rank]! * 2 ** rank;
    const empty = histogram[0]!;
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = alpha * sum;`,
  },
  {
    name: 'no small-range correction (linear counting left out)',
    find: `    if (raw <= 2.5 * m && empty > 0) return Math.round(m * Math.log(m / empty));
`,
    replace: ``,
  },
  {
    name: 'merge keeps the smaller register',
    find: `mine[i] = Math.max(mine[i]!, theirs[i]!);`,
    replace: `mine[i] = Math.min(mine[i]!, theirs[i]!);`,
  },
  {
    name: 'add reports a change for every item, even when no register grew',
    find: `    if (rank <= this.#registers[index]!) return false;
    this.#registers[index] = rank;
    return true;`,
    replace: `    if (rank > this.#registers[index]!) this.#registers[index] = rank;
    return true;`,
  },
]);
