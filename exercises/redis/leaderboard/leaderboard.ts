/**
 * A leaderboard on one Redis sorted set: best scores kept, top N, 1-based ranks, the players
 * around me, pages, and ties ordered the way Redis orders them.
 *
 * Read README.md for the idea, `npm run kata -- hint leaderboard` when you are stuck.
 */
import type { Redis } from '#redis';

/** A player's line on the board. */
export interface Entry {
  readonly player: string;
  readonly score: number;
  /** 1 for the best player; tied players take consecutive ranks, in the board's order. */
  readonly rank: number;
}

/**
 * A leaderboard kept in one sorted set. Every method is async and rejects with a `RangeError`
 * on a bad argument, before sending anything.
 */
export interface Leaderboard {
  /**
   * Records `score` for `player` if it beats the player's best (a first score always does).
   * Resolves to whether it did: an equal or lower score changes nothing.
   * @throws {RangeError} for an empty player or a score that is not a finite number.
   */
  submit(player: string, score: number): Promise<boolean>;
  /**
   * The best `n` players, best first; fewer when fewer have played.
   * @throws {RangeError} unless `n` is a non-negative integer.
   */
  top(n: number): Promise<Entry[]>;
  /**
   * The 1-based rank of `player`; `undefined` for a player who never submitted.
   * @throws {RangeError} for an empty player.
   */
  rank(player: string): Promise<number | undefined>;
  /**
   * `player` with up to `radius` players ranked just above and just below, best first: by rank,
   * never by score. Fewer above near the top, fewer below near the bottom. `undefined` for a
   * player who never submitted.
   * @throws {RangeError} for an empty player or a `radius` that is not a non-negative integer.
   */
  aroundMe(player: string, radius?: number): Promise<Entry[] | undefined>;
  /**
   * Page `pageNumber` (1-based) of the board cut into pages of `pageSize`: ranks
   * (pageNumber - 1) * pageSize + 1 onwards. Empty past the last page.
   * @throws {RangeError} unless both are positive integers.
   */
  page(pageNumber: number, pageSize: number): Promise<Entry[]>;
  /** The number of players on the board. */
  count(): Promise<number>;
}

/**
 * The leaderboard kept in the sorted set at `key` of `redis`.
 * @throws {RangeError} for an empty key.
 */
export function createLeaderboard(_redis: Redis, _key: string): Leaderboard {
  throw new Error('TODO: implement createLeaderboard');
}
