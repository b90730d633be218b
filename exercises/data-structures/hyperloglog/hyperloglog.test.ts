import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3 } from '#hashing';
import { HyperLogLog } from './hyperloglog.ts';

const FRUITS = ['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape', 'honeydew', 'kiwi', 'lemon'];

const sketchOf = (items: Iterable<string>, precision?: number): HyperLogLog => {
  const sketch = new HyperLogLog(precision);
  for (const item of items) sketch.add(item);
  return sketch;
};

/** `n` distinct items, `item-0` to `item-(n-1)`, added to a sketch; returns its estimate. */
const estimateOf = (n: number, precision?: number): number => {
  const sketch = new HyperLogLog(precision);
  for (let i = 0; i < n; i++) sketch.add(`item-${i}`);
  return sketch.count();
};

/** Registers compared as one hex string: element-wise equality of 16 KB arrays is slow. */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const relativeError = (estimate: number, actual: number): number => Math.abs(estimate - actual) / actual;

/** A serialized sketch with the given registers: byte 0 is the precision, then one byte per register. */
const bytesOf = (precision: number, registers: (index: number) => number): Uint8Array => {
  const bytes = new Uint8Array(1 + 2 ** precision);
  bytes[0] = precision;
  for (let i = 0; i < 2 ** precision; i++) bytes[1 + i] = registers(i);
  return bytes;
};

