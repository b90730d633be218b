/**
 * Sorted set with Redis's commands: a hash map from member to score, plus a skip list of
 * (score, member) pairs ordered by score, then member. The map answers ZSCORE, keeps members
 * unique and supplies the old score that the list needs to find an entry; the list keeps the
 * order and, through its spans, the rank of every entry.
 *
 * Every range command is two counts and a slice: a bound is a cut in the order, the list counts
 * the entries before each cut in O(log n), and the range is the ranks between the two cuts.
 *
 * Complexity: zscore and zcard O(1); zadd, zincrby, zrank and zrevrank O(log n); zrem O(log n)
 * per member; zcount and zlexcount O(log n); the range commands O(log n + k) for k entries
 * returned, whatever the offset; zpopmin and zpopmax O(k log n).
 * Trade-off: each member is stored twice, in the map and in the list, to have both O(1) lookup
 * by member and O(log n) access by order.
 */
import { SkipList, type Entry } from './skip-list.ts';

export type { Entry };

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

/** Whether an entry sorts before a cut in the order: true for a prefix of the entries, false after. */
type Cut = (entry: Entry) => boolean;

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INFINITY = /^([+-]?)inf(inity)?$/i;

/** The float that the whole of `text` spells (`-2.5`, `.5`, `1e3`, `+inf`…), or NaN. */
function readFloat(text: string): number {
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return infinity[1] === '-' ? -Infinity : Infinity;
  return FLOAT.test(text) ? Number(text) : Number.NaN;
}

/** Reads a score bound as Redis does: a number is inclusive, `(` makes a string exclusive. */
function scoreCut(bound: ScoreBound, isMax: boolean): Cut {
  const exclusive = typeof bound === 'string' && bound.startsWith('(');
  const value = typeof bound === 'number' ? bound : readFloat(exclusive ? bound.slice(1) : bound);
  if (Number.isNaN(value)) throw new RangeError('min or max is not a float');
  // An inclusive min and an exclusive max cut just before `value`; the other two just after it.
  return exclusive === isMax ? (entry) => entry.score < value : (entry) => entry.score <= value;
}

/** Reads a lex bound as Redis does: `[x` inclusive, `(x` exclusive, `-` and `+` the two ends. */
function lexCut(bound: string, isMax: boolean): Cut {
  if (bound === '-') return () => false;
  if (bound === '+') return () => true;
  const value = bound.slice(1);
  let exclusive: boolean;
  if (bound.startsWith('(')) exclusive = true;
  else if (bound.startsWith('[')) exclusive = false;
  else throw new RangeError('min or max not valid string range item');
  return exclusive === isMax ? (entry) => entry.member < value : (entry) => entry.member <= value;
}

function checkInteger(name: string, value: number): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
}

function checkScore(name: string, value: number): void {
  if (Number.isNaN(value)) throw new RangeError(`${name} must be a number, got NaN`);
}

function checkPopCount(count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
}

export class SortedSet {
  readonly #scores = new Map<string, number>();
  readonly #list: SkipList;

  /** @throws {TypeError} unless `random` is a function. */
  constructor({ random = Math.random }: SortedSetOptions = {}) {
    this.#list = new SkipList({ random });
  }

