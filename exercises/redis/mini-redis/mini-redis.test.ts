import net, { type AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#testing';
import { createServer } from './mini-redis.ts';
import { encode, RespParser, type RespValue } from './resp.ts';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';

const simple = (value: string): RespValue => ({ type: 'simple', value });
const error = (value: string): RespValue => ({ type: 'error', value });
const integer = (value: number): RespValue => ({ type: 'integer', value: BigInt(value) });
const bulk = (value: string): RespValue => ({ type: 'bulk', value: new TextEncoder().encode(value) });
const double = (value: number): RespValue => ({ type: 'double', value });
const array = (...value: RespValue[]): RespValue => ({ type: 'array', value });
/** A command as clients send it: an array of bulk strings. */
const command = (...words: string[]): Uint8Array => encode(array(...words.map(bulk)));
const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

// One server for the file, on a port the system picks, with a clock and a sweep the tests drive.
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let sweep: () => void = () => {
  throw new Error('createServer did not hand its sweep to scheduleSweep');
};
let server: net.Server | undefined;
let port = 0;
let startError: unknown;
let shared: Promise<Redis> | undefined;
const clients: Redis[] = [];
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  try {
    const started = createServer({
      clock,
      scheduleSweep: (run) => {
        sweep = run;
        return () => {};
      },
    });
    server = started;
    await new Promise<void>((resolve, reject) => started.once('error', reject).listen(0, '127.0.0.1', resolve));
    port = (started.address() as AddressInfo).port;
  } catch (err: unknown) {
    startError = err;
  }
});

beforeEach(() => {
  if (startError !== undefined) throw startError;
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  for (const socket of sockets) socket.destroy();
  if (server?.listening) await new Promise((resolve) => server!.close(resolve));
});

/** A new ioredis client of the server: ioredis's defaults, except that it fails fast. */
async function connect(): Promise<Redis> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  clients.push(client);
  // Failures surface through the commands; this keeps ioredis from printing them too.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The ioredis client the tests share, on an emptied database. */
async function emptyDatabase(): Promise<Redis> {
  shared ??= connect();
  const client = await shared;
  await client.flushdb();
  return client;
}

/** When `converse` stops listening: after `count` replies, or once `reply` has come. */
const replies = (count: number) => (received: readonly RespValue[]) => received.length >= count;
const replyIs = (reply: RespValue) => (received: readonly RespValue[]) => received.some((each) => isDeepStrictEqual(each, reply));
/** Stops only when the server closes the connection. */
const serverCloses = () => false;

/**
 * Opens a raw connection, writes `chunks` (letting the server read after each one), and
 * collects the replies until `done` says so, or until the server closes the connection.
 */
async function converse(chunks: readonly (string | Uint8Array)[], done: (received: readonly RespValue[]) => boolean): Promise<{ replies: RespValue[]; closed: boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.add(socket);
  socket.setNoDelay(true);
  const parser = new RespParser();
  const received: RespValue[] = [];
  let closed = false;
  const finished = new Promise<void>((resolve, reject) => {
    // Only a server that stops answering meets this: it fails the test instead of hanging it.
    const timer = setTimeout(() => reject(new Error(`${received.length} replies, and no more in 2 s`)), 2_000);
    const settle = () => {
      if (done(received) || closed) {
        clearTimeout(timer);
        resolve();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        received.push(...parser.push(chunk));
        settle();
      } catch (err: unknown) {
        reject(err);
      }
    });
    socket.on('close', () => {
      closed = true;
      settle();
    });
    socket.on('error', reject);
  });
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    for (const chunk of chunks) {
      socket.write(chunk);
      if (chunks.length > 1) await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    return { replies: received, closed };
  } finally {
    socket.destroy();
    sockets.delete(socket);
  }
}

