import net from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redisUrl } from '#redis';
import { needsRedisServer, useRedis } from '#redis/testing';
import { encode, RespParser, RespProtocolError, type RespValue } from './resp-protocol.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const asText = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0);
  return bytes;
}

const simple = (value: string): RespValue => ({ type: 'simple', value });
const error = (value: string): RespValue => ({ type: 'error', value });
const integer = (value: number | bigint): RespValue => ({ type: 'integer', value: BigInt(value) });
const bulk = (value: string | Uint8Array): RespValue => ({ type: 'bulk', value: typeof value === 'string' ? utf8(value) : value });
const array = (...value: RespValue[]): RespValue => ({ type: 'array', value });
const double = (value: number): RespValue => ({ type: 'double', value });
const push = (...value: RespValue[]): RespValue => ({ type: 'push', value });
/** A client command, as clients send it: an array of bulk strings. */
const command = (...words: (string | Uint8Array)[]): RespValue => array(...words.map(bulk));

/** Everything `parser` returns for `chunks`, pushed one after the other. */
const parseAll = (chunks: readonly (string | Uint8Array)[], parser = new RespParser()): RespValue[] =>
  chunks.flatMap((chunk) => parser.push(typeof chunk === 'string' ? utf8(chunk) : chunk));

// The examples of the RESP2 and RESP3 specifications, and a few more.
const vectors: { name: string; wire: string; value: RespValue }[] = [
  { name: 'a simple string', wire: '+OK\r\n', value: simple('OK') },
  { name: 'an error', wire: "-ERR unknown command 'asdf'\r\n", value: error("ERR unknown command 'asdf'") },
  { name: 'an integer', wire: ':1000\r\n', value: integer(1000) },
  { name: 'a negative integer', wire: ':-42\r\n', value: integer(-42) },
  { name: 'a bulk string', wire: '$5\r\nhello\r\n', value: bulk('hello') },
  { name: 'an empty bulk string', wire: '$0\r\n\r\n', value: bulk('') },
  { name: 'the null bulk string', wire: '$-1\r\n', value: { type: 'bulk', value: null } },
  { name: 'an array', wire: '*2\r\n$5\r\nhello\r\n$5\r\nworld\r\n', value: array(bulk('hello'), bulk('world')) },
  { name: 'an empty array', wire: '*0\r\n', value: array() },
  { name: 'the null array', wire: '*-1\r\n', value: { type: 'array', value: null } },
  {
    name: 'an array with a null element',
    wire: '*3\r\n$5\r\nhello\r\n$-1\r\n$5\r\nworld\r\n',
    value: array(bulk('hello'), { type: 'bulk', value: null }, bulk('world')),
  },
  { name: 'a client command (LLEN mylist)', wire: '*2\r\n$4\r\nLLEN\r\n$6\r\nmylist\r\n', value: command('LLEN', 'mylist') },
  { name: 'nested arrays of mixed types', wire: '*2\r\n*2\r\n:1\r\n:-2\r\n*1\r\n+x\r\n', value: array(array(integer(1), integer(-2)), array(simple('x'))) },
  { name: 'the RESP3 null', wire: '_\r\n', value: { type: 'null' } },
  { name: 'true', wire: '#t\r\n', value: { type: 'boolean', value: true } },
  { name: 'false', wire: '#f\r\n', value: { type: 'boolean', value: false } },
  { name: 'a double', wire: ',1.23\r\n', value: double(1.23) },
  { name: 'infinity', wire: ',inf\r\n', value: double(Number.POSITIVE_INFINITY) },
  { name: 'minus infinity', wire: ',-inf\r\n', value: double(Number.NEGATIVE_INFINITY) },
  { name: 'not a number', wire: ',nan\r\n', value: double(Number.NaN) },
  {
    name: 'a big number',
    wire: '(3492890328409238509324850943850943825024385\r\n',
    value: { type: 'big-number', value: 3492890328409238509324850943850943825024385n },
  },
  { name: 'a bulk error', wire: '!21\r\nSYNTAX invalid syntax\r\n', value: { type: 'bulk-error', value: 'SYNTAX invalid syntax' } },
  { name: 'a verbatim string (its length counts "txt:")', wire: '=15\r\ntxt:Some string\r\n', value: { type: 'verbatim', format: 'txt', value: 'Some string' } },
  {
    name: 'a map (its count is of pairs)',
    wire: '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n',
    value: {
      type: 'map',
      value: [
        [simple('first'), integer(1)],
        [simple('second'), integer(2)],
      ],
    },
  },
  { name: 'a set', wire: '~2\r\n+orange\r\n+apple\r\n', value: { type: 'set', value: [simple('orange'), simple('apple')] } },
  { name: 'a push', wire: '>3\r\n+message\r\n+somechannel\r\n+this is the message\r\n', value: push(simple('message'), simple('somechannel'), simple('this is the message')) },
];

