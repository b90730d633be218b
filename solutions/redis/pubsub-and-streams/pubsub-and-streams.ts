/**
 * One event feed, two ways. Pub/Sub is fire-and-forget: PUBLISH hands a message to whoever is
 * subscribed at that instant and keeps nothing, so a subscriber that is late, slow to connect or
 * restarting misses it, for good. A stream is a durable, append-only log: XADD gives each event
 * an id (`ms-seq`, growing), XRANGE and XREAD read it back from any id, and a reader that keeps
 * the last id it handled can stop, restart and replay exactly what it missed.
 *
 * - `PubSubFeed`: PUBLISH, and SUBSCRIBE on a connection of its own (a subscribed connection can
 *   run nothing but (P)SUBSCRIBE, UNSUBSCRIBE, PING and QUIT).
 * - `StreamFeed`: XADD (with MAXLEN trimming), XRANGE pages, non-blocking XREAD after an id.
 * - `StreamConsumer`: a reader that saves its offset in Redis after each event it handled, in the
 *   hash `<stream>:offsets`: at-least-once, and a restart resumes where it stopped.
 * - `ConsumerGroup`: Redis keeps the offset and the pending entries (delivered, not acknowledged)
 *   per group; XREADGROUP shares the work among consumers, XACK settles it, XAUTOCLAIM hands the
 *   entries of a consumer that died to one that is alive.
 *
 * Complexity: PUBLISH O(receivers); XADD O(1), plus what MAXLEN trims (O(1) amortized with `~`);
 * XRANGE and XREAD O(log n + returned); XACK O(1) per id; XAUTOCLAIM O(count). One round trip
 * each, and one more per handled entry for a StreamConsumer (saving its offset).
 * Trade-off: pub/sub costs no memory and delivers fastest, and loses whatever nobody hears; a
 * stream keeps every event until trimmed, in memory, so it needs a cap (MAXLEN) chosen to outlast
 * the longest outage a reader must survive.
 */
import type { Redis } from '#redis';

/** An event on the feed: what happened, and its details as strings. */
export interface Event {
  readonly type: string;
  readonly data: Readonly<Record<string, string>>;
}

/** An event as a stream keeps it, with the id Redis gave it (`ms-seq`). */
export interface StreamEntry {
  readonly id: string;
  readonly event: Event;
}

/** Stops a subscription and closes its connection; calling it again does nothing. */
export type Unsubscribe = () => Promise<void>;

/** Where a reader with nothing saved yet begins: the oldest entry kept, or what comes next. */
export type StartAt = 'start' | 'end';

export interface AppendOptions {
  /** Trim the stream to about this many entries (a positive integer); default: no trimming. */
  readonly maxLen?: number;
  /**
   * Trim to exactly `maxLen` (`MAXLEN =`) instead of about it (`MAXLEN ~`, which removes whole
   * internal nodes only and is much cheaper); default false.
   */
  readonly exact?: boolean;
}

export interface RangeOptions {
  /** Only entries after this id (excluded); default: from the oldest. */
  readonly after?: string;
  /** At most this many entries (a positive integer); default: all of them. */
  readonly count?: number;
}

export interface ReadOptions {
  /** At most this many entries (a positive integer); each method says its default. */
  readonly count?: number;
}

export interface StreamConsumerOptions {
  /** Entries read per poll (a positive integer); default 100. */
  readonly count?: number;
  /** Where to begin when nothing is saved for this consumer: default `'start'` (replay all). */
  readonly startAt?: StartAt;
}

/** An entry delivered to a consumer of a group and not acknowledged yet. */
export interface PendingEntry {
  readonly id: string;
  /** The consumer that holds it. */
  readonly consumer: string;
  /** Milliseconds since it was last delivered. */
  readonly idleMs: number;
  /** How many times it was delivered (claiming counts as a delivery). */
  readonly deliveries: number;
}

const STREAM_ID = /^(\d+)-(\d+)$/;
const MAX_ID_PART = (1n << 64n) - 1n;

