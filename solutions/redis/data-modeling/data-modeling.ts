/**
 * Three classic Redis data models, each a small module over an injected client:
 *
 * - sessions: one hash per session, `session:<id>`, whose expiry slides: every read and every
 *   touch sets it back to the session's own TTL, kept in the hash as the field `_ttl`;
 * - a capped activity log: one list per user, `user:<id>:events`, newest first, trimmed to the
 *   latest `cap` entries by the same MULTI that pushes;
 * - a follow graph: two sets per user, `user:<id>:following` and `user:<id>:followers`, kept in
 *   step by writing both in one MULTI.
 *
 * Complexity: session create O(fields), get O(fields), touch and destroy O(1) (destroy is
 * O(fields) to free memory); log record O(events + trimmed), recent O(n); follow, unfollow,
 * isFollowing and counts O(1); followers and following O(size) plus a sort; mutuals O(size of
 * the smaller set * 2) (SINTER). One round trip each, except session get and touch (two).
 * Trade-off: the graph stores every edge twice, to answer both directions in O(1).
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
export function createSessionStore(redis: Redis): SessionStore {
  const keyOf = (sessionId: string) => `session:${sessionId}`;
  return {
    async create(sessionId, data, ttlSeconds) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
      if (Object.hasOwn(data, TTL_FIELD)) throw new RangeError(`data must not have a field named ${TTL_FIELD}: the store keeps the TTL there`);
      const key = keyOf(sessionId);
      // One transaction: no reader sees the old fields mixed with the new, and there is never a
      // moment when the key exists without an expiry.
      await redis
        .multi()
        .del(key)
        .hset(key, { ...data, [TTL_FIELD]: String(ttlSeconds) })
        .expire(key, ttlSeconds)
        .exec();
    },

    async get(sessionId) {
      const key = keyOf(sessionId);
      // HGETALL answers {} for a missing key, never null: an empty answer means no session.
      const { [TTL_FIELD]: ttl, ...fields } = await redis.hgetall(key);
      if (ttl === undefined) return undefined;
      await redis.expire(key, Number(ttl));
      return fields;
    },

    async touch(sessionId) {
      const key = keyOf(sessionId);
      const ttl = await redis.hget(key, TTL_FIELD);
      return ttl !== null && (await redis.expire(key, Number(ttl))) === 1;
    },

    async destroy(sessionId) {
      return (await redis.del(keyOf(sessionId))) === 1;
    },
  };
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
export function createActivityLog(redis: Redis, { cap = 1_000 }: ActivityLogOptions = {}): ActivityLog {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`cap must be a positive integer, got ${cap}`);
  const keyOf = (userId: string) => `user:${userId}:events`;
  return {
    async record(userId, ...events) {
      if (events.length === 0) return;
      const key = keyOf(userId);
      // LTRIM's stop index is inclusive: 0 .. cap - 1 keeps exactly cap entries.
      await redis.multi().lpush(key, ...events).ltrim(key, 0, cap - 1).exec();
    },

    async recent(userId, n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
      // LRANGE 0 -1 would be the whole list: -1 counts from the end.
      if (n === 0) return [];
      return redis.lrange(keyOf(userId), 0, n - 1);
    },
  };
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
export function createFollowGraph(redis: Redis): FollowGraph {
  const following = (user: string) => `user:${user}:following`;
  const followers = (user: string) => `user:${user}:followers`;
  const sorted = (members: string[]) => members.sort();
  return {
    async follow(follower, followee) {
      if (follower === followee) throw new RangeError(`a user cannot follow themselves, got ${follower}`);
      // Both directions in one transaction: no reader ever sees one edge without the other.
      const replies = await redis.multi().sadd(following(follower), followee).sadd(followers(followee), follower).exec();
      return replies?.[0]?.[1] === 1;
    },

    async unfollow(follower, followee) {
      const replies = await redis.multi().srem(following(follower), followee).srem(followers(followee), follower).exec();
      return replies?.[0]?.[1] === 1;
    },

    async isFollowing(follower, followee) {
      return (await redis.sismember(following(follower), followee)) === 1;
    },

    async followers(user) {
      return sorted(await redis.smembers(followers(user)));
    },

    async following(user) {
      return sorted(await redis.smembers(following(user)));
    },

    async counts(user) {
      const replies = await redis.multi().scard(followers(user)).scard(following(user)).exec();
      return { followers: Number(replies?.[0]?.[1] ?? 0), following: Number(replies?.[1]?.[1] ?? 0) };
    },

    async mutuals(viewer, user) {
      return sorted(await redis.sinter(following(viewer), followers(user)));
    },

    async friendsOf(user) {
      return sorted(await redis.sinter(following(user), followers(user)));
    },
  };
}
