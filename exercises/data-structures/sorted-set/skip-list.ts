/**
 * The ordered half of a sorted set: a skip list with spans, as in Redis. This file is given:
 * use it from sorted-set.ts as it is (it is the `skip-list` kata's structure, trimmed to what a
 * sorted set needs, plus `countWhile` and `slice`).
 *
 * Entries are ordered by score, then by member with `<`. Every link stores its span, the number
 * of positions it jumps, so a search that adds up the spans it crosses knows the rank of where
 * it stands: rank, lookup by rank and "how many entries come before this point" are all the same
 * top-down walk.
 *
 * Complexity (expected over the random heights): insert, delete, updateScore, rank, at and
 * countWhile are O(log n); slice is O(log n + k) for k entries; iteration is O(n).
 */

/** One element of a sorted set: a member and its score. */
export type Entry = { member: string; score: number };

export interface SkipListOptions {
  /** Uniform in [0, 1), for the tower heights; default `Math.random`. */
  random?: () => number;
}

interface Level {
  forward: Node | undefined;
  /** Positions jumped by following `forward`; past the last node, the number of nodes after this one. */
  span: number;
}

interface Node {
  member: string;
  score: number;
  /** The previous node on the bottom lane; `undefined` for the first node. */
  backward: Node | undefined;
  readonly levels: Level[];
}

/** Redis's constants: towers grow one more level with probability 1/4, up to 32 levels. */
const MAX_LEVEL = 32;
const P = 0.25;

const compare = (a: Entry, b: Entry): number =>
  a.score < b.score ? -1 : a.score > b.score ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0;

const newNode = (score: number, member: string, height: number): Node => ({
  member,
  score,
  backward: undefined,
  levels: Array.from({ length: height }, () => ({ forward: undefined, span: 0 })),
});

const entryOf = (node: Node): Entry => ({ member: node.member, score: node.score });

export class SkipList {
  readonly #random: () => number;
  /** Holds no entry; has every level so that any tower can link from it. */
  readonly #header = newNode(Number.NaN, '', MAX_LEVEL);
  #level = 1;
  #length = 0;

  /** @throws {TypeError} unless `random` is a function. */
  constructor({ random = Math.random }: SkipListOptions = {}) {
    if (typeof random !== 'function') throw new TypeError(`random must be a function, got ${typeof random}`);
    this.#random = random;
  }

  /** The number of entries. */
  get length(): number {
    return this.#length;
  }

  /**
   * Adds the pair. The member must not be in the list yet, under any score: keeping members
   * unique is the caller's job (a sorted set's hash map knows).
   * @throws {RangeError} if `score` is NaN or the pair is already there.
   */
  insert(score: number, member: string): void {
    if (Number.isNaN(score)) throw new RangeError('score must be a number, got NaN');
    const entry = { score, member };
    const { update, rank } = this.#predecessors(entry);
    const next = update[0]!.levels[0]!.forward;
    if (next !== undefined && compare(next, entry) === 0) {
      throw new RangeError(`(${score}, ${JSON.stringify(member)}) is already in the list`);
    }
    this.#link(entry, update, rank);
  }

  /** Removes the pair; `true` if it was there. The score must be the one it was inserted with. */
  delete(score: number, member: string): boolean {
    if (Number.isNaN(score)) return false;
    const entry = { score, member };
    const { update } = this.#predecessors(entry);
    const node = update[0]!.levels[0]!.forward;
    if (node === undefined || compare(node, entry) !== 0) return false;
    this.#unlink(node, update);
    return true;
  }

  /**
   * Moves `member` from `oldScore` to `newScore`: in place when it stays between its
   * neighbours, else by a delete and an insert (Redis's zslUpdateScore).
   * @throws {RangeError} if `newScore` is NaN or the pair (oldScore, member) is not there.
   */
  updateScore(member: string, oldScore: number, newScore: number): void {
    if (Number.isNaN(newScore)) throw new RangeError('newScore must be a number, got NaN');
    const old = { score: oldScore, member };
    const { update } = this.#predecessors(old);
    const node = update[0]!.levels[0]!.forward;
    if (node === undefined || compare(node, old) !== 0) {
      throw new RangeError(`(${oldScore}, ${JSON.stringify(member)}) is not in the list`);
    }
    const moved = { score: newScore, member };
    const before = node.backward;
    const after = node.levels[0]!.forward;
    if ((before === undefined || compare(before, moved) < 0) && (after === undefined || compare(after, moved) > 0)) {
      node.score = newScore;
      return;
    }
    this.#unlink(node, update);
    const at = this.#predecessors(moved);
    this.#link(moved, at.update, at.rank);
  }

