/**
 * Pub/Sub and Streams: the same event feed, fire-and-forget and as a durable log.
 *
 * - `compareStreamIds`: order stream ids `ms-seq` as Redis does (as two integers, never as text).
 * - `PubSubFeed`: PUBLISH, and SUBSCRIBE on a connection of its own per subscription.
 * - `StreamFeed`: XADD with MAXLEN trimming, XRANGE pages after an id, non-blocking XREAD.
 * - `StreamConsumer`: poll a stream, saving the last handled id in the hash `<stream>:offsets`
 *   (field: the consumer's name) after each entry, so that a restart resumes where it stopped.
 * - `ConsumerGroup`: XGROUP CREATE … MKSTREAM, XREADGROUP, XACK, XPENDING,
 *   XAUTOCLAIM.
 *
 * Events are stored in a stream entry as two fields, `type` and `data` (the data as JSON), and
 * published on a channel as the JSON of the whole event. Read README.md for the idea,
 * `npm run kata -- hint pubsub-and-streams` when you are stuck.
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

/**
 * Orders stream ids as Redis does: by milliseconds, then by sequence, both 64-bit unsigned
 * integers. Negative when `a` comes first, positive when `b` does, 0 when equal. Never compare
 * ids as strings ('10-0' < '9-0') nor as floats (precision ends at 2^53).
 * @throws {RangeError} when either is not a full id `ms-seq`.
 */
export function compareStreamIds(_a: string, _b: string): number {
  throw new Error('TODO: implement compareStreamIds: parse "ms-seq" into two BigInts, compare ms, then seq');
}

/** Publishes events on channels, and subscribes to them, each on a connection of its own. */
export class PubSubFeed {
  /**
   * @param publisher the connection that publishes; it stays usable for any other command.
   * @param connectSubscriber opens a new connection for each subscription, which then belongs
   *   to the subscription and is closed by its `Unsubscribe`.
   * @throws {TypeError} when `connectSubscriber` is not a function.
   */
  constructor(_publisher: Redis, _connectSubscriber: () => Promise<Redis>) {
    throw new Error('TODO: implement the PubSubFeed constructor: keep both, check connectSubscriber is a function');
  }

  /**
   * Sends `event` to everyone subscribed to `channel` right now, and keeps it nowhere.
   * @returns how many subscribers received it: 0 when nobody listens, and the event is lost.
   * @throws {RangeError} for an empty channel; {TypeError} for an event that is not an Event.
   */
  async publish(_channel: string, _event: Event): Promise<number> {
    throw new Error('TODO: implement PubSubFeed#publish: PUBLISH the JSON of the event, return its reply');
  }

  /**
   * Calls `onEvent` with every event published on `channel` from now on, until unsubscribed.
   * Resolves once the server has confirmed the subscription. Messages that are not events are
   * skipped: with fire-and-forget there is nobody to tell.
   * @throws {RangeError} for an empty channel.
   */
  async subscribe(_channel: string, _onEvent: (event: Event) => void): Promise<Unsubscribe> {
    throw new Error("TODO: implement PubSubFeed#subscribe: a new connection, on('message'), SUBSCRIBE; unsubscribe then QUIT");
  }
}

/** Appends events to streams and reads them back, from any id. */
export class StreamFeed {
  constructor(_redis: Redis) {
    throw new Error('TODO: implement the StreamFeed constructor');
  }

  /**
   * Appends `event` at the end of `stream` (created if missing), trimming the oldest entries
   * when `maxLen` is given.
   * @returns the id Redis gave the entry, larger than every id before it in that stream.
   * @throws {RangeError} for an empty stream or a bad `maxLen`; {TypeError} for a bad event.
   */
  async append(_stream: string, _event: Event, _options: AppendOptions = {}): Promise<string> {
    throw new Error("TODO: implement StreamFeed#append: XADD stream [MAXLEN ~|= n] * type <type> data <json>");
  }

  /**
   * Entries of `stream` in id order, after `after` if given, at most `count` of them: pass the
   * last id of a page as `after` to get the next one. An empty array when there are none.
   * @throws {RangeError} for an empty stream, a malformed `after` or a bad `count`.
   */
  async range(_stream: string, _options: RangeOptions = {}): Promise<StreamEntry[]> {
    throw new Error("TODO: implement StreamFeed#range: XRANGE stream - + or (after + , with COUNT when given");
  }

  /**
   * Up to `count` (default 100) entries of `stream` after `lastId`, oldest first, without
   * waiting: an empty array when there is nothing new. Pass `'0-0'` to read from the beginning.
   * @throws {RangeError} for an empty stream, a malformed `lastId` or a bad `count`.
   */
  async readAfter(_stream: string, _lastId: string, _options: ReadOptions = {}): Promise<StreamEntry[]> {
    throw new Error('TODO: implement StreamFeed#readAfter: XREAD COUNT n STREAMS stream lastId (no BLOCK); null means none');
  }
}

