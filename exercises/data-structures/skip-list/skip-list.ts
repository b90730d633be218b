/**
 * A skip list with spans, ordered by score then member: the index under Redis sorted sets.
 *
 * insert, delete, updateScore, rank and at must be O(log n) on average, range queries
 * O(log n + k). Read README.md for the idea, `npm run kata -- hint skip-list` when you are stuck.
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

export class SkipList {
  /**
   * @throws {RangeError} unless `maxLevel` is an integer in [1, 64] and `p` is in (0, 1).
   * @throws {TypeError} unless `random` and `compare` are functions.
   */
  constructor(_options: SkipListOptions = {}) {
    throw new Error('TODO: implement the SkipList constructor');
  }

  /** The number of entries. */
  get length(): number {
    throw new Error('TODO: implement SkipList#length');
  }

  /** The number of levels in use: the height of the tallest tower, 1 when empty. */
  get level(): number {
    throw new Error('TODO: implement SkipList#level');
  }

  /**
   * Adds the pair. Precondition: the pair is absent (in Redis, the sorted set's hash map
   * guarantees it); the same member may appear under other scores.
   * @throws {RangeError} if `score` is NaN or the pair is already in the list.
   */
  insert(_score: number, _member: string): void {
    throw new Error('TODO: implement SkipList#insert');
  }

  /** Removes the pair; `true` if it was there. */
  delete(_score: number, _member: string): boolean {
    throw new Error('TODO: implement SkipList#delete');
  }

  /**
   * Moves `member` from `oldScore` to `newScore`: in place when it stays between its
   * neighbours, else by a delete and an insert (Redis's zslUpdateScore).
   * @throws {RangeError} if `newScore` is NaN or the pair (oldScore, member) is not in the list.
   */
  updateScore(_member: string, _oldScore: number, _newScore: number): void {
    throw new Error('TODO: implement SkipList#updateScore');
  }

  /** The 0-based position of the pair in order, or -1 if it is absent. */
  rank(_score: number, _member: string): number {
    throw new Error('TODO: implement SkipList#rank');
  }

  /** The entry at 0-based `rank`, or `undefined` when there is none. */
  at(_rank: number): Entry | undefined {
    throw new Error('TODO: implement SkipList#at');
  }

  /**
   * The entries with `min <= score <= max` in ascending order (each bound may be exclusive),
   * skipping the first `offset` matches and returning at most `count` of them.
   * @throws {RangeError} unless `offset` is a non-negative integer and `count` an integer.
   */
  rangeByScore(_min: number, _max: number, _options: RangeOptions = {}): Entry[] {
    throw new Error('TODO: implement SkipList#rangeByScore');
  }

  /**
   * The entries with `min <= score <= max` in descending order (each bound may be exclusive),
   * skipping the first `offset` matches and returning at most `count` of them. Max comes first.
   * @throws {RangeError} unless `offset` is a non-negative integer and `count` an integer.
   */
  reverseRangeByScore(_max: number, _min: number, _options: RangeOptions = {}): Entry[] {
    throw new Error('TODO: implement SkipList#reverseRangeByScore');
  }

  /** The entries in order: score ascending, then member. */
  [Symbol.iterator](): Iterator<Entry> {
    throw new Error('TODO: implement SkipList#[Symbol.iterator]');
  }
}
