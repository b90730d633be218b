import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'fixed window resets the expiry on every request (the window never ends for a busy key)',
    find: `.set(windowKey, 0, 'PX', windowMs, 'NX').incr(windowKey).exec()`,
    replace: `.set(windowKey, 0, 'PX', windowMs, 'NX').incr(windowKey).pexpire(windowKey, windowMs).exec()`,
  },
  {
    name: 'fixed window checks with GET, then INCRs: not atomic',
    find: `      const [, count] = replies(await redis.multi().set(windowKey, 0, 'PX', windowMs, 'NX').incr(windowKey).exec()) as [unknown, number];`,
    replace: `      const count = Number(await redis.get(windowKey)) + 1;
      if (count <= limit) await redis.multi().set(windowKey, 0, 'PX', windowMs, 'NX').incr(windowKey).exec();`,
  },
  {
    name: 'sliding log member is the timestamp alone: two requests in the same ms count once',
    find: 'const member = `${now}:${randomUUID()}`;',
    replace: 'const member = `${now}`;',
  },
  {
    name: 'sliding log trims with an exclusive bound: a request still counts at exactly windowMs',
    find: `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])`,
    replace: `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])`,
  },
  {
    name: 'sliding log adds denied requests too',
    find: `local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])`,
    replace: `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
local count = redis.call('ZCARD', KEYS[1]) - 1
if count < limit then`,
  },
  {
    name: 'sliding log asks to wait a whole window instead of until the oldest request leaves',
    find: `return { allowed: false, remaining: 0, retryAfterMs: Math.ceil(Number(leavingAt) + windowMs - now) };`,
    replace: `return { allowed: false, remaining: 0, retryAfterMs: windowMs };`,
  },
]);
