import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scriptedRandom, seededRandom } from '#testing';
import { SkipList, type Entry, type RangeOptions, type SkipListOptions } from './skip-list.ts';

type Pair = [score: number, member: string];

const pairs = (list: Iterable<Entry>): Pair[] => [...list].map(({ score, member }) => [score, member]);

/** Builds a list from [score, member] pairs, inserted in the order given. */
function listOf(entries: readonly Pair[], random = seededRandom(1)): SkipList {
  const list = new SkipList({ random });
  for (const [score, member] of entries) list.insert(score, member);
  return list;
}

/**
 * Asserts the order, and that rank and at agree with it for every entry: both follow the spans,
 * so a single stale span shows up here.
 */
function expectOrder(list: SkipList, expected: readonly Pair[]): void {
  expect(pairs(list)).toEqual(expected);
  expect(list.length).toBe(expected.length);
  expected.forEach(([score, member], i) => {
    expect(list.rank(score, member)).toBe(i);
    expect(list.at(i)).toEqual({ score, member });
  });
}

/**
 * Draws that give the inserted towers these heights, in insertion order, at p = 1/4: a tower of
 * height h takes h - 1 draws below p (0) and one draw at or above it (0.5).
 */
const towers = (...heights: number[]) => scriptedRandom(heights.flatMap((h) => [...Array<number>(h - 1).fill(0), 0.5]));

/** ZADD myzset 10 Norem 12 Castilla 8 Sam-Bodden 10 Royce 6 Ford 14 Prickett, from the Redis docs. */
const redisExample: Pair[] = [
  [10, 'Norem'],
  [12, 'Castilla'],
  [8, 'Sam-Bodden'],
  [10, 'Royce'],
  [6, 'Ford'],
  [14, 'Prickett'],
];

const byScoreThenMember = (a: Entry, b: Entry): number =>
  a.score < b.score ? -1 : a.score > b.score ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0;

