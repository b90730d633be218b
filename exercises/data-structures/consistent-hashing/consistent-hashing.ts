/**
 * Consistent hashing, two ways: a hash ring with virtual nodes, and jump consistent hash.
 *
 * The default hash is `murmur3` from `#hashing` (32 bits, unsigned):
 * `import { murmur3 } from '#hashing';`. Read README.md for the idea,
 * `npm run kata -- hint consistent-hashing` when you are stuck.
 */

/** Options of a `HashRing`. */
export interface HashRingOptions {
  /** Points on the ring per physical node, a positive integer (default 150). */
  virtualNodes?: number;
  /** Maps keys and point labels to ring positions (default murmur3, seed 0: unsigned 32 bits). */
  hash?: (key: string) => number;
}

export class HashRing {
  /**
   * An empty ring.
   * @throws {RangeError} unless `virtualNodes` is a positive integer.
   * @throws {TypeError} unless `hash` is a function.
   */
  constructor(_options: HashRingOptions = {}) {
    throw new Error('TODO: implement the HashRing constructor');
  }

  /** The physical nodes on the ring, in ascending order. */
  get nodes(): string[] {
    throw new Error('TODO: implement HashRing#nodes');
  }

  /**
   * Puts `node` on the ring at the positions of `${node}#0` to `${node}#${virtualNodes - 1}`.
   * Adding a node that is already there changes nothing, as a membership update delivered twice.
   * @throws {RangeError} when `node` is the empty string.
   */
  addNode(_node: string): void {
    throw new Error('TODO: implement HashRing#addNode');
  }

  /** Takes `node` and all its points off the ring; `true` if it was there. */
  removeNode(_node: string): boolean {
    throw new Error('TODO: implement HashRing#removeNode');
  }

  /** The node owning `key`: the first point clockwise at or after `hash(key)`; `undefined` on an empty ring. */
  nodeFor(_key: string): string | undefined {
    throw new Error('TODO: implement HashRing#nodeFor');
  }

  /**
   * Up to `n` distinct physical nodes for `key`, walking clockwise from its position: the owner
   * first, then the next replicas. Fewer when the ring has fewer nodes.
   * @throws {RangeError} unless `n` is a non-negative integer.
   */
  nodesFor(_key: string, _n: number): string[] {
    throw new Error('TODO: implement HashRing#nodesFor');
  }
}

/**
 * Jump consistent hash: the bucket in [0, `buckets`) of a 64-bit `key`. Going from n to n + 1
 * buckets, a key either stays or moves to bucket n, and each bucket gets 1 / n of the keys.
 * @throws {RangeError} unless `key` is in [0, 2^64) and `buckets` an integer from 1 to 2^31 - 1.
 */
export function jumpHash(_key: bigint, _buckets: number): number {
  throw new Error('TODO: implement jumpHash');
}
