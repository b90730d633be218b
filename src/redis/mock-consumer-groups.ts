/**
 * Stream consumer groups for the mock clients, as Redis 7 runs them: XGROUP CREATE, XREADGROUP,
 * XACK, XPENDING and XAUTOCLAIM, for the arguments documented on each below. ioredis-mock has
 * none of them. mock-streams.ts installs these commands next to its own stream commands.
 *
 * A group lives inside the value of its stream key, in the mock's key space: DEL, and the cleanup
 * between tests, remove it with the stream. Idle times are measured with Date.now(). Consumers are
 * not kept apart from the pending entries list (PEL): no reply emulated here needs a consumer
 * that holds nothing.
 *
 * Keys: ioredis adds its keyPrefix to the keys of XREADGROUP, XACK, XPENDING and XAUTOCLAIM, but
 * not to XGROUP's (a command with subcommands), so XGROUP's key is taken as given, whole.
 */
import type { Entry, Id, Stored, StreamValue } from './mock-streams.ts';

/** An entry delivered to a consumer and not acknowledged yet: one row of a group's PEL. */
export interface Pending {
  readonly id: string;
  readonly consumer: string;
  /** Date.now() at the last delivery: the idle time counts from it. */
  readonly deliveredAt: number;
  readonly deliveries: number;
}

/** A consumer group, as kept in its stream's value. */
export interface Group {
  readonly name: string;
  /** The last id handed out with `>`: the next `>` read starts after it. */
  readonly lastDelivered: Id;
  /** The PEL, in id order. */
  readonly pending: readonly Pending[];
}

/** What the groups use of the stream emulation: its key space and its parsing of ids. */
export interface StreamAccess {
  /** The client's key prefix. */
  readonly prefix: string;
  /** The stream at `key`, a whole key (prefix included); undefined if none; WRONGTYPE if not a stream. */
  read(key: string): StreamValue | undefined;
  write(key: string, value: StreamValue): void;
  parseId(text: string, missingSeq: bigint): Id;
  /** A range bound: `-`, `+`, an id, or `(id` for an exclusive one. */
  bound(text: string, side: 'start' | 'end'): { id: Id; exclusive: boolean };
  compare(a: Id, b: Id): number;
  format(id: Id): string;
  parseCount(text: string | undefined): number;
}

type Command = (...args: string[]) => unknown;

// XAUTOCLAIM looks at up to COUNT × 10 pending entries per call (Redis's attempts factor).
const AUTOCLAIM_ATTEMPTS = 10;

