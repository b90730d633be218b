/**
 * The stream commands of the built-in mock, made to behave like Redis's.
 *
 * ioredis-mock 8 has XADD, XRANGE and XREAD, but not as Redis has them: XREAD hands out each
 * entry only once per process and compares ids as strings, XRANGE cannot start at an id,
 * explicit ids and MAXLEN trimming produce duplicate ids; it has no XDEL and no consumer groups.
 * So `connectRedis` replaces XADD, XLEN, XRANGE, XREVRANGE, XREAD, XTRIM and XDEL on every mock
 * client with this small in-memory version, written to behave like Redis 7 for the arguments
 * documented below, and adds the consumer groups of mock-consumer-groups.ts (XGROUP CREATE,
 * XREADGROUP, XACK, XPENDING, XAUTOCLAIM). A real server (REDIS_URL) is never touched.
 *
 * Streams, and their groups, live in the mock's own key space, so DEL, EXISTS and the cleanup
 * between tests see them.
 */
import type { Redis } from 'ioredis';
import { consumerGroupCommands, type Group } from './mock-consumer-groups.ts';

export type Id = readonly [ms: bigint, seq: bigint];
export type Entry = [id: string, fields: string[]];

/** An entry as stored: with the radix-tree node it went into, for approximate trimming. */
export interface Stored {
  readonly id: string;
  readonly fields: readonly string[];
  readonly node: number;
}

/** What one stream key holds in the mock's key space. */
export interface StreamValue {
  readonly entries: readonly Stored[];
  /** The last id handed out, which trimming does not lower: ids never repeat. */
  readonly lastId: Id;
  /** How many entries were ever added: entry n went into node floor(n / NODE_ENTRIES). */
  readonly added: number;
  /** Its consumer groups (see mock-consumer-groups.ts); none when missing. */
  readonly groups?: readonly Group[];
}

/** The mock's internal, prefix-aware key space (not part of the ioredis API). */
interface MockKeySpace {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  /** The same key space, with `prefix` put before every key instead of the client's prefix. */
  withKeyPrefix(prefix: string): MockKeySpace;
}

const MAX = (1n << 64n) - 1n;
// Approximate trimming (MAXLEN ~) removes whole radix-tree nodes only, of 100 entries by default
// (stream-node-max-entries), and only while what stays is at least MAXLEN.
const NODE_ENTRIES = 100;

const format = ([ms, seq]: Id) => `${ms}-${seq}`;
const compare = (a: Id, b: Id) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

function parseId(text: string, missingSeq: bigint): Id {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new Error('ERR Invalid stream ID specified as stream command argument');
  const ms = BigInt(match[1]!);
  const seq = match[2] === undefined ? missingSeq : BigInt(match[2]);
  if (ms > MAX || seq > MAX) throw new Error('ERR Invalid stream ID specified as stream command argument');
  return [ms, seq];
}

function parseCount(text: string | undefined): number {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new Error('ERR value is not an integer or out of range');
  return Number(text);
}

/** A range bound: `-`, `+`, an id, a bare ms, or `(id` for an exclusive one. */
function bound(text: string, side: 'start' | 'end'): { id: Id; exclusive: boolean } {
  if (text === '-') return { id: [0n, 0n], exclusive: false };
  if (text === '+') return { id: [MAX, MAX], exclusive: false };
  const exclusive = text.startsWith('(');
  return { id: parseId(exclusive ? text.slice(1) : text, side === 'start' ? 0n : MAX), exclusive };
}

