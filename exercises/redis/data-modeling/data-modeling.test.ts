import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useRedis } from '#redis/testing';
import { createActivityLog, createFollowGraph, createSessionStore, type FollowGraph } from './data-modeling.ts';

const redis = useRedis();

/** The key's TTL in seconds: -2 when it does not exist, -1 when it never expires. */
const ttlOf = (key: string) => redis.client.ttl(key);

describe('createSessionStore', () => {
  describe('create and get', () => {
    it('should give back the fields of a session', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('abc', { userId: '42', role: 'admin' }, 1_800);
      expect(await sessions.get('abc')).toEqual({ userId: '42', role: 'admin' });
    });

    it('should store the session as a hash under session:<id>', async () => {
      await createSessionStore(redis.client).create('abc', { userId: '42' }, 1_800);
      expect(await redis.client.type('session:abc')).toBe('hash');
      expect(await redis.client.hget('session:abc', 'userId')).toBe('42');
    });

    it('should return undefined for a session that does not exist, although HGETALL answers {}', async () => {
      expect(await redis.client.hgetall('session:nobody')).toEqual({});
      expect(await createSessionStore(redis.client).get('nobody')).toBeUndefined();
    });

    it('should expire a new session after ttlSeconds', async () => {
      await createSessionStore(redis.client).create('abc', { userId: '42' }, 1_800);
      const ttl = await ttlOf('session:abc');
      expect(ttl).toBeGreaterThanOrEqual(1_799);
      expect(ttl).toBeLessThanOrEqual(1_800);
    });

    it('should keep a session that has no fields (Redis deletes an empty hash)', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('anonymous', {}, 60);
      expect(await sessions.get('anonymous')).toEqual({});
    });

    it('should replace a session created again with the same id, old fields and all', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('abc', { userId: '42', cart: '3 items' }, 1_800);
      await sessions.create('abc', { userId: '7' }, 60);
      expect(await sessions.get('abc')).toEqual({ userId: '7' });
      expect(await ttlOf('session:abc')).toBeLessThanOrEqual(60);
    });
  });

  describe('sliding expiry', () => {
    // Redis's clock cannot be moved, and the tests never wait: lowering the TTL by hand stands
    // for the time that passed since the last request.
    it('should set the expiry back to the full TTL on every get', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('abc', { userId: '42' }, 1_800);
      await redis.client.expire('session:abc', 5);
      await sessions.get('abc');
      expect(await ttlOf('session:abc')).toBeGreaterThanOrEqual(1_799);
    });

    it('should set it back on touch, and say whether there was a session', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('abc', { userId: '42' }, 1_800);
      await redis.client.expire('session:abc', 5);
      expect(await sessions.touch('abc')).toBe(true);
      expect(await ttlOf('session:abc')).toBeGreaterThanOrEqual(1_799);
      expect(await sessions.touch('nobody')).toBe(false);
    });

    it('should slide each session by its own TTL', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('short', { userId: '1' }, 60);
      await sessions.create('remember-me', { userId: '2' }, 2_592_000);
      await redis.client.expire('session:short', 5);
      await redis.client.expire('session:remember-me', 5);
      await sessions.get('short');
      await sessions.touch('remember-me');
      expect(await ttlOf('session:short')).toBeGreaterThanOrEqual(59);
      expect(await ttlOf('session:short')).toBeLessThanOrEqual(60);
      expect(await ttlOf('session:remember-me')).toBeGreaterThanOrEqual(2_591_999);
    });

    it('should not bring a session to life by reading or touching it', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.get('nobody');
      await sessions.touch('nobody');
      expect(await redis.client.exists('session:nobody')).toBe(0);
    });
  });

  describe('destroy', () => {
    it('should delete the session and say whether there was one', async () => {
      const sessions = createSessionStore(redis.client);
      await sessions.create('abc', { userId: '42' }, 1_800);
      expect(await sessions.destroy('abc')).toBe(true);
      expect(await sessions.get('abc')).toBeUndefined();
      expect(await sessions.destroy('abc')).toBe(false);
    });
  });

  describe('bad input', () => {
    it.each([0, -1, 1.5, Number.NaN])('should reject ttlSeconds %s with a RangeError', async (ttlSeconds) => {
      await expect(createSessionStore(redis.client).create('abc', { userId: '42' }, ttlSeconds)).rejects.toThrow(RangeError);
      expect(await redis.client.exists('session:abc')).toBe(0);
    });

    it('should reject a field named _ttl, where the store keeps the TTL', async () => {
      await expect(createSessionStore(redis.client).create('abc', { _ttl: '5' }, 1_800)).rejects.toThrow(RangeError);
    });
  });

});

