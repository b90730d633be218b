import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'an update changes the map but not the skip list, so the order goes stale',
    find: `    this.#scores.set(member, score);
    this.#list.updateScore(member, old, score);`,
    replace: `    this.#scores.set(member, score);`,
  },
  {
    name: 'GT and LT refuse new members, as if they only compared',
    find: `if (xx) return 0;`,
    replace: `if (xx || gt || lt) return 0;`,
  },
  {
    name: 'CH does not count the members it changed',
    find: `return ch ? 1 : 0;`,
    replace: `return 0;`,
  },
  {
    name: 'zrevrank returns the rank from the lowest score',
    find: `return rank === undefined ? undefined : this.#list.length - 1 - rank;`,
    replace: `return rank === undefined ? undefined : rank;`,
  },
  {
    name: 'an exclusive score bound is read as inclusive',
    find: `return exclusive === isMax ? (entry) => entry.score < value : (entry) => entry.score <= value;`,
    replace: `return !isMax ? (entry) => entry.score < value : (entry) => entry.score <= value;`,
  },
  {
    name: 'the stop index is exclusive, as in Array.prototype.slice',
    find: `const to = Math.min(length, (stop < 0 ? stop + length : stop) + 1);`,
    replace: `const to = Math.min(length, stop < 0 ? stop + length : stop);`,
  },
  {
    name: 'zrem deletes from the map and leaves the entry in the skip list',
    find: `      this.#scores.delete(member);
      this.#list.delete(score, member);
      removed++;`,
    replace: `      this.#scores.delete(member);
      removed++;`,
  },
]);
