/**
 * Mini Redis: a TCP server that speaks RESP2 and RESP3 well enough for ioredis, redis-cli and
 * redis-benchmark, with strings, hashes, lists, sorted sets and expiry.
 *
 * One thread, like Redis: each connection feeds its bytes to its own incremental parser, and
 * every complete command runs to its end before the next one starts. So each command is atomic,
 * and the replies leave in the order the commands came. The replies to the commands of one read
 * go out in one write: that is what makes pipelining cheap.
 *
 * Keys expire in two ways, as in Redis. Lazily: a command that finds an expired key deletes it
 * and treats it as missing, so no expired value is ever returned. Actively: a periodic sweep
 * looks at a sample of the keys that have a TTL, resuming where the last one stopped, deletes
 * the expired ones, and goes on while more than a quarter of its sample had expired. That
 * reclaims the memory of keys that nobody reads again.
 *
 * Complexity: finding a key is O(1) (a Map). String and hash commands are O(1) per argument.
 * LPUSH and LPOP are O(length) on an array (a deque would make them O(1)). Sorted sets sort on
 * read: O(n log n) for ZRANGE and ZRANK (the sorted-set kata keeps them ordered in a skip list).
 */
import net from 'node:net';
import { encode, RespParser, RespProtocolError, RespWriter, type RespValue } from './resp.ts';

/** A source of time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export interface ServerOptions {
  /** The time that expiries are measured against; default `Date.now()`. */
  readonly clock?: Clock;
  /**
   * Arranges for `sweep`, the active expiry, to run periodically, and returns a function that
   * stops it (called when the server closes). Default: every 100 ms, like Redis's `hz 10`.
   */
  readonly scheduleSweep?: (sweep: () => void) => () => void;
  /** How many keys with a TTL one round of a sweep looks at; default 20, as in Redis. */
  readonly sweepSample?: number;
}

/** The version this server claims: clients look at it to decide which commands they may send. */
const REDIS_VERSION = '7.0.0';
const MAX_SWEEP_ROUNDS = 16;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^(?:0|-?[1-9][0-9]{0,18})$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?inf$/i;

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';
const NOT_A_FLOAT = 'ERR value is not a valid float';
const SYNTAX_ERROR = 'ERR syntax error';

/** A command that fails: its message is the error reply, `ERR …` or `WRONGTYPE …`. */
class CommandError extends Error {}

const wrongArity = (name: string) => new CommandError(`ERR wrong number of arguments for '${name}' command`);

