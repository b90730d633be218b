/**
 * A sorted set with Redis's commands (ZADD, ZRANGE, ZRANGEBYSCORE, ZRANGEBYLEX, ZPOPMIN…).
 *
 * Build it on `SkipList` from skip-list.ts (given complete) plus a hash map. zadd, zrem, zrank
 * and zrevrank must be O(log n), zscore and zcard O(1). Read README.md for the idea,
 * `npm run kata -- hint sorted-set` when you are stuck.
 */
export type { Entry } from './skip-list.ts';
import type { Entry } from './skip-list.ts';

/** ZADD's options. */
export interface ZAddFlags {
  /** Only add new members; never update. */
  nx?: boolean;
  /** Only update existing members; never add. */
  xx?: boolean;
  /** Update an existing member only when the new score is greater. New members are still added. */
  gt?: boolean;
  /** Update an existing member only when the new score is less. New members are still added. */
  lt?: boolean;
  /** Return the number of members added or changed, not only added. */
  ch?: boolean;
}

/** A score bound: a number (inclusive), or a string: `1.5`, `(1.5` (exclusive), `-inf`, `+inf`. */
export type ScoreBound = string | number;

/** Redis's LIMIT: skip `offset` matches, then return at most `count`; a negative count means all the rest. */
export interface Limit {
  offset: number;
  count: number;
}

export interface SortedSetOptions {
  /** Uniform in [0, 1), for the skip list's tower heights; default `Math.random`. */
  random?: () => number;
}

export class SortedSet {
  /** @throws {TypeError} unless `random` is a function. */
  constructor(_options: SortedSetOptions = {}) {
    throw new Error('TODO: implement the SortedSet constructor');
  }

  /**
   * ZADD: sets the score of `member`, adding it if new. Returns the number of members added,
   * or added plus changed with `ch`.
   * @throws {RangeError} for NX with XX, NX with GT or LT, GT with LT, or a NaN score.
   */
  zadd(_member: string, _score: number, _flags: ZAddFlags = {}): number {
    throw new Error('TODO: implement SortedSet#zadd');
  }

  /**
   * ZINCRBY: adds `delta` to the score of `member` (a new member starts at 0) and returns the
   * new score.
   * @throws {RangeError} for a NaN delta, or when the sum is NaN (`+inf` plus `-inf`); then
   * nothing changes.
   */
  zincrby(_member: string, _delta: number): number {
    throw new Error('TODO: implement SortedSet#zincrby');
  }

  /** ZREM: removes the members and returns how many were there. */
  zrem(..._members: string[]): number {
    throw new Error('TODO: implement SortedSet#zrem');
  }

  /** ZSCORE: the score of `member`, or `undefined`. */
  zscore(_member: string): number | undefined {
    throw new Error('TODO: implement SortedSet#zscore');
  }

  /** ZRANK: the 0-based position of `member`, lowest score first, or `undefined`. */
  zrank(_member: string): number | undefined {
    throw new Error('TODO: implement SortedSet#zrank');
  }

  /** ZREVRANK: the 0-based position of `member`, highest score first, or `undefined`. */
  zrevrank(_member: string): number | undefined {
    throw new Error('TODO: implement SortedSet#zrevrank');
  }

  /** ZCARD: the number of members. */
  zcard(): number {
    throw new Error('TODO: implement SortedSet#zcard');
  }

  /**
   * ZRANGE: the entries from index `start` to `stop`, both inclusive, lowest score first.
   * Negative indexes count from the end (-1 is the last); out-of-range indexes are clamped.
   * @throws {RangeError} unless both are integers.
   */
  zrange(_start: number, _stop: number): Entry[] {
    throw new Error('TODO: implement SortedSet#zrange');
  }

  /**
   * ZREVRANGE: as `zrange`, with indexes counted from the highest score.
   * @throws {RangeError} unless both are integers.
   */
  zrevrange(_start: number, _stop: number): Entry[] {
    throw new Error('TODO: implement SortedSet#zrevrange');
  }

  /**
   * ZRANGEBYSCORE: the entries with `min <= score <= max`, lowest first. Numbers are inclusive;
   * strings may be `(`-prefixed (exclusive), `-inf` or `+inf`.
   * @throws {RangeError} "min or max is not a float" for a bound that is not a float or is NaN,
   * and a RangeError unless the limit's offset and count are integers.
   */
  zrangebyscore(_min: ScoreBound, _max: ScoreBound, _limit?: Limit): Entry[] {
    throw new Error('TODO: implement SortedSet#zrangebyscore');
  }

  /**
   * ZREVRANGEBYSCORE: as `zrangebyscore`, highest first; `max` comes first.
   * @throws {RangeError} as `zrangebyscore`.
   */
  zrevrangebyscore(_max: ScoreBound, _min: ScoreBound, _limit?: Limit): Entry[] {
    throw new Error('TODO: implement SortedSet#zrevrangebyscore');
  }

  /**
   * ZCOUNT: the number of entries with `min <= score <= max`, bounds as in `zrangebyscore`.
   * @throws {RangeError} "min or max is not a float".
   */
  zcount(_min: ScoreBound, _max: ScoreBound): number {
    throw new Error('TODO: implement SortedSet#zcount');
  }

  /**
   * ZRANGEBYLEX: the members between `min` and `max` by member order, for a set whose scores are
   * all equal (otherwise the result is unspecified, as in Redis). Bounds are `[x` (inclusive),
   * `(x` (exclusive), `-` (before everything) or `+` (after everything).
   * @throws {RangeError} "min or max not valid string range item" for any other bound, and a
   * RangeError unless the limit's offset and count are integers.
   */
  zrangebylex(_min: string, _max: string, _limit?: Limit): string[] {
    throw new Error('TODO: implement SortedSet#zrangebylex');
  }

  /**
   * ZREVRANGEBYLEX: as `zrangebylex`, from the last member down; `max` comes first.
   * @throws {RangeError} as `zrangebylex`.
   */
  zrevrangebylex(_max: string, _min: string, _limit?: Limit): string[] {
    throw new Error('TODO: implement SortedSet#zrevrangebylex');
  }

  /**
   * ZLEXCOUNT: the number of members between `min` and `max`, bounds as in `zrangebylex`.
   * @throws {RangeError} "min or max not valid string range item".
   */
  zlexcount(_min: string, _max: string): number {
    throw new Error('TODO: implement SortedSet#zlexcount');
  }

  /**
   * ZPOPMIN: removes and returns the `count` entries with the lowest scores, lowest first.
   * @throws {RangeError} unless `count` is a non-negative integer.
   */
  zpopmin(_count = 1): Entry[] {
    throw new Error('TODO: implement SortedSet#zpopmin');
  }

  /**
   * ZPOPMAX: removes and returns the `count` entries with the highest scores, highest first.
   * @throws {RangeError} unless `count` is a non-negative integer.
   */
  zpopmax(_count = 1): Entry[] {
    throw new Error('TODO: implement SortedSet#zpopmax');
  }
}
