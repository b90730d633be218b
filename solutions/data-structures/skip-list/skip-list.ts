/**
 * Skip list with spans, the ordered index under Redis sorted sets: a sorted linked list with
 * express lanes. Each node gets a random height (one more level with probability p, Redis's
 * p = 1/4, capped at maxLevel); lane i links every node at least i + 1 high to the next such
 * node, so a search runs along the top lane and drops down, crossing about 1/p nodes on each of
 * about log_{1/p}(n) lanes. Every link also stores its span, the number of positions it jumps,
 * which makes rank and lookup by rank the same top-down walk.
 *
 * Complexity (expected over the coin flips): insert, delete, updateScore, rank and at are
 * O(log n); rangeByScore and reverseRangeByScore are O(log n + k) for k entries returned.
 * Space: 1/(1 - p) links per node on average, 4/3 at p = 1/4.
 * Trade-off: far simpler than a balanced tree and a range scan is a plain list walk, but the
 * bounds hold on average only, and a node costs more memory than a B-tree slot.
 */

/** One element: Redis orders by score, then by member. */
export type Entry = { member: string; score: number };

export interface SkipListOptions {
  /** The most levels a node may have, an integer in [1, 64]; default 32, as in Redis. */
  maxLevel?: number;
  /** The probability of growing one more level, in (0, 1); default 1/4, as in Redis. */
  p?: number;
  /** Uniform in [0, 1); default `Math.random`. */
  random?: () => number;
  /**
   * The order of entries; default: score ascending, then member with `<`. It must sort by score
   * first (range queries compare scores directly) and return 0 only for the same pair.
   */
  compare?: (a: Entry, b: Entry) => number;
}

export interface RangeOptions {
  /** Leave out entries whose score equals the lower bound. */
  minExclusive?: boolean;
  /** Leave out entries whose score equals the upper bound. */
  maxExclusive?: boolean;
  /** Skip this many matches first, a non-negative integer; default 0. */
  offset?: number;
  /** Return at most this many matches, an integer; negative (the default) means no limit. */
  count?: number;
}

interface Level {
  forward: Node | undefined;
  /** Positions jumped by following `forward`; past the last node, the number of nodes after this one. */
  span: number;
}

interface Node {
  member: string;
  score: number;
  /** The previous node at level 0 only, for reverse scans; `undefined` for the first node. */
  backward: Node | undefined;
  readonly levels: Level[];
}

const byScoreThenMember = (a: Entry, b: Entry): number =>
  a.score < b.score ? -1 : a.score > b.score ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0;

const newNode = (score: number, member: string, height: number): Node => ({
  member,
  score,
  backward: undefined,
  levels: Array.from({ length: height }, () => ({ forward: undefined, span: 0 })),
});

const entryOf = (node: Node): Entry => ({ member: node.member, score: node.score });

function checkScore(name: string, score: number): void {
  if (Number.isNaN(score)) throw new RangeError(`${name} must be a number, got NaN`);
}

interface Bounds {
  aboveMin: (score: number) => boolean;
  belowMax: (score: number) => boolean;
  offset: number;
  count: number;
}

function bounds(min: number, max: number, { minExclusive = false, maxExclusive = false, offset = 0, count = -1 }: RangeOptions): Bounds {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  if (!Number.isInteger(count)) throw new RangeError(`count must be an integer, got ${count}`);
  return {
    aboveMin: (score) => (minExclusive ? score > min : score >= min),
    belowMax: (score) => (maxExclusive ? score < max : score <= max),
    offset,
    count,
  };
}

export class SkipList {
  readonly #maxLevel: number;
  readonly #p: number;
  readonly #random: () => number;
  readonly #compare: (a: Entry, b: Entry) => number;
  /** Holds no entry; has all maxLevel levels so that any tower can link from it. */
  readonly #header: Node;
  #level = 1;
  #length = 0;

  /**
   * @throws {RangeError} unless `maxLevel` is an integer in [1, 64] and `p` is in (0, 1).
   * @throws {TypeError} unless `random` and `compare` are functions.
   */
  constructor({ maxLevel = 32, p = 0.25, random = Math.random, compare = byScoreThenMember }: SkipListOptions = {}) {
    if (!Number.isInteger(maxLevel) || maxLevel < 1 || maxLevel > 64) {
      throw new RangeError(`maxLevel must be an integer in [1, 64], got ${maxLevel}`);
    }
    if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
    if (typeof random !== 'function') throw new TypeError(`random must be a function, got ${typeof random}`);
    if (typeof compare !== 'function') throw new TypeError(`compare must be a function, got ${typeof compare}`);
    this.#maxLevel = maxLevel;
    this.#p = p;
    this.#random = random;
    this.#compare = compare;
    this.#header = newNode(Number.NaN, '', maxLevel);
  }

  /** The number of entries. */
  get length(): number {
    return this.#length;
  }

  /** The number of levels in use: the height of the tallest tower, 1 when empty. */
  get level(): number {
    return this.#level;
  }