/** Keys, hash fields and members are binary: latin1 maps each byte to one character, and back. */
function latin1(bytes: Uint8Array): string {
  // Twice as fast as a Buffer for the short strings that keys mostly are; apply() takes up to some 100k arguments.
  if (bytes.length <= 4096) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
const bytesOf = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const upper = (bytes: Uint8Array) => latin1(bytes).toUpperCase();

const OK: RespValue = { type: 'simple', value: 'OK' };
/** Null: `$-1` for a RESP2 client, `_` for a RESP3 one. */
const NULL: RespValue = { type: 'null' };
/** A null array: `*-1` for a RESP2 client, `_` for a RESP3 one. */
const NULL_ARRAY: RespValue = { type: 'array', value: null };
const simple = (value: string): RespValue => ({ type: 'simple', value });
const bulk = (value: Uint8Array): RespValue => ({ type: 'bulk', value });
const text = (value: string): RespValue => bulk(bytesOf(value));
const integer = (value: number | bigint): RespValue => ({ type: 'integer', value: BigInt(value) });
const array = (value: RespValue[]): RespValue => ({ type: 'array', value });

function parseInteger(bytes: Uint8Array): bigint {
  const digits = latin1(bytes);
  if (!INTEGER.test(digits)) throw new CommandError(NOT_AN_INTEGER);
  const value = BigInt(digits);
  if (value < INT64_MIN || value > INT64_MAX) throw new CommandError(NOT_AN_INTEGER);
  return value;
}

/** Counts, indexes, times: beyond 2^53 they lose precision, which clamping makes harmless. */
const parseNumber = (bytes: Uint8Array): number => Number(parseInteger(bytes));

function parseScore(bytes: Uint8Array): number {
  const digits = latin1(bytes);
  if (FLOAT.test(digits)) return Number(digits);
  if (INFINITY.test(digits)) return digits.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  throw new CommandError(NOT_A_FLOAT);
}

type Entry =
  | { readonly type: 'string'; readonly value: Uint8Array }
  | { readonly type: 'hash'; readonly value: Map<string, Uint8Array> }
  | { readonly type: 'list'; readonly value: Uint8Array[] }
  | { readonly type: 'zset'; readonly value: Map<string, number> };
type EntryOf<T extends Entry['type']> = Extract<Entry, { type: T }>;

/** The data: keys to entries, and the expiry time of the keys that have one. */
class Keyspace {
  readonly clock: Clock;
  readonly #sweepSample: number;
  #entries = new Map<string, Entry>();
  /** When each key with a TTL expires: Redis's `expires` dictionary. */
  #expires = new Map<string, number>();
  /** Where the sweep goes on: a Map iterator sees the keys added after it was made. */
  #cursor = this.#expires.entries();

  constructor(clock: Clock, sweepSample: number) {
    this.clock = clock;
    this.#sweepSample = sweepSample;
  }

  /** The keys stored, expired or not: expired keys count until a command or a sweep deletes them. */
  get size(): number {
    return this.#entries.size;
  }

  get volatileSize(): number {
    return this.#expires.size;
  }

  /** The entry at `key`, unless it has expired: then it is deleted and treated as missing. */
  lookup(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const expiresAt = this.#expires.get(key);
    if (expiresAt !== undefined && expiresAt < this.clock.now()) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  /** The entry at `key` if there is one. @throws {CommandError} WRONGTYPE when it is of another type. */
  read<T extends Entry['type']>(key: string, type: T): EntryOf<T> | undefined {
    const entry = this.lookup(key);
    if (entry !== undefined && entry.type !== type) throw new CommandError(WRONGTYPE);
    return entry as EntryOf<T> | undefined;
  }

  /** The entry at `key`, created by `create` when missing: for the commands that add to a collection. */
  upsert<T extends Entry['type']>(key: string, type: T, create: () => EntryOf<T>): EntryOf<T> {
    const entry = this.read(key, type);
    if (entry !== undefined) return entry;
    const created = create();
    this.#entries.set(key, created);
    return created;
  }

  /** Stores `entry` at `key`. A new value drops the old TTL, unless `keepTtl`. */
  set(key: string, entry: Entry, keepTtl: boolean): void {
    this.#entries.set(key, entry);
    if (!keepTtl) this.#expires.delete(key);
  }

  delete(key: string): boolean {
    this.#expires.delete(key);
    return this.#entries.delete(key);
  }

  /** When an existing key expires, or undefined when it does not. */
  expiresAt(key: string): number | undefined {
    return this.#expires.get(key);
  }

  expireAt(key: string, time: number): void {
    this.#expires.set(key, time);
  }

  persist(key: string): boolean {
    return this.#expires.delete(key);
  }

  flush(): void {
    this.#entries = new Map();
    this.#expires = new Map();
    this.#cursor = this.#expires.entries();
  }

  /**
   * Active expiry: looks at the next `sweepSample` keys with a TTL and deletes the expired ones;
   * goes on with the next sample while more than a quarter of the last one had expired, for a
   * bounded number of rounds so that one sweep never stalls the server.
   */
  sweep(): void {
    const now = this.clock.now();
    for (let round = 0; round < MAX_SWEEP_ROUNDS; round++) {
      let looked = 0;
      let expired = 0;
      while (looked < this.#sweepSample) {
        const next = this.#cursor.next();
        if (next.done) {
          this.#cursor = this.#expires.entries();
          break;
        }
        looked++;
        const [key, expiresAt] = next.value;
        if (expiresAt < now) {
          this.delete(key);
          expired++;
        }
      }
      if (expired * 4 <= looked) return;
    }
  }
}

interface Session {
  readonly id: number;
  protocol: 2 | 3;
  name: string | null;
  /** QUIT or a protocol error: answer, then close. */
  closing: boolean;
}

interface ServerState {
  connections: number;
  lastClientId: number;
}

interface Context {
  readonly keyspace: Keyspace;
  readonly session: Session;
  readonly server: ServerState;
}

interface Command {
  /** Redis's arity: the number of words, the name included; -n means at least n. */
  readonly arity: number;
  readonly flags: readonly string[];
  /** The first key's position, the last one's (-1: the last word), and the step: as COMMAND reports them. */
  readonly keys: readonly [number, number, number];
  readonly run: (args: readonly Uint8Array[], context: Context) => RespValue;
}

const NO_KEYS = [0, 0, 0] as const;
const ONE_KEY = [1, 1, 1] as const;
const ALL_KEYS = [1, -1, 1] as const;

function setCommand(args: readonly Uint8Array[], { keyspace }: Context): RespValue {
  const key = latin1(args[1]!);
  let nx = false;
  let xx = false;
  let get = false;
  let keepTtl = false;
  let ttlMs: number | undefined;
  for (let i = 3; i < args.length; i++) {
    const option = upper(args[i]!);
    if (option === 'NX' && !xx) nx = true;
    else if (option === 'XX' && !nx) xx = true;
    else if (option === 'GET') get = true;
    else if (option === 'KEEPTTL' && ttlMs === undefined) keepTtl = true;
    else if ((option === 'EX' || option === 'PX') && ttlMs === undefined && !keepTtl && i + 1 < args.length) {
      const amount = parseNumber(args[++i]!);
      ttlMs = option === 'EX' ? amount * 1000 : amount;
      if (amount <= 0 || !Number.isSafeInteger(keyspace.clock.now() + ttlMs)) throw new CommandError("ERR invalid expire time in 'set' command");
    } else {
      throw new CommandError(SYNTAX_ERROR);
    }
  }
  const old = keyspace.lookup(key);
  if (get && old !== undefined && old.type !== 'string') throw new CommandError(WRONGTYPE);
  const reply = !get ? OK : old?.type === 'string' ? bulk(old.value) : NULL;
  const exists = old !== undefined;
  if ((nx && exists) || (xx && !exists)) return get ? reply : NULL;
  keyspace.set(key, { type: 'string', value: args[2]! }, keepTtl);
  if (ttlMs !== undefined) keyspace.expireAt(key, keyspace.clock.now() + ttlMs);
  return reply;
}

function incrBy({ keyspace }: Context, keyBytes: Uint8Array, by: bigint): RespValue {
  const key = latin1(keyBytes);
  const entry = keyspace.read(key, 'string');
  const current = entry === undefined ? 0n : parseInteger(entry.value);
  const next = current + by;
  if (next < INT64_MIN || next > INT64_MAX) throw new CommandError('ERR increment or decrement would overflow');
  // In place, as Redis does: the key keeps its TTL.
  keyspace.set(key, { type: 'string', value: bytesOf(String(next)) }, true);
  return integer(next);
}

function expire(args: readonly Uint8Array[], { keyspace }: Context, unitMs: number, name: string): RespValue {
  const key = latin1(args[1]!);
  const now = keyspace.clock.now();
  const at = now + parseNumber(args[2]!) * unitMs;
  if (!Number.isSafeInteger(at)) throw new CommandError(`ERR invalid expire time in '${name}' command`);
  if (keyspace.lookup(key) === undefined) return integer(0);
  // A time that has already come deletes the key at once.
  if (at <= now) keyspace.delete(key);
  else keyspace.expireAt(key, at);
  return integer(1);
}

function ttl(args: readonly Uint8Array[], { keyspace }: Context, inSeconds: boolean): RespValue {
  const key = latin1(args[1]!);
  if (keyspace.lookup(key) === undefined) return integer(-2);
  const at = keyspace.expiresAt(key);
  if (at === undefined) return integer(-1);
  const ms = Math.max(0, at - keyspace.clock.now());
  return integer(inSeconds ? Math.floor((ms + 500) / 1000) : ms);
}

/** `[start, stop]` as Redis reads it (negative counts from the end), clamped to a length. */
function range(args: readonly Uint8Array[], length: number): [number, number] {
  let start = parseNumber(args[2]!);
  let stop = parseNumber(args[3]!);
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  return [Math.max(0, start), Math.min(length - 1, stop)];
}

function pop(args: readonly Uint8Array[], { keyspace }: Context, fromLeft: boolean, name: string): RespValue {
  if (args.length > 3) throw wrongArity(name);
  const key = latin1(args[1]!);
  const count = args.length === 3 ? parseNumber(args[2]!) : undefined;
  if (count !== undefined && count < 0) throw new CommandError('ERR value is out of range, must be positive');
  const list = keyspace.read(key, 'list');
  if (list === undefined) return count === undefined ? NULL : NULL_ARRAY;
  const n = Math.min(count ?? 1, list.value.length);
  const taken = fromLeft ? list.value.splice(0, n) : list.value.splice(list.value.length - n, n).reverse();
  if (list.value.length === 0) keyspace.delete(key);
  return count === undefined ? bulk(taken[0]!) : array(taken.map(bulk));
}

/** Members by score, then by member bytes, as a sorted set orders them. */
function sortedMembers(zset: Map<string, number>): [string, number][] {
  return [...zset].sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0));
}