describe('SkipList', () => {
  describe('as a sorted list', () => {
    it('should start empty, on one level', () => {
      const list = new SkipList();
      expect(list.length).toBe(0);
      expect(list.level).toBe(1);
      expect([...list]).toEqual([]);
    });

    it('should iterate in score order whatever the insertion order', () => {
      const list = listOf([
        [3, 'c'],
        [1, 'a'],
        [2, 'b'],
      ]);
      expect([...list]).toEqual([
        { score: 1, member: 'a' },
        { score: 2, member: 'b' },
        { score: 3, member: 'c' },
      ]);
      expect(list.length).toBe(3);
    });

    it('should order equal scores by member, not by insertion', () => {
      const list = listOf([
        [1, 'b'],
        [1, 'c'],
        [1, 'a'],
        [0, 'z'],
      ]);
      expect(pairs(list)).toEqual([
        [0, 'z'],
        [1, 'a'],
        [1, 'b'],
        [1, 'c'],
      ]);
    });

    it('should order the Redis documentation example', () => {
      const list = listOf(redisExample);
      expect([...list].map((e) => e.member)).toEqual(['Ford', 'Sam-Bodden', 'Norem', 'Royce', 'Castilla', 'Prickett']);
    });

    it('should hold the same member under different scores (keeping members unique is the hash map’s job)', () => {
      const list = listOf([
        [2, 'a'],
        [1, 'a'],
      ]);
      expect(pairs(list)).toEqual([
        [1, 'a'],
        [2, 'a'],
      ]);
    });

    it('should handle negative and infinite scores', () => {
      const list = listOf([
        [0, 'zero'],
        [Number.POSITIVE_INFINITY, 'inf'],
        [-1.5, 'neg'],
        [Number.NEGATIVE_INFINITY, '-inf'],
      ]);
      expectOrder(list, [
        [Number.NEGATIVE_INFINITY, '-inf'],
        [-1.5, 'neg'],
        [0, 'zero'],
        [Number.POSITIVE_INFINITY, 'inf'],
      ]);
    });
  });

  describe('delete', () => {
    it('should remove the pair and report whether it was there', () => {
      const list = listOf(redisExample);
      expect(list.delete(10, 'Royce')).toBe(true);
      expect(list.delete(10, 'Royce')).toBe(false);
      expect([...list].map((e) => e.member)).toEqual(['Ford', 'Sam-Bodden', 'Norem', 'Castilla', 'Prickett']);
    });

    it('should need both the score and the member to match', () => {
      const list = listOf([
        [1, 'a'],
        [2, 'b'],
      ]);
      expect(list.delete(2, 'a')).toBe(false);
      expect(list.delete(1, 'b')).toBe(false);
      expect(list.length).toBe(2);
    });

    it('should remove the first, a middle and the last entry', () => {
      const list = listOf(redisExample);
      list.delete(6, 'Ford');
      list.delete(10, 'Norem');
      list.delete(14, 'Prickett');
      expectOrder(list, [
        [8, 'Sam-Bodden'],
        [10, 'Royce'],
        [12, 'Castilla'],
      ]);
    });

    it('should return to an empty list on one level', () => {
      const list = listOf(redisExample, towers(3, 1, 2, 4, 1, 2));
      for (const [score, member] of redisExample) list.delete(score, member);
      expect(list.length).toBe(0);
      expect(list.level).toBe(1);
      expect([...list]).toEqual([]);
    });
  });

  describe('rank and at', () => {
    it('should give 0-based ranks', () => {
      const list = listOf(redisExample);
      expect(list.rank(6, 'Ford')).toBe(0);
      expect(list.rank(10, 'Royce')).toBe(3);
      expect(list.rank(14, 'Prickett')).toBe(5);
    });

    it('should return -1 for a pair that is not there', () => {
      const list = listOf(redisExample);
      expect(list.rank(10, 'Ford')).toBe(-1);
      expect(list.rank(7, 'Sam')).toBe(-1);
      expect(list.rank(100, 'Zed')).toBe(-1);
      expect(new SkipList().rank(1, 'a')).toBe(-1);
    });

    it('should return the entry at a rank', () => {
      const list = listOf(redisExample);
      expect(list.at(0)).toEqual({ score: 6, member: 'Ford' });
      expect(list.at(3)).toEqual({ score: 10, member: 'Royce' });
      expect(list.at(5)).toEqual({ score: 14, member: 'Prickett' });
    });

    it.each([{ rank: -1 }, { rank: 6 }, { rank: 1.5 }, { rank: Number.NaN }])('should return undefined at rank $rank', ({ rank }) => {
      const list = listOf(redisExample);
      expect(list.at(rank)).toBeUndefined();
      expect(list.length).toBe(6);
    });

    it('should return a copy that cannot change the list', () => {
      const list = listOf([[1, 'a']]);
      const entry = list.at(0)!;
      entry.score = 99;
      expect(list.at(0)).toEqual({ score: 1, member: 'a' });
    });
  });

  describe('levels and spans', () => {
    it('should build the towers the random draws ask for', () => {
      // Insertion order e(3) a(1) d(2) b(1) c(2) gives, by level, with the spans on the links:
      //   3   H ─────────────────5─────────────────► e
      //   2   H ──────────3──────────► c ─1─► d ─1─► e
      //   1   H ─1─► a ─1─► b ─1─► c ─1─► d ─1─► e
      const list = new SkipList({ random: towers(3, 1, 2, 1, 2) });
      list.insert(50, 'e');
      list.insert(10, 'a');
      list.insert(40, 'd');
      list.insert(20, 'b');
      list.insert(30, 'c');
      expect(list.level).toBe(3);
      expectOrder(list, [
        [10, 'a'],
        [20, 'b'],
        [30, 'c'],
        [40, 'd'],
        [50, 'e'],
      ]);
    });

    it('should count the entries a new lane jumps over', () => {
      // Three short towers, then a tall one whose new lanes start at the header: they must
      // jump the three entries already there.
      const list = new SkipList({ random: towers(1, 1, 1, 3, 2, 1) });
      list.insert(1, 'a');
      list.insert(2, 'b');
      list.insert(3, 'c');
      list.insert(4, 'd');
      expect(list.level).toBe(3);
      expectOrder(list, [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
      ]);
      list.insert(5, 'e');
      list.insert(0, 'start');
      expectOrder(list, [
        [0, 'start'],
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
        [5, 'e'],
      ]);
    });

    it('should keep ranks exact through interleaved deletes and inserts', () => {
      const list = new SkipList({ random: towers(3, 1, 2, 1, 2, 3, 1) });
      list.insert(50, 'e');
      list.insert(10, 'a');
      list.insert(40, 'd');
      list.insert(20, 'b');
      list.insert(30, 'c');
      list.delete(30, 'c');
      expectOrder(list, [
        [10, 'a'],
        [20, 'b'],
        [40, 'd'],
        [50, 'e'],
      ]);
      list.delete(50, 'e');
      expect(list.level).toBe(2);
      expectOrder(list, [
        [10, 'a'],
        [20, 'b'],
        [40, 'd'],
      ]);
      list.insert(15, 'f');
      list.delete(10, 'a');
      list.insert(45, 'g');
      expect(list.level).toBe(3);
      expectOrder(list, [
        [15, 'f'],
        [20, 'b'],
        [40, 'd'],
        [45, 'g'],
      ]);
    });

    it('should grow a tower only while the draw is below p', () => {
      const atP = new SkipList({ p: 0.25, random: () => 0.25 });
      for (let i = 0; i < 10; i++) atP.insert(i, 'm');
      expect(atP.level).toBe(1);

      const belowP = new SkipList({ p: 0.25, random: towers(2) });
      belowP.insert(1, 'a');
      expect(belowP.level).toBe(2);
    });

    it('should cap every tower at maxLevel', () => {
      const list = new SkipList({ maxLevel: 4, random: () => 0 });
      for (let i = 0; i < 10; i++) list.insert(i, String(i));
      expect(list.level).toBe(4);
      expectOrder(list, Array.from({ length: 10 }, (_, i): Pair => [i, String(i)]));
    });

    it('should use about log4(n) levels at p = 1/4', () => {
      // log4(4096) = 6: a list of 4096 needs about 6 levels, a million about 10. A coin with
      // p = 1/2 would need about log2(4096) = 12.
      const list = new SkipList({ random: seededRandom(7) });
      for (let i = 0; i < 4096; i++) list.insert(i, 'm');
      expect(list.level).toBeGreaterThanOrEqual(5);
      expect(list.level).toBeLessThanOrEqual(10);
    });
  });

  describe('updateScore', () => {
    /** Always stops at one level, and counts the draws: only building a new tower draws. */
    const countingRandom = () => {
      const counter = {
        draws: 0,
        random: () => {
          counter.draws++;
          return 0.5;
        },
      };
      return counter;
    };

    it('should update in place when the entry stays between its neighbours', () => {
      const counter = countingRandom();
      const list = new SkipList({ random: counter.random });
      list.insert(1, 'a');
      list.insert(2, 'b');
      list.insert(3, 'c');
      const draws = counter.draws;
      list.updateScore('b', 2, 2.5);
      expect(counter.draws).toBe(draws); // no new tower was built
      expectOrder(list, [
        [1, 'a'],
        [2.5, 'b'],
        [3, 'c'],
      ]);
    });

    it('should move the entry when it passes a neighbour', () => {
      const counter = countingRandom();
      const list = new SkipList({ random: counter.random });
      list.insert(1, 'a');
      list.insert(2, 'b');
      list.insert(3, 'c');
      const draws = counter.draws;
      list.updateScore('a', 1, 5);
      expect(counter.draws).toBeGreaterThan(draws);
      expectOrder(list, [
        [2, 'b'],
        [3, 'c'],
        [5, 'a'],
      ]);
      list.updateScore('c', 3, 0);
      expectOrder(list, [
        [0, 'c'],
        [2, 'b'],
        [5, 'a'],
      ]);
    });

    it('should break a tie with the new neighbour by member', () => {
      const list = listOf([
        [1, 'b'],
        [2, 'a'],
      ]);
      list.updateScore('b', 1, 2);
      expectOrder(list, [
        [2, 'a'],
        [2, 'b'],
      ]);
    });

    it('should keep the order when the score does not change', () => {
      const list = listOf(redisExample);
      list.updateScore('Norem', 10, 10);
      expect([...list].map((e) => e.member)).toEqual(['Ford', 'Sam-Bodden', 'Norem', 'Royce', 'Castilla', 'Prickett']);
    });

    it('should keep the spans right when a tall tower moves', () => {
      const list = new SkipList({ random: towers(1, 3, 1, 2, 1, 2) });
      list.insert(1, 'a');
      list.insert(2, 'b');
      list.insert(3, 'c');
      list.insert(4, 'd');
      list.insert(5, 'e');
      list.updateScore('b', 2, 4.5);
      expectOrder(list, [
        [1, 'a'],
        [3, 'c'],
        [4, 'd'],
        [4.5, 'b'],
        [5, 'e'],
      ]);
    });

    it('should throw a RangeError when the old pair is not there', () => {
      const list = listOf([[1, 'a']]);
      expect(() => list.updateScore('a', 2, 3)).toThrow(RangeError);
      expect(() => list.updateScore('b', 1, 3)).toThrow(RangeError);
      expect(pairs(list)).toEqual([[1, 'a']]);
    });
  });

  // Six entries, two of them tied on score 2: the fixture of both range queries.
  const scores: Pair[] = [
    [1, 'a'],
    [2, 'b'],
    [2, 'c'],
    [3, 'd'],
    [4, 'e'],
    [5, 'f'],
  ];

  describe('rangeByScore', () => {
    it('should return the entries between two inclusive bounds, in order', () => {
      const list = listOf(scores);
      expect(pairs(list.rangeByScore(2, 4))).toEqual([
        [2, 'b'],
        [2, 'c'],
        [3, 'd'],
        [4, 'e'],
      ]);
    });

    it.each<{ options: RangeOptions; members: string[] }>([
      { options: { minExclusive: true }, members: ['d', 'e'] },
      { options: { maxExclusive: true }, members: ['b', 'c', 'd'] },
      { options: { minExclusive: true, maxExclusive: true }, members: ['d'] },
    ])('should leave a bound out with $options', ({ options, members }) => {
      const list = listOf(scores);
      expect(list.rangeByScore(2, 4, options).map((e) => e.member)).toEqual(members);
    });

    it.each<{ options: RangeOptions; members: string[] }>([
      { options: { offset: 1, count: 2 }, members: ['b', 'c'] },
      { options: { offset: 3 }, members: ['d', 'e', 'f'] },
      { options: { count: 1 }, members: ['a'] },
      { options: { offset: 2, count: -1 }, members: ['c', 'd', 'e', 'f'] },
      { options: { count: 0 }, members: [] },
      { options: { offset: 6 }, members: [] },
      { options: { offset: 100, count: 5 }, members: [] },
    ])('should page through matches with $options', ({ options, members }) => {
      const list = listOf(scores);
      expect(list.rangeByScore(1, 5, options).map((e) => e.member)).toEqual(members);
    });

    it('should apply the offset within the range, not from the start of the list', () => {
      const list = listOf(scores);
      expect(list.rangeByScore(2, 3, { offset: 1 }).map((e) => e.member)).toEqual(['c', 'd']);
      expect(list.rangeByScore(2, 3, { offset: 3 })).toEqual([]);
    });

    it('should take everything between -Infinity and +Infinity', () => {
      const list = listOf(scores);
      expect(pairs(list.rangeByScore(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY))).toEqual(scores);
    });

    it('should return nothing for an empty range', () => {
      const list = listOf(scores);
      expect(list.rangeByScore(4, 2)).toEqual([]);
      expect(list.rangeByScore(2.1, 2.9)).toEqual([]);
      expect(list.rangeByScore(6, 10)).toEqual([]);
      expect(list.rangeByScore(2, 2, { minExclusive: true })).toEqual([]);
      expect(new SkipList().rangeByScore(0, 10)).toEqual([]);
    });
  });

  describe('reverseRangeByScore', () => {
    it('should return the entries from max down to min, max first in the arguments too', () => {
      const list = listOf(scores);
      expect(pairs(list.reverseRangeByScore(4, 2))).toEqual([
        [4, 'e'],
        [3, 'd'],
        [2, 'c'],
        [2, 'b'],
      ]);
    });

    it.each<{ options: RangeOptions; members: string[] }>([
      { options: { maxExclusive: true }, members: ['d', 'c', 'b'] },
      { options: { minExclusive: true }, members: ['e', 'd'] },
      { options: { minExclusive: true, maxExclusive: true }, members: ['d'] },
    ])('should leave a bound out with $options', ({ options, members }) => {
      const list = listOf(scores);
      expect(list.reverseRangeByScore(4, 2, options).map((e) => e.member)).toEqual(members);
    });

    it.each<{ options: RangeOptions; members: string[] }>([
      { options: { offset: 1, count: 2 }, members: ['e', 'd'] },
      { options: { offset: 4 }, members: ['b', 'a'] },
      { options: { offset: 5 }, members: ['a'] },
      { options: { offset: 6 }, members: [] },
      { options: { count: 0 }, members: [] },
      { options: { offset: 2, count: -5 }, members: ['d', 'c', 'b', 'a'] },
    ])('should page through matches with $options', ({ options, members }) => {
      const list = listOf(scores);
      expect(list.reverseRangeByScore(5, 1, options).map((e) => e.member)).toEqual(members);
    });

    it('should apply the offset within the range, from its top', () => {
      const list = listOf(scores);
      expect(list.reverseRangeByScore(3, 2, { offset: 1 }).map((e) => e.member)).toEqual(['c', 'b']);
      expect(list.reverseRangeByScore(4.5, 0, { offset: 2, count: 1 }).map((e) => e.member)).toEqual(['c']);
    });

    it('should return nothing for an empty range', () => {
      const list = listOf(scores);
      expect(list.reverseRangeByScore(2, 4)).toEqual([]);
      expect(list.reverseRangeByScore(0.5, 0)).toEqual([]);
      expect(list.reverseRangeByScore(2, 2, { maxExclusive: true })).toEqual([]);
      expect(new SkipList().reverseRangeByScore(10, 0)).toEqual([]);
    });
  });

  describe('options and bad input', () => {
    it('should work with the defaults (Math.random, p = 1/4, 32 levels)', () => {
      const list = new SkipList();
      for (let i = 99; i >= 0; i--) list.insert(i % 10, `m${i}`);
      expect(list.length).toBe(100);
      const entries = [...list];
      expect(entries).toEqual([...entries].sort(byScoreThenMember));
    });

    it.each([{ maxLevel: 1 }, { maxLevel: 64 }])('should accept maxLevel $maxLevel', ({ maxLevel }) => {
      const list = new SkipList({ maxLevel, random: () => 0 });
      list.insert(1, 'a');
      expect(list.level).toBe(maxLevel);
    });

    it.each([{ maxLevel: 0 }, { maxLevel: 65 }, { maxLevel: 2.5 }, { maxLevel: Number.NaN }])(
      'should reject maxLevel $maxLevel with a RangeError naming it',
      ({ maxLevel }) => {
        expect(() => new SkipList({ maxLevel })).toThrow(RangeError);
        expect(() => new SkipList({ maxLevel })).toThrow(/maxLevel/);
        expect(() => new SkipList({ maxLevel })).toThrow(String(maxLevel));
      },
    );

    it.each([{ p: 0 }, { p: 1 }, { p: -0.25 }, { p: 1.5 }, { p: Number.NaN }])('should reject p = $p with a RangeError', ({ p }) => {
      expect(() => new SkipList({ p })).toThrow(RangeError);
      expect(() => new SkipList({ p })).toThrow(String(p));
    });

    it.each([{ option: 'random' }, { option: 'compare' }])('should reject a $option that is not a function with a TypeError', ({ option }) => {
      // What a caller without type checking could pass.
      const options = { [option]: 0.5 } as unknown as SkipListOptions;
      expect(() => new SkipList(options)).toThrow(TypeError);
    });

    it('should reject a NaN score with a RangeError', () => {
      const list = listOf([[1, 'a']]);
      expect(() => list.insert(Number.NaN, 'b')).toThrow(RangeError);
      expect(() => list.updateScore('a', 1, Number.NaN)).toThrow(RangeError);
      expect(pairs(list)).toEqual([[1, 'a']]);
    });

    it('should find nothing under a NaN score', () => {
      const list = listOf([
        [1, 'a'],
        [2, 'b'],
      ]);
      expect(list.rank(Number.NaN, 'a')).toBe(-1);
      expect(list.delete(Number.NaN, 'b')).toBe(false);
      expect(() => list.updateScore('a', Number.NaN, 3)).toThrow(RangeError);
      expectOrder(list, [
        [1, 'a'],
        [2, 'b'],
      ]);
    });

    it('should reject a pair that is already there with a RangeError', () => {
      const list = listOf([[1, 'a']]);
      expect(() => list.insert(1, 'a')).toThrow(RangeError);
      expect(list.length).toBe(1);
    });

    it.each<{ options: RangeOptions }>([{ options: { offset: -1 } }, { options: { offset: 1.5 } }, { options: { count: 0.5 } }])(
      'should reject $options in range queries with a RangeError',
      ({ options }) => {
        const list = listOf([[1, 'a']]);
        expect(() => list.rangeByScore(0, 2, options)).toThrow(RangeError);
        expect(() => list.reverseRangeByScore(2, 0, options)).toThrow(RangeError);
      },
    );

    it('should order by an injected compare', () => {
      // Still by score first, as range queries require, but ties by member descending.
      const list = new SkipList({ random: seededRandom(3), compare: (a, b) => a.score - b.score || (a.member < b.member ? 1 : a.member > b.member ? -1 : 0) });
      list.insert(1, 'a');
      list.insert(1, 'c');
      list.insert(0, 'z');
      list.insert(1, 'b');
      expectOrder(list, [
        [0, 'z'],
        [1, 'c'],
        [1, 'b'],
        [1, 'a'],
      ]);
      expect(list.delete(1, 'b')).toBe(true);
      expect(list.rank(1, 'a')).toBe(2);
    });
  });

  describe('complexity', () => {
    // Comparisons, not time. A search crosses about (1 - p)/p = 3 links per level on about
    // log4(n) levels and ends each level on one failed comparison: about (1/p) * log4(n) =
    // 2 * log2(n) comparisons, 24 for n = 4096 (Pugh's analysis; the mean measured here is near
    // 20). The bound 4 * log2(n) = 48 leaves twice that for any correct variant, while a walk
    // along the bottom level alone averages n/2 = 2048.
    const n = 4096;
    const bound = 4 * Math.log2(n);

    it('should need O(log n) comparisons to insert, rank and delete', () => {
      let comparisons = 0;
      const list = new SkipList({
        random: seededRandom(42),
        compare: (a, b) => {
          comparisons++;
          return byScoreThenMember(a, b);
        },
      });
      const shuffle = seededRandom(4242);
      const keys = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(shuffle() * (i + 1));
        [keys[i], keys[j]] = [keys[j]!, keys[i]!];
      }
      const mean = (operation: (key: number) => void): number => {
        comparisons = 0;
        for (const key of keys) operation(key);
        return comparisons / n;
      };

      let wrong = 0;
      const insert = mean((key) => list.insert(key, `m${key}`));
      const rank = mean((key) => (wrong += list.rank(key, `m${key}`) === key ? 0 : 1));
      const remove = mean((key) => (wrong += list.delete(key, `m${key}`) ? 0 : 1));
      expect(wrong).toBe(0);
      expect(list.length).toBe(0);
      for (const perOperation of [insert, rank, remove]) {
        expect(perOperation).toBeGreaterThanOrEqual(1); // the injected compare decides the order
        expect(perOperation).toBeLessThan(bound);
      }
    });
  });

  describe('properties', () => {
    const score = fc.integer({ min: 0, max: 4 });
    const member = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const distinctPairs = fc.uniqueArray(fc.tuple(score, member), { selector: ([s, m]) => `${s}:${m}`, maxLength: 25 });
    const sorted = (entries: readonly Pair[]): Pair[] =>
      [...entries].sort(([sa, ma], [sb, mb]) => byScoreThenMember({ score: sa, member: ma }, { score: sb, member: mb }));
    // Half the draws are below p, so towers are tall even in small lists; fast-check replays them.
    const coins = fc.infiniteStream(fc.boolean());
    const drawsFrom = (flips: Iterator<boolean>) => () => (flips.next().value ? 0 : 0.5);

    it('should order any entries like a sorted array, with matching ranks', () => {
      fc.assert(
        fc.property(distinctPairs, coins, (entries, flips) => {
          const list = listOf(entries, drawsFrom(flips));
          expectOrder(list, sorted(entries));
        }),
      );
    });

    it('should answer range queries like a filter over the sorted array', () => {
      const options = fc.record(
        { minExclusive: fc.boolean(), maxExclusive: fc.boolean(), offset: fc.nat(6), count: fc.integer({ min: -1, max: 6 }) },
        { requiredKeys: [] },
      );
      const bound = fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constantFrom(0.5, 2.5));
      fc.assert(
        fc.property(distinctPairs, coins, bound, bound, options, (entries, flips, min, max, opts) => {
          const list = listOf(entries, drawsFrom(flips));
          const { minExclusive = false, maxExclusive = false, offset = 0, count = -1 } = opts;
          const inRange = sorted(entries).filter(([s]) => (minExclusive ? s > min : s >= min) && (maxExclusive ? s < max : s <= max));
          const page = (matches: Pair[]) => matches.slice(offset, count < 0 ? undefined : offset + count);
          expect(pairs(list.rangeByScore(min, max, opts))).toEqual(page(inRange));
          expect(pairs(list.reverseRangeByScore(max, min, opts))).toEqual(page([...inRange].reverse()));
        }),
      );
    });

    it('should be back where it started after inserting and deleting a pair', () => {
      fc.assert(
        fc.property(distinctPairs, coins, score, member, (entries, flips, s, m) => {
          fc.pre(!entries.some(([es, em]) => es === s && em === m));
          const list = listOf(entries, drawsFrom(flips));
          list.insert(s, m);
          expect(list.delete(s, m)).toBe(true);
          expectOrder(list, sorted(entries));
        }),
      );
    });
  });

  describe('against a model', () => {
    // The model is a sorted array of entries.
    type Model = Entry[];
    type Real = SkipList;

    const indexOf = (model: Readonly<Model>, score: number, member: string) =>
      model.findIndex((e) => e.score === score && e.member === member);
    const add = (model: Model, score: number, member: string): void => {
      model.push({ score, member });
      model.sort(byScoreThenMember);
    };
    const expectSameState = (model: Model, real: Real): void => {
      expectOrder(real, model.map((e): Pair => [e.score, e.member]));
    };

    class InsertCommand implements fc.Command<Model, Real> {
      constructor(
        readonly score: number,
        readonly member: string,
      ) {}
      check = (model: Readonly<Model>) => indexOf(model, this.score, this.member) === -1;
      run(model: Model, real: Real): void {
        real.insert(this.score, this.member);
        add(model, this.score, this.member);
        expectSameState(model, real);
      }
      toString = () => `insert(${this.score}, ${this.member})`;
    }

    class DeleteCommand implements fc.Command<Model, Real> {
      constructor(
        readonly score: number,
        readonly member: string,
      ) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const index = indexOf(model, this.score, this.member);
        expect(real.delete(this.score, this.member)).toBe(index !== -1);
        if (index !== -1) model.splice(index, 1);
        expectSameState(model, real);
      }
      toString = () => `delete(${this.score}, ${this.member})`;
    }

    /** Moves the first entry of `member` in the model, whatever its score; or checks the miss. */
    class UpdateScoreCommand implements fc.Command<Model, Real> {
      constructor(
        readonly member: string,
        readonly newScore: number,
      ) {}
      // The new pair must be free, as it always is in a sorted set, where members are unique.
      check = (model: Readonly<Model>) => {
        const entry = model.find((e) => e.member === this.member);
        return entry === undefined || entry.score === this.newScore || indexOf(model, this.newScore, this.member) === -1;
      };
      run(model: Model, real: Real): void {
        const index = model.findIndex((e) => e.member === this.member);
        if (index === -1) {
          expect(() => real.updateScore(this.member, this.newScore, this.newScore)).toThrow(RangeError);
        } else {
          real.updateScore(this.member, model[index]!.score, this.newScore);
          model.splice(index, 1);
          add(model, this.newScore, this.member);
        }
        expectSameState(model, real);
      }
      toString = () => `updateScore(${this.member}, its score, ${this.newScore})`;
    }

    class RangeCommand implements fc.Command<Model, Real> {
      constructor(
        readonly min: number,
        readonly max: number,
        readonly options: RangeOptions,
      ) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const { minExclusive = false, maxExclusive = false, offset = 0, count = -1 } = this.options;
        const inRange = model.filter(({ score }) => (minExclusive ? score > this.min : score >= this.min) && (maxExclusive ? score < this.max : score <= this.max));
        const page = (matches: Entry[]) => matches.slice(offset, count < 0 ? undefined : offset + count);
        expect(real.rangeByScore(this.min, this.max, this.options)).toEqual(page(inRange));
        expect(real.reverseRangeByScore(this.max, this.min, this.options)).toEqual(page([...inRange].reverse()));
      }
      toString = () => `range(${this.min}, ${this.max}, ${JSON.stringify(this.options)})`;
    }

    it('should behave like a sorted array under any sequence of operations', () => {
      const score = fc.integer({ min: 0, max: 4 });
      const member = fc.constantFrom('a', 'b', 'c', 'd');
      const options = fc.record(
        { minExclusive: fc.boolean(), maxExclusive: fc.boolean(), offset: fc.nat(3), count: fc.integer({ min: -1, max: 3 }) },
        { requiredKeys: [] },
      );
      const commands = fc.commands(
        [
          fc.tuple(score, member).map(([s, m]) => new InsertCommand(s, m)),
          fc.tuple(score, member).map(([s, m]) => new InsertCommand(s, m)),
          fc.tuple(score, member).map(([s, m]) => new DeleteCommand(s, m)),
          fc.tuple(member, score).map(([m, to]) => new UpdateScoreCommand(m, to)),
          fc.tuple(member, score).map(([m, to]) => new UpdateScoreCommand(m, to)),
          fc.tuple(score, score, options).map(([min, max, o]) => new RangeCommand(min, max, o)),
        ],
        { maxCommands: 40 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.infiniteStream(fc.boolean()), commands, (maxLevel, flips, cmds) => {
          const random = () => (flips.next().value ? 0 : 0.5);
          fc.modelRun(() => ({ model: [], real: new SkipList({ maxLevel, random }) }), cmds);
        }),
      );
    });
  });
});