describe('createActivityLog', () => {
  describe('record and recent', () => {
    it('should return the newest events first', async () => {
      const log = createActivityLog(redis.client);
      await log.record('42', 'login');
      await log.record('42', 'view trip 7');
      await log.record('42', 'logout');
      expect(await log.recent('42', 10)).toEqual(['logout', 'view trip 7', 'login']);
    });

    it('should keep the events in a list under user:<id>:events', async () => {
      await createActivityLog(redis.client).record('42', 'login');
      expect(await redis.client.lrange('user:42:events', 0, -1)).toEqual(['login']);
    });

    it('should take several events at once, in the order they happened', async () => {
      const log = createActivityLog(redis.client);
      await log.record('42', 'login', 'search', 'book');
      expect(await log.recent('42', 3)).toEqual(['book', 'search', 'login']);
    });

    it('should return at most n events', async () => {
      const log = createActivityLog(redis.client);
      await log.record('42', 'a', 'b', 'c', 'd');
      expect(await log.recent('42', 2)).toEqual(['d', 'c']);
      expect(await log.recent('42', 1)).toEqual(['d']);
    });

    it('should keep users apart', async () => {
      const log = createActivityLog(redis.client);
      await log.record('1', 'one');
      await log.record('2', 'two');
      expect(await log.recent('1', 10)).toEqual(['one']);
      expect(await log.recent('2', 10)).toEqual(['two']);
    });
  });

  describe('the cap', () => {
    it('should keep exactly the latest `cap` events', async () => {
      const log = createActivityLog(redis.client, { cap: 3 });
      for (const event of ['e1', 'e2', 'e3', 'e4', 'e5']) await log.record('42', event);
      expect(await redis.client.llen('user:42:events')).toBe(3);
      expect(await log.recent('42', 10)).toEqual(['e5', 'e4', 'e3']);
    });

    it('should keep exactly 1,000 events by default, after 1,005 pushes', async () => {
      const log = createActivityLog(redis.client);
      const events = Array.from({ length: 1_005 }, (_, i) => `event ${i + 1}`);
      await log.record('42', ...events);
      expect(await redis.client.llen('user:42:events')).toBe(1_000);
      const kept = await log.recent('42', 1_000);
      expect(kept[0]).toBe('event 1005');
      expect(kept.at(-1)).toBe('event 6');
      await log.record('42', 'event 1006');
      expect(await redis.client.llen('user:42:events')).toBe(1_000);
    });

    it('should trim in the same MULTI as it pushes: the list is never longer than the cap', async () => {
      const log = createActivityLog(redis.client, { cap: 2 });
      await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((event) => log.record('42', event)));
      expect(await redis.client.llen('user:42:events')).toBe(2);
    });
  });

  describe('edge cases and bad input', () => {
    it('should return [] for n = 0, where LRANGE 0 -1 would return the whole log', async () => {
      const log = createActivityLog(redis.client);
      await log.record('42', 'login');
      expect(await log.recent('42', 0)).toEqual([]);
    });

    it('should return [] for a user with no events', async () => {
      expect(await createActivityLog(redis.client).recent('nobody', 10)).toEqual([]);
    });

    it('should do nothing when given no events', async () => {
      const log = createActivityLog(redis.client);
      await log.record('42');
      expect(await log.recent('42', 10)).toEqual([]);
    });

    it.each([-1, 1.5, Number.NaN])('should reject n = %s with a RangeError', async (n) => {
      await expect(createActivityLog(redis.client).recent('42', n)).rejects.toThrow(RangeError);
    });

    it.each([0, -1, 2.5])('should reject cap %s with a RangeError', (cap) => {
      expect(() => createActivityLog(redis.client, { cap })).toThrow(RangeError);
    });
  });

});

