import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'delete unlinks level 0 only, leaving the upper lanes and their spans stale',
    find: `    for (let i = 0; i < this.#level; i++) {
      const prev = update[i]!.levels[i]!;`,
    replace: `    for (let i = 0; i < 1; i++) {
      const prev = update[i]!.levels[i]!;`,
  },
  {
    name: 'insert does not widen the lanes that pass over the new tower',
    find: `    for (let i = height; i < this.#level; i++) update[i]!.levels[i]!.span++;
`,
    replace: ``,
  },
  {
    name: 'ties are ordered by insertion instead of by member',
    find: `a.score < b.score ? -1 : a.score > b.score ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0;`,
    replace: `a.score < b.score ? -1 : a.score > b.score ? 1 : 0;`,
  },
  {
    name: 'a draw equal to p still grows the tower',
    find: `while (this.#random() < this.#p && level < this.#maxLevel) level++;`,
    replace: `while (this.#random() <= this.#p && level < this.#maxLevel) level++;`,
  },
  {
    name: 'towers may grow one level past maxLevel',
    find: `while (this.#random() < this.#p && level < this.#maxLevel) level++;`,
    replace: `while (this.#random() < this.#p && level <= this.#maxLevel) level++;`,
  },
  {
    name: 'default p = 1/2, the textbook coin rather than Redis’s 1/4',
    find: `p = 0.25, random = Math.random`,
    replace: `p = 0.5, random = Math.random`,
  },
  {
    name: 'an exclusive lower bound is treated as inclusive',
    find: `aboveMin: (score) => (minExclusive ? score > min : score >= min),`,
    replace: `aboveMin: (score) => score >= min,`,
  },
  {
    name: 'the reverse range offset is off by one',
    find: `let node = offset === 0 ? x : this.#nodeAt(last - offset);`,
    replace: `let node = offset === 0 ? x : this.#nodeAt(last - offset + 1);`,
  },
  {
    name: 'updateScore stays in place after checking the left neighbour only',
    find: `(before === undefined || this.#compare(before, moved) < 0) && (after === undefined || this.#compare(after, moved) > 0)`,
    replace: `before === undefined || this.#compare(before, moved) < 0`,
  },
  {
    name: 'rank walks the bottom lane only, ignoring the express lanes',
    find: `    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined; next = x.levels[i]!.forward) {`,
    replace: `    for (let i = 0; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined; next = x.levels[i]!.forward) {`,
  },
]);