/** The consumer-group commands, by ioredis method name, working on the streams of `streams`. */
export function consumerGroupCommands(streams: StreamAccess): Record<string, Command> {
  const { prefix } = streams;
  const idOf = (text: string) => streams.parseId(text, 0n);
  const byId = (a: Pending, b: Pending) => streams.compare(idOf(a.id), idOf(b.id));
  const entryAt = (stream: StreamValue, id: string) => stream.entries.find((entry) => entry.id === id);
  const reply = ({ id, fields }: Stored): Entry => [id, [...fields]];

  const groupOf = (stream: StreamValue | undefined, name: string) => stream?.groups?.find((group) => group.name === name);

  function saveGroup(key: string, stream: StreamValue, group: Group): void {
    const others = (stream.groups ?? []).filter(({ name }) => name !== group.name);
    streams.write(key, { ...stream, groups: [...others, group] });
  }

  /** The stream at the whole `key` and its group `name`; NOGROUP when either is missing. */
  function lookup(key: string, name: string, context = ''): { stream: StreamValue; group: Group } {
    const stream = streams.read(key);
    const group = groupOf(stream, name);
    if (stream === undefined || group === undefined) throw new Error(`NOGROUP No such key '${key}' or consumer group '${name}'${context}`);
    return { stream, group };
  }

  // XGROUP CREATE key group id|$ [MKSTREAM]; `key` is whole, prefix included.
  function xgroup(subcommand?: string, key?: string, name?: string, id?: string, ...options: string[]): string {
    if (subcommand?.toUpperCase() !== 'CREATE') throw new Error(`XGROUP ${subcommand ?? ''} is not emulated on the mock: only XGROUP CREATE is`);
    if (key === undefined || name === undefined || id === undefined) throw new Error("ERR wrong number of arguments for 'xgroup|create' command");
    if (options.some((option) => option.toUpperCase() !== 'MKSTREAM')) throw new Error('ERR syntax error');
    const existing = streams.read(key);
    if (existing === undefined && options.length === 0) {
      throw new Error('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    }
    const stream: StreamValue = existing ?? { entries: [], lastId: [0n, 0n], added: 0 };
    const lastDelivered = id === '$' ? stream.lastId : idOf(id);
    if (groupOf(stream, name) !== undefined) throw new Error('BUSYGROUP Consumer Group name already exists');
    saveGroup(key, stream, { name, lastDelivered, pending: [] });
    return 'OK';
  }

  /** `>`: entries no consumer of the group got yet, now pending for `consumer` (unless noAck). */
  function readNew(key: string, name: string, consumer: string, count: number, noAck: boolean): Entry[] | undefined {
    const { stream, group } = lookup(key, name);
    const fresh = stream.entries.filter(({ id }) => streams.compare(idOf(id), group.lastDelivered) > 0).slice(0, count);
    if (fresh.length === 0) return undefined;
    const now = Date.now();
    const delivered = new Set(fresh.map(({ id }) => id));
    const kept = group.pending.filter(({ id }) => !delivered.has(id));
    const added = noAck ? [] : fresh.map(({ id }) => ({ id, consumer, deliveredAt: now, deliveries: 1 }));
    saveGroup(key, stream, { ...group, lastDelivered: idOf(fresh.at(-1)!.id), pending: [...kept, ...added].sort(byId) });
    return fresh.map(reply);
  }

  /**
   * An id: the entries `consumer` holds after it, delivered again. One trimmed or deleted since
   * comes back as [id, null], and stays pending, as in Redis.
   */
  function readHistory(key: string, name: string, consumer: string, count: number, after: Id): [string, string[] | null][] {
    const { stream, group } = lookup(key, name);
    const now = Date.now();
    const held = group.pending.filter((row) => row.consumer === consumer && streams.compare(idOf(row.id), after) > 0).slice(0, count);
    const redelivered = new Map<string, Pending>();
    const replies = held.map((row): [string, string[] | null] => {
      const entry = entryAt(stream, row.id);
      if (entry === undefined) return [row.id, null];
      redelivered.set(row.id, { ...row, deliveredAt: now, deliveries: row.deliveries + 1 });
      return reply(entry);
    });
    saveGroup(key, stream, { ...group, pending: group.pending.map((row) => redelivered.get(row.id) ?? row) });
    return replies;
  }

  // XREADGROUP GROUP group consumer [COUNT n] [NOACK] STREAMS key [key …] id [id …], where an
  // id is `>` or an id (no BLOCK: tests never wait).
  function xreadgroup(...args: string[]): [string, unknown[]][] | null {
    if (args.length < 6) throw new Error("ERR wrong number of arguments for 'xreadgroup' command");
    const [groupWord, name, consumer] = args;
    if (groupWord?.toUpperCase() !== 'GROUP' || name === undefined || consumer === undefined) throw new Error('ERR syntax error');
    let count = Infinity;
    let noAck = false;
    let at = 3;
    for (; at < args.length && args[at]!.toUpperCase() !== 'STREAMS'; at++) {
      const option = args[at]!.toUpperCase();
      // COUNT 0 (or less) means no limit.
      if (option === 'COUNT') count = streams.parseCount(args[++at]) > 0 ? streams.parseCount(args[at]) : Infinity;
      else if (option === 'NOACK') noAck = true;
      else if (option === 'BLOCK') throw new Error('XREADGROUP BLOCK is not emulated on the mock: tests do not wait');
      else throw new Error('ERR syntax error');
    }
    const names = args.slice(at + 1);
    if (at === args.length || names.length === 0 || names.length % 2 !== 0) {
      throw new Error("ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.");
    }
    const half = names.length / 2;
    // As Redis does: every key, group and id checked before anything is read.
    const reads = names.slice(0, half).map((key, i) => {
      const whole = `${prefix}${key}`;
      lookup(whole, name, ' in XREADGROUP with GROUP option');
      return { whole, after: parseReadId(names[half + i]!) };
    });
    const replies: [string, unknown[]][] = [];
    for (const { whole, after } of reads) {
      if (after === '>') {
        const entries = readNew(whole, name, consumer, count, noAck);
        if (entries !== undefined) replies.push([whole, entries]);
      } else {
        // The history is answered even when empty.
        replies.push([whole, readHistory(whole, name, consumer, count, after)]);
      }
    }
    return replies.length > 0 ? replies : null;
  }

  function parseReadId(text: string): Id | '>' {
    if (text === '>') return '>';
    if (text === '$') {
      throw new Error(
        'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
      );
    }
    return idOf(text);
  }

  // XACK key group id [id …]
  function xack(key: string, name: string, ...ids: string[]): number {
    if (ids.length === 0) throw new Error("ERR wrong number of arguments for 'xack' command");
    const whole = `${prefix}${key}`;
    const stream = streams.read(whole);
    const acked = new Set(ids.map((id) => streams.format(idOf(id))));
    const group = groupOf(stream, name);
    if (stream === undefined || group === undefined) return 0;
    const pending = group.pending.filter(({ id }) => !acked.has(id));
    saveGroup(whole, stream, { ...group, pending });
    return group.pending.length - pending.length;
  }

  // XPENDING key group: the summary. XPENDING key group [IDLE ms] start end count [consumer]:
  // the entries, as [id, consumer, idle ms, deliveries].
  function xpending(key: string, name: string, ...rest: string[]): unknown {
    const filter = rest.length === 0 ? undefined : pendingFilter(rest);
    const { group } = lookup(`${prefix}${key}`, name);
    if (filter === undefined) return pendingSummary(group.pending);
    const now = Date.now();
    return group.pending
      .filter((row) => filter.accepts(row, now))
      .slice(0, filter.count)
      .map(({ id, consumer, deliveredAt, deliveries }) => [id, consumer, now - deliveredAt, deliveries]);
  }

  function pendingFilter(rest: string[]): { count: number; accepts(row: Pending, now: number): boolean } {
    const idle = rest[0]?.toUpperCase() === 'IDLE';
    const minIdle = idle ? streams.parseCount(rest[1]) : 0;
    const [start, end, countText, consumer, ...extra] = idle ? rest.slice(2) : rest;
    if (start === undefined || end === undefined || countText === undefined || extra.length > 0) throw new Error('ERR syntax error');
    const count = Math.max(0, streams.parseCount(countText));
    const low = streams.bound(start, 'start');
    const high = streams.bound(end, 'end');
    const inRange = (id: Id) => {
      const fromLow = streams.compare(id, low.id);
      const fromHigh = streams.compare(id, high.id);
      return (low.exclusive ? fromLow > 0 : fromLow >= 0) && (high.exclusive ? fromHigh < 0 : fromHigh <= 0);
    };
    return {
      count,
      accepts: (row, now) => inRange(idOf(row.id)) && now - row.deliveredAt >= minIdle && (consumer === undefined || row.consumer === consumer),
    };
  }

  /** [count, smallest id, greatest id, [[consumer, count as a string] …] by consumer name]. */
  function pendingSummary(pending: readonly Pending[]): unknown {
    if (pending.length === 0) return [0, null, null, null];
    const perConsumer = new Map<string, number>();
    for (const { consumer } of pending) perConsumer.set(consumer, (perConsumer.get(consumer) ?? 0) + 1);
    const consumers = [...perConsumer].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return [pending.length, pending[0]!.id, pending.at(-1)!.id, consumers.map(([consumer, held]) => [consumer, String(held)])];
  }

  // XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]:
  // [next cursor or 0-0, claimed entries, ids of pending entries no longer in the stream].
  function xautoclaim(key: string, name: string, consumer: string, minIdleText: string, startText: string, ...options: string[]): unknown {
    const whole = `${prefix}${key}`;
    const stream = streams.read(whole);
    if (minIdleText === undefined || !/^-?\d+$/.test(minIdleText)) throw new Error('ERR Invalid min-idle-time argument for XAUTOCLAIM');
    const minIdle = Math.max(0, Number(minIdleText));
    const start = autoclaimStart(startText);
    const { count, justId } = autoclaimOptions(options);
    const group = groupOf(stream, name);
    if (stream === undefined || group === undefined) throw new Error(`NOGROUP No such key '${whole}' or consumer group '${name}'`);

    const now = Date.now();
    const pending = new Map(group.pending.map((row) => [row.id, row]));
    const candidates = group.pending.filter(({ id }) => streams.compare(idOf(id), start) >= 0);
    const claimed: unknown[] = [];
    const deleted: string[] = [];
    let next = 0;
    // Deleted entries count against COUNT; entries not idle long enough only against the attempts.
    for (let left = count, attempts = count * AUTOCLAIM_ATTEMPTS; next < candidates.length && left > 0 && attempts > 0; next++, attempts--) {
      const row = candidates[next]!;
      const entry = entryAt(stream, row.id);
      if (entry === undefined) {
        pending.delete(row.id);
        deleted.push(row.id);
        left--;
      } else if (minIdle === 0 || now - row.deliveredAt >= minIdle) {
        pending.set(row.id, { id: row.id, consumer, deliveredAt: now, deliveries: row.deliveries + (justId ? 0 : 1) });
        claimed.push(justId ? row.id : reply(entry));
        left--;
      }
    }
    saveGroup(whole, stream, { ...group, pending: [...pending.values()] });
    return [candidates[next]?.id ?? '0-0', claimed, deleted];
  }

  function autoclaimStart(text: string): Id {
    const { id, exclusive } = streams.bound(text, 'start');
    if (!exclusive) return id;
    const [ms, seq] = id;
    const max = (1n << 64n) - 1n;
    if (seq < max) return [ms, seq + 1n];
    if (ms < max) return [ms + 1n, 0n];
    throw new Error('ERR invalid start ID for the interval');
  }

  function autoclaimOptions(options: string[]): { count: number; justId: boolean } {
    let count = 100;
    let justId = false;
    for (let at = 0; at < options.length; at++) {
      const option = options[at]!.toUpperCase();
      if (option === 'JUSTID') justId = true;
      else if (option === 'COUNT' && at + 1 < options.length) {
        count = streams.parseCount(options[++at]);
        if (count < 1) throw new Error('ERR COUNT must be > 0');
      } else throw new Error('ERR syntax error');
    }
    return { count, justId };
  }

  return { xgroup, xreadgroup, xack, xpending, xautoclaim };
}