/**
 * A reader of one stream that remembers, in Redis, the id of the last entry it handled: in the
 * hash `<stream>:offsets`, under its name. A restarted process that uses the same name resumes
 * there, and handles exactly what arrived while it was down. Readers with different names each
 * read the whole stream (fan-out).
 */
export class StreamConsumer {
  /** @throws {RangeError} for an empty stream or name, a bad `count` or `startAt`. */
  constructor(_redis: Redis, _stream: string, _name: string, _options: StreamConsumerOptions = {}) {
    throw new Error('TODO: implement the StreamConsumer constructor: validate, keep the settings');
  }

  /** The id of the last entry this consumer handled (its saved offset); undefined before any. */
  async lastId(): Promise<string | undefined> {
    throw new Error('TODO: implement StreamConsumer#lastId: HGET <stream>:offsets <name>');
  }

  /**
   * Reads the next entries after the saved offset (up to `count`) and hands them to `handle`
   * one at a time, in order, saving the offset after each one `handle` finished: at-least-once.
   * If `handle` throws, the poll rejects with that error and the entry stays unhandled: the
   * next poll, or the next process, gets it again.
   * @returns how many entries were handled: 0 when there was nothing new.
   */
  async poll(_handle: (entry: StreamEntry) => Promise<void> | void): Promise<number> {
    throw new Error('TODO: implement StreamConsumer#poll: read after the saved id, handle each, then HSET its id');
  }
}

/**
 * A consumer group on a stream: Redis remembers what the group has read and which entries each
 * consumer holds without having acknowledged them, so that work is shared, settled with XACK,
 * and taken over when a consumer dies.
 */
export class ConsumerGroup {
  /** @throws {RangeError} for an empty stream or group. */
  constructor(_redis: Redis, _stream: string, _group: string) {
    throw new Error('TODO: implement the ConsumerGroup constructor');
  }

  /**
   * Creates the group (and the stream, if missing), reading from the oldest entry or only what
   * comes next. Safe to call on every start.
   * @returns false when the group was there already (and is left unchanged).
   */
  async create(_startAt: StartAt = 'start'): Promise<boolean> {
    throw new Error('TODO: implement ConsumerGroup#create: XGROUP CREATE <prefixed stream> <group> 0|$ MKSTREAM; BUSYGROUP means false');
  }

  /**
   * Up to `count` (default 10) entries that no consumer of the group has been given yet (`>`),
   * now pending for `consumer` until acknowledged. An empty array when there are none; never
   * waits.
   */
  async read(_consumer: string, _options: ReadOptions = {}): Promise<StreamEntry[]> {
    throw new Error("TODO: implement ConsumerGroup#read: XREADGROUP GROUP <group> <consumer> COUNT n STREAMS <stream> >");
  }

  /**
   * Up to `count` (default 10) entries `consumer` was given and has not acknowledged (`0`
   * instead of `>`): what a restarted consumer works through first, under the same name.
   * Entries trimmed from the stream meanwhile cannot be handled any more; they are
   * acknowledged and left out.
   */
  async recover(_consumer: string, _options: ReadOptions = {}): Promise<StreamEntry[]> {
    throw new Error("TODO: implement ConsumerGroup#recover: XREADGROUP … STREAMS <stream> 0; ack the entries that come back without fields");
  }

  /** Acknowledges entries: they leave the pending list. @returns how many were pending. */
  async ack(_ids: readonly string[]): Promise<number> {
    throw new Error('TODO: implement ConsumerGroup#ack: XACK <stream> <group> ...ids');
  }

  /** Up to `count` (default 100) pending entries of the group, oldest first, with their holder. */
  async pending(_options: ReadOptions = {}): Promise<PendingEntry[]> {
    throw new Error('TODO: implement ConsumerGroup#pending: XPENDING <stream> <group> - + count');
  }

  /**
   * Gives `consumer` the pending entries that have been idle for at least `minIdleMs`, whoever
   * held them: the work of a consumer that died. Each claim counts as a delivery. Entries held
   * for less than `minIdleMs` stay with their consumer, which may still be working on them.
   * @returns the claimed entries, up to `count` (default 100), oldest id first.
   * @throws {RangeError} for a `minIdleMs` that is not a non-negative integer.
   */
  async claimStuck(_consumer: string, _minIdleMs: number, _options: ReadOptions = {}): Promise<StreamEntry[]> {
    throw new Error('TODO: implement ConsumerGroup#claimStuck: XAUTOCLAIM from 0-0 until the cursor comes back 0-0 or count is reached');
  }
}
