import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the minimum frequency is not reset to 1 on insert',
    find: `    // Nothing can be used less than a key that was just inserted.
    this.#minFrequency = 1;
`,
    replace: ``,
  },
  {
    name: 'ties are broken by evicting the most recently used key',
    find: `this.#buckets.get(this.#minFrequency)!.tail!;`,
    replace: `this.#buckets.get(this.#minFrequency)!.head!;`,
  },
  {
    name: 'peek counts as a use',
    find: `    return this.#nodes.get(key)?.value;`,
    replace: `    return this.get(key);`,
  },
  {
    name: 'a use puts the key at the least recent end of its new bucket',
    find: `    this.#bucket(node.frequency).linkAtHead(node);`,
    replace: `    const next = this.#bucket(node.frequency);
    node.newer = next.tail;
    node.older = undefined;
    if (next.tail === undefined) next.head = node;
    else next.tail.older = node;
    next.tail = node;`,
  },
  {
    name: 'the minimum frequency is not advanced when its bucket empties',
    find: `    const emptied = this.#detach(node);
    if (emptied && this.#minFrequency === node.frequency) this.#minFrequency = node.frequency + 1;`,
    replace: `    this.#detach(node);`,
  },
  {
    name: 'the minimum frequency advances although its bucket still holds keys',
    find: `if (emptied && this.#minFrequency === node.frequency)`,
    replace: `if (this.#minFrequency === node.frequency)`,
  },
  {
    name: 'updating a key of a full cache evicts another key',
    find: `    const existing = this.#nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;`,
    replace: `    if (this.#nodes.size === this.#capacity) this.#evict();
    const existing = this.#nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;`,
  },
]);
