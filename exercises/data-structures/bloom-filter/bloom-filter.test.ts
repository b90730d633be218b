import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3 } from '#hashing';
import { BloomFilter } from './bloom-filter.ts';

const HEADER_BYTES = 5;

/** The positions of the bits set in `toBytes()`' output, in increasing order. */
const setBits = (bytes: Uint8Array): number[] => {
  const bits: number[] = [];
  for (let i = 0; i < (bytes.length - HEADER_BYTES) * 8; i++) {
    if ((bytes[HEADER_BYTES + Math.floor(i / 8)]! & (1 << i % 8)) !== 0) bits.push(i);
  }
  return bits;
};

/** Bytes as hex: compared as a string, a mismatch prints as a readable diff. */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

describe('BloomFilter', () => {
  describe('add and mightContain', () => {
    it('should answer false for anything while empty', () => {
      const filter = new BloomFilter(1024, 3);
      expect(filter.mightContain('apple')).toBe(false);
      expect(filter.mightContain('')).toBe(false);
    });

    it('should find an item it was given', () => {
      const filter = new BloomFilter(1024, 3);
      filter.add('apple');
      expect(filter.mightContain('apple')).toBe(true);
    });

    it('should answer false for an item it was never given', () => {
      const filter = new BloomFilter(1024, 3);
      filter.add('apple');
      expect(filter.mightContain('banana')).toBe(false);
    });

    it('should answer false as soon as one of the k bits is 0, even if others are set', () => {
      // In 32 bits, apple, banana and cherry set bits 7, 13, 15, 16, 21, 26 and 30.
      // grape probes 15, 28 and 9: one of three is set, and one 0 is enough to say no.
      const filter = new BloomFilter(32, 3);
      for (const fruit of ['apple', 'banana', 'cherry']) filter.add(fruit);
      expect(filter.mightContain('grape')).toBe(false);
    });

    it('should give a false positive when other items happen to set all k bits', () => {
      // peach probes 16, 21 and 26, all set by the three others: "probably yes", wrongly.
      const filter = new BloomFilter(32, 3);
      for (const fruit of ['apple', 'banana', 'cherry']) filter.add(fruit);
      expect(filter.mightContain('peach')).toBe(true);
    });

    it('should still find every item once the filter is overfull', () => {
      const filter = new BloomFilter(64, 4);
      const items = Array.from({ length: 50 }, (_, i) => `user:${i}`);
      for (const item of items) filter.add(item);
      expect(items.filter((item) => !filter.mightContain(item))).toEqual([]);
    });
  });

  describe('forCapacity', () => {
    // bits = -n ln p / (ln 2)^2, rounded down; hashes = -ln p / ln 2, rounded.
    it.each([
      { n: 1_000_000, p: 0.01, bits: 9_585_058, hashes: 7 }, // Guava's own example: 9.59 bits per item
      { n: 100, p: 0.1, bits: 479, hashes: 3 }, // 100 * 2.3026 / 0.4805 = 479.25; 2.3026 / 0.6931 = 3.32
      { n: 1_000, p: 0.001, bits: 14_377, hashes: 10 }, // 14.38 bits per item; 9.97 hashes
    ])('should size n = $n, p = $p as $bits bits and $hashes hashes', ({ n, p, bits, hashes }) => {
      const filter = BloomFilter.forCapacity(n, p);
      expect(filter.bitCount).toBe(bits);
      expect(filter.hashCount).toBe(hashes);
    });

    it('should never size below one bit and one hash', () => {
      // 1 * 0.105 / 0.4805 = 0.22 bits and 0.15 hashes.
      const filter = BloomFilter.forCapacity(1, 0.9);
      expect([filter.bitCount, filter.hashCount]).toEqual([1, 1]);
    });

    it('should refuse to exceed 2^32 - 1 bits: a billion items at 1 % need 9.6 billion, so shard them', () => {
      expect(() => BloomFilter.forCapacity(1_000_000_000, 0.01)).toThrow(/bitCount/);
      expect(() => BloomFilter.forCapacity(1_000_000_000, 0.01)).toThrow(RangeError);
    });

    it('should reject an n that is not a positive integer with a RangeError naming n', () => {
      for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => BloomFilter.forCapacity(n, 0.01), `n = ${n}`).toThrow(RangeError);
        expect(() => BloomFilter.forCapacity(n, 0.01), `n = ${n}`).toThrow(/\bn\b/);
      }
    });

    it('should reject a p outside (0, 1) with a RangeError naming p', () => {
      for (const p of [0, 1, -0.1, 1.5, Number.NaN]) {
        expect(() => BloomFilter.forCapacity(100, p), `p = ${p}`).toThrow(RangeError);
        expect(() => BloomFilter.forCapacity(100, p), `p = ${p}`).toThrow(/\bp\b/);
      }
    });
  });

  describe('constructor', () => {
    it('should report its bitCount and hashCount', () => {
      const filter = new BloomFilter(100, 4);
      expect(filter.bitCount).toBe(100);
      expect(filter.hashCount).toBe(4);
    });

    it('should reject a bitCount outside [1, 2^32 - 1] or not an integer with a RangeError naming it', () => {
      for (const bitCount of [0, -8, 1.5, Number.NaN, 2 ** 32]) {
        expect(() => new BloomFilter(bitCount, 3), `bitCount = ${bitCount}`).toThrow(RangeError);
        expect(() => new BloomFilter(bitCount, 3), `bitCount = ${bitCount}`).toThrow(/bitCount/);
      }
    });

    it('should reject a hashCount outside [1, 64] or not an integer with a RangeError naming it', () => {
      for (const hashCount of [0, -1, 2.5, 65, Number.NaN]) {
        expect(() => new BloomFilter(100, hashCount), `hashCount = ${hashCount}`).toThrow(RangeError);
        expect(() => new BloomFilter(100, hashCount), `hashCount = ${hashCount}`).toThrow(/hashCount/);
      }
    });
  });

  describe('toBytes', () => {
    it('should write a header (bitCount as a big-endian uint32, hashCount as a byte), then ceil(m / 8) bytes of bits', () => {
      const bytes = new BloomFilter(1024, 3).toBytes();
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.length).toBe(5 + 128);
      expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 4, 0, 3]); // 1024 = 0x00000400
      expect(setBits(bytes)).toEqual([]);
      expect(new BloomFilter(100, 4).toBytes().length).toBe(5 + 13);
    });

    it('should set k different bits for one item in a roomy filter', () => {
      const filter = new BloomFilter(1024, 7);
      filter.add('apple');
      expect(setBits(filter.toBytes())).toHaveLength(7);
    });

    it('should set bits (h1 + i * h2) mod m for i = 0..k-1, with h1 = murmur3(item, 0) and h2 = murmur3(item, h1) | 1', () => {
      const h1 = murmur3('hello', 0);
      const h2 = (murmur3('hello', h1) | 1) >>> 0;
      expect([h1, h2]).toEqual([613_153_351, 2_685_747_377]);
      // (613153351 + i * 2685747377) mod 100 for i = 0, 1, 2, 3 is 51, 28, 5, 82.
      const filter = new BloomFilter(100, 4);
      filter.add('hello');
      expect(setBits(filter.toBytes())).toEqual([5, 28, 51, 82]);
    });

    it('should put bit i in byte 5 + floor(i / 8) under the mask 1 << (i % 8)', () => {
      // apple's bits in a 1024-bit filter with 3 hashes are 62, 103 and 144.
      const filter = new BloomFilter(1024, 3);
      filter.add('apple');
      const bytes = filter.toBytes();
      expect(bytes[5 + 7]).toBe(1 << 6); // 62 = 7 * 8 + 6
      expect(bytes[5 + 12]).toBe(1 << 7); // 103 = 12 * 8 + 7
      expect(bytes[5 + 18]).toBe(1 << 0); // 144 = 18 * 8 + 0
    });

    it('should return a copy that later adds do not change', () => {
      const filter = new BloomFilter(1024, 3);
      const before = filter.toBytes();
      filter.add('apple');
      expect(setBits(before)).toEqual([]);
      expect(setBits(filter.toBytes())).toEqual([62, 103, 144]);
    });
  });

  describe('fromBytes', () => {
    it('should restore the size and the answers of the filter it came from', () => {
      const filter = new BloomFilter(100, 4);
      for (const fruit of ['apple', 'banana', 'cherry']) filter.add(fruit);
      const restored = BloomFilter.fromBytes(filter.toBytes());
      expect(restored.bitCount).toBe(100);
      expect(restored.hashCount).toBe(4);
      expect(['apple', 'banana', 'cherry'].every((fruit) => restored.mightContain(fruit))).toBe(true);
      expect(hex(restored.toBytes())).toBe(hex(filter.toBytes()));
    });

    it('should read a buffer that sits at an offset inside a larger one', () => {
      const filter = new BloomFilter(100, 4);
      filter.add('apple');
      const padded = new Uint8Array(3 + 18);
      padded.set(filter.toBytes(), 3);
      const restored = BloomFilter.fromBytes(padded.subarray(3));
      expect(restored.bitCount).toBe(100);
      expect(restored.mightContain('apple')).toBe(true);
    });

    it('should copy the buffer instead of sharing it', () => {
      const bytes = new BloomFilter(1024, 3).toBytes();
      const restored = BloomFilter.fromBytes(bytes);
      bytes.fill(0xff, HEADER_BYTES);
      expect(restored.mightContain('apple')).toBe(false);
    });

    const header = (bitCount: number, hashCount: number, bitBytes: number): Uint8Array => {
      const bytes = new Uint8Array(HEADER_BYTES + bitBytes);
      new DataView(bytes.buffer).setUint32(0, bitCount);
      bytes[4] = hashCount;
      return bytes;
    };

    it('should reject a buffer too short for the header, or whose length does not match it, with a RangeError', () => {
      const malformed = [
        { what: 'an empty buffer', bytes: new Uint8Array(0) },
        { what: 'a buffer shorter than the header', bytes: new Uint8Array([0, 0, 4, 0]) },
        { what: 'bits missing (100 bits need 13 bytes)', bytes: header(100, 4, 12) },
        { what: 'bytes left over after the bits', bytes: header(100, 4, 14) },
      ];
      for (const { what, bytes } of malformed) expect(() => BloomFilter.fromBytes(bytes), what).toThrow(RangeError);
    });

    it('should reject a header with an invalid bitCount or hashCount with a RangeError', () => {
      const malformed = [
        { what: 'a bitCount of 0', bytes: header(0, 4, 0) },
        { what: 'a hashCount of 0', bytes: header(100, 0, 13) },
        { what: 'a hashCount above 64', bytes: header(100, 65, 13) },
      ];
      for (const { what, bytes } of malformed) expect(() => BloomFilter.fromBytes(bytes), what).toThrow(RangeError);
    });
  });

  describe('properties', () => {
    const items = fc.array(fc.string({ maxLength: 8 }), { maxLength: 20 });
    const sizes = fc.record({ bitCount: fc.integer({ min: 1, max: 300 }), hashCount: fc.integer({ min: 1, max: 8 }) });

    it('should never give a false negative', () => {
      fc.assert(
        fc.property(sizes, items, ({ bitCount, hashCount }, added) => {
          const filter = new BloomFilter(bitCount, hashCount);
          for (const item of added) filter.add(item);
          expect(added.filter((item) => !filter.mightContain(item))).toEqual([]);
        }),
      );
    });

    it('should survive a round trip through bytes: same size, same bytes, still no false negative', () => {
      fc.assert(
        fc.property(sizes, items, ({ bitCount, hashCount }, added) => {
          const filter = new BloomFilter(bitCount, hashCount);
          for (const item of added) filter.add(item);
          const restored = BloomFilter.fromBytes(filter.toBytes());
          expect([restored.bitCount, restored.hashCount]).toEqual([bitCount, hashCount]);
          expect(hex(restored.toBytes())).toBe(hex(filter.toBytes()));
          expect(added.filter((item) => !restored.mightContain(item))).toEqual([]);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a model', () => {
    // The model is the set of items added. The filter must agree on every member (it may also
    // claim non-members), set at most k new bits per add and none for an item added before.
    type Model = { added: Set<string> };
    type Real = { filter: BloomFilter };

    const expectNoFalseNegative = (model: Model, real: Real): void => {
      expect([...model.added].filter((item) => !real.filter.mightContain(item))).toEqual([]);
    };

    class AddCommand implements fc.Command<Model, Real> {
      constructor(readonly item: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const before = setBits(real.filter.toBytes()).length;
        real.filter.add(this.item);
        const grown = setBits(real.filter.toBytes()).length - before;
        // A new item sets at most k bits, an item added before none.
        expect(grown).toBeLessThanOrEqual(model.added.has(this.item) ? 0 : real.filter.hashCount);
        model.added.add(this.item);
        expectNoFalseNegative(model, real);
      }
      toString = () => `add(${this.item})`;
    }

    class QueryCommand implements fc.Command<Model, Real> {
      constructor(readonly item: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const answer = real.filter.mightContain(this.item);
        if (model.added.has(this.item)) expect(answer).toBe(true);
        expectNoFalseNegative(model, real);
      }
      toString = () => `mightContain(${this.item})`;
    }

    class ReloadCommand implements fc.Command<Model, Real> {
      check = () => true;
      run(model: Model, real: Real): void {
        const bytes = hex(real.filter.toBytes());
        real.filter = BloomFilter.fromBytes(real.filter.toBytes());
        expect(hex(real.filter.toBytes())).toBe(bytes);
        expectNoFalseNegative(model, real);
      }
      toString = () => 'fromBytes(toBytes())';
    }

    it('should never forget an item through any sequence of adds, queries and reloads', () => {
      const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
      const commands = fc.commands(
        [item.map((i) => new AddCommand(i)), item.map((i) => new QueryCommand(i)), fc.constant(new ReloadCommand())],
        { maxCommands: 25 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), commands, (bitCount, hashCount, cmds) => {
          fc.modelRun(() => ({ model: { added: new Set<string>() }, real: { filter: new BloomFilter(bitCount, hashCount) } }), cmds);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('false-positive rate', () => {
    it('should stay within 1.5x of p for 10,000 items sized at 1 %, measured on 10,000 others', () => {
      const p = 0.01;
      const filter = BloomFilter.forCapacity(10_000, p);
      for (let i = 0; i < 10_000; i++) filter.add(`item-${i}`);
      let falsePositives = 0;
      for (let i = 0; i < 10_000; i++) if (filter.mightContain(`other-${i}`)) falsePositives++;
      const rate = falsePositives / 10_000;
      expect(rate).toBeGreaterThan(p / 1.5);
      expect(rate).toBeLessThan(p * 1.5);
    });
  });
});
