import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'SET without NX: acquire overwrites the current holder',
    find: `.set(lockKey(resource), token, 'PX', ttlMs, 'NX')`,
    replace: `.set(lockKey(resource), token, 'PX', ttlMs)`,
  },
  {
    name: "release with a plain DEL: deletes the next holder's lock after the lease ran out",
    find: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
    replace: `return redis.call('DEL', KEYS[1])`,
  },
  {
    name: 'extend without the token check',
    find: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
    replace: `return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
  },
  {
    name: 'fence from a counter in process memory instead of INCR',
    find: `  const acquire = async (resource: string, ttlMs: number): Promise<Lock | null> => {
    requireResource(resource);
    requireTtl(ttlMs);
    const token = generateToken();
    // One transaction, so that fences are handed out in the order the lock was taken. A failed
    // SET burns a fence number too: fences only have to grow, not to be consecutive.
    const [set, fence] = replies(await redis.multi().set(lockKey(resource), token, 'PX', ttlMs, 'NX').incr(fenceKey(resource)).exec());
    return set === 'OK' ? { resource, token, fence: fence as number } : null;
  };`,
    replace: `  let lastFence = 0;
  const acquire = async (resource: string, ttlMs: number): Promise<Lock | null> => {
    requireResource(resource);
    requireTtl(ttlMs);
    const token = generateToken();
    const set = await redis.set(lockKey(resource), token, 'PX', ttlMs, 'NX');
    return set === 'OK' ? { resource, token, fence: ++lastFence } : null;
  };`,
  },
  {
    name: 'withLock retries for ever',
    find: `      if (attempt > retries) throw new LockBusyError(resource, attempt);
`,
    replace: ``,
  },
  {
    name: 'withLock keeps the lock when fn throws (release not in finally)',
    find: `        try {
          return await fn(lock);
        } finally {
          // False here means the lease ran out while fn ran: the fence is what protects the
          // storage then, and fn's work is done, so its outcome stands.
          await release(resource, lock.token);
        }`,
    replace: `        const result = await fn(lock);
        await release(resource, lock.token);
        return result;`,
  },
  {
    name: 'backoff without jitter: every waiter retries in step',
    find: `await sleep(random() * ceiling);`,
    replace: `await sleep(ceiling);`,
  },
]);
