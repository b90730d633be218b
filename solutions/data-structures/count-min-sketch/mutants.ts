import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'estimate takes the max over the rows instead of the min',
    find: `    let estimate = Number.POSITIVE_INFINITY;
    for (let row = 0; row < this.#depth; row++) estimate = Math.min(estimate, this.#cells[this.#cell(bytes, row)]!);`,
    replace: `    let estimate = 0;
    for (let row = 0; row < this.#depth; row++) estimate = Math.max(estimate, this.#cells[this.#cell(bytes, row)]!);`,
  },
  {
    name: 'every row hashes with the same seed',
    find: `(murmur3(bytes, row) % this.#width)`,
    replace: `(murmur3(bytes, 0) % this.#width)`,
  },
  {
    name: 'width from 1 / epsilon instead of e / epsilon',
    find: `Math.ceil(Math.E / epsilon)`,
    replace: `Math.ceil(1 / epsilon)`,
  },
  {
    name: 'merge adds only the first row',
    find: `for (let i = 0; i < this.#cells.length; i++) this.#cells[i]! += other.#cells[i]!;`,
    replace: `for (let i = 0; i < this.#width; i++) this.#cells[i]! += other.#cells[i]!;`,
  },
  {
    name: "topK's heap is a max-heap: it evicts the largest count instead of the smallest",
    find: `return a.count < b.count || (a.count === b.count && a.item > b.item);`,
    replace: `return a.count > b.count || (a.count === b.count && a.item < b.item);`,
  },
  {
    name: 'merge forgets the total',
    find: `    this.#total += other.#total;`,
    replace: ``,
  },
  {
    name: 'topKSketched reports the stale estimate from when each candidate was last seen',
    find: `  return best.entries().map(({ item }) => ({ item, count: sketch.estimate(item) })).sort(byRank);`,
    replace: `  return best.entries().sort(byRank);`,
  },
]);