  /**
   * Adds the pair. Precondition: the pair is absent (in Redis, the sorted set's hash map
   * guarantees it); the same member may appear under other scores.
   * @throws {RangeError} if `score` is NaN or the pair is already in the list.
   */
  insert(score: number, member: string): void {
    checkScore('score', score);
    const entry = { score, member };
    const { update, rank } = this.#predecessors(entry);
    const next = update[0]!.levels[0]!.forward;
    if (next !== undefined && this.#compare(next, entry) === 0) {
      throw new RangeError(`(${score}, ${JSON.stringify(member)}) is already in the list`);
    }
    this.#link(entry, update, rank);
  }

  /** Removes the pair; `true` if it was there. */
  delete(score: number, member: string): boolean {
    // NaN compares as neither smaller nor larger: the member alone would decide.
    if (Number.isNaN(score)) return false;
    const entry = { score, member };
    const { update } = this.#predecessors(entry);
    const node = update[0]!.levels[0]!.forward;
    if (node === undefined || this.#compare(node, entry) !== 0) return false;
    this.#unlink(node, update);
    return true;
  }

  /**
   * Moves `member` from `oldScore` to `newScore`: in place when it stays between its
   * neighbours, else by a delete and an insert (Redis's zslUpdateScore).
   * @throws {RangeError} if `newScore` is NaN or the pair (oldScore, member) is not in the list.
   */
  updateScore(member: string, oldScore: number, newScore: number): void {
    checkScore('newScore', newScore);
    const missing = () => new RangeError(`(${oldScore}, ${JSON.stringify(member)}) is not in the list`);
    if (Number.isNaN(oldScore)) throw missing();
    const old = { score: oldScore, member };
    const { update } = this.#predecessors(old);
    const node = update[0]!.levels[0]!.forward;
    if (node === undefined || this.#compare(node, old) !== 0) throw missing();
    const moved = { score: newScore, member };
    const before = node.backward;
    const after = node.levels[0]!.forward;
    // Still between its neighbours: no link moves, so no span changes either.
    if ((before === undefined || this.#compare(before, moved) < 0) && (after === undefined || this.#compare(after, moved) > 0)) {
      node.score = newScore;
      return;
    }
    this.#unlink(node, update);
    const at = this.#predecessors(moved);
    this.#link(moved, at.update, at.rank);
  }

  /** The 0-based position of the pair in order, or -1 if it is absent. */
  rank(score: number, member: string): number {
    if (Number.isNaN(score)) return -1;
    const entry = { score, member };
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined; next = x.levels[i]!.forward) {
        const order = this.#compare(next, entry);
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
   * The entries with `min <= score <= max` in ascending order (each bound may be exclusive),
   * skipping the first `offset` matches and returning at most `count` of them.
   * @throws {RangeError} unless `offset` is a non-negative integer and `count` an integer.
   */
  rangeByScore(min: number, max: number, options: RangeOptions = {}): Entry[] {
    const { aboveMin, belowMax, offset, count } = bounds(min, max, options);
    // Find how many nodes lie below the range, then jump `offset` matches further by rank.
    let x = this.#header;
    let below = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined && !aboveMin(next.score); next = x.levels[i]!.forward) {
        below += x.levels[i]!.span;
        x = next;
      }
    }
    const result: Entry[] = [];
    if (below + offset >= this.#length) return result;
    let node = offset === 0 ? x.levels[0]!.forward : this.#nodeAt(below + offset + 1);
    for (; node !== undefined && result.length !== count && belowMax(node.score); node = node.levels[0]!.forward) {
      result.push(entryOf(node));
    }
    return result;
  }

  /**
   * The entries with `min <= score <= max` in descending order (each bound may be exclusive),
   * skipping the first `offset` matches and returning at most `count` of them. Max comes first.
   * @throws {RangeError} unless `offset` is a non-negative integer and `count` an integer.
   */
  reverseRangeByScore(max: number, min: number, options: RangeOptions = {}): Entry[] {
    const { aboveMin, belowMax, offset, count } = bounds(min, max, options);
    // Find the last node within the upper bound and its position, then jump back `offset`.
    let x = this.#header;
    let last = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined && belowMax(next.score); next = x.levels[i]!.forward) {
        last += x.levels[i]!.span;
        x = next;
      }
    }
    const result: Entry[] = [];
    if (last - offset <= 0) return result;
    let node = offset === 0 ? x : this.#nodeAt(last - offset);
    for (; node !== undefined && result.length !== count && aboveMin(node.score); node = node.backward) {
      result.push(entryOf(node));
    }
    return result;
  }

  /** The entries in order: score ascending, then member. */
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
    const update = new Array<Node>(this.#maxLevel);
    const rank = new Array<number>(this.#maxLevel);
    let x = this.#header;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      for (let next = x.levels[i]!.forward; next !== undefined && this.#compare(next, entry) < 0; next = x.levels[i]!.forward) {
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

  /** 1, plus one for each draw below p in a row, capped at maxLevel. */
  #randomLevel(): number {
    let level = 1;
    while (this.#random() < this.#p && level < this.#maxLevel) level++;
    return level;
  }
}
