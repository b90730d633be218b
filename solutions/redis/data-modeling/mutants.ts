import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'LTRIM 0 cap keeps cap + 1 events (the stop index is inclusive)',
    find: `.ltrim(key, 0, cap - 1)`,
    replace: `.ltrim(key, 0, cap)`,
  },
  {
    name: 'get does not refresh the expiry',
    find: `      if (ttl === undefined) return undefined;
      await redis.expire(key, Number(ttl));
      return fields;`,
    replace: `      if (ttl === undefined) return undefined;
      return fields;`,
  },
  {
    name: 'follow writes one direction only',
    find: `const replies = await redis.multi().sadd(following(follower), followee).sadd(followers(followee), follower).exec();`,
    replace: `const replies = await redis.multi().sadd(following(follower), followee).exec();`,
  },
  {
    name: 'mutuals with SUNION instead of SINTER',
    find: `return sorted(await redis.sinter(following(viewer), followers(user)));`,
    replace: `return sorted(await redis.sunion(following(viewer), followers(user)));`,
  },
  {
    name: 'get returns {} for a missing session (HGETALL answers {}, never null)',
    find: `      if (ttl === undefined) return undefined;
      await redis.expire(key, Number(ttl));`,
    replace: `      if (ttl !== undefined) await redis.expire(key, Number(ttl));`,
  },
  {
    name: 'recent(user, 0) asks for LRANGE 0 -1, the whole log',
    find: `      if (n === 0) return [];
`,
    replace: ``,
  },
  {
    name: 'create merges into an old session with the same id instead of replacing it',
    find: `        .del(key)
`,
    replace: ``,
  },
]);
