/**
 * The ordered half of a sorted set: a skip list with spans, as in Redis. This file is given:
 * use it from sorted-set.ts as it is. It is the `skip-list` kata's structure, trimmed to what a
 * sorted set needs, plus `countWhile` and `slice`, and laid out for speed (below).
 *
 * Entries are ordered by score, then by member with `<`. Every link stores its span, the number
 * of positions it jumps, so a search that adds up the spans it crosses knows the rank of where
 * it stands: rank, lookup by rank and "how many entries come before this point" are all the same
 * top-down walk.
 *
 * The layout: the `skip-list` kata gives each entry one node holding an array of levels, as
 * Redis's C struct does, so each step of a walk reads several objects (the array, the level,
 * the next node). Here each entry's tower is a stack of small `Lane` objects, one per level,
 * each holding the entry's score and member, its link on that level and the lane below it: a
 * step reads one object. In a list too big for the CPU's caches every read is a likely cache
 * miss, and inserts and deletes measure about twice as fast this way.
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

/** One level of one entry's tower. A walk that stands on a lane knows the entry's key from it. */
class Lane {
  constructor(
    public score: number,
    readonly member: string,
    /** The next tower's lane on this level; `undefined` past the last. */
    public next: Lane | undefined,
    /** Positions jumped by `next`; past the last tower, the number of entries after this one. */
    public span: number,
    /** The same tower one level down; `undefined` on the bottom level. */
    readonly down: Lane | undefined,
  ) {}
}

/** Redis's constants: towers grow one more level with probability 1/4, up to 32 levels. */
const MAX_LEVEL = 32;
const P = 0.25;

/** The order of the pair (`score`, `member`) relative to `lane`: negative when the lane comes first. */
const compare = (lane: Lane, score: number, member: string): number =>
  lane.score < score ? -1 : lane.score > score ? 1 : lane.member < member ? -1 : lane.member > member ? 1 : 0;

/** Whether `lane` comes before the pair (`score`, `member`): the test of every step of a search. */
const precedes = (lane: Lane, score: number, member: string): boolean =>
  lane.score < score || (lane.score === score && lane.member < member);

const entryOf = (lane: Lane): Entry => ({ member: lane.member, score: lane.score });

export class SkipList {
  readonly #random: () => number;
  /** The header: a tower of every level, holding no entry, so that any tower can link from it. */
  readonly #heads: Lane[] = [];
  // Scratch space of #predecessors, reused by every insert, delete and update: operations are
  // synchronous, so one walk never overlaps another.
  readonly #update: Lane[];
  readonly #rank = new Array<number>(MAX_LEVEL).fill(0);
  #level = 1;
  #length = 0;

  /** @throws {TypeError} unless `random` is a function. */
  constructor({ random = Math.random }: SkipListOptions = {}) {
    if (typeof random !== 'function') throw new TypeError(`random must be a function, got ${typeof random}`);
    this.#random = random;
    let down: Lane | undefined;
    for (let i = 0; i < MAX_LEVEL; i++) {
      down = new Lane(0, '', undefined, 0, down);
      this.#heads.push(down);
    }
    this.#update = [...this.#heads];
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
    const next = this.#predecessors(score, member).next;
    if (next !== undefined && compare(next, score, member) === 0) {
      throw new RangeError(`(${score}, ${JSON.stringify(member)}) is already in the list`);
    }
    this.#link(score, member);
  }

  /** Removes the pair; `true` if it was there. The score must be the one it was inserted with. */
  delete(score: number, member: string): boolean {
    if (Number.isNaN(score)) return false;
    const lane = this.#predecessors(score, member).next;
    if (lane === undefined || compare(lane, score, member) !== 0) return false;
    this.#unlink(member);
    return true;
  }

