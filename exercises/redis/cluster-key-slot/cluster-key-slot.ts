/**
 * Redis Cluster key slots: CRC16 and hash tags decide which of the 16384 slots a key lives in.
 * Then the routing a cluster client does with them: a slot table, one slot per multi-key
 * command, and the `MOVED` and `ASK` redirections a node answers while slots change owner.
 *
 * Read README.md for the idea, `npm run kata -- hint cluster-key-slot` when you are stuck.
 */

/** The number of hash slots in a Redis Cluster. */
export const SLOT_COUNT = 16384;

/** A key as Redis sees it: a string (hashed as UTF-8) or raw bytes. */
export type Key = string | Uint8Array;

/** Slots `start..end` (both inclusive) served by `node` (`host:port`), as CLUSTER SLOTS lists them. */
export interface SlotRange {
  readonly start: number;
  readonly end: number;
  readonly node: string;
}

/** A multi-key command whose keys are in different slots. The message is Redis's. */
export class CrossSlotError extends Error {
  override readonly name = 'CrossSlotError';
  constructor() {
    super("CROSSSLOT Keys in request don't hash to the same slot");
  }
}

/** A redirection reply of a cluster node: `MOVED 3999 127.0.0.1:6381` or `ASK 3999 127.0.0.1:6381`. */
export interface Redirection {
  readonly kind: 'MOVED' | 'ASK';
  readonly slot: number;
  readonly node: string;
}

/** The command was redirected more than `maxRedirections` times (a cluster in flux, or misconfigured). */
export class TooManyRedirectionsError extends Error {
  override readonly name = 'TooManyRedirectionsError';
  constructor(
    readonly slot: number,
    readonly redirections: number,
    options?: ErrorOptions,
  ) {
    super(`slot ${slot}: gave up after ${redirections} redirections`, options);
  }
}

/** What the client passes to `send` besides the node and the command. */
export interface SendOptions {
  /** Send `ASKING` first, on the same connection: the node is importing the slot. */
  readonly asking: boolean;
}

/**
 * Sends one command to one node and resolves to its reply. A node's error reply, redirections
 * included, rejects with an `Error` whose message is the reply (`MOVED 3999 127.0.0.1:6381`),
 * as ioredis does.
 */
export type Send<Reply> = (node: string, command: readonly Key[], options: SendOptions) => Promise<Reply>;

export interface ClusterClientOptions {
  /** How many redirections one command may follow before it fails; default 16, as in ioredis. */
  readonly maxRedirections?: number;
}

/**
 * CRC-16/XMODEM of `data` (polynomial 0x1021, init 0, no reflection, no final xor), the checksum
 * Redis Cluster hashes keys with. `crc16(utf8("123456789"))` is 0x31C3.
 * @throws {TypeError} if `data` is not a Uint8Array.
 */
export function crc16(_data: Uint8Array): number {
  throw new Error('TODO: implement crc16: shift each byte in at the top, xor 0x1021 when a 1 falls out of bit 15');
}

/**
 * The slot of `key`, 0..16383: CRC16 of its hash tag if it has one, else of the whole key,
 * over its UTF-8 bytes, keeping the low 14 bits.
 * @throws {TypeError} if `key` is neither a string nor a Uint8Array.
 */
export function keySlot(_key: Key): number {
  throw new Error('TODO: implement keySlot: UTF-8 bytes, then the hash tag, then crc16 & 0x3FFF');
}

/**
 * The one slot that all `keys` hash to, as a multi-key command (MGET, MULTI/EXEC, a Lua script)
 * requires in a cluster.
 * @throws {CrossSlotError} if two keys hash to different slots.
 * @throws {RangeError} if `keys` is empty: a command without keys has no slot.
 */
export function slotOf(_keys: readonly Key[]): number {
  throw new Error('TODO: implement slotOf: the slot of the first key, and a CrossSlotError if any other key differs');
}

/**
 * `keys` grouped by slot, to split a multi-key command (MGET, DEL) into one command per slot.
 * Slots come in the order of their first key, and keys keep their order within a slot.
 */
export function groupBySlot<K extends Key>(_keys: readonly K[]): Map<number, K[]> {
  throw new Error('TODO: implement groupBySlot: a Map from slot to the keys of that slot, in order');
}

/**
 * The redirection in a node's error reply, or `undefined` if the reply is any other error.
 * `MOVED <slot> <host:port>`: the slot belongs to that node now. `ASK <slot> <host:port>`: the
 * slot is migrating and the key is on that node; ask it once, after `ASKING`.
 */
export function parseRedirection(_message: string): Redirection | undefined {
  throw new Error('TODO: implement parseRedirection: match "MOVED|ASK <slot> <node>", else undefined');
}

/** Which node serves each of the 16384 slots: the client's copy of the cluster's configuration. */
export class SlotTable {
  /**
   * @param ranges slot ranges that together cover 0..16383 exactly once, as CLUSTER SLOTS lists them.
   * @throws {TypeError} if `ranges` is not an array or a range is not `{ start, end, node }`.
   * @throws {RangeError} if a range is out of 0..16383 or reversed, a node is empty, or a slot
   *   is covered twice or not at all.
   */
  constructor(_ranges: readonly SlotRange[]) {
    throw new Error('TODO: implement the SlotTable constructor: one owner per slot, no slot twice, none missing');
  }

  /** The node that serves `slot`. @throws {RangeError} unless `slot` is an integer in 0..16383. */
  nodeFor(_slot: number): string {
    throw new Error('TODO: implement SlotTable#nodeFor');
  }

  /**
   * Records that `node` now serves `slot`, as a `MOVED` reply says.
   * @throws {RangeError} for a slot out of 0..16383 or an empty node.
   */
  assign(_slot: number, _node: string): void {
    throw new Error('TODO: implement SlotTable#assign');
  }

  /** The table as the fewest ranges, in slot order: adjacent slots of one node form one range. */
  ranges(): SlotRange[] {
    throw new Error('TODO: implement SlotTable#ranges: walk the slots, start a new range when the node changes');
  }
}

/**
 * Routes commands by slot and follows redirections. `send` does the I/O, so the same client runs
 * on sockets or on a fake cluster.
 */
export class ClusterClient<Reply = unknown> {
  /**
   * @param table the slot table to route with; `MOVED` replies update it.
   * @throws {TypeError} if `table` is not a SlotTable or `send` not a function.
   * @throws {RangeError} if `maxRedirections` is not a non-negative integer.
   */
  constructor(_table: SlotTable, _send: Send<Reply>, _options: ClusterClientOptions = {}) {
    throw new Error('TODO: implement the ClusterClient constructor: validate and keep the table, send and the bound');
  }

  /**
   * Sends `command`, whose keys are `keys`, to the node that serves their slot, following `MOVED`
   * (updating the table) and `ASK` (one attempt at the target with `asking`, table untouched).
   * Any other failure of `send` rejects unchanged.
   * @throws {CrossSlotError} before sending anything, if the keys are in different slots.
   * @throws {TooManyRedirectionsError} after `maxRedirections` redirections, with the last as `cause`.
   */
  async execute(_command: readonly Key[], _keys: readonly Key[]): Promise<Reply> {
    throw new Error('TODO: implement ClusterClient#execute: send, and on MOVED or ASK send again where told');
  }
}
