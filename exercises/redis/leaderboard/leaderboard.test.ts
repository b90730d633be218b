import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useRedis } from '#redis/testing';
import { createLeaderboard, type Entry, type Leaderboard } from './leaderboard.ts';

const redis = useRedis();

const KEY = 'leaderboard';
const boardAt = (key = KEY) => createLeaderboard(redis.client, key);
const entry = (player: string, score: number, rank: number): Entry => ({ player, score, rank });

/** Writes the board straight into the sorted set, the way another service would: ZADD score member. */
async function seed(scores: Record<string, number>, key = KEY): Promise<Leaderboard> {
  const args = Object.entries(scores).flatMap(([player, score]) => [score, player]);
  if (args.length > 0) await redis.client.zadd(key, ...args);
  return boardAt(key);
}

/** p01 … p12 with 10, 20, … 120 points: p12 leads with rank 1, p01 is last with rank 12. */
const TWELVE = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${String(i + 1).padStart(2, '0')}`, (i + 1) * 10]));
/** The entry of pNN on the TWELVE board. */
const twelve = (n: number) => entry(`p${String(n).padStart(2, '0')}`, n * 10, 13 - n);

/** The order the board must have: score descending, then player descending byte by byte (as ZREVRANGE). */
function ranked(best: ReadonlyMap<string, number>): Entry[] {
  return [...best]
    .sort(([p, s], [q, t]) => t - s || (q < p ? -1 : q > p ? 1 : 0))
    .map(([player, score], i) => entry(player, score, i + 1));
}

describe('createLeaderboard', () => {
  describe('submit and top', () => {
    it('should list the best players first, with their scores and 1-based ranks', async () => {
      const board = boardAt();
      await board.submit('alice', 300);
      await board.submit('bob', 100);
      await board.submit('carol', 200);
      expect(await board.top(3)).toEqual([entry('alice', 300, 1), entry('carol', 200, 2), entry('bob', 100, 3)]);
    });

    it('should return only the best n', async () => {
      const board = await seed({ alice: 300, bob: 100, carol: 200, dave: 50 });
      expect(await board.top(2)).toEqual([entry('alice', 300, 1), entry('carol', 200, 2)]);
      expect(await board.top(1)).toEqual([entry('alice', 300, 1)]);
    });

    it('should return everybody when n is more than the number of players', async () => {
      const board = await seed({ alice: 300, bob: 100 });
      expect(await board.top(10)).toEqual([entry('alice', 300, 1), entry('bob', 100, 2)]);
    });

    it('should keep the board in the sorted set at key: the player is the member, the best score the score', async () => {
      const board = boardAt();
      await board.submit('alice', 300);
      await board.submit('bob', 100);
      expect(await redis.client.zrange(KEY, 0, -1, 'WITHSCORES')).toEqual(['bob', '100', 'alice', '300']);
    });

    it('should count the players', async () => {
      const board = await seed({ alice: 300, bob: 100, carol: 200 });
      expect(await board.count()).toBe(3);
    });
  });

  describe('submit keeps the best score', () => {
    it('should resolve to true for a first score and for a better one', async () => {
      const board = boardAt();
      expect(await board.submit('alice', 100)).toBe(true);
      expect(await board.submit('alice', 250)).toBe(true);
      expect(await board.top(1)).toEqual([entry('alice', 250, 1)]);
    });

    it('should ignore a worse score, and resolve to false', async () => {
      const board = boardAt();
      await board.submit('alice', 250);
      expect(await board.submit('alice', 100)).toBe(false);
      expect(await board.top(1)).toEqual([entry('alice', 250, 1)]);
    });

    it('should not count an equal score as a new best', async () => {
      const board = boardAt();
      await board.submit('alice', 250);
      expect(await board.submit('alice', 250)).toBe(false);
    });

    it('should compare scores as numbers: 10 beats 9, although "10" < "9" as text', async () => {
      const board = boardAt();
      await board.submit('alice', 9);
      expect(await board.submit('alice', 10)).toBe(true);
      expect(await board.top(1)).toEqual([entry('alice', 10, 1)]);
    });

    it('should take negative and fractional scores', async () => {
      const board = boardAt();
      await board.submit('alice', -3);
      await board.submit('bob', 2.5);
      await board.submit('alice', -0.5);
      expect(await board.top(2)).toEqual([entry('bob', 2.5, 1), entry('alice', -0.5, 2)]);
    });
  });

  describe('rank', () => {
    it('should give the best player rank 1, not ZREVRANK’s 0', async () => {
      const board = await seed({ alice: 300, bob: 100, carol: 200 });
      expect(await board.rank('alice')).toBe(1);
      expect(await board.rank('carol')).toBe(2);
      expect(await board.rank('bob')).toBe(3);
    });

    it('should be undefined for a player who never submitted', async () => {
      const board = await seed({ alice: 300 });
      expect(await board.rank('zoe')).toBeUndefined();
    });

    it('should follow a player who improves', async () => {
      const board = await seed({ alice: 300, bob: 100, carol: 200 });
      await board.submit('bob', 400);
      expect(await board.rank('bob')).toBe(1);
      expect(await board.rank('alice')).toBe(2);
    });
  });

  describe('ties', () => {
    // Redis orders equal scores by member, byte by byte, ascending; the REV commands reverse
    // that too. Upper case sorts before lower case: 'Bob' < 'ann' < 'bob'.
    it('should order equal scores by player, descending byte by byte, as ZREVRANGE does', async () => {
      const board = await seed({ ann: 10, Bob: 10, bob: 10, zed: 20 });
      expect(await board.top(4)).toEqual([entry('zed', 20, 1), entry('bob', 10, 2), entry('ann', 10, 3), entry('Bob', 10, 4)]);
    });

    it('should give tied players distinct ranks that agree with top and page', async () => {
      const board = await seed({ ann: 10, Bob: 10, bob: 10 });
      expect(await board.rank('bob')).toBe(1);
      expect(await board.rank('ann')).toBe(2);
      expect(await board.rank('Bob')).toBe(3);
      expect(await board.page(2, 2)).toEqual([entry('Bob', 10, 3)]);
    });
  });

  describe('aroundMe', () => {
    it('should show the player with radius players above and below, best first', async () => {
      const board = await seed(TWELVE);
      // p06 has rank 7: ranks 5 to 9.
      expect(await board.aroundMe('p06', 2)).toEqual([twelve(8), twelve(7), twelve(6), twelve(5), twelve(4)]);
    });

    it('should show fewer above near the top', async () => {
      const board = await seed(TWELVE);
      expect(await board.aroundMe('p11', 2)).toEqual([twelve(12), twelve(11), twelve(10), twelve(9)]);
      expect(await board.aroundMe('p12', 2)).toEqual([twelve(12), twelve(11), twelve(10)]);
    });

    it('should show fewer below near the bottom', async () => {
      const board = await seed(TWELVE);
      expect(await board.aroundMe('p01', 2)).toEqual([twelve(3), twelve(2), twelve(1)]);
    });

    it('should go by rank, never by score: neighbours far apart in points are still neighbours', async () => {
      const board = await seed({ ace: 1000, bea: 900, cal: 10, dee: 5, eli: 1 });
      expect(await board.aroundMe('cal', 1)).toEqual([entry('bea', 900, 2), entry('cal', 10, 3), entry('dee', 5, 4)]);
    });

    it('should take a radius of 5 by default', async () => {
      const board = await seed(TWELVE);
      // p06 has rank 7: ranks 2 to 12.
      expect(await board.aroundMe('p06')).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map(twelve));
    });

    it('should show just the player with radius 0', async () => {
      const board = await seed(TWELVE);
      expect(await board.aroundMe('p06', 0)).toEqual([twelve(6)]);
    });

    it('should be undefined for a player who never submitted', async () => {
      const board = await seed(TWELVE);
      expect(await board.aroundMe('zoe', 2)).toBeUndefined();
    });

    it('should order tied neighbours the same way as top', async () => {
      const board = await seed({ ann: 10, Bob: 10, bob: 10, cy: 10, zed: 20 });
      expect(await board.aroundMe('bob', 1)).toEqual([entry('cy', 10, 2), entry('bob', 10, 3), entry('ann', 10, 4)]);
    });
  });

  describe('page', () => {
    it('should cut the board into pages of pageSize, page 1 first', async () => {
      const board = await seed(TWELVE);
      expect(await board.page(1, 5)).toEqual([12, 11, 10, 9, 8].map(twelve));
      expect(await board.page(2, 5)).toEqual([7, 6, 5, 4, 3].map(twelve));
    });

    it('should return a short last page, then empty pages', async () => {
      const board = await seed(TWELVE);
      expect(await board.page(3, 5)).toEqual([2, 1].map(twelve));
      expect(await board.page(4, 5)).toEqual([]);
    });
  });

  describe('edge cases and bad input', () => {
    it('should be empty before anybody plays', async () => {
      const board = boardAt();
      expect(await board.count()).toBe(0);
      expect(await board.top(10)).toEqual([]);
      expect(await board.page(1, 10)).toEqual([]);
    });

    it('should return nobody for top(0), not the whole board (ZREVRANGE 0 -1 is everything)', async () => {
      const board = await seed({ alice: 300, bob: 100 });
      expect(await board.top(0)).toEqual([]);
    });

    it('should keep boards at different keys apart', async () => {
      const weekly = boardAt('leaderboard:weekly');
      const allTime = boardAt('leaderboard:all-time');
      await weekly.submit('alice', 10);
      await allTime.submit('bob', 20);
      expect(await weekly.top(5)).toEqual([entry('alice', 10, 1)]);
      expect(await allTime.top(5)).toEqual([entry('bob', 20, 1)]);
    });

    it('should reject an empty key with a RangeError', () => {
      expect(() => createLeaderboard(redis.client, '')).toThrow(RangeError);
    });

    it.each([
      { call: "submit('', 10)", run: (board: Leaderboard) => board.submit('', 10) },
      { call: "submit('alice', NaN)", run: (board: Leaderboard) => board.submit('alice', Number.NaN) },
      { call: "submit('alice', Infinity)", run: (board: Leaderboard) => board.submit('alice', Number.POSITIVE_INFINITY) },
      { call: 'top(-1)', run: (board: Leaderboard) => board.top(-1) },
      { call: 'top(2.5)', run: (board: Leaderboard) => board.top(2.5) },
      { call: "rank('')", run: (board: Leaderboard) => board.rank('') },
      { call: "aroundMe('', 2)", run: (board: Leaderboard) => board.aroundMe('', 2) },
      { call: "aroundMe('alice', -1)", run: (board: Leaderboard) => board.aroundMe('alice', -1) },
      { call: "aroundMe('alice', 1.5)", run: (board: Leaderboard) => board.aroundMe('alice', 1.5) },
      { call: 'page(0, 10)', run: (board: Leaderboard) => board.page(0, 10) },
      { call: 'page(1, 0)', run: (board: Leaderboard) => board.page(1, 0) },
      { call: 'page(1.5, 10)', run: (board: Leaderboard) => board.page(1.5, 10) },
    ])('should reject $call with a RangeError', async ({ run }) => {
      await expect(run(boardAt())).rejects.toThrow(RangeError);
    });
  });

  describe('properties', () => {
    const player = fc.constantFrom('ann', 'Bob', 'bob', 'cy', 'dee');
    const submits = fc.array(fc.tuple(player, fc.integer({ min: -3, max: 3 })), { maxLength: 12 });
    let run = 0;

    /** Submits everything, checking each answer against a Map of best scores; returns the board and the Map. */
    async function play(list: readonly (readonly [string, number])[]) {
      const board = boardAt(`board:${run++}`);
      const best = new Map<string, number>();
      for (const [p, score] of list) {
        const previous = best.get(p);
        expect(await board.submit(p, score)).toBe(previous === undefined || score > previous);
        best.set(p, Math.max(score, previous ?? score));
      }
      return { board, expected: ranked(best) };
    }

    it('should rank like a Map of best scores sorted by score, then player, descending', async () => {
      await fc.assert(
        fc.asyncProperty(submits, async (list) => {
          const { board, expected } = await play(list);
          expect(await board.top(expected.length + 1)).toEqual(expected);
          expect(await board.count()).toBe(expected.length);
          for (const { player: p, rank } of expected) expect(await board.rank(p)).toBe(rank);
        }),
        { numRuns: 25 },
      );
    });

    it('should yield every player exactly once, in order, walking the pages', async () => {
      await fc.assert(
        fc.asyncProperty(submits, fc.integer({ min: 1, max: 4 }), async (list, pageSize) => {
          const { board, expected } = await play(list);
          const walked: Entry[] = [];
          for (let n = 1; ; n++) {
            const page = await board.page(n, pageSize);
            if (page.length === 0) break;
            expect(page.length).toBeLessThanOrEqual(pageSize);
            walked.push(...page);
          }
          expect(walked).toEqual(expected);
        }),
        { numRuns: 30 },
      );
    });

    it('should show around me the slice of the ranking within radius of the player', async () => {
      await fc.assert(
        fc.asyncProperty(submits, player, fc.integer({ min: 0, max: 3 }), async (list, me, radius) => {
          const { board, expected } = await play(list);
          const mine = expected.find((e) => e.player === me);
          const around = await board.aroundMe(me, radius);
          if (mine === undefined) expect(around).toBeUndefined();
          else expect(around).toEqual(expected.slice(Math.max(0, mine.rank - 1 - radius), mine.rank + radius));
        }),
        { numRuns: 30 },
      );
    });
  });

  describe('concurrency', () => {
    it('should keep the best score when submits race in from several connections', async () => {
      const connections = [redis.client, ...(await Promise.all([1, 2, 3, 4].map(() => redis.connect())))];
      const boards = connections.map((connection) => createLeaderboard(connection, KEY));
      // The best score is sent first; 49 worse ones race in right behind it.
      const scores = Array.from({ length: 50 }, (_, i) => 50 - i);
      await Promise.all(scores.map((score, i) => boards[i % boards.length]!.submit('alice', score)));
      expect(await boardAt().top(5)).toEqual([entry('alice', 50, 1)]);
    });
  });

  describe('against a model', () => {
    // The model is a Map from player to best score; the whole ranking is compared after every command.
    type Model = Map<string, number>;
    type Real = Leaderboard;

    const expectSameBoard = async (model: Model, real: Real) => {
      const expected = ranked(model);
      expect(await real.top(model.size + 1)).toEqual(expected);
      return expected;
    };

    class Submit implements fc.AsyncCommand<Model, Real> {
      constructor(readonly player: string, readonly score: number) {}
      check = () => true;
      async run(model: Model, real: Real) {
        const best = model.get(this.player);
        expect(await real.submit(this.player, this.score)).toBe(best === undefined || this.score > best);
        if (best === undefined || this.score > best) model.set(this.player, this.score);
        await expectSameBoard(model, real);
      }
      toString = () => `submit(${this.player}, ${this.score})`;
    }

    class Rank implements fc.AsyncCommand<Model, Real> {
      constructor(readonly player: string) {}
      check = () => true;
      async run(model: Model, real: Real) {
        const expected = await expectSameBoard(model, real);
        expect(await real.rank(this.player)).toBe(expected.find((e) => e.player === this.player)?.rank);
      }
      toString = () => `rank(${this.player})`;
    }

    class AroundMe implements fc.AsyncCommand<Model, Real> {
      constructor(readonly player: string, readonly radius: number) {}
      check = () => true;
      async run(model: Model, real: Real) {
        const expected = await expectSameBoard(model, real);
        const mine = expected.find((e) => e.player === this.player);
        const slice = mine && expected.slice(Math.max(0, mine.rank - 1 - this.radius), mine.rank + this.radius);
        expect(await real.aroundMe(this.player, this.radius)).toEqual(slice);
      }
      toString = () => `aroundMe(${this.player}, ${this.radius})`;
    }

    class Page implements fc.AsyncCommand<Model, Real> {
      constructor(readonly pageNumber: number, readonly pageSize: number) {}
      check = () => true;
      async run(model: Model, real: Real) {
        const expected = await expectSameBoard(model, real);
        const start = (this.pageNumber - 1) * this.pageSize;
        expect(await real.page(this.pageNumber, this.pageSize)).toEqual(expected.slice(start, start + this.pageSize));
        expect(await real.count()).toBe(model.size);
      }
      toString = () => `page(${this.pageNumber}, ${this.pageSize})`;
    }

    it('should behave like a Map of best scores under any sequence of operations', async () => {
      const player = fc.constantFrom('ann', 'Bob', 'bob', 'cy');
      const commands = fc.commands(
        [
          fc.tuple(player, fc.integer({ min: -2, max: 2 })).map(([p, s]) => new Submit(p, s)),
          player.map((p) => new Rank(p)),
          fc.tuple(player, fc.integer({ min: 0, max: 2 })).map(([p, r]) => new AroundMe(p, r)),
          fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([n, size]) => new Page(n, size)),
        ],
        { maxCommands: 20 },
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          const key = `model:${run++}`;
          await fc.asyncModelRun(() => ({ model: new Map<string, number>(), real: boardAt(key) }), cmds);
        }),
        { numRuns: 30 },
      );
    });
  });
});
