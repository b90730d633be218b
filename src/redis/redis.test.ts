import { describe, expect, it } from 'vitest';
import { connectRedis, deleteKeysWithPrefix } from './index.ts';
import { hasRedisServer, useRedis } from './testing.ts';

describe('useRedis', () => {
  const redis = useRedis();

  it('should prefix every key of the test file', async () => {
    await redis.client.set('greeting', 'hello');
    const admin = await connectRedis();
    try {
      expect(await admin.get(`${redis.prefix}greeting`)).toBe('hello');
    } finally {
      admin.disconnect();
    }
  });

  it('should start every test empty', async () => {
    expect(await redis.client.get('greeting')).toBeNull();
  });

  it('should give a second connection the same prefix, and prefixed names for channels', async () => {
    const other = await redis.connect();
    await other.set('shared', '1');
    expect(await redis.client.get('shared')).toBe('1');
    expect(redis.name('events')).toBe(`${redis.prefix}events`);
  });

  it('should read a stream after an id as Redis does, as often as asked, on either backend', async () => {
    const ids = [await redis.client.xadd('events', '*', 'n', '1'), await redis.client.xadd('events', '*', 'n', '2')];
    for (let i = 0; i < 2; i++) {
      const read = await redis.client.xread('COUNT', 10, 'STREAMS', 'events', ids[0]!);
      // The reply names the stream by its whole key, prefix included, as Redis does.
      expect(read).toEqual([[redis.name('events'), [[ids[1], ['n', '2']]]]]);
    }
    expect(await redis.client.xread('STREAMS', 'events', ids[1]!)).toBeNull();
    expect((await redis.client.xrange('events', ids[1]!, '+')).map(([id]) => id)).toEqual([ids[1]]);
  });

  describe('stream consumer groups, on either backend', () => {
    // XGROUP is a command with subcommands: ioredis does not prefix its key, so it gets the whole name.
    const createGroup = (from: string) => redis.client.xgroup('CREATE', redis.name('jobs'), 'workers', from, 'MKSTREAM');
    const readGroup = (consumer: string, from: string, count = 10) =>
      redis.client.xreadgroup('GROUP', 'workers', consumer, 'COUNT', count, 'STREAMS', 'jobs', from);
    const add = async (...values: string[]) => {
      const ids: string[] = [];
      for (const value of values) ids.push((await redis.client.xadd('jobs', '*', 'n', value))!);
      return ids;
    };
    /** XPENDING's extended rows without the idle time, which depends on the clock. */
    const pendingRows = async () => {
      const rows = (await redis.client.xpending('jobs', 'workers', '-', '+', 10)) as [string, string, number, number][];
      for (const [, , idle] of rows) expect(idle).toBeGreaterThanOrEqual(0);
      return rows.map(([id, consumer, , deliveries]) => [id, consumer, deliveries]);
    };

    it('should create a group with MKSTREAM, and refuse to create it twice with BUSYGROUP', async () => {
      await expect(redis.client.xgroup('CREATE', redis.name('jobs'), 'workers', '0')).rejects.toThrow(/^ERR The XGROUP subcommand requires the key to exist/);
      expect(await createGroup('$')).toBe('OK');
      expect(await redis.client.exists('jobs')).toBe(1);
      expect(await redis.client.xlen('jobs')).toBe(0);
      await expect(createGroup('0')).rejects.toThrow(/^BUSYGROUP Consumer Group name already exists$/);
      await expect(readGroup('alice', '>')).resolves.toBeNull();
      await expect(redis.client.xreadgroup('GROUP', 'nobody', 'alice', 'STREAMS', 'jobs', '>')).rejects.toThrow(/^NOGROUP /);
    });

    it('should deliver each new entry once with >, replay the pending ones with an id, and settle them with XACK', async () => {
      await createGroup('0');
      const [a, b, c] = await add('1', '2', '3');
      expect(await readGroup('alice', '>', 2)).toEqual([[redis.name('jobs'), [[a, ['n', '1']], [b, ['n', '2']]]]]);
      expect(await readGroup('bob', '>')).toEqual([[redis.name('jobs'), [[c, ['n', '3']]]]]);
      expect(await readGroup('alice', '>')).toBeNull();
      expect(await readGroup('alice', '0')).toEqual([[redis.name('jobs'), [[a, ['n', '1']], [b, ['n', '2']]]]]);
      expect(await redis.client.xpending('jobs', 'workers')).toEqual([3, a, c, [['alice', '2'], ['bob', '1']]]);
      expect(await pendingRows()).toEqual([[a, 'alice', 2], [b, 'alice', 2], [c, 'bob', 1]]);
      expect(await redis.client.xack('jobs', 'workers', a!, a!, '1-1')).toBe(1);
      // Replayed after an id, and answered even when the consumer holds nothing.
      expect(await readGroup('alice', a!)).toEqual([[redis.name('jobs'), [[b, ['n', '2']]]]]);
      expect(await readGroup('carol', '0')).toEqual([[redis.name('jobs'), []]]);
      expect(await pendingRows()).toEqual([[b, 'alice', 3], [c, 'bob', 1]]);
      expect(await redis.client.xack('jobs', 'workers', b!, c!)).toBe(2);
      expect(await redis.client.xpending('jobs', 'workers')).toEqual([0, null, null, null]);
    });

    it('should replay a pending entry trimmed from the stream as [id, null], and keep it pending', async () => {
      await createGroup('0');
      const [a, b] = await add('1', '2');
      await readGroup('alice', '>');
      await redis.client.xtrim('jobs', 'MAXLEN', 1);
      expect(await readGroup('alice', '0')).toEqual([[redis.name('jobs'), [[a, null], [b, ['n', '2']]]]]);
      expect(await pendingRows()).toEqual([[a, 'alice', 1], [b, 'alice', 2]]);
    });

    it('should move idle pending entries to another consumer with XAUTOCLAIM, and drop the deleted ones', async () => {
      await createGroup('0');
      const [a, b] = await add('1', '2');
      await readGroup('alice', '>');
      expect(await redis.client.xautoclaim('jobs', 'workers', 'bob', 60_000, '0-0')).toEqual(['0-0', [], []]);
      expect(await redis.client.xautoclaim('jobs', 'workers', 'bob', 0, '0-0', 'COUNT', 1)).toEqual([b, [[a, ['n', '1']]], []]);
      expect(await pendingRows()).toEqual([[a, 'bob', 2], [b, 'alice', 1]]);
      expect(await redis.client.xautoclaim('jobs', 'workers', 'bob', 0, b!, 'JUSTID')).toEqual(['0-0', [b], []]);
      await redis.client.xtrim('jobs', 'MAXLEN', 1);
      expect(await redis.client.xautoclaim('jobs', 'workers', 'carol', 0, '-')).toEqual(['0-0', [[b, ['n', '2']]], [a]]);
      expect(await pendingRows()).toEqual([[b, 'carol', 2]]);
    });

    it('should keep the groups with the stream, and drop them with it', async () => {
      await createGroup('0');
      await add('1');
      expect(await redis.client.del('jobs')).toBe(1);
      expect(await createGroup('0')).toBe('OK');
      expect(await readGroup('alice', '>')).toBeNull();
    });
  });

  it('should abort an EXEC when a watched key changed, and unwatch at every EXEC, on either backend', async () => {
    const watcher = redis.client.duplicate();
    try {
      await watcher.set('stock', '5');
      await watcher.watch('stock');
      await redis.client.set('stock', '4');
      expect(await watcher.multi().set('stock', '0').exec()).toBeNull();
      // Unwatched now: this transaction runs, and so does the next one on the same connection.
      await watcher.watch('stock');
      expect(await watcher.multi().set('stock', '3').exec()).toEqual([[null, 'OK']]);
      expect(await watcher.multi().set('stock', '2').exec()).toEqual([[null, 'OK']]);
      expect(await redis.client.get('stock')).toBe('2');
    } finally {
      watcher.disconnect();
    }
  });

  it('should run ZADD with GT and LT as Redis does, on either backend', async () => {
    await redis.client.zadd('best', 10, 'ada');
    expect(await redis.client.zadd('best', 'GT', 5, 'ada', 7, 'bob')).toBe(1);
    expect(await redis.client.zadd('best', 'GT', 'CH', 12, 'ada', 6, 'bob')).toBe(1);
    expect(await redis.client.zrange('best', 0, -1, 'WITHSCORES')).toEqual(['bob', '7', 'ada', '12']);
    expect(await redis.client.zadd('best', 'LT', 'CH', 3, 'bob', 20, 'ada')).toBe(1);
    expect(await redis.client.zadd('best', 'XX', 'GT', 'INCR', -1, 'ada')).toBeNull();
    expect(await redis.client.zadd('best', 'GT', 'INCR', 1.5, 'ada')).toBe('13.5');
    expect(await redis.client.zscore('best', 'bob')).toBe('3');
    await expect(redis.client.zadd('best', 'NX', 'GT', 1, 'ada')).rejects.toThrow('GT, LT, and/or NX options at the same time are not compatible');
    await expect(redis.client.zadd('best', 'GT', 'x', 'ada')).rejects.toThrow('value is not a valid float');
  });

  it('should run Lua scripts on either backend', async () => {
    await redis.client.set('n', '41');
    expect(await redis.client.eval("return redis.call('INCR', KEYS[1])", 1, 'n')).toBe(42);
  });
});

describe('deleteKeysWithPrefix', () => {
  it('should delete the keys under a prefix and nothing else', async () => {
    const admin = await connectRedis();
    try {
      await admin.set('other:kept', '1');
      await admin.mset('gone:a', '1', 'gone:b', '2');
      await deleteKeysWithPrefix(admin, 'gone:');
      expect(await admin.exists('gone:a', 'gone:b')).toBe(0);
      expect(await admin.get('other:kept')).toBe('1');
      await admin.del('other:kept');
    } finally {
      admin.disconnect();
    }
  });
});

describe('connectRedis', () => {
  it.skipIf(hasRedisServer)('should say what to do when REDIS_URL names a server that does not answer', async () => {
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    try {
      await expect(connectRedis()).rejects.toThrow(/REDIS_URL is redis:\/\/127\.0\.0\.1:1, but Redis does not answer there.*unset REDIS_URL/);
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
  });
});