function zrange(args: readonly Uint8Array[], { keyspace, session }: Context): RespValue {
  const withScores = args.length === 5 && upper(args[4]!) === 'WITHSCORES';
  if (args.length > 4 && !withScores) throw new CommandError(SYNTAX_ERROR);
  const zset = keyspace.read(latin1(args[1]!), 'zset');
  const members = zset === undefined ? [] : sortedMembers(zset.value);
  const [start, stop] = range(args, members.length);
  const slice = members.slice(start, stop + 1);
  if (!withScores) return array(slice.map(([member]) => text(member)));
  // RESP3 pairs each member with its score; RESP2 alternates them in one flat array.
  if (session.protocol === 3) return array(slice.map(([member, score]) => array([text(member), { type: 'double', value: score }])));
  return array(slice.flatMap(([member, score]): RespValue[] => [text(member), { type: 'double', value: score }]));
}

function hello(args: readonly Uint8Array[], { session }: Context): RespValue {
  if (args.length >= 2) {
    const version = latin1(args[1]!);
    if (!INTEGER.test(version)) throw new CommandError('ERR Protocol version is not an integer or out of range');
    if (version !== '2' && version !== '3') throw new CommandError('NOPROTO unsupported protocol version');
    let name = session.name;
    for (let i = 2; i < args.length; i++) {
      if (upper(args[i]!) === 'SETNAME' && i + 1 < args.length) name = clientName(args[++i]!);
      else throw new CommandError(`ERR Syntax error in HELLO option '${latin1(args[i]!)}'`);
    }
    session.protocol = version === '2' ? 2 : 3;
    session.name = name;
  }
  return {
    type: 'map',
    value: [
      [text('server'), text('redis')],
      [text('version'), text(REDIS_VERSION)],
      [text('proto'), integer(session.protocol)],
      [text('id'), integer(session.id)],
      [text('mode'), text('standalone')],
      [text('role'), text('master')],
      [text('modules'), array([])],
    ],
  };
}

