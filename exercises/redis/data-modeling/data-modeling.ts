/**
 * Three classic Redis data models, each a small module over an injected client: a session
 * store with a sliding expiry, a capped activity log, and a follow graph.
 *
 * Read README.md for the idea, `npm run kata -- hint data-modeling` when you are stuck.
 */
import type { Redis } from '#redis';

/** The fields of a session: names to string values. */
export type SessionData = Readonly<Record<string, string>>;

/** The hash field that keeps a session's TTL; data may not use it. */
export const TTL_FIELD = '_ttl';

export interface SessionStore {
  /**
   * Creates session `sessionId` with `data`, replacing any session with that id. It expires
   * after `ttlSeconds` without a `get` or a `touch`.
   * @throws {RangeError} (as a rejection) unless `ttlSeconds` is a positive integer, or when a
   * field is named `_ttl`.
   */
  create(sessionId: string, data: SessionData, ttlSeconds: number): Promise<void>;
  /** The session's fields, refreshing its expiry; `undefined` when there is no such session. */
  get(sessionId: string): Promise<Record<string, string> | undefined>;
  /** Refreshes the session's expiry; `false` when there is no such session. */
  touch(sessionId: string): Promise<boolean>;
  /** Deletes the session; `false` when there was none. */
  destroy(sessionId: string): Promise<boolean>;
}

/** Sessions as hashes `session:<id>` with a sliding expiry. */
export function createSessionStore(_redis: Redis): SessionStore {
  throw new Error('TODO: implement createSessionStore');
}

export interface ActivityLog {
  /**
   * Records `events`, in the order they happened, as the newest of `userId`'s events, then
   * keeps only the latest `cap`.
   */
  record(userId: string, ...events: string[]): Promise<void>;
  /**
   * The `n` newest events of `userId`, newest first (fewer if there are fewer).
   * @throws {RangeError} (as a rejection) unless `n` is a non-negative integer.
   */
  recent(userId: string, n: number): Promise<string[]>;
}

export interface ActivityLogOptions {
  /** How many events to keep per user: a positive integer, default 1,000. */
  readonly cap?: number;
}

/**
 * Per-user event logs as lists `user:<id>:events`, newest first, capped at `cap`.
 * @throws {RangeError} unless `cap` is a positive integer.
 */
export function createActivityLog(_redis: Redis, _options: ActivityLogOptions = {}): ActivityLog {
  throw new Error('TODO: implement createActivityLog');
}

export interface FollowCounts {
  readonly followers: number;
  readonly following: number;
}

export interface FollowGraph {
  /**
   * `follower` starts following `followee`; `false` if it already did.
   * @throws {RangeError} (as a rejection) when they are the same user.
   */
  follow(follower: string, followee: string): Promise<boolean>;
  /** `follower` stops following `followee`; `false` if it did not. */
  unfollow(follower: string, followee: string): Promise<boolean>;
  /** Whether `follower` follows `followee`. */
  isFollowing(follower: string, followee: string): Promise<boolean>;
  /** Who follows `user`, sorted. */
  followers(user: string): Promise<string[]>;
  /** Whom `user` follows, sorted. */
  following(user: string): Promise<string[]>;
  /** How many followers `user` has and how many users it follows. */
  counts(user: string): Promise<FollowCounts>;
  /** The users that `viewer` follows and that follow `user` ("followed by …"), sorted. */
  mutuals(viewer: string, user: string): Promise<string[]>;
  /** The users who follow `user` and whom `user` follows back, sorted. */
  friendsOf(user: string): Promise<string[]>;
}

/** A follow graph as two sets per user, `user:<id>:following` and `user:<id>:followers`. */
export function createFollowGraph(_redis: Redis): FollowGraph {
  throw new Error('TODO: implement createFollowGraph');
}