describe('RESP', () => {
  describe('the examples of the specification', () => {
    it.each(vectors)('should encode $name as $wire', ({ wire, value }) => {
      expect(asText(encode(value))).toBe(wire);
    });

    it.each(vectors)('should parse $wire as $name', ({ wire, value }) => {
      expect(new RespParser().push(utf8(wire))).toEqual([value]);
    });
  });

  describe('RespParser, reading a stream', () => {
    it('should return nothing until a value is complete, keeping the bytes for the next push', () => {
      const parser = new RespParser();
      expect(parser.push(utf8('$5\r\nhel'))).toEqual([]);
      expect(parser.push(utf8('lo\r\n'))).toEqual([bulk('hello')]);
    });

    it('should return every value a chunk completes, in order', () => {
      const parser = new RespParser();
      expect(parser.push(utf8('+a\r\n:1\r\n$1\r\nb\r\n:2'))).toEqual([simple('a'), integer(1), bulk('b')]);
      expect(parser.push(utf8('3\r\n'))).toEqual([integer(23)]);
    });

    it('should wait for the \\n when a chunk ends between \\r and \\n', () => {
      expect(parseAll(['+OK\r', '\n'])).toEqual([simple('OK')]);
      expect(parseAll(['$2\r', '\nhi\r', '\n', ':7\r', '\n'])).toEqual([bulk('hi'), integer(7)]);
    });

    it('should read a nested value one byte at a time', () => {
      const wire = utf8('*2\r\n%1\r\n$3\r\nkey\r\n~1\r\n:-5\r\n$-1\r\n');
      const parser = new RespParser();
      const values = [...wire].flatMap((byte) => parser.push(Uint8Array.of(byte)));
      expect(values).toEqual([array({ type: 'map', value: [[bulk('key'), { type: 'set', value: [integer(-5)] }]] }, { type: 'bulk', value: null })]);
    });

    it('should keep bulk strings binary-safe: any byte, \\r\\n included', () => {
      const payload = Uint8Array.of(0, 13, 10, 255, 36, 13, 10);
      const wire = concat([utf8('$7\r\n'), payload, utf8('\r\n')]);
      expect(new RespParser().push(wire)).toEqual([bulk(payload)]);
    });

    it('should count bytes, not characters, in lengths', () => {
      expect(new RespParser().push(utf8('$5\r\ncafé\r\n'))).toEqual([bulk('café')]);
      const verbatim: RespValue = { type: 'verbatim', format: 'txt', value: 'café' };
      expect(asText(encode(verbatim))).toBe('=9\r\ntxt:café\r\n');
      expect(new RespParser().push(encode(verbatim))).toEqual([verbatim]);
      const bulkError: RespValue = { type: 'bulk-error', value: 'ERR naïve' };
      expect(asText(encode(bulkError))).toBe('!10\r\nERR naïve\r\n');
      expect(new RespParser().push(encode(bulkError))).toEqual([bulkError]);
    });

    it('should hand out copies: a value does not change when its chunk or the next one does', () => {
      const parser = new RespParser();
      const chunk = utf8('$3\r\nabc\r\n');
      const [first] = parser.push(chunk);
      chunk.fill(0x78);
      parser.push(utf8('$3\r\nxyz\r\n'));
      expect(first).toEqual(bulk('abc'));
    });

    it('should read a large bulk string that arrives in many chunks', () => {
      const payload = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
      const wire = concat([utf8(`*1\r\n$${payload.length}\r\n`), payload, utf8('\r\n')]);
      const chunks = Array.from({ length: Math.ceil(wire.length / 1000) }, (_, i) => wire.subarray(i * 1000, (i + 1) * 1000));
      const [value] = parseAll(chunks);
      const element = value?.type === 'array' ? value.value?.[0] : undefined;
      const received = element?.type === 'bulk' ? element.value : null;
      // Buffer#equals compares 100 kB at once; toEqual would walk it byte by byte.
      expect(received !== null && Buffer.from(received).equals(payload)).toBe(true);
    });
  });

  describe('RespParser, reading requests (the server side)', () => {
    const requests = () => new RespParser({ mode: 'requests' });

    it('should read a command as an array of bulk strings', () => {
      expect(parseAll(['*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n'], requests())).toEqual([command('SET', 'k', 'v')]);
    });

    it('should read inline commands, as typed into telnet', () => {
      expect(parseAll(['PING\r\n', 'SET  key \t value\n', 'GET k', 'ey\r\n'], requests())).toEqual([
        command('PING'),
        command('SET', 'key', 'value'),
        command('GET', 'key'),
      ]);
    });

    it('should skip empty requests: a blank line, *0', () => {
      expect(parseAll(['\r\n', '  \r\n*0\r\n', 'PING\r\n'], requests())).toEqual([command('PING')]);
    });

    it("should refuse anything but bulk strings inside a request, with Redis's message", () => {
      expect(() => requests().push(utf8('*1\r\nfoo\r\n'))).toThrow(new RespProtocolError("Protocol error: expected '$', got 'f'"));
      expect(() => requests().push(utf8('*1\r\n:1\r\n'))).toThrow(new RespProtocolError("Protocol error: expected '$', got ':'"));
    });

    it("should refuse a bad count or length, with Redis's messages", () => {
      expect(() => requests().push(utf8('*x\r\n'))).toThrow(new RespProtocolError('Protocol error: invalid multibulk length'));
      expect(() => requests().push(utf8('*1\r\n$-1\r\n'))).toThrow(new RespProtocolError('Protocol error: invalid bulk length'));
      expect(() => requests().push(utf8('*1\r\n$abc\r\n'))).toThrow(new RespProtocolError('Protocol error: invalid bulk length'));
    });

    it('should not read inline commands when reading replies', () => {
      expect(() => new RespParser().push(utf8('PING\r\n'))).toThrow(RespProtocolError);
    });
  });

  describe('RespParser, protocol errors', () => {
    it.each([
      { name: 'an unknown type byte', wire: '?x\r\n' },
      { name: 'a bulk length that is not a number', wire: '$x\r\n' },
      { name: 'a negative bulk length other than -1', wire: '$-2\r\n' },
      { name: 'a bulk string longer than its length', wire: '$3\r\nabcd\r\n' },
      { name: 'an array count that is not a number', wire: '*1x\r\n' },
      { name: 'an integer with a letter', wire: ':12a\r\n' },
      { name: 'an empty integer', wire: ':\r\n' },
      { name: 'an integer beyond 64 bits', wire: ':9223372036854775808\r\n' },
      { name: 'a boolean that is neither t nor f', wire: '#x\r\n' },
      { name: 'a double that is not a number', wire: ',1.2.3\r\n' },
      { name: 'a null with content', wire: '_x\r\n' },
      { name: 'a verbatim string without its format', wire: '=3\r\nabc\r\n' },
      { name: 'a \\r not followed by \\n', wire: '+OK\rX\n' },
    ])('should throw a RespProtocolError for $name', ({ wire }) => {
      expect(() => new RespParser().push(utf8(wire))).toThrow(RespProtocolError);
    });

    it('should refuse any further input after an error', () => {
      const parser = new RespParser();
      expect(() => parser.push(utf8('?\r\n'))).toThrow(RespProtocolError);
      expect(() => parser.push(utf8('+OK\r\n'))).toThrow(RespProtocolError);
    });
  });

  describe('RespParser, limits', () => {
    it('should refuse a bulk string longer than maxBulkLength before its payload arrives', () => {
      const parser = new RespParser({ maxBulkLength: 10 });
      expect(parser.push(utf8('$10\r\n0123456789\r\n'))).toEqual([bulk('0123456789')]);
      expect(() => parser.push(utf8('$11\r\n'))).toThrow(new RespProtocolError('Protocol error: invalid bulk length'));
    });

    it('should refuse a line longer than maxLineLength before its end arrives', () => {
      expect(() => new RespParser({ maxLineLength: 64 }).push(utf8(`+${'a'.repeat(100)}`))).toThrow(RespProtocolError);
      expect(() => new RespParser({ mode: 'requests', maxLineLength: 64 }).push(utf8('a'.repeat(100)))).toThrow(
        new RespProtocolError('Protocol error: too big inline request'),
      );
      expect(new RespParser({ maxLineLength: 64 }).push(utf8(`+${'a'.repeat(60)}\r\n`))).toEqual([simple('a'.repeat(60))]);
    });

    it('should refuse containers nested deeper than maxDepth', () => {
      expect(new RespParser({ maxDepth: 2 }).push(utf8('*1\r\n*1\r\n:1\r\n'))).toEqual([array(array(integer(1)))]);
      expect(() => new RespParser({ maxDepth: 2 }).push(utf8('*1\r\n*1\r\n*1\r\n'))).toThrow(RespProtocolError);
    });

    it('should refuse more elements than maxArrayLength', () => {
      expect(() => new RespParser({ maxArrayLength: 3 }).push(utf8('*4\r\n'))).toThrow(new RespProtocolError('Protocol error: invalid multibulk length'));
      expect(() => new RespParser({ maxArrayLength: 3 }).push(utf8('%4\r\n'))).toThrow(RespProtocolError);
    });

    it.each([
      { option: 'maxBulkLength', value: 0 },
      { option: 'maxArrayLength', value: -1 },
      { option: 'maxDepth', value: 1.5 },
      { option: 'maxLineLength', value: Number.NaN },
    ])('should reject $option $value with a RangeError', ({ option, value }) => {
      expect(() => new RespParser({ [option]: value })).toThrow(RangeError);
    });

    it('should reject an unknown mode with a RangeError', () => {
      expect(() => new RespParser({ mode: 'server' as 'requests' })).toThrow(RangeError);
    });
  });

  describe('encode', () => {
    it('should write the shortest decimal that reads back as the same double, and keep -0', () => {
      expect(asText(encode(double(0.1)))).toBe(',0.1\r\n');
      expect(asText(encode(double(-0)))).toBe(',-0\r\n');
      expect(new RespParser().push(encode(double(-0)))).toEqual([double(-0)]);
      expect(new RespParser().push(encode(double(1e300)))).toEqual([double(1e300)]);
    });

    it('should refuse a simple string or an error containing \\r or \\n', () => {
      expect(() => encode(simple('a\r\nb'))).toThrow(RangeError);
      expect(() => encode(error('ERR\n'))).toThrow(RangeError);
    });

    it('should refuse an integer beyond 64 bits, which a big number carries instead', () => {
      expect(() => encode(integer(2n ** 63n))).toThrow(RangeError);
      expect(asText(encode({ type: 'big-number', value: -(2n ** 63n) - 1n }))).toBe('(-9223372036854775809\r\n');
    });

    it('should refuse a verbatim format that is not 3 bytes', () => {
      expect(() => encode({ type: 'verbatim', format: 'text', value: 'x' })).toThrow(RangeError);
    });

    it('should refuse something that is not a RESP value', () => {
      expect(() => encode({ type: 'string', value: 'x' } as unknown as RespValue)).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !/[\r\n]/.test(s));
    const text = fc.string({ unit: 'grapheme', maxLength: 8 });
    const { value: respValue } = fc.letrec<{ value: RespValue; leaf: RespValue; container: RespValue }>((tie) => ({
      value: fc.oneof({ maxDepth: 3, depthIdentifier: 'resp' }, tie('leaf'), tie('leaf'), tie('container')),
      leaf: fc.oneof(
        line.map(simple),
        line.map(error),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(integer),
        fc.uint8Array({ maxLength: 12 }).map(bulk),
        fc.constant<RespValue>({ type: 'bulk', value: null }),
        fc.constant<RespValue>({ type: 'array', value: null }),
        fc.constant<RespValue>({ type: 'null' }),
        fc.boolean().map((value): RespValue => ({ type: 'boolean', value })),
        fc.double().map(double),
        fc.bigInt().map((value): RespValue => ({ type: 'big-number', value })),
        text.map((value): RespValue => ({ type: 'bulk-error', value })),
        fc.tuple(fc.constantFrom('txt', 'mkd'), text).map(([format, value]): RespValue => ({ type: 'verbatim', format, value })),
      ),
      container: fc.oneof(
        fc.array(tie('value'), { maxLength: 4 }).map((items): RespValue => ({ type: 'array', value: items })),
        fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((pairs): RespValue => ({ type: 'map', value: pairs })),
        fc.array(tie('value'), { maxLength: 4 }).map((items): RespValue => ({ type: 'set', value: items })),
        fc.array(tie('value'), { maxLength: 4 }).map((items): RespValue => ({ type: 'push', value: items })),
      ),
    }));

    /** isDeepStrictEqual is much faster than toEqual, which then only explains a difference. */
    const expectEqual = (actual: unknown, expected: unknown) => {
      if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
    };

    /** `bytes` cut at `cuts` (taken modulo its length), in order. */
    const split = (bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] => {
      const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
      return [0, ...points].map((from, i) => bytes.subarray(from, [...points, bytes.length][i]));
    };

    it('should parse back any values, however their encoding is cut into chunks', () => {
      fc.assert(
        fc.property(fc.array(respValue, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 12 }), (values, cuts) => {
          const wire = concat(values.map(encode));
          expectEqual(parseAll(split(wire, cuts)), values);
        }),
      );
    });

    it('should read back any requests, however they are cut into chunks', () => {
      const request = fc.array(fc.uint8Array({ maxLength: 10 }), { minLength: 1, maxLength: 5 }).map((words) => command(...words));
      fc.assert(
        fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 12 }), (requests, cuts) => {
          const wire = concat(requests.map(encode));
          expectEqual(parseAll(split(wire, cuts), new RespParser({ mode: 'requests' })), requests);
        }),
      );
    });

    it('should answer garbage with values or a RespProtocolError, and nothing after the error', () => {
      const protocolish = fc.array(fc.constantFrom(...utf8('*%~>$!=:+-_#,(\r\n\r\n0123456789-tfx ')), { maxLength: 40 }).map((b) => Uint8Array.from(b));
      const chunk = fc.oneof(fc.uint8Array({ maxLength: 40 }), protocolish);
      fc.assert(
        fc.property(fc.constantFrom<'replies' | 'requests'>('replies', 'requests'), fc.array(chunk, { minLength: 1, maxLength: 8 }), (mode, chunks) => {
          const parser = new RespParser({ mode, maxBulkLength: 16, maxLineLength: 16, maxDepth: 3, maxArrayLength: 8 });
          const outcomes = chunks.map((bytes) => {
            try {
              const values: unknown = parser.push(bytes);
              return Array.isArray(values) ? 'values' : values;
            } catch (err: unknown) {
              return err instanceof RespProtocolError ? 'protocol error' : err;
            }
          });
          const failedAt = outcomes.includes('protocol error') ? outcomes.indexOf('protocol error') : outcomes.length;
          expect(outcomes).toEqual(outcomes.map((_, i) => (i < failedAt ? 'values' : 'protocol error')));
        }),
      );
    });
  });

  describe('talking to a real Redis', () => {
    const redis = useRedis();

    /** Sends `requests` in one write to the server at REDIS_URL; resolves with the first `count` replies. */
    async function converse(requests: readonly RespValue[], count: number): Promise<RespValue[]> {
      const url = new URL(redisUrl()!);
      const setup: RespValue[] = [];
      if (url.password) setup.push(command('AUTH', decodeURIComponent(url.username) || 'default', decodeURIComponent(url.password)));
      if (url.pathname.length > 1) setup.push(command('SELECT', url.pathname.slice(1)));
      const socket = net.connect(Number(url.port || 6379), url.hostname);
      const parser = new RespParser();
      const replies: RespValue[] = [];
      try {
        return await new Promise<RespValue[]>((resolve, reject) => {
          socket.on('error', reject);
          socket.on('close', () => reject(new Error(`the connection closed after ${replies.length} replies`)));
          socket.on('connect', () => {
            try {
              socket.write(concat([...setup, ...requests].map(encode)));
            } catch (err: unknown) {
              reject(err);
            }
          });
          socket.on('data', (chunk: Buffer) => {
            try {
              replies.push(...parser.push(chunk));
              if (replies.length >= setup.length + count) resolve(replies.slice(setup.length, setup.length + count));
            } catch (err: unknown) {
              reject(err);
            }
          });
        });
      } finally {
        socket.destroy();
      }
    }

    it('should PING, and read the error of an unknown command', async (context) => {
      needsRedisServer(context);
      const [pong, unknown] = await converse([command('PING'), command('ASDF', 'x')], 2);
      expect(pong).toEqual(simple('PONG'));
      expect(unknown).toMatchObject({ type: 'error', value: expect.stringMatching(/^ERR unknown command 'ASDF'/) });
    });

    it('should SET and GET a value holding every byte from 0 to 255', async (context) => {
      needsRedisServer(context);
      const key = redis.name('resp:bytes');
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      expect(await converse([command('SET', key, every), command('GET', key), command('STRLEN', key)], 3)).toEqual([simple('OK'), bulk(every), integer(256)]);
    });

    it('should speak RESP3 after HELLO 3: a map, a double, a null', async (context) => {
      needsRedisServer(context);
      const [zset, hash, missing] = [redis.name('resp:zset'), redis.name('resp:hash'), redis.name('resp:missing')];
      const [hello, , score, nothing, , fields] = await converse(
        [command('HELLO', '3'), command('ZADD', zset, '1.5', 'a'), command('ZSCORE', zset, 'a'), command('GET', missing), command('HSET', hash, 'f', 'v'), command('HGETALL', hash)],
        6,
      );
      expect(hello).toMatchObject({ type: 'map', value: expect.arrayContaining([[bulk('proto'), integer(3)]]) });
      expect(score).toEqual(double(1.5));
      expect(nothing).toEqual({ type: 'null' });
      expect(fields).toEqual({ type: 'map', value: [[bulk('f'), bulk('v')]] });
    });

    it('should receive a pushed message in RESP3', async (context) => {
      needsRedisServer(context);
      const channel = redis.name('resp:channel');
      const replies = await converse([command('HELLO', '3'), command('SUBSCRIBE', channel), command('PUBLISH', channel, 'hi')], 4);
      expect(replies[1]).toEqual(push(bulk('subscribe'), bulk(channel), integer(1)));
      // The message and PUBLISH's own reply, in whichever order the server sends them.
      expect(replies.slice(2)).toEqual(expect.arrayContaining([integer(1), push(bulk('message'), bulk(channel), bulk('hi'))]));
    });
  });
});
