import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'token bucket rounds the refill down to whole tokens and forgets the fraction',
    find: `bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * refillPerSecond) / 1000);`,
    replace: `bucket.tokens = Math.min(capacity, bucket.tokens + Math.floor((elapsed * refillPerSecond) / 1000));`,
  },
  {
    name: 'token bucket refills past its capacity',
    find: `bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * refillPerSecond) / 1000);`,
    replace: `bucket.tokens = bucket.tokens + (elapsed * refillPerSecond) / 1000;`,
  },
  {
    name: 'token bucket spends tokens on denied requests',
    find: `      if (bucket.tokens < cost) return deny(bucket.tokens, ((cost - bucket.tokens) * 1000) / refillPerSecond);
      bucket.tokens -= cost;
      return allow(bucket.tokens);`,
    replace: `      bucket.tokens -= cost;
      if (bucket.tokens < 0) return deny(0, (-bucket.tokens * 1000) / refillPerSecond);
      return allow(bucket.tokens);`,
  },
  {
    name: 'leaky bucket drains below empty',
    find: `bucket.level = Math.max(0, bucket.level - (elapsed * leakPerSecond) / 1000);`,
    replace: `bucket.level = bucket.level - (elapsed * leakPerSecond) / 1000;`,
  },
  {
    name: 'fixed window keeps the old window at its exact end (> instead of >=)',
    find: `now >= window.start + windowMs`,
    replace: `now > window.start + windowMs`,
  },
  {
    name: 'fixed window asks to wait a whole window instead of until its end',
    find: `return deny(limit - window.count, window.start + windowMs - now);`,
    replace: `return deny(limit - window.count, windowMs);`,
  },
  {
    name: "fixed window's expiry slides with every request (EXPIRE on every INCR)",
    find: `      window.count += cost;`,
    replace: `      window.count += cost;
      window.start = now;`,
  },
  {
    name: 'sliding log counts an entry still inside at exactly windowMs (off by one on the edge)',
    find: `now - log[expired]! >= windowMs`,
    replace: `now - log[expired]! > windowMs`,
  },
  {
    name: 'sliding log waits for the oldest entry whatever the cost',
    find: `log[excess - 1]! + windowMs - now`,
    replace: `log[0]! + windowMs - now`,
  },
  {
    name: 'sliding counter ignores the previous window',
    find: `const used = counter.previous * (windowMs - elapsed) + counter.current * windowMs;`,
    replace: `const used = counter.current * windowMs;`,
  },
  {
    name: 'sliding counter keeps a stale count as the previous window after an idle gap',
    find: `counter.previous = counter.window === window - 1 ? counter.current : 0;`,
    replace: `counter.previous = counter.current;`,
  },
  {
    name: 'GCRA tolerance is T * burst (off by one)',
    find: `const tolerance = emission * (burst + 1);`,
    replace: `const tolerance = emission * burst;`,
  },
  {
    name: 'GCRA stores the new TAT even for a denied request',
    find: `      if (now < allowAt) return deny(remainingAt(tat), increment > tolerance ? Infinity : allowAt - now);
      tats.set(key, newTat);`,
    replace: `      tats.set(key, newTat);
      if (now < allowAt) return deny(remainingAt(tat), increment > tolerance ? Infinity : allowAt - now);`,
  },
]);