describe('createFollowGraph', () => {
  describe('follow', () => {
    it('should record a follow in both directions', async () => {
      const graph = createFollowGraph(redis.client);
      expect(await graph.follow('ada', 'grace')).toBe(true);
      expect(await graph.isFollowing('ada', 'grace')).toBe(true);
      expect(await graph.isFollowing('grace', 'ada')).toBe(false);
      expect(await graph.following('ada')).toEqual(['grace']);
      expect(await graph.followers('grace')).toEqual(['ada']);
    });

    it('should keep the edges in the sets user:<id>:following and user:<id>:followers', async () => {
      await createFollowGraph(redis.client).follow('ada', 'grace');
      expect(await redis.client.smembers('user:ada:following')).toEqual(['grace']);
      expect(await redis.client.smembers('user:grace:followers')).toEqual(['ada']);
    });

    it('should say false for a follow that already exists, and not count it twice', async () => {
      const graph = createFollowGraph(redis.client);
      await graph.follow('ada', 'grace');
      expect(await graph.follow('ada', 'grace')).toBe(false);
      expect(await graph.counts('grace')).toEqual({ followers: 1, following: 0 });
    });

    it('should list followers and following sorted', async () => {
      const graph = createFollowGraph(redis.client);
      for (const user of ['linus', 'ada', 'margaret', 'grace']) await graph.follow(user, 'ken');
      for (const user of ['linus', 'ada']) await graph.follow('ken', user);
      expect(await graph.followers('ken')).toEqual(['ada', 'grace', 'linus', 'margaret']);
      expect(await graph.following('ken')).toEqual(['ada', 'linus']);
    });

    it('should count followers and following with SCARD', async () => {
      const graph = createFollowGraph(redis.client);
      await graph.follow('ada', 'grace');
      await graph.follow('linus', 'grace');
      await graph.follow('grace', 'ada');
      expect(await graph.counts('grace')).toEqual({ followers: 2, following: 1 });
      expect(await graph.counts('linus')).toEqual({ followers: 0, following: 1 });
    });
  });

  describe('unfollow', () => {
    it('should remove the follow in both directions, and say whether there was one', async () => {
      const graph = createFollowGraph(redis.client);
      await graph.follow('ada', 'grace');
      expect(await graph.unfollow('ada', 'grace')).toBe(true);
      expect(await graph.isFollowing('ada', 'grace')).toBe(false);
      expect(await graph.followers('grace')).toEqual([]);
      expect(await graph.unfollow('ada', 'grace')).toBe(false);
    });
  });

  describe('friends and mutuals (SINTER)', () => {
    it('should find friends: the followers that the user follows back', async () => {
      const graph = createFollowGraph(redis.client);
      await graph.follow('ada', 'grace');
      await graph.follow('grace', 'ada');
      await graph.follow('linus', 'grace');
      await graph.follow('grace', 'ken');
      expect(await graph.friendsOf('grace')).toEqual(['ada']);
      expect(await graph.friendsOf('linus')).toEqual([]);
    });

    it('should find mutuals: whom the viewer follows that also follow the user', async () => {
      const graph = createFollowGraph(redis.client);
      // ada follows grace, linus and ken; of them, grace and ken follow margaret.
      for (const user of ['grace', 'linus', 'ken']) await graph.follow('ada', user);
      for (const user of ['grace', 'ken', 'barbara']) await graph.follow(user, 'margaret');
      expect(await graph.mutuals('ada', 'margaret')).toEqual(['grace', 'ken']);
      expect(await graph.mutuals('margaret', 'ada')).toEqual([]);
    });
  });

  describe('edge cases and bad input', () => {
    it('should answer for a user nobody has seen with empty lists and zero counts', async () => {
      const graph = createFollowGraph(redis.client);
      expect(await graph.followers('nobody')).toEqual([]);
      expect(await graph.following('nobody')).toEqual([]);
      expect(await graph.counts('nobody')).toEqual({ followers: 0, following: 0 });
      expect(await graph.friendsOf('nobody')).toEqual([]);
      expect(await graph.isFollowing('nobody', 'ada')).toBe(false);
    });

    it('should reject a user following themselves with a RangeError', async () => {
      const graph = createFollowGraph(redis.client);
      await expect(graph.follow('ada', 'ada')).rejects.toThrow(RangeError);
      expect(await graph.counts('ada')).toEqual({ followers: 0, following: 0 });
    });

    it('should keep both directions in step when follows and unfollows race on several connections', async () => {
      const graphs = await Promise.all([1, 2, 3].map(async () => createFollowGraph(await redis.connect())));
      const users = ['a', 'b', 'c'];
      const calls: Promise<boolean>[] = [];
      for (let i = 0; i < 60; i++) {
        const graph = graphs[i % 3]!;
        const follower = users[i % 3]!;
        const followee = users[(i + 1 + (i >> 2) % 2) % 3]!;
        calls.push(i % 2 === 0 ? graph.follow(follower, followee) : graph.unfollow(follower, followee));
      }
      await Promise.all(calls);
      await expectConsistent(graphs[0]!, users);
    });
  });

  /** Every edge is in both sets: a follows b exactly when b's followers hold a. */
  async function expectConsistent(graph: FollowGraph, users: readonly string[]): Promise<void> {
    for (const user of users) {
      for (const followee of await graph.following(user)) expect(await graph.followers(followee)).toContain(user);
      for (const follower of await graph.followers(user)) expect(await graph.following(follower)).toContain(user);
    }
  }
});