function clientName(bytes: Uint8Array): string | null {
  const name = latin1(bytes);
  if (/[^!-~]/.test(name)) throw new CommandError('ERR Client names cannot contain spaces, newlines or special characters.');
  return name === '' ? null : name;
}

function client(args: readonly Uint8Array[], { session }: Context): RespValue {
  const sub = latin1(args[1]!).toLowerCase();
  const arity = ({ setname: 3, getname: 2, id: 2, setinfo: 4 } as Record<string, number>)[sub];
  if (arity === undefined) throw new CommandError(`ERR unknown subcommand '${latin1(args[1]!)}'. Try CLIENT HELP.`);
  if (args.length !== arity) throw wrongArity(`client|${sub}`);
  switch (sub) {
    case 'setname':
      session.name = clientName(args[2]!);
      return OK;
    case 'getname':
      return session.name === null ? NULL : text(session.name);
    case 'id':
      return integer(session.id);
    default: {
      const attribute = upper(args[2]!);
      if (attribute !== 'LIB-NAME' && attribute !== 'LIB-VER') throw new CommandError(`ERR Unrecognized option '${latin1(args[2]!)}'`);
      return OK;
    }
  }
}

function info(args: readonly Uint8Array[], { keyspace, server }: Context): RespValue {
  const sections: [string, string[]][] = [
    ['Server', [`redis_version:${REDIS_VERSION}`, 'redis_mode:standalone']],
    ['Clients', [`connected_clients:${server.connections}`]],
    // ioredis reads this at connect: while it says loading:1, the client waits.
    ['Persistence', ['loading:0']],
    ['Keyspace', keyspace.size > 0 ? [`db0:keys=${keyspace.size},expires=${keyspace.volatileSize},avg_ttl=0`] : []],
  ];
  const wanted = new Set(args.slice(1).map((arg) => latin1(arg).toLowerCase()));
  const everything = wanted.size === 0 || wanted.has('all') || wanted.has('default') || wanted.has('everything');
  const report = sections
    .filter(([name]) => everything || wanted.has(name.toLowerCase()))
    .map(([name, lines]) => `# ${name}\r\n${lines.map((line) => `${line}\r\n`).join('')}`)
    .join('\r\n');
  return { type: 'verbatim', format: 'txt', value: report };
}