/** Replaces the stream commands of a mock client; does nothing to a real one. */
export function emulateStreams(client: Redis): void {
  const keySpace = (client as unknown as { data?: MockKeySpace }).data;
  if (keySpace === undefined || typeof keySpace.get !== 'function' || typeof keySpace.withKeyPrefix !== 'function') return;
  const prefix = client.options.keyPrefix ?? '';
  // Whole keys, as the server sees them: the client's prefix is in the key itself.
  const wholeKeys = keySpace.withKeyPrefix('');

  const readWhole = (key: string): StreamValue | undefined => {
    if (!wholeKeys.has(key)) return undefined;
    const value = wholeKeys.get(key) as Partial<StreamValue> | undefined;
    if (value === undefined || !Array.isArray(value.entries) || value.lastId === undefined || value.added === undefined) {
      throw new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    }
    return value as StreamValue;
  };
  const writeWhole = (key: string, value: StreamValue) => wholeKeys.set(key, { ...value });
  const read = (key: string) => readWhole(`${prefix}${key}`);
  const write = (key: string, value: StreamValue) => writeWhole(`${prefix}${key}`, value);
  const reply = ({ id, fields }: Stored): Entry => [id, [...fields]];

  function trim(entries: readonly Stored[], maxLen: number, approximate: boolean): readonly Stored[] {
    if (!approximate) return entries.slice(Math.max(0, entries.length - maxLen));
    let kept = entries;
    for (;;) {
      const head = kept[0]?.node;
      const inHead = kept.findIndex((entry) => entry.node !== head);
      const headSize = inHead === -1 ? kept.length : inHead;
      if (head === undefined || kept.length - headSize < maxLen) return kept;
      kept = kept.slice(headSize);
    }
  }

  /** Reads `MAXLEN [=|~] n` at args[at], if there: the trim and the index after it. */
  function trimOption(args: string[], at: number): { maxLen?: number; approximate: boolean; next: number } {
    if (args[at]?.toUpperCase() !== 'MAXLEN') return { approximate: false, next: at };
    let next = at + 1;
    let approximate = false;
    if (args[next] === '~' || args[next] === '=') approximate = args[next++] === '~';
    const maxLen = parseCount(args[next]);
    if (maxLen < 0) throw new Error('ERR The MAXLEN argument must be >= 0.');
    return { maxLen, approximate, next: next + 1 };
  }

  function nextId(last: Id, requested: string): Id {
    if (requested === '*') {
      const now = BigInt(Date.now());
      return now > last[0] ? [now, 0n] : [last[0], last[1] + 1n];
    }
    const partial = /^(\d+)-\*$/.exec(requested);
    const id: Id = partial ? (BigInt(partial[1]!) === last[0] ? [last[0], last[1] + 1n] : [BigInt(partial[1]!), 0n]) : parseId(requested, 0n);
    if (compare(id, [0n, 0n]) === 0) throw new Error('ERR The ID specified in XADD must be greater than 0-0');
    if (compare(id, last) <= 0) throw new Error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    return id;
  }

  // XADD key [MAXLEN [=|~] n] id|* field value [field value …]
  function xadd(key: string, ...rest: string[]): string {
    const { maxLen, approximate, next } = trimOption(rest, 0);
    const [requested, ...fields] = rest.slice(next);
    if (requested === undefined || fields.length === 0 || fields.length % 2 !== 0) throw new Error("ERR wrong number of arguments for 'xadd' command");
    const stream = read(key) ?? { entries: [], lastId: [0n, 0n] as Id, added: 0 };
    const id = nextId(stream.lastId, requested);
    let entries: readonly Stored[] = [...stream.entries, { id: format(id), fields, node: Math.floor(stream.added / NODE_ENTRIES) }];
    if (maxLen !== undefined) entries = trim(entries, maxLen, approximate);
    write(key, { ...stream, entries, lastId: id, added: stream.added + 1 });
    return format(id);
  }

  // XTRIM key MAXLEN [=|~] n
  function xtrim(key: string, ...rest: string[]): number {
    const { maxLen, approximate } = trimOption(rest, 0);
    if (maxLen === undefined) throw new Error('ERR syntax error');
    const stream = read(key);
    if (stream === undefined) return 0;
    const entries = trim(stream.entries, maxLen, approximate);
    write(key, { ...stream, entries });
    return stream.entries.length - entries.length;
  }

  function between(key: string, start: string, end: string): Stored[] {
    const low = bound(start, 'start');
    const high = bound(end, 'end');
    const inRange = (entry: Stored) => {
      const id = parseId(entry.id, 0n);
      const fromLow = compare(id, low.id);
      const fromHigh = compare(id, high.id);
      return (low.exclusive ? fromLow > 0 : fromLow >= 0) && (high.exclusive ? fromHigh < 0 : fromHigh <= 0);
    };
    return (read(key)?.entries ?? []).filter(inRange);
  }

  // XRANGE key start end [COUNT n]; XREVRANGE key end start [COUNT n]
  function xrange(key: string, start: string, end: string, ...rest: string[]): Entry[] | null {
    return limit(between(key, start, end), rest);
  }
  function xrevrange(key: string, end: string, start: string, ...rest: string[]): Entry[] | null {
    return limit(between(key, start, end).reverse(), rest);
  }
  function limit(entries: Stored[], rest: string[]): Entry[] | null {
    if (rest.length === 0) return entries.map(reply);
    if (rest.length !== 2 || rest[0]!.toUpperCase() !== 'COUNT') throw new Error('ERR syntax error');
    const count = parseCount(rest[1]);
    // Redis answers a nil, not an empty array, to COUNT 0 or less.
    return count <= 0 ? null : entries.slice(0, count).map(reply);
  }

  // XREAD [COUNT n] STREAMS key [key …] id [id …] (no BLOCK: tests never wait)
  function xread(...args: string[]): [string, Entry[]][] | null {
    let count = Infinity;
    let at = 0;
    while (at < args.length && args[at]!.toUpperCase() !== 'STREAMS') {
      const option = args[at]!.toUpperCase();
      // COUNT 0 (or less) means no limit.
      if (option === 'COUNT') count = parseCount(args[at + 1]) > 0 ? parseCount(args[at + 1]) : Infinity;
      else if (option === 'BLOCK') throw new Error('XREAD BLOCK is not emulated on the mock: tests do not wait');
      else throw new Error('ERR syntax error');
      at += 2;
    }
    const names = args.slice(at + 1);
    if (at === args.length || names.length === 0 || names.length % 2 !== 0) {
      throw new Error("ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.");
    }
    const half = names.length / 2;
    const replies: [string, Entry[]][] = [];
    for (let i = 0; i < half; i++) {
      const key = names[i]!;
      const stream = read(key);
      const after = names[half + i] === '$' ? (stream?.lastId ?? ([0n, 0n] as Id)) : parseId(names[half + i]!, 0n);
      const entries = (stream?.entries ?? []).filter(({ id }) => compare(parseId(id, 0n), after) > 0).slice(0, count);
      // Redis names each stream by its whole key: with the client's prefix, which it does not strip.
      if (entries.length > 0) replies.push([`${prefix}${key}`, entries.map(reply)]);
    }
    return replies.length > 0 ? replies : null;
  }

  function xlen(key: string): number {
    return read(key)?.entries.length ?? 0;
  }

  // XDEL key id [id …]: the ids stay used, as in Redis (lastId does not move).
  function xdel(key: string, ...ids: string[]): number {
    if (ids.length === 0) throw new Error("ERR wrong number of arguments for 'xdel' command");
    const stream = read(key);
    const gone = new Set(ids.map((id) => format(parseId(id, 0n))));
    if (stream === undefined) return 0;
    const entries = stream.entries.filter(({ id }) => !gone.has(id));
    write(key, { ...stream, entries });
    return stream.entries.length - entries.length;
  }

  const commands: Record<string, (...args: string[]) => unknown> = {
    xadd,
    xtrim,
    xrange,
    xrevrange,
    xread,
    xlen,
    xdel,
    ...consumerGroupCommands({ prefix, read: readWhole, write: writeWhole, parseId, bound, compare, format, parseCount }),
  };
  const methods = client as unknown as Record<string, unknown>;
  for (const [name, run] of Object.entries(commands)) {
    // Like a client: arguments flattened and sent as strings, the reply or the error as a promise.
    methods[name] = (...args: unknown[]) => new Promise((resolve) => resolve(run(...args.flat().map(String))));
  }
}
