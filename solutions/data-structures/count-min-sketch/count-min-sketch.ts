/**
 * Count-min sketch: approximate frequencies of a stream in a fixed grid of d rows by w counters.
 * Each row hashes an item to one of its counters (row r uses murmur3(item, r) mod w); adding
 * increments the item's counter in every row, and the estimate is the smallest of those d
 * counters. Other items only ever add to a counter, so an estimate is never too low, and with
 * w = ceil(e / epsilon) and d = ceil(ln(1 / delta)) it is too high by more than epsilon * total
 * with probability at most delta.
 *
 * Heavy hitters: `topK` counts exactly (a Map) and keeps the k best in a size-k min-heap;
 * `topKSketched` feeds the same heap with the sketch's estimates, so its memory is the sketch
 * plus k candidates, whatever the number of distinct items.
 *
 * Complexity: add and estimate are O(d); merge is O(w * d); space is w * d counters.
 * topK is O(n + u log k) for n items of which u distinct, in O(u) memory; topKSketched is
 * O(n (d + log k)) in O(w * d + k).
 * Trade-off: memory independent of the number of distinct items, against overestimates that
 * hurt rare items most (the error is relative to the total, not to the item's count).
 */
import { murmur3 } from '#hashing';

// murmur3 would encode a string to UTF-8 on every call: encode once, hash each row from the bytes.
const encoder = new TextEncoder();

/** An item and how often it occurs (exactly, or as estimated by a sketch). */
export type ItemCount = { item: string; count: number };

export class CountMinSketch {
  readonly #width: number;
  readonly #depth: number;
  /** Row r's counters are cells r * width .. r * width + width - 1; doubles count exactly to 2^53. */
  readonly #cells: Float64Array;
  #total = 0;

  /**
   * A sketch whose estimates exceed the true count by more than `epsilon * total` with
   * probability at most `delta`: width = ceil(e / epsilon), depth = ceil(ln(1 / delta)).
   * @throws {RangeError} unless `epsilon` and `delta` are in (0, 1).
   */
  static forError(epsilon: number, delta: number): CountMinSketch {
    if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
    if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
    return new CountMinSketch(Math.ceil(Math.E / epsilon), Math.ceil(Math.log(1 / delta)));
  }

