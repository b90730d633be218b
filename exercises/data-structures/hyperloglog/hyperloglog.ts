/**
 * HyperLogLog: estimates how many distinct items a stream holds, in a fixed few kilobytes.
 *
 * Hash each item with `murmur3` from `#hashing` (32 bits, unsigned):
 * `import { murmur3 } from '#hashing';`. Read README.md for the idea,
 * `npm run kata -- hint hyperloglog` when you are stuck.
 */
export class HyperLogLog {
  /**
   * An empty sketch of 2^`precision` registers (default 14, as Redis: 16,384 registers).
   * @throws {RangeError} unless `precision` is an integer from 4 to 16.
   */
  constructor(_precision = 14) {
    throw new Error('TODO: implement the HyperLogLog constructor');
  }

  /**
   * Rebuilds a sketch from `toBytes()`'s layout: byte 0 is the precision p, then 2^p registers of
   * one byte each, every one at most 33 - p.
   * @throws {RangeError} when the buffer does not follow that layout.
   */
  static fromBytes(_bytes: Uint8Array): HyperLogLog {
    throw new Error('TODO: implement HyperLogLog.fromBytes');
  }

  /** The number of index bits p. */
  get precision(): number {
    throw new Error('TODO: implement HyperLogLog#precision');
  }

  /** The number of registers m = 2^p. */
  get registerCount(): number {
    throw new Error('TODO: implement HyperLogLog#registerCount');
  }

  /** Records `item`; `true` if a register grew (like Redis PFADD), `false` if nothing changed. */
  add(_item: string): boolean {
    throw new Error('TODO: implement HyperLogLog#add');
  }

  /** The estimated number of distinct items added, rounded to an integer; 0 for an empty sketch. */
  count(): number {
    throw new Error('TODO: implement HyperLogLog#count');
  }

  /**
   * Folds `other` into this sketch, register by register (the maximum), so that it estimates the
   * union of both streams, like Redis PFMERGE. `other` is unchanged.
   * @throws {RangeError} unless both sketches have the same precision.
   */
  merge(_other: HyperLogLog): void {
    throw new Error('TODO: implement HyperLogLog#merge');
  }

  /** The sketch as bytes: the precision p, then the 2^p registers, one byte each. */
  toBytes(): Uint8Array {
    throw new Error('TODO: implement HyperLogLog#toBytes');
  }
}
