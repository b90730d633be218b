import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3 } from '#hashing';
import { seededRandom } from '#testing';
import { CountMinSketch, topK, topKSketched, type ItemCount } from './count-min-sketch.ts';

/** The exact answer, by counting every item in a Map and sorting: what `topK` must match. */
const naiveTopK = (items: readonly string[], k: number): ItemCount[] => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts]
    .map(([item, count]) => ({ item, count }))
    .sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : 1))
    .slice(0, k);
};

/** `n` draws of `user-1` … `user-<distinct>`, user-r with probability proportional to 1 / r (Zipf). */
const zipfStream = (n: number, distinct: number, seed: number): string[] => {
  const random = seededRandom(seed);
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 1; r <= distinct; r++) cumulative.push((sum += 1 / r));
  return Array.from({ length: n }, () => {
    const x = random() * sum;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return `user-${lo + 1}`;
  });
};

describe('CountMinSketch', () => {
  describe('add and estimate', () => {
    it('should estimate 0 for anything while empty', () => {
      const sketch = new CountMinSketch(100, 3);
      expect(sketch.estimate('apple')).toBe(0);
    });

    it('should count an item exactly while nothing collides', () => {
      const sketch = new CountMinSketch(100, 3);
      sketch.add('apple');
      sketch.add('apple');
      sketch.add('apple');
      expect(sketch.estimate('apple')).toBe(3);
      expect(sketch.estimate('banana')).toBe(0);
    });

    it('should add a count of several occurrences at once', () => {
      const sketch = new CountMinSketch(100, 3);
      sketch.add('apple', 5);
      sketch.add('apple');
      expect(sketch.estimate('apple')).toBe(6);
    });

    it('should keep the total of every count added', () => {
      const sketch = new CountMinSketch(100, 3);
      expect(sketch.total).toBe(0);
      sketch.add('apple', 5);
      sketch.add('banana');
      expect(sketch.total).toBe(6);
    });

    it('should overestimate, never underestimate, when items share a counter', () => {
      // With one row of 10 counters, banana, mango and plum all hash to counter 1
      // (murmur3(item, 0) % 10 = 1): that counter holds 5 + 2, and each of them reads 7.
      const sketch = new CountMinSketch(10, 1);
      sketch.add('banana', 5);
      sketch.add('mango', 2);
      expect(sketch.estimate('banana')).toBe(7);
      expect(sketch.estimate('mango')).toBe(7);
      expect(sketch.estimate('plum')).toBe(7); // never added
    });

    it('should take the minimum over rows, each row hashing with its own seed', () => {
      // Row r hashes with murmur3(item, r) % 10. banana lands in counters 1, 7, 4 of rows 0, 1, 2,
      // mango in 1, 3, 2: they share a counter in row 0 only, and the other rows tell the truth.
      const sketch = new CountMinSketch(10, 3);
      sketch.add('banana', 5);
      sketch.add('mango', 2);
      expect(sketch.estimate('banana')).toBe(5);
      expect(sketch.estimate('mango')).toBe(2);
      expect(sketch.estimate('plum')).toBe(0);
    });

    it('should estimate the total when every item shares one counter', () => {
      const sketch = new CountMinSketch(1, 4);
      sketch.add('apple', 3);
      sketch.add('banana', 4);
      expect(sketch.estimate('apple')).toBe(7);
      expect(sketch.estimate('cherry')).toBe(7);
    });
  });

  describe('forError', () => {
    // width = ceil(e / epsilon): the error is at most epsilon * total ...
    // depth = ceil(ln(1 / delta)): ... except with probability delta.
    it.each([
      { epsilon: 0.01, delta: 0.01, width: 272, depth: 5 }, // e / 0.01 = 271.8; ln 100 = 4.6
      { epsilon: 0.001, delta: 0.001, width: 2719, depth: 7 }, // ln 1000 = 6.9
      { epsilon: 0.1, delta: 0.5, width: 28, depth: 1 }, // ln 2 = 0.69
    ])('should size epsilon = $epsilon, delta = $delta as $width x $depth', ({ epsilon, delta, width, depth }) => {
      const sketch = CountMinSketch.forError(epsilon, delta);
      expect(sketch.width).toBe(width);
      expect(sketch.depth).toBe(depth);
    });

    it('should reject an epsilon or a delta outside (0, 1) with a RangeError naming it', () => {
      for (const bad of [0, 1, -0.5, 2, Number.NaN]) {
        expect(() => CountMinSketch.forError(bad, 0.01), `epsilon = ${bad}`).toThrow(RangeError);
        expect(() => CountMinSketch.forError(bad, 0.01), `epsilon = ${bad}`).toThrow(/epsilon/);
        expect(() => CountMinSketch.forError(0.01, bad), `delta = ${bad}`).toThrow(RangeError);
        expect(() => CountMinSketch.forError(0.01, bad), `delta = ${bad}`).toThrow(/delta/);
      }
    });
  });

  describe('constructor and add, bad input', () => {
    it('should report its width and depth', () => {
      const sketch = new CountMinSketch(100, 3);
      expect([sketch.width, sketch.depth]).toEqual([100, 3]);
    });

    it('should reject a width or a depth that is not a positive integer with a RangeError naming it', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => new CountMinSketch(bad, 3), `width = ${bad}`).toThrow(RangeError);
        expect(() => new CountMinSketch(bad, 3), `width = ${bad}`).toThrow(/width/);
        expect(() => new CountMinSketch(100, bad), `depth = ${bad}`).toThrow(RangeError);
        expect(() => new CountMinSketch(100, bad), `depth = ${bad}`).toThrow(/depth/);
      }
    });

    it('should reject a count that is not a positive integer, and leave the sketch unchanged', () => {
      const sketch = new CountMinSketch(100, 3);
      for (const count of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => sketch.add('apple', count), `count = ${count}`).toThrow(RangeError);
        expect(() => sketch.add('apple', count), `count = ${count}`).toThrow(/count/);
      }
      expect(sketch.total).toBe(0);
      expect(sketch.estimate('apple')).toBe(0);
    });
  });

  describe('merge', () => {
    it('should add the other sketch counter by counter, and leave it unchanged', () => {
      const a = new CountMinSketch(10, 3);
      const b = new CountMinSketch(10, 3);
      a.add('banana', 5);
      b.add('banana', 1);
      b.add('mango', 2);
      a.merge(b);
      expect(a.estimate('banana')).toBe(6);
      expect(a.estimate('mango')).toBe(2);
      expect(a.total).toBe(8);
      expect([b.estimate('banana'), b.estimate('mango'), b.total]).toEqual([1, 2, 3]);
    });

    it('should refuse a sketch of other dimensions with a RangeError', () => {
      const sketch = new CountMinSketch(10, 3);
      expect(() => sketch.merge(new CountMinSketch(11, 3)), '11 x 3').toThrow(RangeError);
      expect(() => sketch.merge(new CountMinSketch(10, 4)), '10 x 4').toThrow(RangeError);
    });
  });

  describe('topK', () => {
    it('should find the 2 most frequent of [1, 1, 1, 2, 2, 3] (LeetCode 347)', () => {
      expect(topK(['1', '1', '1', '2', '2', '3'], 2)).toEqual([
        { item: '1', count: 3 },
        { item: '2', count: 2 },
      ]);
    });

    it('should break ties by item, in ascending order', () => {
      expect(topK(['c', 'b', 'a', 'c', 'b', 'a', 'd'], 2)).toEqual([
        { item: 'a', count: 2 },
        { item: 'b', count: 2 },
      ]);
    });

    it('should keep the k largest, not whatever came first or last', () => {
      const items = ['a', 'b', 'b', 'c', 'c', 'c', 'd', 'd', 'd', 'd', 'e'];
      expect(topK(items, 2).map(({ item }) => item)).toEqual(['d', 'c']);
      expect(topK([...items].reverse(), 3).map(({ item }) => item)).toEqual(['d', 'c', 'b']);
    });

    it('should return every item when there are fewer than k, and nothing for no items', () => {
      expect(topK(['x', 'y', 'x'], 5)).toEqual([
        { item: 'x', count: 2 },
        { item: 'y', count: 1 },
      ]);
      expect(topK([], 3)).toEqual([]);
    });

    it('should take any iterable, such as a generator', () => {
      function* words() {
        yield* ['to', 'be', 'or', 'not', 'to', 'be'];
      }
      expect(topK(words(), 1)).toEqual([{ item: 'be', count: 2 }]);
    });

    it('should reject a k that is not a positive integer with a RangeError', () => {
      for (const k of [0, -1, 1.5, Number.NaN]) expect(() => topK(['a'], k), `k = ${k}`).toThrow(RangeError);
    });
  });

  describe('topKSketched', () => {
    it('should find the same answer as topK when the sketch is roomy enough to be exact', () => {
      const sketch = new CountMinSketch(100, 3);
      expect(topKSketched(['1', '1', '1', '2', '2', '3'], 2, sketch)).toEqual([
        { item: '1', count: 3 },
        { item: '2', count: 2 },
      ]);
    });

    it('should add every item to the sketch it is given', () => {
      const sketch = new CountMinSketch(100, 3);
      topKSketched(['1', '1', '1', '2', '2', '3'], 1, sketch);
      expect(sketch.total).toBe(6);
      expect(sketch.estimate('3')).toBe(1);
    });

    it('should bring back an evicted item with its full count, because the sketch kept counting', () => {
      // k = 1: b takes a's place at b = 2, a = 1; then a comes back with the estimate 2, then 3.
      const sketch = new CountMinSketch(100, 3);
      expect(topKSketched(['a', 'b', 'b', 'a', 'a'], 1, sketch)).toEqual([{ item: 'a', count: 3 }]);
    });

    it('should report estimates, which may exceed the true counts', () => {
      // One counter for everything: every estimate is the total so far.
      const sketch = new CountMinSketch(1, 1);
      expect(topKSketched(['x', 'y', 'y'], 2, sketch)).toEqual([
        { item: 'x', count: 3 },
        { item: 'y', count: 3 },
      ]);
    });

    it('should reject a k that is not a positive integer with a RangeError', () => {
      for (const k of [0, -1, 1.5]) expect(() => topKSketched(['a'], k, new CountMinSketch(10, 2)), `k = ${k}`).toThrow(RangeError);
    });
  });

  describe('properties', () => {
    const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const stream = fc.array(fc.tuple(item, fc.integer({ min: 1, max: 5 })), { maxLength: 20 });
    const dimensions = fc.record({ width: fc.integer({ min: 1, max: 8 }), depth: fc.integer({ min: 1, max: 4 }) });
    const domain = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'never-added'];

    it('should never underestimate, and never exceed the total', () => {
      fc.assert(
        fc.property(dimensions, stream, ({ width, depth }, adds) => {
          const sketch = new CountMinSketch(width, depth);
          const truth = new Map<string, number>();
          for (const [x, count] of adds) {
            sketch.add(x, count);
            truth.set(x, (truth.get(x) ?? 0) + count);
          }
          const wrong = domain.filter((x) => sketch.estimate(x) < (truth.get(x) ?? 0) || sketch.estimate(x) > sketch.total);
          expect(wrong).toEqual([]);
        }),
        { numRuns: 50 },
      );
    });

    it('should estimate a merge exactly as one sketch fed both streams', () => {
      fc.assert(
        fc.property(dimensions, stream, stream, ({ width, depth }, first, second) => {
          const a = new CountMinSketch(width, depth);
          const b = new CountMinSketch(width, depth);
          const both = new CountMinSketch(width, depth);
          for (const [x, count] of first) a.add(x, count);
          for (const [x, count] of second) b.add(x, count);
          for (const [x, count] of [...first, ...second]) both.add(x, count);
          a.merge(b);
          expect(a.total).toBe(both.total);
          expect(domain.map((x) => a.estimate(x))).toEqual(domain.map((x) => both.estimate(x)));
        }),
        { numRuns: 50 },
      );
    });

    it('should give exactly the counts and order of a full sort for topK', () => {
      const items = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 30 });
      fc.assert(
        fc.property(items, fc.integer({ min: 1, max: 9 }), (xs, k) => {
          expect(topK(xs, k)).toEqual(naiveTopK(xs, k));
        }),
      );
    });

    it('should give exactly topK through a sketch wide enough that these items never collide in every row', () => {
      const items = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 30 });
      fc.assert(
        fc.property(items, fc.integer({ min: 1, max: 9 }), (xs, k) => {
          expect(topKSketched(xs, k, new CountMinSketch(64, 3))).toEqual(topK(xs, k));
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a model', () => {
    // The model recounts the stream: an item's estimate must be, over the rows r, the smallest
    // sum of the counts of every item that row r hashes to the same counter (murmur3(x, r) % width).
    type Model = { width: number; depth: number; counts: Map<string, number> };
    const domain = ['a', 'b', 'c', 'd', 'e', 'f'];
    const MAX_DEPTH = 3;
    const hashes = new Map(domain.map((x) => [x, Array.from({ length: MAX_DEPTH }, (_, row) => murmur3(x, row))]));
    const column = (x: string, row: number, width: number): number => hashes.get(x)![row]! % width;

    const expectedEstimate = (model: Model, x: string): number => {
      let best = Number.POSITIVE_INFINITY;
      for (let row = 0; row < model.depth; row++) {
        let sum = 0;
        for (const [y, count] of model.counts) if (column(y, row, model.width) === column(x, row, model.width)) sum += count;
        best = Math.min(best, sum);
      }
      return best;
    };
    const expectSameState = (model: Model, real: CountMinSketch): void => {
      expect({ total: real.total, estimates: domain.map((x) => real.estimate(x)) }).toEqual({
        total: [...model.counts.values()].reduce((a, b) => a + b, 0),
        estimates: domain.map((x) => expectedEstimate(model, x)),
      });
    };
    const addTo = (counts: Map<string, number>, x: string, count: number): void => {
      counts.set(x, (counts.get(x) ?? 0) + count);
    };

    class AddCommand implements fc.Command<Model, CountMinSketch> {
      constructor(readonly item: string, readonly count: number) {}
      check = () => true;
      run(model: Model, real: CountMinSketch): void {
        real.add(this.item, this.count);
        addTo(model.counts, this.item, this.count);
        expectSameState(model, real);
      }
      toString = () => `add(${this.item}, ${this.count})`;
    }

    class MergeCommand implements fc.Command<Model, CountMinSketch> {
      constructor(readonly adds: [string, number][]) {}
      check = () => true;
      run(model: Model, real: CountMinSketch): void {
        const other = new CountMinSketch(real.width, real.depth);
        for (const [x, count] of this.adds) {
          other.add(x, count);
          addTo(model.counts, x, count);
        }
        real.merge(other);
        expectSameState(model, real);
      }
      toString = () => `merge(${JSON.stringify(this.adds)})`;
    }

    it('should match a recount of the stream after any sequence of adds and merges', () => {
      const item = fc.constantFrom(...domain);
      const count = fc.integer({ min: 1, max: 9 });
      const commands = fc.commands(
        [
          fc.tuple(item, count).map(([x, c]) => new AddCommand(x, c)),
          fc.array(fc.tuple(item, count), { maxLength: 4 }).map((adds) => new MergeCommand(adds)),
        ],
        { maxCommands: 15 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: MAX_DEPTH }), commands, (width, depth, cmds) => {
          fc.modelRun(() => ({ model: { width, depth, counts: new Map() }, real: new CountMinSketch(width, depth) }), cmds);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('error bounds, measured', () => {
    it('should overestimate by more than epsilon * total for at most a delta fraction of items (epsilon = delta = 1 %)', () => {
      // A Zipf-like stream: item-r occurs floor(10,000 / r) times, r = 1 … 1,000 (74,380 in all).
      // The guarantee holds per query with probability 1 - delta; over 2,000 queries (1,000 seen,
      // 1,000 never added) a fraction a little above delta could happen by chance, so the test
      // allows twice delta. A correct sketch, with these items, has no such item at all.
      const epsilon = 0.01;
      const delta = 0.01;
      const sketch = CountMinSketch.forError(epsilon, delta);
      const truth = new Map<string, number>();
      for (let r = 1; r <= 1_000; r++) {
        truth.set(`item-${r}`, Math.floor(10_000 / r));
        sketch.add(`item-${r}`, Math.floor(10_000 / r));
      }
      for (let i = 0; i < 1_000; i++) truth.set(`unseen-${i}`, 0);
      expect(sketch.total).toBe(74_380);
      let tooLow = 0;
      let tooHigh = 0;
      for (const [item, count] of truth) {
        const estimate = sketch.estimate(item);
        if (estimate < count) tooLow++;
        if (estimate - count > epsilon * sketch.total) tooHigh++;
      }
      expect(tooLow).toBe(0);
      expect(tooHigh / truth.size).toBeLessThanOrEqual(2 * delta);
    });

    it('should find the true top 5 of a skewed stream of 5,000 items, with estimates within epsilon * total', () => {
      // 1,000 distinct users; the top 5 occur 652, 340, 238, 158 and 143 times, the 6th 108 times.
      const stream = zipfStream(5_000, 1_000, 42);
      const exact = topK(stream, 5);
      const epsilon = 0.001;
      const sketch = CountMinSketch.forError(epsilon, 0.01);
      const found = topKSketched(stream, 5, sketch);
      expect(found.map(({ item }) => item)).toEqual(exact.map(({ item }) => item));
      for (const [i, { count }] of found.entries()) {
        expect(count).toBeGreaterThanOrEqual(exact[i]!.count);
        expect(count - exact[i]!.count).toBeLessThanOrEqual(epsilon * stream.length);
      }
    });
  });
});