/**
 * Orders stream ids as Redis does: by milliseconds, then by sequence, both 64-bit unsigned
 * integers. Negative when `a` comes first, positive when `b` does, 0 when equal. Never compare
 * ids as strings ('10-0' < '9-0') nor as floats (precision ends at 2^53).
 * @throws {RangeError} when either is not a full id `ms-seq`.
 */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = parseStreamId(a);
  const [bMs, bSeq] = parseStreamId(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

function parseStreamId(id: string): [ms: bigint, seq: bigint] {
  const match = typeof id === 'string' ? STREAM_ID.exec(id) : null;
  if (match) {
    const [ms, seq] = [BigInt(match[1]!), BigInt(match[2]!)];
    if (ms <= MAX_ID_PART && seq <= MAX_ID_PART) return [ms, seq];
  }
  throw new RangeError(`a stream id is "<ms>-<seq>", two integers below 2^64, got ${JSON.stringify(id)}`);
}

/** Publishes events on channels, and subscribes to them, each on a connection of its own. */
export class PubSubFeed {
  readonly #publisher: Redis;
  readonly #connectSubscriber: () => Promise<Redis>;

  /**
   * @param publisher the connection that publishes; it stays usable for any other command.
   * @param connectSubscriber opens a new connection for each subscription, which then belongs
   *   to the subscription and is closed by its `Unsubscribe`.
   * @throws {TypeError} when `connectSubscriber` is not a function.
   */
  constructor(publisher: Redis, connectSubscriber: () => Promise<Redis>) {
    if (typeof connectSubscriber !== 'function') throw new TypeError(`connectSubscriber must be a function, got ${String(connectSubscriber)}`);
    this.#publisher = publisher;
    this.#connectSubscriber = connectSubscriber;
  }

  /**
   * Sends `event` to everyone subscribed to `channel` right now, and keeps it nowhere.
   * @returns how many subscribers received it: 0 when nobody listens, and the event is lost.
   * @throws {RangeError} for an empty channel; {TypeError} for an event that is not an Event.
   */
  async publish(channel: string, event: Event): Promise<number> {
    requireName('channel', channel);
    return this.#publisher.publish(channel, JSON.stringify(requireEvent(event)));
  }

  /**
   * Calls `onEvent` with every event published on `channel` from now on, until unsubscribed.
   * Resolves once the server has confirmed the subscription. Messages that are not events are
   * skipped: with fire-and-forget there is nobody to tell.
   * @throws {RangeError} for an empty channel.
   */
  async subscribe(channel: string, onEvent: (event: Event) => void): Promise<Unsubscribe> {
    requireName('channel', channel);
    const subscriber = await this.#connectSubscriber();
    subscriber.on('message', (from: string, message: string) => {
      if (from !== channel) return;
      const event = parseMessage(message);
      if (event !== undefined) onEvent(event);
    });
    try {
      await subscriber.subscribe(channel);
    } catch (err: unknown) {
      subscriber.disconnect();
      throw err;
    }
    let closed = false;
    return async () => {
      if (closed) return;
      closed = true;
      await subscriber.unsubscribe(channel);
      await subscriber.quit();
    };
  }
}

/** Appends events to streams and reads them back, from any id. */
export class StreamFeed {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  /**
   * Appends `event` at the end of `stream` (created if missing), trimming the oldest entries
   * when `maxLen` is given.
   * @returns the id Redis gave the entry, larger than every id before it in that stream.
   * @throws {RangeError} for an empty stream or a bad `maxLen`; {TypeError} for a bad event.
   */
  async append(stream: string, event: Event, { maxLen, exact = false }: AppendOptions = {}): Promise<string> {
    requireName('stream', stream);
    const fields = toFields(requireEvent(event));
    // XADD answers nil only with NOMKSTREAM on a missing stream, which is never sent here.
    if (maxLen === undefined) return (await this.#redis.xadd(stream, '*', ...fields))!;
    requireCount('maxLen', maxLen);
    return (await this.#redis.xadd(stream, 'MAXLEN', exact ? '=' : '~', maxLen, '*', ...fields))!;
  }

  /**
   * Entries of `stream` in id order, after `after` if given, at most `count` of them: pass the
   * last id of a page as `after` to get the next one. An empty array when there are none.
   * @throws {RangeError} for an empty stream, a malformed `after` or a bad `count`.
   */
  async range(stream: string, { after, count }: RangeOptions = {}): Promise<StreamEntry[]> {
    requireName('stream', stream);
    // '(' makes the start exclusive (Redis 6.2+): the entry `after` itself was seen already.
    const start = after === undefined ? '-' : `(${requireId('after', after)}`;
    if (count === undefined) return (await this.#redis.xrange(stream, start, '+')).map(toEntry);
    requireCount('count', count);
    return (await this.#redis.xrange(stream, start, '+', 'COUNT', count)).map(toEntry);
  }

  /**
   * Up to `count` (default 100) entries of `stream` after `lastId`, oldest first, without
   * waiting: an empty array when there is nothing new. Pass `'0-0'` to read from the beginning.
   * @throws {RangeError} for an empty stream, a malformed `lastId` or a bad `count`.
   */
  async readAfter(stream: string, lastId: string, { count = 100 }: ReadOptions = {}): Promise<StreamEntry[]> {
    requireName('stream', stream);
    requireId('lastId', lastId);
    requireCount('count', count);
    // No BLOCK: a poll answers at once. A long-running reader would add BLOCK <ms> and loop.
    const reply = await this.#redis.xread('COUNT', count, 'STREAMS', stream, lastId);
    return entriesOf(reply);
  }
}

/**
 * A reader of one stream that remembers, in Redis, the id of the last entry it handled: in the
 * hash `<stream>:offsets`, under its name. A restarted process that uses the same name resumes
 * there, and handles exactly what arrived while it was down. Readers with different names each
 * read the whole stream (fan-out).
 */
export class StreamConsumer {
  readonly #redis: Redis;
  readonly #feed: StreamFeed;
  readonly #stream: string;
  readonly #offsets: string;
  readonly #name: string;
  readonly #count: number;
  readonly #startAt: StartAt;

  /** @throws {RangeError} for an empty stream or name, a bad `count` or `startAt`. */
  constructor(redis: Redis, stream: string, name: string, { count = 100, startAt = 'start' }: StreamConsumerOptions = {}) {
    requireName('stream', stream);
    requireName('name', name);
    requireCount('count', count);
    requireStartAt(startAt);
    this.#redis = redis;
    this.#feed = new StreamFeed(redis);
    this.#stream = stream;
    this.#offsets = offsetsKey(stream);
    this.#name = name;
    this.#count = count;
    this.#startAt = startAt;
  }

  /** The id of the last entry this consumer handled (its saved offset); undefined before any. */
  async lastId(): Promise<string | undefined> {
    return (await this.#redis.hget(this.#offsets, this.#name)) ?? undefined;
  }

  /**
   * Reads the next entries after the saved offset (up to `count`) and hands them to `handle`
   * one at a time, in order, saving the offset after each one `handle` finished: at-least-once.
   * If `handle` throws, the poll rejects with that error and the entry stays unhandled: the
   * next poll, or the next process, gets it again.
   * @returns how many entries were handled: 0 when there was nothing new.
   */
  async poll(handle: (entry: StreamEntry) => Promise<void> | void): Promise<number> {
    const after = await this.#position();
    const entries = await this.#feed.readAfter(this.#stream, after, { count: this.#count });
    for (const entry of entries) {
      await handle(entry);
      // After the work, never before: a crash in between repeats this entry rather than losing it.
      await this.#redis.hset(this.#offsets, this.#name, entry.id);
    }
    return entries.length;
  }

  /** The saved offset; without one, the starting point, which is saved at once. */
  async #position(): Promise<string> {
    const saved = await this.lastId();
    if (saved !== undefined) return saved;
    if (this.#startAt === 'start') return '0-0';
    // 'end': the newest entry now. Saving it means a restart before the first event arrives
    // still resumes here, and does not jump over what arrived in between.
    const [newest] = await this.#redis.xrevrange(this.#stream, '+', '-', 'COUNT', 1);
    const start = newest?.[0] ?? '0-0';
    await this.#redis.hset(this.#offsets, this.#name, start);
    return start;
  }
}

/**
 * A consumer group on a stream: Redis remembers what the group has read and which entries each
 * consumer holds without having acknowledged them, so that work is shared, settled with XACK,
 * and taken over when a consumer dies.
 */
export class ConsumerGroup {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #group: string;

  /** @throws {RangeError} for an empty stream or group. */
  constructor(redis: Redis, stream: string, group: string) {
    requireName('stream', stream);
    requireName('group', group);
    this.#redis = redis;
    this.#stream = stream;
    this.#group = group;
  }

  /**
   * Creates the group (and the stream, if missing), reading from the oldest entry or only what
   * comes next. Safe to call on every start.
   * @returns false when the group was there already (and is left unchanged).
   */
  async create(startAt: StartAt = 'start'): Promise<boolean> {
    requireStartAt(startAt);
    // ioredis adds its keyPrefix to the keys of commands it knows the keys of, and XGROUP, a
    // command with subcommands, is not one of them: without the prefix, the group would land
    // on another key than the stream.
    const key = `${this.#redis.options.keyPrefix ?? ''}${this.#stream}`;
    try {
      await this.#redis.xgroup('CREATE', key, this.#group, startAt === 'start' ? '0' : '$', 'MKSTREAM');
      return true;
    } catch (err: unknown) {
      if (err instanceof Error && err.message.startsWith('BUSYGROUP')) return false;
      throw err;
    }
  }

  /**
   * Up to `count` (default 10) entries that no consumer of the group has been given yet (`>`),
   * now pending for `consumer` until acknowledged. An empty array when there are none; never
   * waits.
   */
  async read(consumer: string, { count = 10 }: ReadOptions = {}): Promise<StreamEntry[]> {
    return this.#readGroup(consumer, count, '>');
  }

  /**
   * Up to `count` (default 10) entries `consumer` was given and has not acknowledged (`0`
   * instead of `>`): what a restarted consumer works through first, under the same name.
   * Entries trimmed from the stream meanwhile cannot be handled any more; they are
   * acknowledged and left out.
   */
  async recover(consumer: string, { count = 10 }: ReadOptions = {}): Promise<StreamEntry[]> {
    return this.#readGroup(consumer, count, '0');
  }

  /** Acknowledges entries: they leave the pending list. @returns how many were pending. */
  async ack(ids: readonly string[]): Promise<number> {
    for (const id of ids) requireId('id', id);
    if (ids.length === 0) return 0;
    return this.#redis.xack(this.#stream, this.#group, ...ids);
  }

  /** Up to `count` (default 100) pending entries of the group, oldest first, with their holder. */
  async pending({ count = 100 }: ReadOptions = {}): Promise<PendingEntry[]> {
    requireCount('count', count);
    const rows = (await this.#redis.xpending(this.#stream, this.#group, '-', '+', count)) as [string, string, number, number][];
    return rows.map(([id, consumer, idleMs, deliveries]) => ({ id, consumer, idleMs, deliveries }));
  }

  /**
   * Gives `consumer` the pending entries that have been idle for at least `minIdleMs`, whoever
   * held them: the work of a consumer that died. Each claim counts as a delivery. Entries held
   * for less than `minIdleMs` stay with their consumer, which may still be working on them.
   * @returns the claimed entries, up to `count` (default 100), oldest id first.
   * @throws {RangeError} for a `minIdleMs` that is not a non-negative integer.
   */
  async claimStuck(consumer: string, minIdleMs: number, { count = 100 }: ReadOptions = {}): Promise<StreamEntry[]> {
    requireName('consumer', consumer);
    if (!Number.isInteger(minIdleMs) || minIdleMs < 0) throw new RangeError(`minIdleMs must be a non-negative integer, got ${minIdleMs}`);
    requireCount('count', count);
    const claimed: StreamEntry[] = [];
    let cursor = '0-0';
    // XAUTOCLAIM scans the pending list from a cursor; '0-0' back means it went all the way.
    do {
      const [next, entries] = (await this.#redis.xautoclaim(this.#stream, this.#group, consumer, minIdleMs, cursor, 'COUNT', count - claimed.length)) as [
        string,
        RawEntry[],
      ];
      claimed.push(...entries.filter(isLive).map(toEntry));
      cursor = next;
    } while (cursor !== '0-0' && claimed.length < count);
    return claimed;
  }

  async #readGroup(consumer: string, count: number, from: '>' | '0'): Promise<StreamEntry[]> {
    requireName('consumer', consumer);
    requireCount('count', count);
    const reply = (await this.#redis.xreadgroup('GROUP', this.#group, consumer, 'COUNT', count, 'STREAMS', this.#stream, from)) as StreamsReply;
    const raw = reply?.[0]?.[1] ?? [];
    const gone = raw.filter((entry) => !isLive(entry)).map(([id]) => id);
    if (gone.length > 0) await this.ack(gone);
    return raw.filter(isLive).map(toEntry);
  }
}

type RawEntry = [id: string, fields: string[] | null];
type StreamsReply = [stream: string, entries: RawEntry[]][] | null;

const offsetsKey = (stream: string) => `${stream}:offsets`;

/** An entry still in the stream: a pending one that was trimmed away comes back without fields. */
const isLive = (entry: RawEntry): entry is [string, string[]] => entry[1] !== null;

/** The entries of the one stream an XREAD asked for. (Its name in the reply carries the key prefix.) */
function entriesOf(reply: StreamsReply): StreamEntry[] {
  return (reply?.[0]?.[1] ?? []).filter(isLive).map(toEntry);
}

// A stream entry is a flat list of field-value pairs. The event's type gets a field of its own,
// readable in redis-cli; the data goes in one JSON field, so that any key, even "type", is safe.
function toFields({ type, data }: Event): string[] {
  return ['type', type, 'data', JSON.stringify(data)];
}

function toEntry([id, fields]: [string, string[]]): StreamEntry {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
  const event = { type: values.get('type'), data: parseJson(values.get('data')) };
  if (!isEvent(event)) throw new TypeError(`stream entry ${id} is not an event: ${JSON.stringify(fields)}`);
  return { id, event };
}

function parseMessage(message: string): Event | undefined {
  const parsed = parseJson(message);
  return isEvent(parsed) ? { type: parsed.type, data: parsed.data } : undefined;
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function isEvent(value: unknown): value is Event {
  if (typeof value !== 'object' || value === null) return false;
  const { type, data } = value as { type?: unknown; data?: unknown };
  return (
    typeof type === 'string' &&
    type !== '' &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.values(data).every((field) => typeof field === 'string')
  );
}

function requireEvent(event: Event): Event {
  if (!isEvent(event)) {
    throw new TypeError(`an event is { type: non-empty string, data: { [field]: string } }, got ${JSON.stringify(event)}`);
  }
  return { type: event.type, data: event.data };
}

function requireName(what: string, name: string): void {
  if (typeof name !== 'string' || name === '') throw new RangeError(`${what} must be a non-empty string, got ${JSON.stringify(name)}`);
}

function requireId(what: string, id: string): string {
  try {
    parseStreamId(id);
  } catch {
    throw new RangeError(`${what} must be a stream id "<ms>-<seq>", got ${JSON.stringify(id)}`);
  }
  return id;
}

function requireStartAt(startAt: StartAt): void {
  if (startAt !== 'start' && startAt !== 'end') throw new RangeError(`startAt must be 'start' or 'end', got ${JSON.stringify(startAt)}`);
}

function requireCount(what: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`${what} must be a positive integer, got ${count}`);
}
