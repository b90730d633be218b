/**
 * A count-min sketch: approximate counts of a stream in a fixed grid of counters, never below
 * the truth; and two ways to find the k most frequent items.
 *
 * Hash with {@link murmur3} (MurmurHash3, 32 bits, imported below): row r of the sketch uses
 * the counter murmur3(item, r) % width. Read README.md for the idea,
 * `npm run kata -- hint count-min-sketch` when you are stuck.
 */
import { murmur3 } from '#hashing';

/** An item and how often it occurs (exactly, or as estimated by a sketch). */
export type ItemCount = { item: string; count: number };

export class CountMinSketch {
  /**
   * A sketch whose estimates exceed the true count by more than `epsilon * total` with
   * probability at most `delta`: width = ceil(e / epsilon), depth = ceil(ln(1 / delta)).
   * @throws {RangeError} unless `epsilon` and `delta` are in (0, 1).
   */
  static forError(_epsilon: number, _delta: number): CountMinSketch {
    throw new Error('TODO: implement CountMinSketch.forError');
  }

  /**
   * An empty sketch of `depth` rows of `width` counters.
   * @throws {RangeError} unless `width` and `depth` are positive integers.
   */
  constructor(_width: number, _depth: number) {
    throw new Error('TODO: implement the CountMinSketch constructor');
  }

  /** w, the number of counters per row. */
  get width(): number {
    throw new Error('TODO: implement CountMinSketch#width');
  }

  /** d, the number of rows. */
  get depth(): number {
    throw new Error('TODO: implement CountMinSketch#depth');
  }

  /** The sum of every count added, merges included. */
  get total(): number {
    throw new Error('TODO: implement CountMinSketch#total');
  }

  /**
   * Counts `count` more occurrences of `item`.
   * @throws {RangeError} unless `count` is a positive safe integer.
   */
  add(_item: string, _count = 1): void {
    throw new Error('TODO: implement CountMinSketch#add');
  }

  /** How often `item` occurred: never less than the truth, and 0 on an empty sketch. */
  estimate(_item: string): number {
    throw new Error('TODO: implement CountMinSketch#estimate');
  }

  /**
   * Adds `other`'s counts to this sketch, which then estimates the two streams together.
   * `other` is left unchanged.
   * @throws {RangeError} unless `other` has the same width and depth.
   */
  merge(_other: CountMinSketch): void {
    throw new Error('TODO: implement CountMinSketch#merge');
  }
}

/**
 * The `k` most frequent items with their exact counts, most frequent first, ties by item
 * (ascending, by code unit). Fewer than `k` if there are fewer distinct items.
 * @throws {RangeError} unless `k` is a positive integer.
 */
export function topK(_items: Iterable<string>, _k: number): ItemCount[] {
  throw new Error('TODO: implement topK');
}

/**
 * The `k` items with the highest estimates, found in one pass: each item is added to `sketch`,
 * then offered to a size-k min-heap with its new estimate. Counts are the sketch's estimates at
 * the end of the stream (never below the truth); ordered as `topK`.
 * @throws {RangeError} unless `k` is a positive integer.
 */
export function topKSketched(_items: Iterable<string>, _k: number, _sketch: CountMinSketch): ItemCount[] {
  throw new Error('TODO: implement topKSketched');
}