  /** The 0-based position of the pair in order, or -1 if it is not there. */
  rank(score: number, member: string): number {
    if (Number.isNaN(score)) return -1;
    const entry = { score, member };
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined; next = x.levels[i]!.forward) {
        const order = compare(next, entry);
        if (order > 0) break;
        traversed += x.levels[i]!.span;
        x = next;
        if (order === 0) return traversed - 1;
      }
    }
    return -1;
  }

  /** The entry at 0-based `rank`, or `undefined` when there is none. */
  at(rank: number): Entry | undefined {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.#length) return undefined;
    const node = this.#nodeAt(rank + 1);
    return node === undefined ? undefined : entryOf(node);
  }

  /**
   * How many entries, from the first, satisfy `before`: the rank of the first entry that does
   * not (or `length`). `before` must be true for a prefix of the order and false after it, like
   * `(e) => e.score < 10`; it is called O(log n) times.
   */
  countWhile(before: (entry: Entry) => boolean): number {
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined && before(entryOf(next)); next = x.levels[i]!.forward) {
        traversed += x.levels[i]!.span;
        x = next;
      }
    }
    return traversed;
  }

  /**
   * The entries at integer ranks `start` (inclusive) to `end` (exclusive), in ascending order,
   * clamped to the list: `slice(0, length)` is every entry, and `slice(5, 3)` none.
   */
  slice(start: number, end: number): Entry[] {
    const from = Math.max(0, start);
    const to = Math.min(this.#length, end);
    const entries: Entry[] = [];
    if (from >= to) return entries;
    for (let node = this.#nodeAt(from + 1); node !== undefined && entries.length < to - from; node = node.levels[0]!.forward) {
      entries.push(entryOf(node));
    }
    return entries;
  }

  /** The entries in order, as fresh `{ member, score }` objects. */
  *[Symbol.iterator](): Iterator<Entry> {
    for (let node = this.#header.levels[0]!.forward; node !== undefined; node = node.levels[0]!.forward) {
      yield entryOf(node);
    }
  }

  /**
   * Walks down from the top lane to the last node before `entry` on every level: the nodes
   * whose links an insert or a delete there must change. `rank[i]` is the position of
   * `update[i]`, the header being 0.
   */
  #predecessors(entry: Entry): { update: Node[]; rank: number[] } {
    const update = new Array<Node>(MAX_LEVEL);
    const rank = new Array<number>(MAX_LEVEL);
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined && compare(next, entry) < 0; next = x.levels[i]!.forward) {
        traversed += x.levels[i]!.span;
        x = next;
      }
      update[i] = x;
      rank[i] = traversed;
    }
    return { update, rank };
  }

  /** Links a new tower for `entry` after `update[i]` on each of its levels. */
  #link(entry: Entry, update: Node[], rank: number[]): void {
    const height = this.#randomLevel();
    if (height > this.#level) {
      // A new lane starts at the header and, so far, has jumped over the whole list.
      for (let i = this.#level; i < height; i++) {
        update[i] = this.#header;
        rank[i] = 0;
        this.#header.levels[i]!.span = this.#length;
      }
      this.#level = height;
    }
    const node = newNode(entry.score, entry.member, height);
    for (let i = 0; i < height; i++) {
      // prev --span--> after   becomes   prev --(gap + 1)--> node --(span - gap)--> after,
      // where gap counts the nodes between prev and the new node.
      const prev = update[i]!.levels[i]!;
      const gap = rank[0]! - rank[i]!;
      node.levels[i]!.forward = prev.forward;
      node.levels[i]!.span = prev.span - gap;
      prev.forward = node;
      prev.span = gap + 1;
    }
    // Lanes above the new tower now jump over one more node.
    for (let i = height; i < this.#level; i++) update[i]!.levels[i]!.span++;
    node.backward = update[0] === this.#header ? undefined : update[0];
    const after = node.levels[0]!.forward;
    if (after !== undefined) after.backward = node;
    this.#length++;
  }

  /** Unlinks `node`, whose predecessors on every level are `update`. */
  #unlink(node: Node, update: Node[]): void {
    for (let i = 0; i < this.#level; i++) {
      const prev = update[i]!.levels[i]!;
      if (prev.forward === node) {
        // prev --span--> node --node.span--> after   becomes   prev --(span + node.span - 1)--> after
        prev.span += node.levels[i]!.span - 1;
        prev.forward = node.levels[i]!.forward;
      } else {
        // A lane that passes over the node now jumps one position fewer.
        prev.span--;
      }
    }
    const after = node.levels[0]!.forward;
    if (after !== undefined) after.backward = node.backward;
    while (this.#level > 1 && this.#header.levels[this.#level - 1]!.forward === undefined) this.#level--;
    this.#length--;
  }

  /** The node at 1-based `position`, following spans down from the top lane. */
  #nodeAt(position: number): Node | undefined {
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined && traversed + x.levels[i]!.span <= position; next = x.levels[i]!.forward) {
        traversed += x.levels[i]!.span;
        x = next;
      }
      if (traversed === position) return x;
    }
    return undefined;
  }

  /** 1, plus one for each draw below 1/4 in a row, capped at 32. */
  #randomLevel(): number {
    let level = 1;
    while (this.#random() < P && level < MAX_LEVEL) level++;
    return level;
  }
}