  /**
   * ZADD: sets the score of `member`, adding it if new. Returns the number of members added,
   * or added plus changed with `ch`.
   * @throws {RangeError} for NX with XX, NX with GT or LT, GT with LT, or a NaN score.
   */
  zadd(member: string, score: number, flags: ZAddFlags = {}): number {
    const { nx = false, xx = false, gt = false, lt = false, ch = false } = flags;
    if (nx && xx) throw new RangeError('XX and NX options at the same time are not compatible');
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      throw new RangeError('GT, LT, and/or NX options at the same time are not compatible');
    }
    checkScore('score', score);
    const old = this.#scores.get(member);
    if (old === undefined) {
      if (xx) return 0;
      this.#add(member, score);
      return 1;
    }
    if (nx || (gt && score <= old) || (lt && score >= old) || score === old) return 0;
    this.#update(member, old, score);
    return ch ? 1 : 0;
  }

  /**
   * ZINCRBY: adds `delta` to the score of `member` (a new member starts at 0) and returns the
   * new score.
   * @throws {RangeError} for a NaN delta, or when the sum is NaN (`+inf` plus `-inf`); then
   * nothing changes.
   */
  zincrby(member: string, delta: number): number {
    checkScore('delta', delta);
    const old = this.#scores.get(member);
    if (old === undefined) {
      this.#add(member, delta);
      return delta;
    }
    const score = old + delta;
    if (Number.isNaN(score)) throw new RangeError('resulting score is not a number (NaN)');
    if (score !== old) this.#update(member, old, score);
    return score;
  }

  /** ZREM: removes the members and returns how many were there. */
  zrem(...members: string[]): number {
    let removed = 0;
    for (const member of members) {
      const score = this.#scores.get(member);
      if (score === undefined) continue;
      this.#scores.delete(member);
      this.#list.delete(score, member);
      removed++;
    }
    return removed;
  }

  /** ZSCORE: the score of `member`, or `undefined`. */
  zscore(member: string): number | undefined {
    return this.#scores.get(member);
  }

  /** ZRANK: the 0-based position of `member`, lowest score first, or `undefined`. */
  zrank(member: string): number | undefined {
    const score = this.#scores.get(member);
    return score === undefined ? undefined : this.#list.rank(score, member);
  }

  /** ZREVRANK: the 0-based position of `member`, highest score first, or `undefined`. */
  zrevrank(member: string): number | undefined {
    const rank = this.zrank(member);
    return rank === undefined ? undefined : this.#list.length - 1 - rank;
  }

  /** ZCARD: the number of members. */
  zcard(): number {
    return this.#scores.size;
  }

  /**
   * ZRANGE: the entries from index `start` to `stop`, both inclusive, lowest score first.
   * Negative indexes count from the end (-1 is the last); out-of-range indexes are clamped.
   * @throws {RangeError} unless both are integers.
   */
  zrange(start: number, stop: number): Entry[] {
    const [from, to] = this.#indexes(start, stop);
    return this.#list.slice(from, to);
  }

  /**
   * ZREVRANGE: as `zrange`, with indexes counted from the highest score.
   * @throws {RangeError} unless both are integers.
   */
  zrevrange(start: number, stop: number): Entry[] {
    const [from, to] = this.#indexes(start, stop);
    const length = this.#list.length;
    return this.#list.slice(length - to, length - from).reverse();
  }

  /**
   * ZRANGEBYSCORE: the entries with `min <= score <= max`, lowest first. Numbers are inclusive;
   * strings may be `(`-prefixed (exclusive), `-inf` or `+inf`.
   * @throws {RangeError} "min or max is not a float" for a bound that is not a float or is NaN,
   * and a RangeError unless the limit's offset and count are integers.
   */
  zrangebyscore(min: ScoreBound, max: ScoreBound, limit?: Limit): Entry[] {
    return this.#range(scoreCut(min, false), scoreCut(max, true), limit, false);
  }

  /**
   * ZREVRANGEBYSCORE: as `zrangebyscore`, highest first; `max` comes first.
   * @throws {RangeError} as `zrangebyscore`.
   */
  zrevrangebyscore(max: ScoreBound, min: ScoreBound, limit?: Limit): Entry[] {
    return this.#range(scoreCut(min, false), scoreCut(max, true), limit, true);
  }

  /**
   * ZCOUNT: the number of entries with `min <= score <= max`, bounds as in `zrangebyscore`.
   * @throws {RangeError} "min or max is not a float".
   */
  zcount(min: ScoreBound, max: ScoreBound): number {
    return this.#count(scoreCut(min, false), scoreCut(max, true));
  }

  /**
   * ZRANGEBYLEX: the members between `min` and `max` by member order, for a set whose scores are
   * all equal (otherwise the result is unspecified, as in Redis). Bounds are `[x` (inclusive),
   * `(x` (exclusive), `-` (before everything) or `+` (after everything).
   * @throws {RangeError} "min or max not valid string range item" for any other bound, and a
   * RangeError unless the limit's offset and count are integers.
   */
  zrangebylex(min: string, max: string, limit?: Limit): string[] {
    return this.#range(lexCut(min, false), lexCut(max, true), limit, false).map((entry) => entry.member);
  }

  /**
   * ZREVRANGEBYLEX: as `zrangebylex`, from the last member down; `max` comes first.
   * @throws {RangeError} as `zrangebylex`.
   */
  zrevrangebylex(max: string, min: string, limit?: Limit): string[] {
    return this.#range(lexCut(min, false), lexCut(max, true), limit, true).map((entry) => entry.member);
  }

  /**
   * ZLEXCOUNT: the number of members between `min` and `max`, bounds as in `zrangebylex`.
   * @throws {RangeError} "min or max not valid string range item".
   */
  zlexcount(min: string, max: string): number {
    return this.#count(lexCut(min, false), lexCut(max, true));
  }

  /**
   * ZPOPMIN: removes and returns the `count` entries with the lowest scores, lowest first.
   * @throws {RangeError} unless `count` is a non-negative integer.
   */
  zpopmin(count = 1): Entry[] {
    checkPopCount(count);
    return this.#pop(this.#list.slice(0, count));
  }

  /**
   * ZPOPMAX: removes and returns the `count` entries with the highest scores, highest first.
   * @throws {RangeError} unless `count` is a non-negative integer.
   */
  zpopmax(count = 1): Entry[] {
    checkPopCount(count);
    const length = this.#list.length;
    return this.#pop(this.#list.slice(length - count, length).reverse());
  }

  #add(member: string, score: number): void {
    this.#scores.set(member, score);
    this.#list.insert(score, member);
  }

  // The list is ordered by score: the entry must move there too, not only change in the map.
  #update(member: string, old: number, score: number): void {
    this.#scores.set(member, score);
    this.#list.updateScore(member, old, score);
  }

  /** ZRANGE's indexes as ranks [from, to), clamped to the set. */
  #indexes(start: number, stop: number): [from: number, to: number] {
    checkInteger('start', start);
    checkInteger('stop', stop);
    const length = this.#list.length;
    const from = Math.max(0, start < 0 ? start + length : start);
    const to = Math.min(length, (stop < 0 ? stop + length : stop) + 1);
    return from < to ? [from, to] : [0, 0];
  }

  #count(min: Cut, max: Cut): number {
    return Math.max(0, this.#list.countWhile(max) - this.#list.countWhile(min));
  }

  /** The entries between the cuts, paged by `limit` from the low end, or from the high end when reversed. */
  #range(min: Cut, max: Cut, limit: Limit | undefined, reverse: boolean): Entry[] {
    const offset = limit?.offset ?? 0;
    const count = limit?.count ?? -1;
    checkInteger('offset', offset);
    checkInteger('count', count);
    // Redis walks `offset` entries and finds none left: a negative offset is not "from the end".
    if (offset < 0) return [];
    let from = this.#list.countWhile(min);
    let to = this.#list.countWhile(max);
    if (reverse) {
      to -= offset;
      if (count >= 0) from = Math.max(from, to - count);
    } else {
      from += offset;
      if (count >= 0) to = Math.min(to, from + count);
    }
    if (from >= to) return [];
    const entries = this.#list.slice(from, to);
    return reverse ? entries.reverse() : entries;
  }

  #pop(entries: Entry[]): Entry[] {
    for (const { member, score } of entries) {
      this.#scores.delete(member);
      this.#list.delete(score, member);
    }
    return entries;
  }
}
