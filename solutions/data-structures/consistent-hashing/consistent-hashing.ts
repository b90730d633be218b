/**
 * Consistent hashing, two ways.
 *
 * HashRing: each physical node is hashed onto a circle of 32-bit positions at `virtualNodes`
 * points, labelled `${node}#${i}`; a key belongs to the first point at or after its own hash,
 * wrapping past the top. Adding or removing a node moves only the keys on the arcs it gains or
 * loses, about K / N of them, and many points per node even out the arcs.
 * Complexity, with V points in all: nodeFor O(log V) (binary search), nodesFor O(log V) plus the
 * walk, addNode O(V log V), removeNode O(V); memory O(V).
 *
 * jumpHash (Lamping and Veach, 2014): no memory and an even spread, computed in O(ln n) steps;
 * but buckets are numbers 0..n-1, so only the last one can go away, and they carry no names.
 */
import { murmur3 } from '#hashing';

/** Options of a `HashRing`. */
export interface HashRingOptions {
  /** Points on the ring per physical node, a positive integer (default 150). */
  virtualNodes?: number;
  /** Maps keys and point labels to ring positions (default murmur3, seed 0: unsigned 32 bits). */
  hash?: (key: string) => number;
}

interface Point {
  readonly position: number;
  readonly node: string;
}

// Equal positions are ordered by node name, so that the ring depends only on which nodes it
// holds, never on the order they joined in.
const clockwise = (a: Point, b: Point): number => a.position - b.position || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);

export class HashRing {
  readonly #virtualNodes: number;
  readonly #hash: (key: string) => number;
  readonly #nodes = new Set<string>();
  /** Every point of every node, sorted clockwise. */
  #points: Point[] = [];

  /**
   * An empty ring.
   * @throws {RangeError} unless `virtualNodes` is a positive integer.
   * @throws {TypeError} unless `hash` is a function.
   */
  constructor({ virtualNodes = 150, hash = murmur3 }: HashRingOptions = {}) {
    if (!Number.isInteger(virtualNodes) || virtualNodes <= 0) {
      throw new RangeError(`virtualNodes must be a positive integer, got ${virtualNodes}`);
    }
    if (typeof hash !== 'function') throw new TypeError(`hash must be a function, got ${typeof hash}`);
    this.#virtualNodes = virtualNodes;
    this.#hash = hash;
  }

  /** The physical nodes on the ring, in ascending order. */
  get nodes(): string[] {
    return [...this.#nodes].sort();
  }

  /**
   * Puts `node` on the ring at the positions of `${node}#0` to `${node}#${virtualNodes - 1}`.
   * Adding a node that is already there changes nothing, as a membership update delivered twice.
   * @throws {RangeError} when `node` is the empty string.
   */
  addNode(node: string): void {
    if (node === '') throw new RangeError('node must be a non-empty string, got ""');
    if (this.#nodes.has(node)) return;
    this.#nodes.add(node);
    const added = Array.from({ length: this.#virtualNodes }, (_, i): Point => ({ position: this.#hash(`${node}#${i}`), node }));
    this.#points = this.#points.concat(added).sort(clockwise);
  }

  /** Takes `node` and all its points off the ring; `true` if it was there. */
  removeNode(node: string): boolean {
    if (!this.#nodes.delete(node)) return false;
    this.#points = this.#points.filter((point) => point.node !== node);
    return true;
  }

  /** The node owning `key`: the first point clockwise at or after `hash(key)`; `undefined` on an empty ring. */
  nodeFor(key: string): string | undefined {
    if (this.#points.length === 0) return undefined;
    return this.#points[this.#successor(this.#hash(key))]!.node;
  }

  /**
   * Up to `n` distinct physical nodes for `key`, walking clockwise from its position: the owner
   * first, then the next replicas. Fewer when the ring has fewer nodes.
   * @throws {RangeError} unless `n` is a non-negative integer.
   */
  nodesFor(key: string, n: number): string[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    const wanted = Math.min(n, this.#nodes.size);
    const found = new Set<string>();
    if (wanted === 0) return [];
    const points = this.#points;
    // Every node has a point, so one lap at most finds `wanted` of them.
    for (let i = this.#successor(this.#hash(key)); found.size < wanted; i = (i + 1) % points.length) {
      found.add(points[i]!.node);
    }
    return [...found];
  }

  /** The index of the first point at or after `position`; past the last point, the ring wraps to 0. */
  #successor(position: number): number {
    const points = this.#points;
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (points[mid]!.position < position) low = mid + 1;
      else high = mid;
    }
    return low === points.length ? 0 : low;
  }
}

const MAX_BUCKETS = 2 ** 31 - 1;
const TWO_64 = 1n << 64n;

/**
 * Jump consistent hash: the bucket in [0, `buckets`) of a 64-bit `key`. Going from n to n + 1
 * buckets, a key either stays or moves to bucket n, and each bucket gets 1 / n of the keys.
 * @throws {RangeError} unless `key` is in [0, 2^64) and `buckets` an integer from 1 to 2^31 - 1.
 */
export function jumpHash(key: bigint, buckets: number): number {
  if (key < 0n || key >= TWO_64) throw new RangeError(`key must be an unsigned 64-bit integer, got ${key}`);
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
    throw new RangeError(`buckets must be an integer from 1 to ${MAX_BUCKETS}, got ${buckets}`);
  }
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    // A 64-bit linear congruential step: the key is the seed of the random jumps.
    key = BigInt.asUintN(64, key * 2862933555777941757n + 1n);
    // The next bucket where this key would jump, from 31 random bits in (0, 1].
    j = Math.floor((b + 1) * (2 ** 31 / Number((key >> 33n) + 1n)));
  }
  return b;
}