describe('mini-redis', () => {
  describe('over a raw socket', () => {
    it('should answer PING with PONG', async () => {
      expect((await converse([command('PING')], replies(1))).replies).toEqual([simple('PONG')]);
    });

    it('should answer inline commands, as typed into telnet', async () => {
      expect((await converse(['PING\r\nECHO hello\r\n'], replies(2))).replies).toEqual([simple('PONG'), bulk('hello')]);
    });

    it('should answer every command of one write in order, errors included', async () => {
      const { replies: answers } = await converse([concat(command('SET', 'raw:n', '1'), command('INCR', 'raw:n'), command('LPUSH', 'raw:n', 'x'), command('GET', 'raw:n'))], replies(4));
      expect(answers).toEqual([simple('OK'), integer(2), error(WRONGTYPE), bulk('2')]);
    });

    it('should read commands sent one byte at a time', async () => {
      const bytes = concat(command('SET', 'raw:split', 'hello'), command('GET', 'raw:split'));
      // ECHO comes whole, after the bytes: its reply says that the server has read them all.
      const chunks = [...[...bytes].map((byte) => Uint8Array.of(byte)), command('ECHO', 'done')];
      expect((await converse(chunks, replyIs(bulk('done')))).replies).toEqual([simple('OK'), bulk('hello'), bulk('done')]);
    });

    it("should answer a protocol error with Redis's message, then close the connection", async () => {
      expect(await converse(['*1\r\nfoo\r\n'], serverCloses)).toEqual({ replies: [error("ERR Protocol error: expected '$', got 'f'")], closed: true });
    });

    it('should answer QUIT with OK and close, without running the commands after it', async () => {
      expect(await converse([concat(command('QUIT'), command('SET', 'raw:quit', 'x'))], serverCloses)).toEqual({ replies: [simple('OK')], closed: true });
      expect((await converse([command('EXISTS', 'raw:quit')], replies(1))).replies).toEqual([integer(0)]);
    });
  });

  describe('with ioredis', () => {
    it('should let ioredis connect, which sends CLIENT SETINFO and INFO first', async () => {
      const redis = await connect();
      expect(await redis.ping()).toBe('PONG');
    });

    it('should ECHO any bytes back', async () => {
      const redis = await emptyDatabase();
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      expect(await redis.echoBuffer(bytes)).toEqual(bytes);
    });

    it('should name a connection, and describe itself with INFO and COMMAND', async () => {
      const redis = await emptyDatabase();
      await redis.set('k', 'v');
      expect(await redis.call('CLIENT', 'SETNAME', 'worker-1')).toBe('OK');
      expect(await redis.call('CLIENT', 'GETNAME')).toBe('worker-1');
      expect(await redis.info('keyspace')).toContain('db0:keys=1');
      expect(await redis.call('COMMAND', 'COUNT')).toBeGreaterThanOrEqual(30);
      expect(await redis.call('COMMAND', 'INFO', 'get')).toEqual([['get', 2, expect.any(Array), 1, 1, 1, [], [], [], []]]);
    });
  });

  describe('strings', () => {
    it('should SET and GET a value, and GET null for a missing key', async () => {
      const redis = await emptyDatabase();
      expect(await redis.set('greeting', 'hello')).toBe('OK');
      expect(await redis.get('greeting')).toBe('hello');
      expect(await redis.get('missing')).toBeNull();
    });

    it('should keep values binary-safe', async () => {
      const redis = await emptyDatabase();
      const bytes = Buffer.from([0, 13, 10, 255, 36, 42]);
      await redis.set('bytes', bytes);
      expect(await redis.getBuffer('bytes')).toEqual(bytes);
    });

    it('should SET with NX only when the key is missing, and with XX only when it exists', async () => {
      const redis = await emptyDatabase();
      expect(await redis.set('k', 'first', 'NX')).toBe('OK');
      expect(await redis.set('k', 'second', 'NX')).toBeNull();
      expect(await redis.get('k')).toBe('first');
      expect(await redis.set('other', 'x', 'XX')).toBeNull();
      expect(await redis.exists('other')).toBe(0);
      expect(await redis.set('k', 'third', 'XX')).toBe('OK');
      expect(await redis.get('k')).toBe('third');
    });

    it('should answer SET … GET with the value it replaced', async () => {
      const redis = await emptyDatabase();
      await redis.set('k', 'old');
      expect(await redis.set('k', 'new', 'GET')).toBe('old');
      expect(await redis.set('fresh', 'x', 'GET')).toBeNull();
      expect(await redis.get('k')).toBe('new');
    });

    it('should MSET and MGET, with null for a missing key or a key of another type', async () => {
      const redis = await emptyDatabase();
      expect(await redis.mset('a', '1', 'b', '2')).toBe('OK');
      await redis.rpush('list', 'x');
      expect(await redis.mget('a', 'missing', 'list', 'b')).toEqual(['1', null, null, '2']);
    });

    it('should INCR, INCRBY and DECR a counter that starts at 0', async () => {
      const redis = await emptyDatabase();
      expect(await redis.incr('n')).toBe(1);
      expect(await redis.incrby('n', 10)).toBe(11);
      expect(await redis.decr('n')).toBe(10);
      expect(await redis.decrby('n', 15)).toBe(-5);
      expect(await redis.get('n')).toBe('-5');
    });

    it.each(['abc', '1.5', '12abc', ' 1', '', '+1', '01'])('should refuse to INCR %j, which is not an integer', async (value) => {
      const redis = await emptyDatabase();
      await redis.set('n', value);
      await expect(redis.incr('n')).rejects.toThrow(NOT_AN_INTEGER);
      expect(await redis.get('n')).toBe(value);
    });

    it('should refuse to INCR past 64 bits', async () => {
      const redis = await emptyDatabase();
      await redis.set('n', '9223372036854775807');
      await expect(redis.incr('n')).rejects.toThrow('ERR increment or decrement would overflow');
    });
  });

  describe('keys', () => {
    it('should DEL keys and count those that existed', async () => {
      const redis = await emptyDatabase();
      await redis.mset('a', '1', 'b', '2');
      expect(await redis.del('a', 'b', 'c')).toBe(2);
      expect(await redis.exists('a')).toBe(0);
    });

    it('should count EXISTS per argument, repeats included', async () => {
      const redis = await emptyDatabase();
      await redis.set('a', '1');
      expect(await redis.exists('a', 'a', 'missing')).toBe(2);
    });

    it('should tell the TYPE of a key', async () => {
      const redis = await emptyDatabase();
      await redis.set('s', 'x');
      await redis.rpush('l', 'x');
      await redis.hset('h', 'f', 'x');
      await redis.zadd('z', 1, 'x');
      expect(await Promise.all(['s', 'l', 'h', 'z', 'missing'].map((key) => redis.type(key)))).toEqual(['string', 'list', 'hash', 'zset', 'none']);
    });

    it('should count the keys with DBSIZE and delete them all with FLUSHDB', async () => {
      const redis = await emptyDatabase();
      await redis.mset('a', '1', 'b', '2', 'c', '3');
      expect(await redis.dbsize()).toBe(3);
      expect(await redis.flushdb()).toBe('OK');
      expect(await redis.dbsize()).toBe(0);
    });
  });

  describe('expiry', () => {
    it('should report TTL and PTTL: -2 without a key, -1 without an expiry, else the time left', async () => {
      const redis = await emptyDatabase();
      await redis.set('k', 'v', 'EX', 100);
      expect(await redis.ttl('k')).toBe(100);
      expect(await redis.pttl('k')).toBe(100_000);
      clock.advance(1_500);
      expect(await redis.pttl('k')).toBe(98_500);
      expect(await redis.ttl('k')).toBe(99);
      expect(await redis.persist('k')).toBe(1);
      expect(await redis.ttl('k')).toBe(-1);
      expect(await redis.persist('k')).toBe(0);
      expect(await redis.ttl('missing')).toBe(-2);
    });

    it('should never return a key whose time has passed (lazy expiry)', async () => {
      const redis = await emptyDatabase();
      await redis.set('session', 'token', 'PX', 100);
      clock.advance(50);
      expect(await redis.get('session')).toBe('token');
      clock.advance(51);
      expect(await redis.get('session')).toBeNull();
      expect(await redis.exists('session')).toBe(0);
      expect(await redis.ttl('session')).toBe(-2);
    });

    it('should drop the TTL on SET, and keep it on SET … KEEPTTL and on INCR', async () => {
      const redis = await emptyDatabase();
      await redis.set('k', 'v', 'EX', 100);
      await redis.set('k', 'w');
      expect(await redis.ttl('k')).toBe(-1);
      await redis.set('k', 'v', 'EX', 100);
      await redis.set('k', 'w', 'KEEPTTL');
      expect(await redis.ttl('k')).toBe(100);
      await redis.set('n', '1', 'EX', 100);
      await redis.incr('n');
      expect(await redis.ttl('n')).toBe(100);
    });

    it('should EXPIRE and PEXPIRE existing keys only, and delete a key whose new time has passed', async () => {
      const redis = await emptyDatabase();
      await redis.mset('a', '1', 'b', '2');
      expect(await redis.expire('missing', 10)).toBe(0);
      expect(await redis.pexpire('a', 2_500)).toBe(1);
      expect(await redis.pttl('a')).toBe(2_500);
      expect(await redis.expire('b', 0)).toBe(1);
      expect(await redis.exists('b')).toBe(0);
    });

    it('should count expired keys in DBSIZE until the sweep deletes them (active expiry)', async () => {
      const redis = await emptyDatabase();
      await redis.mset('a', '1', 'b', '2');
      for (const key of ['x', 'y', 'z']) await redis.set(key, 'soon gone', 'PX', 100);
      await redis.set('later', 'v', 'PX', 10_000);
      clock.advance(200);
      expect(await redis.dbsize()).toBe(6);
      sweep();
      expect(await redis.dbsize()).toBe(3);
      expect(await redis.get('later')).toBe('v');
    });

    it('should go on sweeping from where the last sweep stopped', async () => {
      const redis = await emptyDatabase();
      const pipeline = redis.pipeline();
      // 40 keys that live long, then 10 that expire soon: a sweep that always starts over from
      // the first keys with a TTL never reaches the last ones.
      for (let i = 0; i < 40; i++) pipeline.set(`long:${i}`, 'v', 'EX', 3_600);
      for (let i = 0; i < 10; i++) pipeline.set(`short:${i}`, 'v', 'PX', 100);
      await pipeline.exec();
      clock.advance(200);
      for (let i = 0; i < 5; i++) sweep();
      expect(await redis.dbsize()).toBe(40);
    });
  });

  describe('hashes', () => {
    it('should HSET fields, counting the new ones, and HGET them back', async () => {
      const redis = await emptyDatabase();
      expect(await redis.hset('user:1', 'name', 'Ada', 'lang', 'en')).toBe(2);
      expect(await redis.hset('user:1', 'lang', 'fr', 'city', 'Paris')).toBe(1);
      expect(await redis.hget('user:1', 'lang')).toBe('fr');
      expect(await redis.hget('user:1', 'missing')).toBeNull();
      expect(await redis.hgetall('user:1')).toEqual({ name: 'Ada', lang: 'fr', city: 'Paris' });
      expect(await redis.hgetall('missing')).toEqual({});
    });

    it('should HDEL fields, and delete the key with its last field', async () => {
      const redis = await emptyDatabase();
      await redis.hset('h', 'a', '1', 'b', '2');
      expect(await redis.hdel('h', 'a', 'missing')).toBe(1);
      expect(await redis.hdel('h', 'b')).toBe(1);
      expect(await redis.exists('h')).toBe(0);
    });
  });

  describe('lists', () => {
    it('should LPUSH to the head and RPUSH to the tail, and read ranges with LRANGE', async () => {
      const redis = await emptyDatabase();
      expect(await redis.rpush('l', 'c', 'd')).toBe(2);
      expect(await redis.lpush('l', 'b', 'a')).toBe(4);
      expect(await redis.lrange('l', 0, -1)).toEqual(['a', 'b', 'c', 'd']);
      expect(await redis.lrange('l', 1, 2)).toEqual(['b', 'c']);
      expect(await redis.lrange('l', -2, 100)).toEqual(['c', 'd']);
      expect(await redis.lrange('l', 3, 1)).toEqual([]);
      expect(await redis.lrange('missing', 0, -1)).toEqual([]);
    });

    it('should LPOP and RPOP, one or a count, and delete the key with its last element', async () => {
      const redis = await emptyDatabase();
      await redis.rpush('l', 'a', 'b', 'c', 'd');
      expect(await redis.lpop('l')).toBe('a');
      expect(await redis.rpop('l', 2)).toEqual(['d', 'c']);
      expect(await redis.lpop('l', 5)).toEqual(['b']);
      expect(await redis.exists('l')).toBe(0);
      expect(await redis.lpop('l')).toBeNull();
      expect(await redis.lpop('l', 2)).toBeNull();
    });
  });

  describe('sorted sets', () => {
    it('should ZADD members, counting the new ones, and ZRANGE them by score, then by member', async () => {
      const redis = await emptyDatabase();
      // The example of the ZRANGE documentation.
      expect(await redis.zadd('racers', 10, 'Norem', 12, 'Castilla', 8, 'Sam-Bodden', 10, 'Royce', 6, 'Ford', 14, 'Prickett')).toBe(6);
      expect(await redis.zrange('racers', 0, -1)).toEqual(['Ford', 'Sam-Bodden', 'Norem', 'Royce', 'Castilla', 'Prickett']);
      expect(await redis.zadd('racers', 20, 'Ford', 1, 'Vaz')).toBe(1);
      expect(await redis.zrange('racers', 0, 1, 'WITHSCORES')).toEqual(['Vaz', '1', 'Sam-Bodden', '8']);
      expect(await redis.zrange('racers', -2, -1)).toEqual(['Prickett', 'Ford']);
    });

    it('should answer ZSCORE and ZRANK, or null for a missing member', async () => {
      const redis = await emptyDatabase();
      await redis.zadd('z', 2.5, 'b', 1, 'a', 3, 'c');
      expect(await redis.zscore('z', 'b')).toBe('2.5');
      expect(await redis.zrank('z', 'c')).toBe(2);
      expect(await redis.zscore('z', 'missing')).toBeNull();
      expect(await redis.zrank('missing', 'a')).toBeNull();
    });

    it('should refuse a score that is not a number, and add nothing', async () => {
      const redis = await emptyDatabase();
      await expect(redis.zadd('z', 1, 'a', 'abc', 'b')).rejects.toThrow('ERR value is not a valid float');
      expect(await redis.exists('z')).toBe(0);
    });
  });

  describe('errors', () => {
    it('should refuse GET on a list with WRONGTYPE', async () => {
      const redis = await emptyDatabase();
      await redis.rpush('list', 'a');
      await expect(redis.get('list')).rejects.toThrow(WRONGTYPE);
    });

    it('should refuse any command on a key of another type with WRONGTYPE, and change nothing', async () => {
      const redis = await emptyDatabase();
      await redis.set('s', 'x');
      await redis.rpush('l', 'x');
      await redis.hset('h', 'f', 'x');
      await redis.zadd('z', 1, 'x');
      const attempts = [redis.lpush('s', 'y'), redis.hset('l', 'f', 'y'), redis.zadd('h', 1, 'y'), redis.hget('z', 'x'), redis.incr('l'), redis.lrange('h', 0, -1), redis.zrange('s', 0, -1)];
      const outcomes = await Promise.all(attempts.map((attempt) => attempt.then(() => 'no error', (err: Error) => err.message)));
      expect(outcomes).toEqual(attempts.map(() => WRONGTYPE));
      expect(await Promise.all(['s', 'l', 'h', 'z'].map((key) => redis.type(key)))).toEqual(['string', 'list', 'hash', 'zset']);
      expect(await redis.get('s')).toBe('x');
    });

    it("should answer an unknown command with Redis's message", async () => {
      const redis = await emptyDatabase();
      await expect(redis.call('NOPE', 'a', 'b')).rejects.toThrow("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ");
      await expect(redis.call('NOPE')).rejects.toThrow("ERR unknown command 'NOPE', with args beginning with: ");
    });

    it('should answer a wrong number of arguments with the name of the command', async () => {
      const redis = await emptyDatabase();
      await expect(redis.call('GET')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
      await expect(redis.call('get', 'a', 'b')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
      await expect(redis.call('HSET', 'h', 'f')).rejects.toThrow("ERR wrong number of arguments for 'hset' command");
    });

    it('should refuse SET options that do not go together, and bad expire times', async () => {
      const redis = await emptyDatabase();
      await expect(redis.call('SET', 'k', 'v', 'NX', 'XX')).rejects.toThrow('ERR syntax error');
      await expect(redis.call('SET', 'k', 'v', 'EX')).rejects.toThrow('ERR syntax error');
      await expect(redis.call('SET', 'k', 'v', 'EX', '0')).rejects.toThrow("ERR invalid expire time in 'set' command");
      await expect(redis.call('SET', 'k', 'v', 'PX', 'soon')).rejects.toThrow(NOT_AN_INTEGER);
      expect(await redis.exists('k')).toBe(0);
    });
  });

  describe('RESP3', () => {
    it('should switch to RESP3 with HELLO 3, and answer it with a map', async () => {
      const [hello] = (await converse([command('HELLO', '3')], replies(1))).replies;
      expect(hello).toMatchObject({ type: 'map', value: expect.arrayContaining([[bulk('proto'), integer(3)]]) });
    });

    it('should answer with RESP3 types after HELLO 3, and with RESP2 ones again after HELLO 2', async () => {
      const redis = await emptyDatabase();
      await redis.hset('h', 'f', 'v');
      await redis.zadd('z', 1.5, 'm');
      const queries = [command('GET', 'missing'), command('HGETALL', 'h'), command('ZSCORE', 'z', 'm'), command('ZRANGE', 'z', '0', '-1', 'WITHSCORES')];
      const { replies: answers } = await converse([concat(command('HELLO', '3'), ...queries, command('HELLO', '2'), ...queries)], replies(10));
      expect(answers.slice(1, 5)).toEqual([{ type: 'null' }, { type: 'map', value: [[bulk('f'), bulk('v')]] }, double(1.5), array(array(bulk('m'), double(1.5)))]);
      expect(answers.slice(6)).toEqual([{ type: 'bulk', value: null }, array(bulk('f'), bulk('v')), bulk('1.5'), array(bulk('m'), bulk('1.5'))]);
    });

    it('should refuse a protocol version it does not speak with NOPROTO', async () => {
      const redis = await emptyDatabase();
      await expect(redis.call('HELLO', '4')).rejects.toThrow('NOPROTO unsupported protocol version');
      expect(await redis.ping()).toBe('PONG');
    });
  });

  describe('options', () => {
    it.each([0, -1, 1.5])('should reject sweepSample %s with a RangeError', (sweepSample) => {
      expect(() => createServer({ sweepSample })).toThrow(RangeError);
    });
  });

  describe('pipelining', () => {
    it('should answer a pipeline of 10,000 commands, every reply in its place', async () => {
      const redis = await emptyDatabase();
      const pipeline = redis.pipeline();
      for (let i = 0; i < 5_000; i++) pipeline.incr('counter').get('counter');
      const results = await pipeline.exec();
      const expected = Array.from({ length: 10_000 }, (_, i) => [null, i % 2 === 0 ? i / 2 + 1 : String((i + 1) / 2)]);
      // isDeepStrictEqual is fast; toEqual then shows where the replies differ.
      if (!isDeepStrictEqual(results, expected)) expect(results).toEqual(expected);
    });
  });

  describe('against a model', () => {
    type Entry = { type: 'string'; value: string } | { type: 'list'; value: string[] };
    interface Model {
      entries: Map<string, Entry>;
      expiresAt: Map<string, number>;
    }

    /** The model's entry at `key`, deleted first if its time has passed (as the server does it). */
    const live = (model: Model, key: string): Entry | undefined => {
      const at = model.expiresAt.get(key);
      if (at !== undefined && at < clock.now()) {
        model.entries.delete(key);
        model.expiresAt.delete(key);
      }
      return model.entries.get(key);
    };
    /** What ioredis returns, or the error's message. */
    const outcome = (reply: Promise<unknown>) => reply.then((value) => value, (err: Error) => `error: ${err.message}`);

    abstract class ServerCommand implements fc.AsyncCommand<Model, Redis> {
      abstract readonly words: (string | number)[];
      /** Updates the model; returns the reply the server must give. */
      abstract expected(model: Model): unknown;
      check = () => true;
      async run(model: Model, redis: Redis): Promise<void> {
        const [name, ...args] = this.words;
        const actual = await outcome(redis.call(String(name), ...args));
        expect(actual).toEqual(this.expected(model));
      }
      toString = () => this.words.join(' ');
    }

    class SetString extends ServerCommand {
      readonly words: (string | number)[];
      constructor(readonly key: string, readonly value: string, readonly px: number | undefined, readonly nx: boolean) {
        super();
        this.words = ['SET', key, value, ...(px === undefined ? [] : ['PX', px]), ...(nx ? ['NX'] : [])];
      }
      expected(model: Model): unknown {
        if (this.nx && live(model, this.key) !== undefined) return null;
        model.entries.set(this.key, { type: 'string', value: this.value });
        if (this.px === undefined) model.expiresAt.delete(this.key);
        else model.expiresAt.set(this.key, clock.now() + this.px);
        return 'OK';
      }
    }

    class Get extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string) {
        super();
        this.words = ['GET', key];
      }
      expected(model: Model): unknown {
        const entry = live(model, this.key);
        if (entry === undefined) return null;
        return entry.type === 'string' ? entry.value : `error: ${WRONGTYPE}`;
      }
    }

    class Incr extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string) {
        super();
        this.words = ['INCR', key];
      }
      expected(model: Model): unknown {
        const entry = live(model, this.key);
        if (entry?.type === 'list') return `error: ${WRONGTYPE}`;
        const text = entry?.value ?? '0';
        if (!/^(?:0|-?[1-9]\d*)$/.test(text) || BigInt(text) >= 2n ** 63n) return `error: ${NOT_AN_INTEGER}`;
        const next = BigInt(text) + 1n;
        if (next >= 2n ** 63n) return 'error: ERR increment or decrement would overflow';
        model.entries.set(this.key, { type: 'string', value: String(next) });
        return Number(next);
      }
    }

    class RPush extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string, readonly value: string) {
        super();
        this.words = ['RPUSH', key, value];
      }
      expected(model: Model): unknown {
        const entry = live(model, this.key);
        if (entry?.type === 'string') return `error: ${WRONGTYPE}`;
        const list = entry?.value ?? [];
        list.push(this.value);
        model.entries.set(this.key, { type: 'list', value: list });
        return list.length;
      }
    }

    class LPop extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string) {
        super();
        this.words = ['LPOP', key];
      }
      expected(model: Model): unknown {
        const entry = live(model, this.key);
        if (entry === undefined) return null;
        if (entry.type === 'string') return `error: ${WRONGTYPE}`;
        const value = entry.value.shift();
        if (entry.value.length === 0) {
          model.entries.delete(this.key);
          model.expiresAt.delete(this.key);
        }
        return value;
      }
    }

    class Del extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string) {
        super();
        this.words = ['DEL', key];
      }
      expected(model: Model): unknown {
        const existed = live(model, this.key) !== undefined;
        model.entries.delete(this.key);
        model.expiresAt.delete(this.key);
        return existed ? 1 : 0;
      }
    }

    class Type extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string) {
        super();
        this.words = ['TYPE', key];
      }
      expected(model: Model): unknown {
        return live(model, this.key)?.type ?? 'none';
      }
    }

    class PExpire extends ServerCommand {
      readonly words: (string | number)[];
      constructor(readonly key: string, readonly ms: number) {
        super();
        this.words = ['PEXPIRE', key, ms];
      }
      expected(model: Model): unknown {
        if (live(model, this.key) === undefined) return 0;
        if (this.ms <= 0) {
          model.entries.delete(this.key);
          model.expiresAt.delete(this.key);
        } else {
          model.expiresAt.set(this.key, clock.now() + this.ms);
        }
        return 1;
      }
    }

    class PTtl extends ServerCommand {
      readonly words: string[];
      constructor(readonly key: string) {
        super();
        this.words = ['PTTL', key];
      }
      expected(model: Model): unknown {
        if (live(model, this.key) === undefined) return -2;
        const at = model.expiresAt.get(this.key);
        return at === undefined ? -1 : at - clock.now();
      }
    }

    /** Time passes: nothing is sent. */
    class Advance implements fc.AsyncCommand<Model, Redis> {
      constructor(readonly ms: number) {}
      check = () => true;
      async run(): Promise<void> {
        clock.advance(this.ms);
      }
      toString = () => `(${this.ms} ms pass)`;
    }

    /** A sweep deletes every expired key when, as here, fewer keys have a TTL than a sweep looks at. */
    class Sweep implements fc.AsyncCommand<Model, Redis> {
      check = () => true;
      async run(model: Model, redis: Redis): Promise<void> {
        sweep();
        for (const key of [...model.entries.keys()]) live(model, key);
        expect(await redis.dbsize()).toBe(model.entries.size);
      }
      toString = () => '(sweep)';
    }

    it('should answer like a map of strings and lists with expiry times, under any sequence of commands', async () => {
      await emptyDatabase();
      const key = fc.constantFrom('a', 'b', 'c');
      const value = fc.constantFrom('1', '-7', 'x', '9223372036854775807');
      const commands = fc.commands(
        [
          fc.tuple(key, value, fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), fc.boolean()).map(([k, v, px, nx]) => new SetString(k, v, px, nx)),
          key.map((k) => new Get(k)),
          key.map((k) => new Incr(k)),
          fc.tuple(key, value).map(([k, v]) => new RPush(k, v)),
          key.map((k) => new LPop(k)),
          key.map((k) => new Del(k)),
          key.map((k) => new Type(k)),
          fc.tuple(key, fc.integer({ min: -50, max: 300 })).map(([k, ms]) => new PExpire(k, ms)),
          key.map((k) => new PTtl(k)),
          fc.integer({ min: 1, max: 300 }).map((ms) => new Advance(ms)),
          fc.constant(new Sweep()),
        ],
        { maxCommands: 30 },
      );
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          const redis = await emptyDatabase();
          await fc.asyncModelRun(() => ({ model: { entries: new Map(), expiresAt: new Map() }, real: redis }), cmds);
        }),
        { numRuns: 30 },
      );
    });
  });
});