describe('properties', () => {
  describe('createSessionStore', () => {
    it('should give back exactly the fields it was given', async () => {
      let run = 0;
      const fields = fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9:_-]{0,11}$/), fc.string({ maxLength: 20 }), { maxKeys: 6 });
      await fc.assert(
        fc.asyncProperty(fields, async (data) => {
          const sessions = createSessionStore(redis.client);
          const id = `s${run++}`;
          await sessions.create(id, data, 60);
          expect(await sessions.get(id)).toEqual(data);
        }),
        { numRuns: 15 },
      );
    });
  });

  describe('createActivityLog', () => {
    it('should return the latest min(n, cap) events, newest first', async () => {
      let run = 0;
      const batches = fc.array(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), { maxLength: 6 });
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 5 }), batches, fc.nat(8), async (cap, recorded, n) => {
          const log = createActivityLog(redis.client, { cap });
          const user = `u${run++}`;
          for (const batch of recorded) await log.record(user, ...batch);
          const newestFirst = recorded.flat().reverse();
          expect(await log.recent(user, n)).toEqual(newestFirst.slice(0, Math.min(n, cap)));
        }),
        { numRuns: 15 },
      );
    });
  });
});

describe('createFollowGraph against a model', () => {
  // The model: who follows whom, as a Map of Sets. Followers are derived from it, so the two
  // directions of the real graph must agree with each other and with the model.
  type Model = Map<string, Set<string>>;
  const users = ['ada', 'grace', 'linus', 'ken'];
  const followingIn = (model: Model, user: string) => [...(model.get(user) ?? [])].sort();
  const followersIn = (model: Model, user: string) => users.filter((other) => model.get(other)?.has(user)).sort();

  async function expectUserLike(model: Model, real: FollowGraph, user: string): Promise<void> {
    const following = followingIn(model, user);
    const followers = followersIn(model, user);
    expect(await real.following(user)).toEqual(following);
    expect(await real.followers(user)).toEqual(followers);
    expect(await real.counts(user)).toEqual({ followers: followers.length, following: following.length });
  }

  class FollowCommand implements fc.AsyncCommand<Model, FollowGraph> {
    constructor(readonly follower: string, readonly followee: string) {}
    check = () => this.follower !== this.followee;
    async run(model: Model, real: FollowGraph) {
      const edges = model.get(this.follower) ?? new Set<string>();
      expect(await real.follow(this.follower, this.followee)).toBe(!edges.has(this.followee));
      model.set(this.follower, edges.add(this.followee));
      await expectUserLike(model, real, this.follower);
      await expectUserLike(model, real, this.followee);
    }
    toString = () => `follow(${this.follower}, ${this.followee})`;
  }

  class UnfollowCommand implements fc.AsyncCommand<Model, FollowGraph> {
    constructor(readonly follower: string, readonly followee: string) {}
    check = () => true;
    async run(model: Model, real: FollowGraph) {
      const had = model.get(this.follower)?.delete(this.followee) ?? false;
      expect(await real.unfollow(this.follower, this.followee)).toBe(had);
      await expectUserLike(model, real, this.follower);
      await expectUserLike(model, real, this.followee);
    }
    toString = () => `unfollow(${this.follower}, ${this.followee})`;
  }

  class MutualsCommand implements fc.AsyncCommand<Model, FollowGraph> {
    constructor(readonly viewer: string, readonly user: string) {}
    check = () => true;
    async run(model: Model, real: FollowGraph) {
      const expected = followingIn(model, this.viewer).filter((other) => model.get(other)?.has(this.user));
      expect(await real.mutuals(this.viewer, this.user)).toEqual(expected);
      expect(await real.isFollowing(this.viewer, this.user)).toBe(model.get(this.viewer)?.has(this.user) ?? false);
    }
    toString = () => `mutuals(${this.viewer}, ${this.user})`;
  }

  it('should keep following and followers in step under any sequence of follows and unfollows', async () => {
    const user = fc.constantFrom(...users);
    const commands = fc.commands(
      [
        fc.tuple(user, user).map(([a, b]) => new FollowCommand(a, b)),
        fc.tuple(user, user).map(([a, b]) => new UnfollowCommand(a, b)),
        fc.tuple(user, user).map(([a, b]) => new MutualsCommand(a, b)),
      ],
      { maxCommands: 15 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        // Each run starts from an empty graph.
        await redis.client.del(...users.flatMap((u) => [`user:${u}:following`, `user:${u}:followers`]));
        await fc.asyncModelRun(() => ({ model: new Map(), real: createFollowGraph(redis.client) }), cmds);
      }),
      { numRuns: 15 },
    );
  });
});