function commandInfo(name: string, { arity, flags, keys }: Command): RespValue {
  const none = array([]);
  return array([text(name), integer(arity), { type: 'set', value: flags.map(simple) }, ...keys.map(integer), none, none, none, none]);
}

function command(args: readonly Uint8Array[]): RespValue {
  if (args.length === 1) return array([...COMMANDS].map(([name, spec]) => commandInfo(name, spec)));
  switch (latin1(args[1]!).toLowerCase()) {
    case 'count':
      return integer(COMMANDS.size);
    case 'info':
      return array(
        args.slice(2).map((arg) => {
          const name = latin1(arg).toLowerCase();
          const spec = COMMANDS.get(name);
          return spec === undefined ? NULL : commandInfo(name, spec);
        }),
      );
    case 'docs':
      // No documentation to offer: clients such as redis-cli fall back to their own.
      return { type: 'map', value: [] };
    default:
      throw new CommandError(`ERR unknown subcommand '${latin1(args[1]!)}'. Try COMMAND HELP.`);
  }
}

const COMMANDS = new Map<string, Command>(
  Object.entries({
    // Connection and server
    ping: {
      arity: -1,
      flags: ['fast'],
      keys: NO_KEYS,
      run: (args) => {
        if (args.length > 2) throw wrongArity('ping');
        return args.length === 2 ? bulk(args[1]!) : simple('PONG');
      },
    },
    echo: { arity: 2, flags: ['fast'], keys: NO_KEYS, run: (args) => bulk(args[1]!) },
    hello: { arity: -1, flags: ['fast'], keys: NO_KEYS, run: hello },
    quit: {
      arity: -1,
      flags: ['fast'],
      keys: NO_KEYS,
      run: (_args, { session }) => {
        session.closing = true;
        return OK;
      },
    },
    select: {
      arity: 2,
      flags: ['fast'],
      keys: NO_KEYS,
      run: (args) => {
        if (parseInteger(args[1]!) !== 0n) throw new CommandError('ERR DB index is out of range');
        return OK;
      },
    },
    client: { arity: -2, flags: [], keys: NO_KEYS, run: client },
    info: { arity: -1, flags: [], keys: NO_KEYS, run: info },
    command: { arity: -1, flags: [], keys: NO_KEYS, run: command },
    dbsize: { arity: 1, flags: ['readonly', 'fast'], keys: NO_KEYS, run: (_args, { keyspace }) => integer(keyspace.size) },
    flushdb: {
      arity: -1,
      flags: ['write'],
      keys: NO_KEYS,
      run: (args, { keyspace }) => {
        if (args.length > 2 || (args.length === 2 && !['ASYNC', 'SYNC'].includes(upper(args[1]!)))) throw new CommandError(SYNTAX_ERROR);
        keyspace.flush();
        return OK;
      },
    },

    // Keys
    del: {
      arity: -2,
      flags: ['write'],
      keys: ALL_KEYS,
      run: (args, { keyspace }) => integer(args.slice(1).filter((arg) => keyspace.lookup(latin1(arg)) !== undefined && keyspace.delete(latin1(arg))).length),
    },
    exists: {
      arity: -2,
      flags: ['readonly', 'fast'],
      keys: ALL_KEYS,
      run: (args, { keyspace }) => integer(args.slice(1).filter((arg) => keyspace.lookup(latin1(arg)) !== undefined).length),
    },
    type: { arity: 2, flags: ['readonly', 'fast'], keys: ONE_KEY, run: (args, { keyspace }) => simple(keyspace.lookup(latin1(args[1]!))?.type ?? 'none') },
    expire: { arity: 3, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => expire(args, context, 1000, 'expire') },
    pexpire: { arity: 3, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => expire(args, context, 1, 'pexpire') },
    ttl: { arity: 2, flags: ['readonly', 'fast'], keys: ONE_KEY, run: (args, context) => ttl(args, context, true) },
    pttl: { arity: 2, flags: ['readonly', 'fast'], keys: ONE_KEY, run: (args, context) => ttl(args, context, false) },
    persist: {
      arity: 2,
      flags: ['write', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const key = latin1(args[1]!);
        return integer(keyspace.lookup(key) !== undefined && keyspace.persist(key) ? 1 : 0);
      },
    },

    // Strings
    get: {
      arity: 2,
      flags: ['readonly', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const entry = keyspace.read(latin1(args[1]!), 'string');
        return entry === undefined ? NULL : bulk(entry.value);
      },
    },
    set: { arity: -3, flags: ['write'], keys: ONE_KEY, run: setCommand },
    incr: { arity: 2, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => incrBy(context, args[1]!, 1n) },
    decr: { arity: 2, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => incrBy(context, args[1]!, -1n) },
    incrby: { arity: 3, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => incrBy(context, args[1]!, parseInteger(args[2]!)) },
    decrby: { arity: 3, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => incrBy(context, args[1]!, -parseInteger(args[2]!)) },
    mget: {
      arity: -2,
      flags: ['readonly', 'fast'],
      keys: ALL_KEYS,
      run: (args, { keyspace }) =>
        array(
          args.slice(1).map((arg) => {
            // MGET answers null for a key of another type instead of failing.
            const entry = keyspace.lookup(latin1(arg));
            return entry?.type === 'string' ? bulk(entry.value) : NULL;
          }),
        ),
    },
    mset: {
      arity: -3,
      flags: ['write'],
      keys: [1, -1, 2],
      run: (args, { keyspace }) => {
        if (args.length % 2 === 0) throw wrongArity('mset');
        for (let i = 1; i < args.length; i += 2) keyspace.set(latin1(args[i]!), { type: 'string', value: args[i + 1]! }, false);
        return OK;
      },
    },

    // Hashes
    hset: {
      arity: -4,
      flags: ['write', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        if (args.length % 2 !== 0) throw wrongArity('hset');
        const hash = keyspace.upsert(latin1(args[1]!), 'hash', () => ({ type: 'hash', value: new Map() }));
        let added = 0;
        for (let i = 2; i < args.length; i += 2) {
          const field = latin1(args[i]!);
          if (!hash.value.has(field)) added++;
          hash.value.set(field, args[i + 1]!);
        }
        return integer(added);
      },
    },
    hget: {
      arity: 3,
      flags: ['readonly', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const value = keyspace.read(latin1(args[1]!), 'hash')?.value.get(latin1(args[2]!));
        return value === undefined ? NULL : bulk(value);
      },
    },
    hgetall: {
      arity: 2,
      flags: ['readonly'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const hash = keyspace.read(latin1(args[1]!), 'hash');
        return { type: 'map', value: [...(hash?.value ?? [])].map(([field, value]): [RespValue, RespValue] => [text(field), bulk(value)]) };
      },
    },
    hdel: {
      arity: -3,
      flags: ['write', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const key = latin1(args[1]!);
        const hash = keyspace.read(key, 'hash');
        if (hash === undefined) return integer(0);
        const removed = args.slice(2).filter((field) => hash.value.delete(latin1(field))).length;
        if (hash.value.size === 0) keyspace.delete(key);
        return integer(removed);
      },
    },

    // Lists
    lpush: {
      arity: -3,
      flags: ['write', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const list = keyspace.upsert(latin1(args[1]!), 'list', () => ({ type: 'list', value: [] }));
        // Each value goes to the head in turn: LPUSH k a b c leaves c b a.
        for (let i = 2; i < args.length; i++) list.value.unshift(args[i]!);
        return integer(list.value.length);
      },
    },
    rpush: {
      arity: -3,
      flags: ['write', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const list = keyspace.upsert(latin1(args[1]!), 'list', () => ({ type: 'list', value: [] }));
        for (let i = 2; i < args.length; i++) list.value.push(args[i]!);
        return integer(list.value.length);
      },
    },
    lpop: { arity: -2, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => pop(args, context, true, 'lpop') },
    rpop: { arity: -2, flags: ['write', 'fast'], keys: ONE_KEY, run: (args, context) => pop(args, context, false, 'rpop') },
    lrange: {
      arity: 4,
      flags: ['readonly'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const list = keyspace.read(latin1(args[1]!), 'list')?.value ?? [];
        const [start, stop] = range(args, list.length);
        return array(list.slice(start, stop + 1).map(bulk));
      },
    },

    // Sorted sets
    zadd: {
      arity: -4,
      flags: ['write', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        if (args.length % 2 !== 0) throw new CommandError(SYNTAX_ERROR);
        // Every score is checked before any is stored: a command applies whole or not at all.
        const pairs: [number, string][] = [];
        for (let i = 2; i < args.length; i += 2) pairs.push([parseScore(args[i]!), latin1(args[i + 1]!)]);
        const zset = keyspace.upsert(latin1(args[1]!), 'zset', () => ({ type: 'zset', value: new Map() }));
        let added = 0;
        for (const [score, member] of pairs) {
          if (!zset.value.has(member)) added++;
          zset.value.set(member, score);
        }
        return integer(added);
      },
    },
    zscore: {
      arity: 3,
      flags: ['readonly', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const score = keyspace.read(latin1(args[1]!), 'zset')?.value.get(latin1(args[2]!));
        return score === undefined ? NULL : { type: 'double', value: score };
      },
    },
    zrank: {
      arity: 3,
      flags: ['readonly', 'fast'],
      keys: ONE_KEY,
      run: (args, { keyspace }) => {
        const zset = keyspace.read(latin1(args[1]!), 'zset');
        const member = latin1(args[2]!);
        if (zset === undefined || !zset.value.has(member)) return NULL;
        return integer(sortedMembers(zset.value).findIndex(([m]) => m === member));
      },
    },
    zrange: { arity: -4, flags: ['readonly'], keys: ONE_KEY, run: zrange },
  } satisfies Record<string, Command>),
);