describe('HyperLogLog', () => {
  describe('a new sketch', () => {
    it('should default to precision 14, that is 16,384 registers, as Redis', () => {
      const sketch = new HyperLogLog();
      expect(sketch.precision).toBe(14);
      expect(sketch.registerCount).toBe(16_384);
    });

    it.each([
      { precision: 4, registers: 16 },
      { precision: 10, registers: 1_024 },
      { precision: 16, registers: 65_536 },
    ])('should have $registers registers at precision $precision', ({ precision, registers }) => {
      const sketch = new HyperLogLog(precision);
      expect(sketch.precision).toBe(precision);
      expect(sketch.registerCount).toBe(registers);
    });

    it('should count 0 before anything is added', () => {
      expect(new HyperLogLog().count()).toBe(0);
      expect(new HyperLogLog(4).count()).toBe(0);
    });
  });

  describe('add', () => {
    it('should report a change for a new item and none for a duplicate, like PFADD', () => {
      const sketch = new HyperLogLog();
      expect(sketch.add('apple')).toBe(true);
      expect(sketch.add('apple')).toBe(false);
      expect(sketch.add('banana')).toBe(true);
    });

    it('should report no change for a new item whose rank does not beat its register', () => {
      // 16 registers, each raised only when an item sets a new record for it.
      const sketch = new HyperLogLog(4);
      let changes = 0;
      for (let i = 0; i < 1_000; i++) if (sketch.add(`item-${i}`)) changes++;
      expect(changes).toBeGreaterThanOrEqual(16);
      expect(changes).toBeLessThan(200);
    });
  });

  describe('count', () => {
    it('should count a handful of distinct items exactly (linear counting over empty registers)', () => {
      const sketch = new HyperLogLog();
      FRUITS.forEach((fruit, i) => {
        sketch.add(fruit);
        expect(sketch.count()).toBe(i + 1);
      });
    });

    it('should not grow when the same items come again', () => {
      const sketch = sketchOf(FRUITS);
      for (let round = 0; round < 3; round++) for (const fruit of FRUITS) sketch.add(fruit);
      expect(sketch.count()).toBe(FRUITS.length);
    });

    it('should count 1,000 distinct items within 2%', () => {
      expect(relativeError(estimateOf(1_000), 1_000)).toBeLessThan(0.02);
    });

    it('should estimate 20,000 items with 1,024 registers within 3 standard errors (3 x 1.04 / 32)', () => {
      // 20 items per register: far past linear counting, so this is the harmonic mean at work.
      expect(relativeError(estimateOf(20_000, 10), 20_000)).toBeLessThan(0.0975);
    });
  });

  describe('merge', () => {
    it('should count the union of two disjoint streams', () => {
      const left = sketchOf(['apple', 'banana', 'cherry']);
      left.merge(sketchOf(['date', 'elderberry']));
      expect(left.count()).toBe(5);
    });

    it('should count shared items once, like PFMERGE', () => {
      const monday = sketchOf(FRUITS.slice(0, 6));
      monday.merge(sketchOf(FRUITS.slice(4)));
      expect(monday.count()).toBe(FRUITS.length);
    });

    it('should keep the larger register of the two, and leave the other sketch alone', () => {
      const many = sketchOf(Array.from({ length: 5_000 }, (_, i) => `item-${i}`), 6);
      const few = sketchOf(['apple'], 6);
      const manyBefore = many.toBytes();
      few.merge(many);
      expect(hex(few.toBytes())).toBe(hex(sketchOf(['apple', ...Array.from({ length: 5_000 }, (_, i) => `item-${i}`)], 6).toBytes()));
      expect(hex(many.toBytes())).toBe(hex(manyBefore));
    });

    it('should refuse a sketch of another precision with a RangeError', () => {
      expect(() => new HyperLogLog(14).merge(new HyperLogLog(12))).toThrow(RangeError);
    });
  });

  describe('toBytes and fromBytes', () => {
    it('should write the precision, then one byte per register', () => {
      const bytes = sketchOf(['apple'], 4).toBytes();
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.length).toBe(17);
      expect(bytes[0]).toBe(4);
      expect(bytes.subarray(1).filter((register) => register > 0).length).toBe(1);
    });

    it.each([
      { name: 'apple', item: 'apple', precision: 14 },
      { name: 'banana', item: 'banana', precision: 4 },
      { name: 'café ☕', item: 'café ☕', precision: 16 },
      { name: 'x, 1,000 times', item: 'x'.repeat(1_000), precision: 10 },
    ])('should show the register that adding $name raised at precision $precision', ({ item, precision }) => {
      // The top p bits of murmur3(item) pick the register; the rank is 1 + the leading zeros of the rest.
      const hash = murmur3(item);
      const index = hash >>> (32 - precision);
      const rank = Math.clz32(hash << precision) + 1;
      const registers = sketchOf([item], precision).toBytes().subarray(1);
      expect(registers[index]).toBe(rank);
      expect(registers.filter((register) => register > 0).length).toBe(1);
    });

    it('should read back what it wrote', () => {
      const sketch = sketchOf(FRUITS, 8);
      const copy = HyperLogLog.fromBytes(sketch.toBytes());
      expect(copy.precision).toBe(8);
      expect(hex(copy.toBytes())).toBe(hex(sketch.toBytes()));
      expect(copy.count()).toBe(sketch.count());
    });

    it('should estimate alpha_m * m^2 / sum(2^-register) once no register is empty', () => {
      // 16 registers, half at 10 and half at 12: a harmonic mean, not an arithmetic one.
      const sketch = HyperLogLog.fromBytes(bytesOf(4, (i) => (i % 2 === 0 ? 10 : 12)));
      const alpha = 0.7213 / (1 + 1.079 / 16);
      expect(sketch.count()).toBe(Math.round((alpha * 16 * 16) / (8 * 2 ** -10 + 8 * 2 ** -12)));
    });

    it('should use linear counting, m * ln(m / empty), while the raw estimate is at most 2.5 m', () => {
      // 6 of 16 registers empty: the raw estimate (about 14) is under 2.5 * 16 = 40.
      const sketch = HyperLogLog.fromBytes(bytesOf(4, (i) => (i < 6 ? 0 : 1)));
      expect(sketch.count()).toBe(Math.round(16 * Math.log(16 / 6)));
    });

    it('should correct for 32-bit hash collisions once the raw estimate passes 2^32 / 30', () => {
      const sketch = HyperLogLog.fromBytes(bytesOf(4, () => 24));
      const raw = (0.7213 / (1 + 1.079 / 16)) * 16 * 2 ** 24; // about 1.8e8
      expect(raw).toBeGreaterThan(2 ** 32 / 30);
      expect(sketch.count()).toBe(Math.round(-(2 ** 32) * Math.log(1 - raw / 2 ** 32)));
    });

    it.each([
      { name: 'an empty buffer', bytes: new Uint8Array(0) },
      { name: 'precision 3', bytes: bytesOf(3, () => 0) },
      { name: 'precision 17', bytes: Uint8Array.of(17) },
      { name: 'a buffer one register short', bytes: bytesOf(4, () => 0).subarray(0, 16) },
      { name: 'a buffer one byte too long', bytes: Uint8Array.of(...bytesOf(4, () => 0), 0) },
      { name: 'a register above 33 - p', bytes: bytesOf(4, (i) => (i === 5 ? 30 : 1)) },
    ])('should reject $name with a RangeError', ({ bytes }) => {
      expect(() => HyperLogLog.fromBytes(bytes)).toThrow(RangeError);
    });
  });

  describe('edge cases', () => {
    it.each([3, 17, 14.5, -1, Number.NaN])('should reject precision %s with a RangeError', (precision) => {
      expect(() => new HyperLogLog(precision)).toThrow(RangeError);
    });

    it('should treat the empty string, non-ASCII and very long strings as items', () => {
      const long = 'x'.repeat(1_000);
      const sketch = new HyperLogLog();
      expect(sketch.add('')).toBe(true);
      expect(sketch.add('café ☕')).toBe(true);
      expect(sketch.add(long)).toBe(true);
      expect(sketch.add(long)).toBe(false);
      expect(sketch.count()).toBe(3);
    });

    it('should accept a merge with itself and change nothing', () => {
      const sketch = sketchOf(FRUITS);
      const before = sketch.toBytes();
      sketch.merge(sketch);
      expect(hex(sketch.toBytes())).toBe(hex(before));
    });
  });

  describe('properties', () => {
    const items = fc.array(fc.string({ maxLength: 8 }), { maxLength: 40 });
    const precision = fc.constantFrom(4, 8);

    it('should give the same registers for a merge as for one sketch of both streams', () => {
      fc.assert(
        fc.property(precision, items, items, (p, left, right) => {
          const merged = sketchOf(left, p);
          merged.merge(sketchOf(right, p));
          expect(hex(merged.toBytes())).toBe(hex(sketchOf([...left, ...right], p).toBytes()));
        }),
        { numRuns: 50 },
      );
    });

    it('should not depend on the order of the items or on duplicates', () => {
      fc.assert(
        fc.property(precision, items, (p, list) => {
          const shuffled = [...list].reverse().concat(list.filter((_, i) => i % 2 === 0));
          expect(hex(sketchOf(shuffled, p).toBytes())).toBe(hex(sketchOf(list, p).toBytes()));
        }),
        { numRuns: 50 },
      );
    });

    it('should round-trip through bytes', () => {
      fc.assert(
        fc.property(precision, items, (p, list) => {
          const sketch = sketchOf(list, p);
          const copy = HyperLogLog.fromBytes(sketch.toBytes());
          expect(hex(copy.toBytes())).toBe(hex(sketch.toBytes()));
          expect(copy.count()).toBe(sketch.count());
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a model', () => {
    // The ten fruits land in ten different registers even at precision 8, so on this domain the
    // sketch is exact: the model is a Set.
    type Real = HyperLogLog;
    type Model = Set<string>;

    class AddCommand implements fc.Command<Model, Real> {
      constructor(readonly item: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        expect(real.add(this.item)).toBe(!model.has(this.item));
        model.add(this.item);
        expect(real.count()).toBe(model.size);
      }
      toString = () => `add(${this.item})`;
    }

    class MergeCommand implements fc.Command<Model, Real> {
      constructor(readonly items: string[]) {}
      check = () => true;
      run(model: Model, real: Real): void {
        real.merge(sketchOf(this.items, 8));
        for (const item of this.items) model.add(item);
        expect(real.count()).toBe(model.size);
      }
      toString = () => `merge([${this.items.join(', ')}])`;
    }

    it('should count like a set on a domain without register collisions', () => {
      const fruit = fc.constantFrom(...FRUITS);
      const commands = fc.commands([fruit.map((f) => new AddCommand(f)), fc.array(fruit, { maxLength: 4 }).map((fs) => new MergeCommand(fs))], {
        maxCommands: 30,
      });
      fc.assert(
        fc.property(commands, (cmds) => {
          fc.modelRun(() => ({ model: new Set<string>(), real: new HyperLogLog(8) }), cmds);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('accuracy (standard error 1.04 / sqrt(16,384) = 0.81%)', () => {
    it('should estimate 100,000 distinct items within 2%', () => {
      expect(relativeError(estimateOf(100_000), 100_000)).toBeLessThan(0.02);
    });

    it('should estimate 1,000,000 distinct items within 2% in 16 KB of registers', { timeout: 30_000 }, () => {
      expect(relativeError(estimateOf(1_000_000), 1_000_000)).toBeLessThan(0.02);
    });
  });
});