  /**
   * An empty sketch of `depth` rows of `width` counters.
   * @throws {RangeError} unless `width` and `depth` are positive integers.
   */
  constructor(width: number, depth: number) {
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be a positive integer, got ${width}`);
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be a positive integer, got ${depth}`);
    this.#width = width;
    this.#depth = depth;
    this.#cells = new Float64Array(width * depth);
  }

  /** w, the number of counters per row. */
  get width(): number {
    return this.#width;
  }

  /** d, the number of rows. */
  get depth(): number {
    return this.#depth;
  }

  /** The sum of every count added, merges included. */
  get total(): number {
    return this.#total;
  }

  /**
   * Counts `count` more occurrences of `item`.
   * @throws {RangeError} unless `count` is a positive safe integer.
   */
  add(item: string, count = 1): void {
    if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    const bytes = encoder.encode(item);
    for (let row = 0; row < this.#depth; row++) this.#cells[this.#cell(bytes, row)]! += count;
    this.#total += count;
  }

  /** How often `item` occurred: never less than the truth, and 0 on an empty sketch. */
  estimate(item: string): number {
    const bytes = encoder.encode(item);
    let estimate = Number.POSITIVE_INFINITY;
    for (let row = 0; row < this.#depth; row++) estimate = Math.min(estimate, this.#cells[this.#cell(bytes, row)]!);
    return estimate;
  }

  /**
   * Adds `other`'s counts to this sketch, which then estimates the two streams together.
   * `other` is left unchanged.
   * @throws {RangeError} unless `other` has the same width and depth.
   */
  merge(other: CountMinSketch): void {
    if (other.#width !== this.#width || other.#depth !== this.#depth) {
      throw new RangeError(
        `other must have the same dimensions, ${this.#width} x ${this.#depth}, got ${other.#width} x ${other.#depth}`,
      );
    }
    for (let i = 0; i < this.#cells.length; i++) this.#cells[i]! += other.#cells[i]!;
    this.#total += other.#total;
  }

  /** Row `row`'s counter for the item: murmur3 seeded with the row number, so rows hash independently. */
  #cell(bytes: Uint8Array, row: number): number {
    return row * this.#width + (murmur3(bytes, row) % this.#width);
  }
}

/**
 * The `k` most frequent items with their exact counts, most frequent first, ties by item
 * (ascending, by code unit). Fewer than `k` if there are fewer distinct items.
 * @throws {RangeError} unless `k` is a positive integer.
 */
export function topK(items: Iterable<string>, k: number): ItemCount[] {
  checkK(k);
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  const best = new TopHeap(k);
  for (const [item, count] of counts) best.offer(item, count);
  return best.entries().sort(byRank);
}

/**
 * The `k` items with the highest estimates, found in one pass: each item is added to `sketch`,
 * then offered to a size-k min-heap with its new estimate. Counts are the sketch's estimates at
 * the end of the stream (never below the truth); ordered as `topK`.
 * @throws {RangeError} unless `k` is a positive integer.
 */
export function topKSketched(items: Iterable<string>, k: number, sketch: CountMinSketch): ItemCount[] {
  checkK(k);
  const best = new TopHeap(k);
  for (const item of items) {
    sketch.add(item);
    best.offer(item, sketch.estimate(item));
  }
  // The heap holds each candidate's estimate when it was last seen; later collisions may have raised it.
  return best.entries().map(({ item }) => ({ item, count: sketch.estimate(item) })).sort(byRank);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

/** Higher count first, then the smaller item. */
const byRank = (a: ItemCount, b: ItemCount): number =>
  b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);

/**
 * The best `capacity` items offered so far, in a min-heap whose root is the worst of them, so
 * that a better newcomer replaces it in O(log k). An item already inside has its count raised
 * in place (counts only grow), through an index from item to heap position.
 */
class TopHeap {
  readonly #capacity: number;
  readonly #heap: ItemCount[] = [];
  readonly #position = new Map<string, number>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  offer(item: string, count: number): void {
    const at = this.#position.get(item);
    if (at !== undefined) {
      this.#heap[at]!.count = count;
      this.#siftDown(at);
    } else if (this.#heap.length < this.#capacity) {
      this.#heap.push({ item, count });
      this.#position.set(item, this.#heap.length - 1);
      this.#siftUp(this.#heap.length - 1);
    } else if (worse(this.#heap[0]!, { item, count })) {
      this.#position.delete(this.#heap[0]!.item);
      this.#heap[0] = { item, count };
      this.#position.set(item, 0);
      this.#siftDown(0);
    }
  }

  /** Copies of the entries, in heap order. */
  entries(): ItemCount[] {
    return this.#heap.map(({ item, count }) => ({ item, count }));
  }

  #siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(this.#heap[i]!, this.#heap[parent]!)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.#heap.length && worse(this.#heap[left]!, this.#heap[worst]!)) worst = left;
      if (right < this.#heap.length && worse(this.#heap[right]!, this.#heap[worst]!)) worst = right;
      if (worst === i) return;
      this.#swap(i, worst);
      i = worst;
    }
  }

  #swap(i: number, j: number): void {
    const a = this.#heap[i]!;
    const b = this.#heap[j]!;
    this.#heap[i] = b;
    this.#heap[j] = a;
    this.#position.set(b.item, i);
    this.#position.set(a.item, j);
  }
}

/** Whether `a` ranks below `b`: a lower count, or the same count and a greater item. */
function worse(a: ItemCount, b: ItemCount): boolean {
  return a.count < b.count || (a.count === b.count && a.item > b.item);
}