  /**
   * Moves `member` from `oldScore` to `newScore`: in place when it stays between its
   * neighbours, else by a delete and an insert (Redis's zslUpdateScore).
   * @throws {RangeError} if `newScore` is NaN or the pair (oldScore, member) is not there.
   */
  updateScore(member: string, oldScore: number, newScore: number): void {
    if (Number.isNaN(newScore)) throw new RangeError('newScore must be a number, got NaN');
    const before = this.#predecessors(oldScore, member);
    const lane = before.next;
    if (lane === undefined || compare(lane, oldScore, member) !== 0) {
      throw new RangeError(`(${oldScore}, ${JSON.stringify(member)}) is not in the list`);
    }
    const after = lane.next;
    if ((before === this.#heads[0] || compare(before, newScore, member) < 0) && (after === undefined || compare(after, newScore, member) > 0)) {
      // Every lane of the tower holds the score: they follow the predecessors, from the bottom up.
      for (let i = 0; i < this.#level; i++) {
        const up = this.#update[i]!.next;
        if (up === undefined || up.member !== member) break;
        up.score = newScore;
      }
      return;
    }
    this.#unlink(member);
    this.#predecessors(newScore, member);
    this.#link(newScore, member);
  }

  /** The 0-based position of the pair in order, or -1 if it is not there. */
  rank(score: number, member: string): number {
    if (Number.isNaN(score)) return -1;
    let x = this.#heads[this.#level - 1]!;
    let traversed = 0;
    for (;;) {
      for (let next = x.next; next !== undefined; next = x.next) {
        const order = compare(next, score, member);
        if (order > 0) break;
        traversed += x.span;
        if (order === 0) return traversed - 1;
        x = next;
      }
      if (x.down === undefined) return -1;
      x = x.down;
    }
  }

  /** The entry at 0-based `rank`, or `undefined` when there is none. */
  at(rank: number): Entry | undefined {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.#length) return undefined;
    return entryOf(this.#laneAt(rank + 1));
  }

  /**
   * How many entries, from the first, satisfy `before`: the rank of the first entry that does
   * not (or `length`). `before` must be true for a prefix of the order and false after it, like
   * `(e) => e.score < 10`; it is called O(log n) times.
   */
  countWhile(before: (entry: Entry) => boolean): number {
    let x = this.#heads[this.#level - 1]!;
    let traversed = 0;
    for (;;) {
      for (let next = x.next; next !== undefined && before(next); next = x.next) {
        traversed += x.span;
        x = next;
      }
      if (x.down === undefined) return traversed;
      x = x.down;
    }
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
    for (let lane: Lane | undefined = this.#laneAt(from + 1); lane !== undefined && entries.length < to - from; lane = lane.next) {
      entries.push(entryOf(lane));
    }
    return entries;
  }

  /** The entries in order, as fresh `{ member, score }` objects. */
  *[Symbol.iterator](): Iterator<Entry> {
    for (let lane = this.#heads[0]!.next; lane !== undefined; lane = lane.next) yield entryOf(lane);
  }

  /**
   * Walks down from the top level to the last lane before (`score`, `member`) on every level:
   * the lanes whose links an insert or a delete there must change. Leaves them in `#update`,
   * and in `#rank` their positions (the header being 0); returns the one on the bottom level.
   */
  #predecessors(score: number, member: string): Lane {
    let x = this.#heads[this.#level - 1]!;
    let traversed = 0;
    // The lane that ended the walk on the level above. Its tower ends this level's walk too, so
    // meeting it again ends the walk without a comparison (Pugh's saved comparison).
    let stop: Lane | undefined;
    for (let i = this.#level - 1; ; i--) {
      let next = x.next;
      for (; next !== stop && next !== undefined && precedes(next, score, member); next = x.next) {
        traversed += x.span;
        x = next;
      }
      this.#update[i] = x;
      this.#rank[i] = traversed;
      if (x.down === undefined) return x;
      stop = next?.down;
      x = x.down;
    }
  }

  /** Links a new tower for the pair after the lanes #predecessors left in `#update`. */
  #link(score: number, member: string): void {
    const update = this.#update;
    const rank = this.#rank;
    const height = this.#randomLevel();
    if (height > this.#level) {
      // A new level starts at the header and, so far, has jumped over the whole list.
      for (let i = this.#level; i < height; i++) {
        update[i] = this.#heads[i]!;
        rank[i] = 0;
        update[i]!.span = this.#length;
      }
      this.#level = height;
    }
    let lane: Lane | undefined;
    for (let i = 0; i < height; i++) {
      // prev --span--> after   becomes   prev --(gap + 1)--> lane --(span - gap)--> after,
      // where gap counts the entries between prev and the new one.
      const prev = update[i]!;
      const gap = rank[0]! - rank[i]!;
      lane = new Lane(score, member, prev.next, prev.span - gap, lane);
      prev.next = lane;
      prev.span = gap + 1;
    }
    // Levels above the new tower now jump over one more entry.
    for (let i = height; i < this.#level; i++) update[i]!.span++;
    this.#length++;
  }

  /**
   * Unlinks the tower of `member`, whose predecessors #predecessors left in `#update`. Members
   * are unique, so a lane holding `member` is one of its tower.
   */
  #unlink(member: string): void {
    for (let i = 0; i < this.#level; i++) {
      const prev = this.#update[i]!;
      const lane = prev.next;
      if (lane !== undefined && lane.member === member) {
        // prev --span--> lane --lane.span--> after   becomes   prev --(span + lane.span - 1)--> after
        prev.span += lane.span - 1;
        prev.next = lane.next;
      } else {
        // A level that passes over the tower now jumps one position fewer.
        prev.span--;
      }
    }
    while (this.#level > 1 && this.#heads[this.#level - 1]!.next === undefined) this.#level--;
    this.#length--;
  }

  /** The lane of the entry at 1-based `position` (1 to length), following spans down from the top. */
  #laneAt(position: number): Lane {
    let x = this.#heads[this.#level - 1]!;
    let traversed = 0;
    for (;;) {
      for (let next = x.next; next !== undefined && traversed + x.span <= position; next = x.next) {
        traversed += x.span;
        x = next;
      }
      if (traversed === position || x.down === undefined) break;
      x = x.down;
    }
    // Any lane of the tower will do; the bottom one leads on to the next entries.
    while (x.down !== undefined) x = x.down;
    return x;
  }

  /** 1, plus one for each draw below 1/4 in a row, capped at 32. */
  #randomLevel(): number {
    let level = 1;
    while (this.#random() < P && level < MAX_LEVEL) level++;
    return level;
  }
}
