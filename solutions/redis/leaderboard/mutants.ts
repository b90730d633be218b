import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'submit is a plain ZADD: a worse score overwrites the best',
    find: `return (await redis.zadd(key, 'GT', 'CH', score, player)) === 1;`,
    replace: `return (await redis.zadd(key, 'CH', score, player)) === 1;`,
  },
  {
    name: 'submit without CH: a new best of a known player is reported as no change',
    find: `return (await redis.zadd(key, 'GT', 'CH', score, player)) === 1;`,
    replace: `return (await redis.zadd(key, 'GT', score, player)) === 1;`,
  },
  {
    name: 'submit with LT: the board keeps every player\'s worst score',
    find: `return (await redis.zadd(key, 'GT', 'CH', score, player)) === 1;`,
    replace: `return (await redis.zadd(key, 'LT', 'CH', score, player)) === 1;`,
  },
  {
    name: 'rank is ZREVRANK as is: 0-based',
    find: `return rank === null ? undefined : rank + 1;`,
    replace: `return rank ?? undefined;`,
  },
  {
    name: 'aroundMe by score range (the players within radius points) instead of rank',
    find: `local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then
  return false
end
local radius = tonumber(ARGV[2])
local first = math.max(0, rank - radius)
return {first, redis.call('ZREVRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')}`,
    replace: `local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then
  return false
end
local radius = tonumber(ARGV[2])
local near = redis.call('ZREVRANGEBYSCORE', KEYS[1], tonumber(score) + radius, tonumber(score) - radius, 'WITHSCORES')
return {redis.call('ZREVRANK', KEYS[1], near[1]), near}`,
  },
  {
    name: 'top(n) asks ZREVRANGE for 0..n: n + 1 players',
    find: `const reply = await redis.zrevrange(key, 0, n - 1, 'WITHSCORES');`,
    replace: `const reply = await redis.zrevrange(key, 0, n, 'WITHSCORES');`,
  },
  {
    name: 'top takes the last n of ZRANGE and sorts them by score: ties stay in ascending order',
    find: `      const reply = await redis.zrevrange(key, 0, n - 1, 'WITHSCORES');
      return entries(reply, 1);`,
    replace: `      const ascending = entries(await redis.zrange(key, -n, -1, 'WITHSCORES'), 1);
      return ascending.sort((a, b) => b.score - a.score).map((e, i) => ({ ...e, rank: i + 1 }));`,
  },
  {
    name: 'page numbers start at 0: page 1 skips the first page',
    find: `const start = (pageNumber - 1) * pageSize;`,
    replace: `const start = pageNumber * pageSize;`,
  },
  {
    name: 'submit reads ZSCORE, compares in TypeScript, then ZADDs: another submit lands in between',
    find: `return (await redis.zadd(key, 'GT', 'CH', score, player)) === 1;`,
    replace: `const best = await redis.zscore(key, player);
      if (best !== null && Number(best) >= score) return false;
      await redis.zadd(key, score, player);
      return true;`,
  },
]);
