import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#testing';
import { SortedSet, type Entry, type Limit, type ScoreBound, type ZAddFlags } from './sorted-set.ts';

type Pair = [score: number, member: string];

/** A set holding these [score, member] pairs, added in the order given. */
function setOf(pairs: readonly Pair[] = []): SortedSet {
  const set = new SortedSet({ random: seededRandom(7) });
  for (const [score, member] of pairs) set.zadd(member, score);
  return set;
}

const members = (entries: readonly Entry[]): string[] => entries.map((entry) => entry.member);
const everything = (set: SortedSet): Pair[] => set.zrange(0, -1).map(({ score, member }): Pair => [score, member]);

/** ZADD myzset 10 Norem 12 Castilla 8 Sam-Bodden 10 Royce 6 Ford 14 Prickett, from the Redis docs. */
const racers: Pair[] = [
  [10, 'Norem'],
  [12, 'Castilla'],
  [8, 'Sam-Bodden'],
  [10, 'Royce'],
  [6, 'Ford'],
  [14, 'Prickett'],
];

/** ZADD myzset 1 one 2 two 3 three, the set most Redis docs pages start from. */
const oneTwoThree: Pair[] = [
  [1, 'one'],
  [2, 'two'],
  [3, 'three'],
];

/** ZADD myzset 0 a 0 b … 0 g: equal scores, so the order is the members' order. */
const letters: Pair[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((member): Pair => [0, member]);

describe('SortedSet', () => {
  describe('zadd, zscore and zcard', () => {
    it('should order members by score, then by member (the Redis docs example)', () => {
      const set = setOf(racers);
      expect(members(set.zrange(0, -1))).toEqual(['Ford', 'Sam-Bodden', 'Norem', 'Royce', 'Castilla', 'Prickett']);
      expect(set.zcard()).toBe(6);
    });

    it('should return the score of a member, and undefined for a stranger', () => {
      const set = setOf(racers);
      expect(set.zscore('Royce')).toBe(10);
      expect(set.zscore('Ford')).toBe(6);
      expect(set.zscore('Schumacher')).toBeUndefined();
    });

    it('should count the members it adds, not the ones it updates', () => {
      const set = setOf();
      expect(set.zadd('one', 1)).toBe(1);
      expect(set.zadd('uno', 1)).toBe(1);
      expect(set.zadd('one', 1)).toBe(0);
      expect(set.zadd('uno', 5)).toBe(0);
      expect(set.zcard()).toBe(2);
      expect(set.zscore('uno')).toBe(5);
    });

    it('should move a member when its score changes', () => {
      const set = setOf(oneTwoThree);
      set.zadd('one', 10);
      expect(everything(set)).toEqual([
        [2, 'two'],
        [3, 'three'],
        [10, 'one'],
      ]);
      set.zadd('three', -1);
      expect(everything(set)).toEqual([
        [-1, 'three'],
        [2, 'two'],
        [10, 'one'],
      ]);
    });

    it('should order equal scores by member with <, not by insertion (uppercase first)', () => {
      const set = setOf([
        [1, 'b'],
        [1, 'a'],
        [1, 'B'],
        [1, 'ab'],
        [0, 'z'],
      ]);
      expect(members(set.zrange(0, -1))).toEqual(['z', 'B', 'a', 'ab', 'b']);
    });

    it('should accept infinite scores', () => {
      const set = setOf([
        [Infinity, 'top'],
        [0, 'zero'],
        [-Infinity, 'bottom'],
      ]);
      expect(members(set.zrange(0, -1))).toEqual(['bottom', 'zero', 'top']);
    });
  });

  describe('zadd flags', () => {
    // Each row starts from a set where `a` has score 5 and `b` is absent.
    it.each<[member: string, score: number, flags: ZAddFlags, returns: number, after: number | undefined]>([
      ['b', 3, {}, 1, 3],
      ['a', 7, {}, 0, 7],
      ['a', 7, { ch: true }, 1, 7],
      ['a', 5, { ch: true }, 0, 5],
      ['b', 3, { ch: true }, 1, 3],
      ['b', 3, { nx: true }, 1, 3],
      ['a', 7, { nx: true, ch: true }, 0, 5],
      ['b', 3, { xx: true }, 0, undefined],
      ['a', 7, { xx: true }, 0, 7],
      ['a', 7, { xx: true, ch: true }, 1, 7],
      ['a', 7, { gt: true, ch: true }, 1, 7],
      ['a', 3, { gt: true, ch: true }, 0, 5],
      ['a', 5, { gt: true, ch: true }, 0, 5],
      ['b', 3, { gt: true }, 1, 3],
      ['a', 3, { lt: true, ch: true }, 1, 3],
      ['a', 7, { lt: true, ch: true }, 0, 5],
      ['b', 9, { lt: true }, 1, 9],
      ['b', 3, { xx: true, gt: true }, 0, undefined],
      ['a', 3, { xx: true, lt: true, ch: true }, 1, 3],
    ])('should make zadd(%s, %i, %o) return %i and leave the score at %s', (member, score, flags, returns, after) => {
      const set = setOf([[5, 'a']]);
      expect(set.zadd(member, score, flags)).toBe(returns);
      expect(set.zscore(member)).toBe(after);
      expect(set.zcard()).toBe(after === undefined ? 1 : member === 'a' ? 1 : 2);
    });

    it('should keep the order right after a flagged update', () => {
      const set = setOf(oneTwoThree);
      set.zadd('one', 4, { gt: true });
      set.zadd('three', 0, { xx: true, lt: true });
      expect(everything(set)).toEqual([
        [0, 'three'],
        [2, 'two'],
        [4, 'one'],
      ]);
    });
  });

  describe('zincrby', () => {
    it('should add to the score and move the member (the Redis docs example)', () => {
      const set = setOf([
        [1, 'one'],
        [2, 'two'],
      ]);
      expect(set.zincrby('one', 2)).toBe(3);
      expect(everything(set)).toEqual([
        [2, 'two'],
        [3, 'one'],
      ]);
    });

    it('should start a new member at 0', () => {
      const set = setOf(oneTwoThree);
      expect(set.zincrby('four', -5)).toBe(-5);
      expect(set.zrank('four')).toBe(0);
      expect(set.zcard()).toBe(4);
    });

    it('should stay at infinity once there', () => {
      const set = setOf([[Infinity, 'a']]);
      expect(set.zincrby('a', -1e308)).toBe(Infinity);
    });
  });

  describe('zrem', () => {
    it('should remove the members and count the ones that were there', () => {
      const set = setOf(racers);
      expect(set.zrem('Ford', 'Schumacher', 'Royce', 'Ford')).toBe(2);
      expect(members(set.zrange(0, -1))).toEqual(['Sam-Bodden', 'Norem', 'Castilla', 'Prickett']);
      expect(set.zcard()).toBe(4);
      expect(set.zscore('Ford')).toBeUndefined();
      expect(set.zrank('Royce')).toBeUndefined();
    });

    it('should let a removed member come back with another score', () => {
      const set = setOf(oneTwoThree);
      set.zrem('one');
      set.zadd('one', 5);
      expect(everything(set)).toEqual([
        [2, 'two'],
        [3, 'three'],
        [5, 'one'],
      ]);
    });
  });

  describe('zrank and zrevrank', () => {
    it('should give 0-based positions from the lowest and from the highest score', () => {
      const set = setOf(oneTwoThree);
      expect(set.zrank('three')).toBe(2);
      expect(set.zrank('one')).toBe(0);
      expect(set.zrevrank('one')).toBe(2);
      expect(set.zrevrank('three')).toBe(0);
    });

    it('should return undefined for a stranger', () => {
      const set = setOf(oneTwoThree);
      expect(set.zrank('four')).toBeUndefined();
      expect(set.zrevrank('four')).toBeUndefined();
    });

    it('should rank every member of the docs example', () => {
      const set = setOf(racers);
      const order = ['Ford', 'Sam-Bodden', 'Norem', 'Royce', 'Castilla', 'Prickett'];
      expect(order.map((member) => set.zrank(member))).toEqual([0, 1, 2, 3, 4, 5]);
      expect(order.map((member) => set.zrevrank(member))).toEqual([5, 4, 3, 2, 1, 0]);
    });
  });

  describe('zrange and zrevrange', () => {
    it.each<[start: number, stop: number, expected: string[]]>([
      [0, -1, ['one', 'two', 'three']],
      [2, 3, ['three']],
      [-2, -1, ['two', 'three']],
      [0, 0, ['one']],
      [-100, 100, ['one', 'two', 'three']],
      [1, -2, ['two']],
      [2, 1, []],
      [3, 10, []],
      [0, -4, []],
      [-1, -3, []],
    ])('should pick zrange(%i, %i) = %j', (start, stop, expected) => {
      expect(members(setOf(oneTwoThree).zrange(start, stop))).toEqual(expected);
    });

    it.each<[start: number, stop: number, expected: string[]]>([
      [0, -1, ['three', 'two', 'one']],
      [2, 3, ['one']],
      [-2, -1, ['two', 'one']],
      [0, 0, ['three']],
      [-100, 1, ['three', 'two']],
      [3, 10, []],
    ])('should pick zrevrange(%i, %i) = %j', (start, stop, expected) => {
      expect(members(setOf(oneTwoThree).zrevrange(start, stop))).toEqual(expected);
    });

    it('should return the scores with the members', () => {
      expect(setOf(oneTwoThree).zrevrange(0, 0)).toEqual([{ member: 'three', score: 3 }]);
    });

    it('should return nothing from an empty set', () => {
      const set = setOf();
      expect(set.zrange(0, -1)).toEqual([]);
      expect(set.zrevrange(0, -1)).toEqual([]);
      expect(set.zcard()).toBe(0);
    });
  });

  describe('zrangebyscore, zrevrangebyscore and zcount', () => {
    it('should treat numbers as inclusive bounds', () => {
      const set = setOf(racers);
      expect(members(set.zrangebyscore(8, 12))).toEqual(['Sam-Bodden', 'Norem', 'Royce', 'Castilla']);
      expect(members(set.zrangebyscore(10, 10))).toEqual(['Norem', 'Royce']);
    });

    it.each([
      { min: '-inf', max: '+inf', expected: ['one', 'two', 'three'] },
      { min: '1', max: '2', expected: ['one', 'two'] },
      { min: '(1', max: '2', expected: ['two'] },
      { min: '(1', max: '(2', expected: [] },
      { min: '1', max: '(3', expected: ['one', 'two'] },
      { min: '(1', max: '+inf', expected: ['two', 'three'] },
      { min: '-inf', max: '(-inf', expected: [] },
      { min: 2, max: 'inf', expected: ['two', 'three'] },
      { min: '1.5', max: '2.5', expected: ['two'] },
      { min: '.5', max: '2e0', expected: ['one', 'two'] },
      { min: '-INF', max: '(+Infinity', expected: ['one', 'two', 'three'] },
      { min: 3, max: 1, expected: [] },
      { min: '(2', max: '2', expected: [] },
      { min: -Infinity, max: Infinity, expected: ['one', 'two', 'three'] },
    ])('should read the bounds $min and $max', ({ min, max, expected }) => {
      const set = setOf(oneTwoThree);
      expect(members(set.zrangebyscore(min, max))).toEqual(expected);
      expect(set.zcount(min, max)).toBe(expected.length);
    });

    it('should return the highest first from zrevrangebyscore, which takes max first', () => {
      const set = setOf(oneTwoThree);
      expect(members(set.zrevrangebyscore('+inf', '-inf'))).toEqual(['three', 'two', 'one']);
      expect(members(set.zrevrangebyscore(2, 1))).toEqual(['two', 'one']);
      expect(members(set.zrevrangebyscore(2, '(1'))).toEqual(['two']);
      expect(members(set.zrevrangebyscore('(2', '(1'))).toEqual([]);
      expect(members(set.zrevrangebyscore(1, 2))).toEqual([]);
    });

    it('should order ties by member, and reverse them in the reverse commands', () => {
      const set = setOf(racers);
      expect(members(set.zrangebyscore(10, 10))).toEqual(['Norem', 'Royce']);
      expect(members(set.zrevrangebyscore(10, 10))).toEqual(['Royce', 'Norem']);
    });

    it('should page with a limit: skip offset matches, then return at most count', () => {
      const set = setOf(racers);
      expect(members(set.zrangebyscore('-inf', '+inf', { offset: 1, count: 2 }))).toEqual(['Sam-Bodden', 'Norem']);
      expect(members(set.zrangebyscore('(6', 12, { offset: 2, count: 10 }))).toEqual(['Royce', 'Castilla']);
      expect(members(set.zrangebyscore('-inf', '+inf', { offset: 6, count: 1 }))).toEqual([]);
      expect(members(set.zrangebyscore('-inf', '+inf', { offset: 0, count: 0 }))).toEqual([]);
    });

    it('should page zrevrangebyscore from the top of the range', () => {
      const set = setOf(racers);
      expect(members(set.zrevrangebyscore(12, '-inf', { offset: 1, count: 2 }))).toEqual(['Royce', 'Norem']);
      expect(members(set.zrevrangebyscore('+inf', '-inf', { offset: 4, count: 5 }))).toEqual(['Sam-Bodden', 'Ford']);
    });

    it('should read a negative count as "all the rest"', () => {
      const set = setOf(racers);
      expect(members(set.zrangebyscore('-inf', '+inf', { offset: 3, count: -1 }))).toEqual(['Royce', 'Castilla', 'Prickett']);
      expect(members(set.zrevrangebyscore('+inf', 8, { offset: 1, count: -5 }))).toEqual(['Castilla', 'Royce', 'Norem', 'Sam-Bodden']);
    });

    it('should return nothing for a negative offset, as Redis does (it is not "from the end")', () => {
      const set = setOf(racers);
      expect(set.zrangebyscore('-inf', '+inf', { offset: -1, count: 5 })).toEqual([]);
      expect(set.zrevrangebyscore('+inf', '-inf', { offset: -5, count: 5 })).toEqual([]);
    });

    it('should count with zcount (the Redis docs example)', () => {
      const set = setOf(oneTwoThree);
      expect(set.zcount('-inf', '+inf')).toBe(3);
      expect(set.zcount('(1', 3)).toBe(2);
      expect(setOf().zcount('-inf', '+inf')).toBe(0);
    });
  });

  describe('lex ranges, when every score is equal', () => {
    it('should range by member with [ inclusive and ( exclusive bounds (the Redis docs example)', () => {
      const set = setOf(letters);
      expect(set.zrangebylex('-', '[c')).toEqual(['a', 'b', 'c']);
      expect(set.zrangebylex('-', '(c')).toEqual(['a', 'b']);
      expect(set.zrangebylex('[aaa', '(g')).toEqual(['b', 'c', 'd', 'e', 'f']);
    });

    it('should range from max down to min with zrevrangebylex', () => {
      const set = setOf(letters);
      expect(set.zrevrangebylex('[c', '-')).toEqual(['c', 'b', 'a']);
      expect(set.zrevrangebylex('(c', '-')).toEqual(['b', 'a']);
      expect(set.zrevrangebylex('(g', '[aaa')).toEqual(['f', 'e', 'd', 'c', 'b']);
    });

    it('should count with zlexcount', () => {
      const set = setOf(letters);
      expect(set.zlexcount('-', '+')).toBe(7);
      expect(set.zlexcount('[b', '[f')).toBe(5);
      expect(set.zlexcount('(b', '(f')).toBe(3);
    });

    it('should treat - and + as the two ends, whichever side they are on', () => {
      const set = setOf(letters);
      expect(set.zrangebylex('-', '+')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      expect(set.zrangebylex('+', '-')).toEqual([]);
      expect(set.zrangebylex('+', '+')).toEqual([]);
      expect(set.zrangebylex('[e', '+')).toEqual(['e', 'f', 'g']);
      expect(set.zrevrangebylex('+', '(e')).toEqual(['g', 'f']);
    });

    it('should compare members as strings, prefixes first', () => {
      const set = setOf(['b', 'ab', 'a', 'abc', 'B', ''].map((member): Pair => [0, member]));
      expect(set.zrangebylex('[a', '(b')).toEqual(['a', 'ab', 'abc']);
      expect(set.zrangebylex('(a', '[abc')).toEqual(['ab', 'abc']);
      expect(set.zrangebylex('[', '(a')).toEqual(['', 'B']);
      expect(set.zrangebylex('(', '+')).toEqual(['B', 'a', 'ab', 'abc', 'b']);
    });

    it('should return nothing for an empty range', () => {
      const set = setOf(letters);
      expect(set.zrangebylex('[d', '[c')).toEqual([]);
      expect(set.zrangebylex('(c', '[c')).toEqual([]);
      expect(set.zrangebylex('[c', '(c')).toEqual([]);
      expect(set.zlexcount('[d', '[c')).toBe(0);
    });

    it('should page with a limit', () => {
      const set = setOf(letters);
      expect(set.zrangebylex('-', '+', { offset: 2, count: 3 })).toEqual(['c', 'd', 'e']);
      expect(set.zrevrangebylex('+', '-', { offset: 2, count: 3 })).toEqual(['e', 'd', 'c']);
      expect(set.zrangebylex('[b', '+', { offset: 4, count: -1 })).toEqual(['f', 'g']);
      expect(set.zrangebylex('-', '+', { offset: -1, count: 3 })).toEqual([]);
    });
  });

  describe('zpopmin and zpopmax', () => {
    it('should pop the lowest and the highest entry (the Redis docs examples)', () => {
      expect(setOf(oneTwoThree).zpopmin()).toEqual([{ member: 'one', score: 1 }]);
      expect(setOf(oneTwoThree).zpopmax()).toEqual([{ member: 'three', score: 3 }]);
    });

    it('should remove what it pops', () => {
      const set = setOf(racers);
      expect(members(set.zpopmin(2))).toEqual(['Ford', 'Sam-Bodden']);
      expect(members(set.zpopmax(2))).toEqual(['Prickett', 'Castilla']);
      expect(everything(set)).toEqual([
        [10, 'Norem'],
        [10, 'Royce'],
      ]);
      expect(set.zcard()).toBe(2);
      expect(set.zscore('Ford')).toBeUndefined();
      expect(set.zrank('Royce')).toBe(1);
    });

    it('should pop everything when asked for more than there is, and nothing when empty or for 0', () => {
      const set = setOf(oneTwoThree);
      expect(set.zpopmin(0)).toEqual([]);
      expect(members(set.zpopmax(10))).toEqual(['three', 'two', 'one']);
      expect(set.zpopmin()).toEqual([]);
      expect(set.zpopmax()).toEqual([]);
      expect(set.zcard()).toBe(0);
    });

    it('should work as a delayed-job queue: score = due time, pop what is due', () => {
      const jobs = setOf([
        [1_700_000_030, 'send-report'],
        [1_700_000_010, 'charge-card'],
        [1_700_000_020, 'email-receipt'],
      ]);
      const now = 1_700_000_020;
      const due = members(jobs.zrangebyscore('-inf', now));
      expect(due).toEqual(['charge-card', 'email-receipt']);
      expect(jobs.zrem(...due)).toBe(2);
      expect(members(jobs.zrange(0, -1))).toEqual(['send-report']);
    });
  });

  describe('a leaderboard', () => {
    // Twenty players: player-01 has 10 points, player-02 20, … player-20 200; alice and bob tie with player-15 at 150.
    const board = (): SortedSet => {
      const set = setOf(Array.from({ length: 20 }, (_, i): Pair => [(i + 1) * 10, `player-${String(i + 1).padStart(2, '0')}`]));
      set.zadd('alice', 150);
      set.zadd('bob', 150);
      return set;
    };

    it('should list the top 10 with zrevrange 0 9, ties by member from the highest', () => {
      expect(members(board().zrevrange(0, 9))).toEqual([
        'player-20',
        'player-19',
        'player-18',
        'player-17',
        'player-16',
        'player-15',
        'bob',
        'alice',
        'player-14',
        'player-13',
      ]);
    });

    it("should show a player's 1-based rank as zrevrank + 1", () => {
      const set = board();
      expect(set.zrevrank('player-20')! + 1).toBe(1);
      expect(set.zrevrank('alice')! + 1).toBe(8);
      expect(set.zrevrank('player-01')! + 1).toBe(22);
    });

    it('should update a rank as soon as the score changes', () => {
      const set = board();
      set.zincrby('player-01', 1_000);
      expect(set.zrevrank('player-01')).toBe(0);
      expect(set.zrevrank('player-20')).toBe(1);
    });

    const aroundMe = (set: SortedSet, member: string): string[] => {
      const rank = set.zrevrank(member)!;
      // Clamp the start yourself: a negative start would count from the end.
      return members(set.zrevrange(Math.max(0, rank - 5), rank + 5));
    };

    it('should page "around me" by rank ± 5', () => {
      expect(aroundMe(board(), 'player-13')).toEqual([
        'player-16',
        'player-15',
        'bob',
        'alice',
        'player-14',
        'player-13',
        'player-12',
        'player-11',
        'player-10',
        'player-09',
        'player-08',
      ]);
    });

    it('should clamp "around me" at the top and at the bottom of the board', () => {
      const set = board();
      expect(aroundMe(set, 'player-19')).toEqual(['player-20', 'player-19', 'player-18', 'player-17', 'player-16', 'player-15', 'bob']);
      expect(aroundMe(set, 'player-02')).toEqual(['player-07', 'player-06', 'player-05', 'player-04', 'player-03', 'player-02', 'player-01']);
    });

    it('should not take LIMIT -5 5 for "around me": by score, a negative offset finds nothing', () => {
      const set = board();
      expect(set.zrevrangebyscore(set.zscore('player-10')!, '-inf', { offset: -5, count: 5 })).toEqual([]);
    });
  });

  describe('bad input', () => {
    it.each<{ min: ScoreBound; max: ScoreBound }>([
      { min: 'one', max: 2 },
      { min: 1, max: 'two' },
      { min: '[1', max: 2 },
      { min: 'nan', max: 2 },
      { min: '(nan', max: 2 },
      { min: Number.NaN, max: 2 },
      { min: 1, max: '2x' },
      { min: 1, max: '((2' },
    ])('should reject the score bounds $min and $max with Redis’s error', ({ min, max }) => {
      const set = setOf(oneTwoThree);
      const error = new RangeError('min or max is not a float');
      expect(() => set.zrangebyscore(min, max)).toThrow(error);
      expect(() => set.zrevrangebyscore(max, min)).toThrow(error);
      expect(() => set.zcount(min, max)).toThrow(error);
    });

    it('should reject a bad score bound even when the set is empty', () => {
      expect(() => setOf().zrangebyscore('x', 1)).toThrow(new RangeError('min or max is not a float'));
    });

    it.each([
      { min: 'a', max: '+' },
      { min: '-', max: 'b' },
      { min: '', max: '+' },
      { min: '--', max: '+' },
      { min: '-', max: '+a' },
      { min: '-', max: '{b' },
    ])('should reject the lex bounds $min and $max with Redis’s error', ({ min, max }) => {
      const set = setOf(letters);
      const error = new RangeError('min or max not valid string range item');
      expect(() => set.zrangebylex(min, max)).toThrow(error);
      expect(() => set.zrevrangebylex(max, min)).toThrow(error);
      expect(() => set.zlexcount(min, max)).toThrow(error);
    });

    it.each<{ flags: ZAddFlags; message: string }>([
      { flags: { nx: true, xx: true }, message: 'XX and NX options at the same time are not compatible' },
      { flags: { nx: true, xx: true, gt: true }, message: 'XX and NX options at the same time are not compatible' },
      { flags: { nx: true, gt: true }, message: 'GT, LT, and/or NX options at the same time are not compatible' },
      { flags: { nx: true, lt: true }, message: 'GT, LT, and/or NX options at the same time are not compatible' },
      { flags: { gt: true, lt: true }, message: 'GT, LT, and/or NX options at the same time are not compatible' },
    ])('should reject the flags $flags, changing nothing', ({ flags, message }) => {
      const set = setOf([[5, 'a']]);
      expect(() => set.zadd('a', 7, flags)).toThrow(new RangeError(message));
      expect(() => set.zadd('b', 7, flags)).toThrow(new RangeError(message));
      expect(everything(set)).toEqual([[5, 'a']]);
    });

    it('should refuse a ZINCRBY that would give NaN, changing nothing', () => {
      const set = setOf([
        [Infinity, 'a'],
        [1, 'b'],
      ]);
      expect(() => set.zincrby('a', -Infinity)).toThrow(new RangeError('resulting score is not a number (NaN)'));
      expect(everything(set)).toEqual([
        [1, 'b'],
        [Infinity, 'a'],
      ]);
    });

    it('should reject a NaN score or delta with a RangeError naming it', () => {
      const set = setOf([[1, 'a']]);
      expect(() => set.zadd('a', Number.NaN)).toThrow(RangeError);
      expect(() => set.zadd('a', Number.NaN)).toThrow(/score/);
      expect(() => set.zincrby('b', Number.NaN)).toThrow(/delta/);
      expect(everything(set)).toEqual([[1, 'a']]);
    });

    it('should reject indexes, offsets and counts that are not integers', () => {
      const set = setOf(oneTwoThree);
      expect(() => set.zrange(0.5, 1)).toThrow(new RangeError('start must be an integer, got 0.5'));
      expect(() => set.zrevrange(0, Number.NaN)).toThrow(new RangeError('stop must be an integer, got NaN'));
      expect(() => set.zrangebyscore(1, 2, { offset: 1.5, count: 1 })).toThrow(new RangeError('offset must be an integer, got 1.5'));
      expect(() => set.zrangebylex('-', '+', { offset: 0, count: Infinity })).toThrow(new RangeError('count must be an integer, got Infinity'));
    });

    it('should reject a pop count that is not a non-negative integer', () => {
      const set = setOf(oneTwoThree);
      expect(() => set.zpopmin(-1)).toThrow(new RangeError('count must be a non-negative integer, got -1'));
      expect(() => set.zpopmax(1.5)).toThrow(new RangeError('count must be a non-negative integer, got 1.5'));
      expect(set.zcard()).toBe(3);
    });
  });

  // A naive model: a Map from member to score, sorted on demand.
  type Model = Map<string, number>;
  const sorted = (model: Model): Entry[] =>
    [...model]
      .map(([member, score]) => ({ member, score }))
      .sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  /** Redis's LIMIT over the matches, in the order returned. */
  const paged = <T>(matches: T[], limit: Limit | undefined): T[] => {
    if (limit === undefined) return matches;
    if (limit.offset < 0) return [];
    return matches.slice(limit.offset, limit.count < 0 ? undefined : limit.offset + limit.count);
  };

  const member = fc.constantFrom('a', 'b', 'c', 'd', 'e');
  const score = fc.constantFrom(-Infinity, -2, -1, 0, 0.5, 1, 2, Infinity);
  const pairsArb = fc.array(fc.tuple(score, member), { maxLength: 12 });
  const limitArb = fc.option(fc.record({ offset: fc.integer({ min: -1, max: 4 }), count: fc.integer({ min: -1, max: 4 }) }), { nil: undefined });

  /** A bound as the model sees it, and as the sorted set is given it (a number, or a string). */
  type Bound = { value: number; exclusive: boolean; text: ScoreBound };
  const boundArb: fc.Arbitrary<Bound> = fc
    .tuple(fc.constantFrom(-Infinity, -1, 0, 0.5, 1, 2, Infinity), fc.boolean(), fc.boolean())
    .map(([value, exclusive, asString]) => {
      const digits = value === Infinity ? '+inf' : value === -Infinity ? '-inf' : String(value);
      return { value, exclusive, text: exclusive ? `(${digits}` : asString ? digits : value };
    });
  const inRange = (min: Bound, max: Bound) => (entry: Entry) =>
    (min.exclusive ? entry.score > min.value : entry.score >= min.value) && (max.exclusive ? entry.score < max.value : entry.score <= max.value);

  const modelOf = (pairs: readonly Pair[]): Model => new Map(pairs.map(([score, member]) => [member, score]));

  describe('the skip list underneath', () => {
    // The contract is a hash map plus the skip list of skip-list.ts: every new member becomes a
    // tower, whose height takes draws from the injected random; a Map sorted on each query
    // would draw nothing, and pay O(n log n) per range instead of O(log n + k).
    it('should give each new member a tower in the skip list, and none when an update keeps its place', () => {
      let draws = 0;
      const set = new SortedSet({ random: () => (draws++, 0.5) });
      set.zadd('a', 1);
      set.zadd('b', 2);
      expect(draws).toBe(2);
      set.zadd('a', 1.5);
      expect(draws).toBe(2);
    });
  });

  describe('properties', () => {
    it('should pick the same entries as Redis index arithmetic over a sorted array', () => {
      fc.assert(
        fc.property(pairsArb, fc.integer({ min: -7, max: 7 }), fc.integer({ min: -7, max: 7 }), (pairs, start, stop) => {
          const set = setOf(pairs);
          const expected = sorted(modelOf(pairs));
          const n = expected.length;
          const from = start < 0 ? n + start : start;
          const to = stop < 0 ? n + stop : stop;
          const picked = expected.filter((_, i) => i >= from && i <= to);
          expect(set.zrange(start, stop)).toEqual(picked);
          expect(set.zrevrange(start, stop)).toEqual([...expected].reverse().filter((_, i) => i >= from && i <= to));
        }),
        { numRuns: 50 },
      );
    });

    it('should answer score ranges like a filter over the sorted entries', () => {
      fc.assert(
        fc.property(pairsArb, boundArb, boundArb, limitArb, (pairs, min, max, limit) => {
          const set = setOf(pairs);
          const matches = sorted(modelOf(pairs)).filter(inRange(min, max));
          expect(set.zrangebyscore(min.text, max.text, limit)).toEqual(paged(matches, limit));
          expect(set.zrevrangebyscore(max.text, min.text, limit)).toEqual(paged([...matches].reverse(), limit));
          expect(set.zcount(min.text, max.text)).toBe(matches.length);
        }),
        { numRuns: 50 },
      );
    });

    it('should answer lex ranges like a filter over the sorted members when all scores are equal', () => {
      const word = fc.constantFrom('', 'a', 'aa', 'ab', 'b', 'ba', 'c');
      const lexBound = fc.oneof(fc.constantFrom('-', '+'), fc.tuple(fc.constantFrom('[', '('), word).map(([sign, w]) => sign + w));
      const within = (min: string, max: string) => (m: string) =>
        (min === '-' || (min !== '+' && (min[0] === '[' ? m >= min.slice(1) : m > min.slice(1)))) &&
        (max === '+' || (max !== '-' && (max[0] === '[' ? m <= max.slice(1) : m < max.slice(1))));
      fc.assert(
        fc.property(fc.uniqueArray(word), lexBound, lexBound, limitArb, (words, min, max, limit) => {
          const set = setOf(words.map((w): Pair => [3, w]));
          const matches = [...words].sort().filter(within(min, max));
          expect(set.zrangebylex(min, max, limit)).toEqual(paged(matches, limit));
          expect(set.zrevrangebylex(max, min, limit)).toEqual(paged([...matches].reverse(), limit));
          expect(set.zlexcount(min, max)).toBe(matches.length);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a model', () => {
    type Real = SortedSet;

    // expect() is slow next to a sorted set of five members, and this test makes thousands of
    // checks: compare plainly, and call expect only to report a difference.
    const same = <T>(actual: T, expected: T): void => {
      if (actual !== expected) expect(actual).toBe(expected);
    };
    const throwsRangeError = (action: () => unknown, message: string): void => {
      let error: unknown;
      try {
        action();
      } catch (err: unknown) {
        error = err;
      }
      if (!(error instanceof RangeError && error.message === message)) expect(error).toEqual(new RangeError(message));
    };
    const line = (entries: readonly Entry[]): string => entries.map((e) => `${e.member}=${e.score}`).join(' ');

    /** The whole observable state as one line: `a=1 c=2 | a:1,0,1 b:- …` (score, rank, reverse rank). */
    const domain = ['a', 'b', 'c', 'd', 'e'];
    const expectSameState = (model: Model, real: Real): void => {
      const entries = sorted(model);
      const expected = `${line(entries)} | ${domain
        .map((m) => {
          const rank = entries.findIndex((entry) => entry.member === m);
          return rank < 0 ? `${m}:-` : `${m}:${model.get(m)},${rank},${entries.length - 1 - rank}`;
        })
        .join(' ')}`;
      const actual = `${line(real.zrange(0, -1))} | ${domain
        .map((m) => {
          const values = [real.zscore(m), real.zrank(m), real.zrevrank(m)];
          return values.every((v) => v === undefined) ? `${m}:-` : `${m}:${values.join(',')}`;
        })
        .join(' ')}`;
      same(actual, expected);
      same(real.zcard(), model.size);
    };

    class ZAdd implements fc.Command<Model, Real> {
      constructor(readonly member: string, readonly score: number, readonly flags: ZAddFlags) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const { nx, xx, gt, lt, ch } = this.flags;
        const zadd = () => real.zadd(this.member, this.score, this.flags);
        if (nx && xx) {
          throwsRangeError(zadd, 'XX and NX options at the same time are not compatible');
        } else if ((nx && (gt || lt)) || (gt && lt)) {
          throwsRangeError(zadd, 'GT, LT, and/or NX options at the same time are not compatible');
        } else {
          const old = model.get(this.member);
          let expected = 0;
          if (old === undefined && !xx) {
            model.set(this.member, this.score);
            expected = 1;
          } else if (old !== undefined && !nx && !(gt && this.score <= old) && !(lt && this.score >= old) && this.score !== old) {
            model.set(this.member, this.score);
            expected = ch ? 1 : 0;
          }
          same(zadd(), expected);
        }
        expectSameState(model, real);
      }
      toString = () => `zadd(${this.member}, ${this.score}, ${JSON.stringify(this.flags)})`;
    }

    class ZIncrBy implements fc.Command<Model, Real> {
      constructor(readonly member: string, readonly delta: number) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const next = (model.get(this.member) ?? 0) + this.delta;
        if (Number.isNaN(next)) {
          throwsRangeError(() => real.zincrby(this.member, this.delta), 'resulting score is not a number (NaN)');
        } else {
          same(real.zincrby(this.member, this.delta), next);
          model.set(this.member, next);
        }
        expectSameState(model, real);
      }
      toString = () => `zincrby(${this.member}, ${this.delta})`;
    }

    class ZRem implements fc.Command<Model, Real> {
      constructor(readonly members: string[]) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const present = new Set(this.members.filter((m) => model.has(m)));
        same(real.zrem(...this.members), present.size);
        for (const m of present) model.delete(m);
        expectSameState(model, real);
      }
      toString = () => `zrem(${this.members.join(', ')})`;
    }

    class ZPop implements fc.Command<Model, Real> {
      constructor(readonly max: boolean, readonly count: number) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const order = this.max ? sorted(model).reverse() : sorted(model);
        const popped = order.slice(0, this.count);
        same(line(this.max ? real.zpopmax(this.count) : real.zpopmin(this.count)), line(popped));
        for (const entry of popped) model.delete(entry.member);
        expectSameState(model, real);
      }
      toString = () => `${this.max ? 'zpopmax' : 'zpopmin'}(${this.count})`;
    }

    class ZRangeByScore implements fc.Command<Model, Real> {
      constructor(readonly min: Bound, readonly max: Bound, readonly limit: Limit | undefined) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const matches = sorted(model).filter(inRange(this.min, this.max));
        same(line(real.zrangebyscore(this.min.text, this.max.text, this.limit)), line(paged(matches, this.limit)));
        same(line(real.zrevrangebyscore(this.max.text, this.min.text, this.limit)), line(paged([...matches].reverse(), this.limit)));
        same(real.zcount(this.min.text, this.max.text), matches.length);
      }
      toString = () => `zrangebyscore(${this.min.text}, ${this.max.text}, ${JSON.stringify(this.limit)})`;
    }

    it('should behave like a map sorted on demand under any sequence of commands', () => {
      // Mostly valid combinations (one of NX/XX, one of GT/LT, CH or not), sometimes anything.
      const validFlags = fc
        .tuple(fc.constantFrom({}, { nx: true }, { xx: true }), fc.constantFrom({}, { gt: true }, { lt: true }), fc.boolean())
        .filter(([mode, order]) => !('nx' in mode && Object.keys(order).length > 0))
        .map(([mode, order, ch]): ZAddFlags => ({ ...mode, ...order, ...(ch ? { ch } : {}) }));
      const anyFlags = fc.record({ nx: fc.boolean(), xx: fc.boolean(), gt: fc.boolean(), lt: fc.boolean(), ch: fc.boolean() }, { requiredKeys: [] });
      const flags = fc.oneof({ arbitrary: validFlags, weight: 4 }, { arbitrary: anyFlags, weight: 1 });
      const commands = fc.commands(
        [
          fc.tuple(member, score, flags).map(([m, s, f]) => new ZAdd(m, s, f)),
          fc.tuple(member, score).map(([m, s]) => new ZAdd(m, s, {})),
          fc.tuple(member, fc.constantFrom(-Infinity, -2, 1, 0.5, Infinity)).map(([m, d]) => new ZIncrBy(m, d)),
          fc.array(member, { minLength: 1, maxLength: 3 }).map((ms) => new ZRem(ms)),
          fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 })).map(([max, count]) => new ZPop(max, count)),
          fc.tuple(boundArb, boundArb, limitArb).map(([min, max, limit]) => new ZRangeByScore(min, max, limit)),
        ],
        { maxCommands: 40, size: 'medium' },
      );
      fc.assert(
        fc.property(commands, (cmds) => {
          fc.modelRun(() => ({ model: new Map<string, number>(), real: setOf() }), cmds);
        }),
        { numRuns: 40 },
      );
    });
  });
});