/** Redis's message, with the first arguments quoted up to 128 characters. */
function unknownCommand(args: readonly Uint8Array[]): string {
  const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let quoted = '';
  for (let i = 1; i < args.length && quoted.length < 128; i++) quoted += `'${utf8(args[i]!).slice(0, 128 - quoted.length)}' `;
  // An error reply is one line.
  return `ERR unknown command '${utf8(args[0]!).slice(0, 128)}', with args beginning with: ${quoted}`.replace(/[\r\n]/g, ' ');
}

/** The words of a request: in requests mode the parser returns only arrays of bulk strings. */
function words(request: RespValue): Uint8Array[] {
  if (request.type !== 'array' || request.value === null) throw new TypeError(`a request must be an array, got ${request.type}`);
  return request.value.map((word) => {
    if (word.type !== 'bulk' || word.value === null) throw new TypeError(`a request must hold bulk strings, got ${word.type}`);
    return word.value;
  });
}

function execute(request: RespValue, context: Context): RespValue {
  const args = words(request);
  const name = latin1(args[0]!).toLowerCase();
  const spec = COMMANDS.get(name);
  if (spec === undefined) throw new CommandError(unknownCommand(args));
  if (spec.arity >= 0 ? args.length !== spec.arity : args.length < -spec.arity) throw wrongArity(name);
  return spec.run(args, context);
}

