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

interface Node {
  member: string;
  score: number;
  /** The previous node on the bottom lane; `undefined` for the first node. */
  backward: Node | undefined;
  /** The next node on each lane this tower reaches, bottom lane first. */
  readonly forward: (Node | undefined)[];
  /** Positions jumped by each `forward` link; past the last node, the number of nodes after this one. */
  readonly span: number[];
}

/** Redis's constants: towers grow one more level with probability 1/4, up to 32 levels. */
const MAX_LEVEL = 32;
const P = 0.25;

/** The order of the pair (`score`, `member`) relative to `node`: negative when the node comes first. */
const compare = (node: Node, score: number, member: string): number =>
  node.score < score ? -1 : node.score > score ? 1 : node.member < member ? -1 : node.member > member ? 1 : 0;

const newNode = (score: number, member: string, height: number): Node => ({
  member,
  score,
  backward: undefined,
  forward: new Array<Node | undefined>(height).fill(undefined),
  span: new Array<number>(height).fill(0),
});

const entryOf = (node: Node): Entry => ({ member: node.member, score: node.score });

export class SkipList {
  readonly #random: () => number;
  /** Holds no entry; has every level so that any tower can link from it. */
  readonly #header = newNode(Number.NaN, '', MAX_LEVEL);
  // Scratch space of #predecessors, reused by every insert, delete and update: operations are
  // synchronous, so one walk never overlaps another.
  readonly #update = new Array<Node>(MAX_LEVEL).fill(this.#header);
  readonly #rank = new Array<number>(MAX_LEVEL).fill(0);
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
    const next = this.#predecessors(score, member).forward[0];
    if (next !== undefined && compare(next, score, member) === 0) {
      throw new RangeError(`(${score}, ${JSON.stringify(member)}) is already in the list`);
    }
    this.#link(score, member);
  }

  /** Removes the pair; `true` if it was there. The score must be the one it was inserted with. */
  delete(score: number, member: string): boolean {
    if (Number.isNaN(score)) return false;
    const node = this.#predecessors(score, member).forward[0];
    if (node === undefined || compare(node, score, member) !== 0) return false;
    this.#unlink(node);
    return true;
  }

  /**
   * Moves `member` from `oldScore` to `newScore`: in place when it stays between its
   * neighbours, else by a delete and an insert (Redis's zslUpdateScore).
   * @throws {RangeError} if `newScore` is NaN or the pair (oldScore, member) is not there.
   */
  updateScore(member: string, oldScore: number, newScore: number): void {
    if (Number.isNaN(newScore)) throw new RangeError('newScore must be a number, got NaN');
    const node = this.#predecessors(oldScore, member).forward[0];
    if (node === undefined || compare(node, oldScore, member) !== 0) {
      throw new RangeError(`(${oldScore}, ${JSON.stringify(member)}) is not in the list`);
    }
    const before = node.backward;
    const after = node.forward[0];
    if ((before === undefined || compare(before, newScore, member) < 0) && (after === undefined || compare(after, newScore, member) > 0)) {
      node.score = newScore;
      return;
    }
    this.#unlink(node);
    this.#predecessors(newScore, member);
    this.#link(newScore, member);
  }

  /** The 0-based position of the pair in order, or -1 if it is not there. */
  rank(score: number, member: string): number {
    if (Number.isNaN(score)) return -1;
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.forward[i]; next !== undefined; next = x.forward[i]) {
        const order = compare(next, score, member);
        if (order > 0) break;
        traversed += x.span[i]!;
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
      for (let next = x.forward[i]; next !== undefined && before(next); next = x.forward[i]) {
        traversed += x.span[i]!;
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
    for (let node = this.#nodeAt(from + 1); node !== undefined && entries.length < to - from; node = node.forward[0]) {
      entries.push(entryOf(node));
    }
    return entries;
  }

  /** The entries in order, as fresh `{ member, score }` objects. */
  *[Symbol.iterator](): Iterator<Entry> {
    for (let node = this.#header.forward[0]; node !== undefined; node = node.forward[0]) yield entryOf(node);
  }

  /**
   * Walks down from the top lane to the last node before (`score`, `member`) on every level:
   * the nodes whose links an insert or a delete there must change. Leaves them in `#update`,
   * and in `#rank` their positions (the header being 0); returns the one on the bottom lane.
   */
  #predecessors(score: number, member: string): Node {
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.forward[i]; next !== undefined && compare(next, score, member) < 0; next = x.forward[i]) {
        traversed += x.span[i]!;
        x = next;
      }
      this.#update[i] = x;
      this.#rank[i] = traversed;
    }
    return x;
  }

  /** Links a new tower for the pair after the nodes #predecessors left in `#update`. */
  #link(score: number, member: string): void {
    const update = this.#update;
    const rank = this.#rank;
    const height = this.#randomLevel();
    if (height > this.#level) {
      // A new lane starts at the header and, so far, has jumped over the whole list.
      for (let i = this.#level; i < height; i++) {
        update[i] = this.#header;
        rank[i] = 0;
        this.#header.span[i] = this.#length;
      }
      this.#level = height;
    }
    const node = newNode(score, member, height);
    for (let i = 0; i < height; i++) {
      // prev --span--> after   becomes   prev --(gap + 1)--> node --(span - gap)--> after,
      // where gap counts the nodes between prev and the new node.
      const prev = update[i]!;
      const gap = rank[0]! - rank[i]!;
      node.forward[i] = prev.forward[i];
      node.span[i] = prev.span[i]! - gap;
      prev.forward[i] = node;
      prev.span[i] = gap + 1;
    }
    // Lanes above the new tower now jump over one more node.
    for (let i = height; i < this.#level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.#header ? undefined : update[0];
    const after = node.forward[0];
    if (after !== undefined) after.backward = node;
    this.#length++;
  }

  /** Unlinks `node`, whose predecessors on every level #predecessors left in `#update`. */
  #unlink(node: Node): void {
    for (let i = 0; i < this.#level; i++) {
      const prev = this.#update[i]!;
      if (prev.forward[i] === node) {
        // prev --span--> node --node.span--> after   becomes   prev --(span + node.span - 1)--> after
        prev.span[i]! += node.span[i]! - 1;
        prev.forward[i] = node.forward[i];
      } else {
        // A lane that passes over the node now jumps one position fewer.
        prev.span[i]!--;
      }
    }
    const after = node.forward[0];
    if (after !== undefined) after.backward = node.backward;
    while (this.#level > 1 && this.#header.forward[this.#level - 1] === undefined) this.#level--;
    this.#length--;
  }

  /** The node at 1-based `position`, following spans down from the top lane. */
  #nodeAt(position: number): Node | undefined {
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.forward[i]; next !== undefined && traversed + x.span[i]! <= position; next = x.forward[i]) {
        traversed += x.span[i]!;
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
