import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'get does not refresh recency',
    find: `    if (node === undefined) return undefined;
    this.#moveToHead(node);
    return node.value;`,
    replace: `    if (node === undefined) return undefined;
    return node.value;`,
  },
  {
    name: 'an update keeps the old recency',
    find: `      existing.value = value;
      this.#moveToHead(existing);`,
    replace: `      existing.value = value;`,
  },
  {
    name: 'evicts the most recently used entry',
    find: 'const lru = this.#tail!;',
    replace: 'const lru = this.#head!;',
  },
  {
    name: 'evicts one entry late (off by one on capacity)',
    find: 'if (this.#nodes.size === this.#capacity) {',
    replace: 'if (this.#nodes.size > this.#capacity) {',
  },
  {
    name: 'unlinking the tail leaves a stale tail pointer',
    find: `    if (node.older === undefined) this.#tail = node.newer;
    else node.older.newer = node.newer;`,
    replace: `    if (node.older !== undefined) node.older.newer = node.newer;`,
  },
  {
    name: 'peek refreshes recency',
    find: `    return this.#nodes.get(key)?.value;`,
    replace: `    return this.get(key);`,
  },
]);