function serve(socket: net.Socket, keyspace: Keyspace, server: ServerState): void {
  const parser = new RespParser({ mode: 'requests' });
  const session: Session = { id: ++server.lastClientId, protocol: 2, name: null, closing: false };
  const context: Context = { keyspace, session, server };
  const replies = new RespWriter();
  server.connections++;
  socket.setNoDelay(true);
  socket.on('close', () => server.connections--);
  // A client that vanishes mid-write (ECONNRESET) is that client's problem, not the server's.
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (session.closing) return;
    let requests: RespValue[];
    try {
      requests = parser.push(chunk);
    } catch (err: unknown) {
      if (!(err instanceof RespProtocolError)) throw err;
      // As Redis: say what was wrong and close, since nothing after a bad byte can be trusted.
      session.closing = true;
      socket.end(encode({ type: 'error', value: `ERR ${err.message}` }));
      return;
    }
    for (const request of requests) {
      let reply: RespValue;
      try {
        reply = execute(request, context);
      } catch (err: unknown) {
        // A bug in one command must not take the server down: the client sees it as an error.
        reply = { type: 'error', value: err instanceof CommandError ? err.message : `ERR internal error: ${String(err)}`.replace(/[\r\n]/g, ' ') };
      }
      replies.write(reply, session.protocol);
      if (session.closing) break;
    }
    if (session.closing) socket.end(replies.take());
    else if (replies.length > 0 && !socket.write(replies.take())) {
      // A client that does not read its replies stops being read until it does.
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  });
}

function sweepEvery100Ms(sweep: () => void): () => void {
  const timer = setInterval(sweep, 100);
  // The sweep alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A Redis server, not listening yet: call `listen(port)` on it. Every server has its own data.
 * @throws {RangeError} unless `sweepSample` is a positive integer.
 */
export function createServer({ clock = { now: () => Date.now() }, scheduleSweep = sweepEvery100Ms, sweepSample = 20 }: ServerOptions = {}): net.Server {
  if (!Number.isSafeInteger(sweepSample) || sweepSample <= 0) throw new RangeError(`sweepSample must be a positive integer, got ${sweepSample}`);
  const keyspace = new Keyspace(clock, sweepSample);
  const state: ServerState = { connections: 0, lastClientId: 0 };
  const server = net.createServer((socket) => serve(socket, keyspace, state));
  server.on('close', scheduleSweep(() => keyspace.sweep()));
  return server;
}
