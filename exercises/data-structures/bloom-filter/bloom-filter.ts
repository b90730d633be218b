/**
 * A Bloom filter: set membership in a fixed number of bits, with false positives at a rate you
 * choose and never a false negative.
 *
 * Hash with {@link murmur3} (MurmurHash3, 32 bits, imported below): h1 = murmur3(item, 0),
 * h2 = murmur3(item, h1) | 1 (as unsigned), and probe bits (h1 + i * h2) mod m for i = 0..k-1.
 * Read README.md for the idea, `npm run kata -- hint bloom-filter` when you are stuck.
 */
import { murmur3 } from '#hashing';

export class BloomFilter {
  /**
   * A filter sized for `n` items at a false-positive rate `p` (Guava's formulas):
   * `bitCount = max(1, floor(-n ln p / (ln 2)^2))` and `hashCount = max(1, round(-ln p / ln 2))`.
   * @throws {RangeError} unless `n` is a positive integer and `p` is in (0, 1), or when the
   * filter would need more than 2^32 - 1 bits.
   */
  static forCapacity(_n: number, _p: number): BloomFilter {
    throw new Error('TODO: implement BloomFilter.forCapacity');
  }

  /**
   * Restores a filter from `toBytes`' layout.
   * @throws {RangeError} when the buffer is shorter than the header, when its length does not
   * match the header's bitCount, or when the header holds an invalid bitCount or hashCount.
   */
  static fromBytes(_bytes: Uint8Array): BloomFilter {
    throw new Error('TODO: implement BloomFilter.fromBytes');
  }

  /**
   * An empty filter of `bitCount` bits probed by `hashCount` hashes per item.
   * @throws {RangeError} unless `bitCount` is an integer in [1, 2^32 - 1] and `hashCount` an
   * integer in [1, 64].
   */
  constructor(_bitCount: number, _hashCount: number) {
    throw new Error('TODO: implement the BloomFilter constructor');
  }

  /** m, the number of bits. */
  get bitCount(): number {
    throw new Error('TODO: implement BloomFilter#bitCount');
  }

  /** k, the number of bits each item sets. */
  get hashCount(): number {
    throw new Error('TODO: implement BloomFilter#hashCount');
  }

  /** Sets the k bits of `item`. Adding an item twice changes nothing. */
  add(_item: string): void {
    throw new Error('TODO: implement BloomFilter#add');
  }

  /** `false` if `item` was certainly never added; `true` if it probably was. */
  mightContain(_item: string): boolean {
    throw new Error('TODO: implement BloomFilter#mightContain');
  }

  /**
   * The filter as bytes: a 5-byte header (bitCount as a big-endian uint32, then hashCount as
   * one byte), then ceil(bitCount / 8) bytes of bits, bit i in byte 5 + floor(i / 8) under the
   * mask 1 << (i % 8). Unused bits of the last byte are 0. A copy: later adds do not change it.
   */
  toBytes(): Uint8Array {
    throw new Error('TODO: implement BloomFilter#toBytes');
  }
}
