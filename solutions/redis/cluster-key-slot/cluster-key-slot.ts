/**
 * Redis Cluster key slots, and the routing a cluster client does with them.
 *
 * Every key lives in one of 16384 slots: `CRC16(key) & 0x3FFF`, where CRC16 is the XMODEM
 * variant (polynomial 0x1021, init 0, no reflection) over the key's UTF-8 bytes. A hash tag,
 * the non-empty text between the first `{` and the first `}` after it, replaces the key in the
 * hash, so that related keys share a slot. Each slot belongs to one master; the client keeps a
 * slot table, sends each command to the slot's node, and follows the node's redirections:
 * `MOVED` (the slot has a new owner for good: update the table) and `ASK` (the slot is being
 * migrated and this key is already on the target: ask there once, with `ASKING`).
 *
 * Complexity: crc16 and keySlot are O(key length), one table look-up per byte (the 256-entry
 * table is computed once at module load). SlotTable keeps one owner per slot: O(1) nodeFor and
 * assign, O(16384) to build or to list as ranges. slotOf and groupBySlot are O(total key length).
 * Trade-off: a flat array of 16384 owners costs tens of KiB of references but turns every look-up
 * into an index, where sorted ranges with a binary search would be smaller and O(log ranges).
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

const POLYNOMIAL = 0x1021;
const SLOT_MASK = SLOT_COUNT - 1;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const CRC_TABLE = crcTable();
const utf8 = new TextEncoder();

/** CRC of each byte value, as the most significant byte of a message (MSB-first, no reflection). */
function crcTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
    }
    table[byte] = crc & 0xffff;
  }
  return table;
}

/**
 * CRC-16/XMODEM of `data` (polynomial 0x1021, init 0, no reflection, no final xor), the checksum
 * Redis Cluster hashes keys with. `crc16(utf8("123456789"))` is 0x31C3.
 * @throws {TypeError} if `data` is not a Uint8Array.
 */
export function crc16(data: Uint8Array): number {
  if (!(data instanceof Uint8Array)) throw new TypeError(`data must be a Uint8Array, got ${show(data)}`);
  let crc = 0;
  for (const byte of data) {
    // The byte enters at the top: the high byte of the CRC, xored with it, picks the table row.
    crc = ((crc << 8) ^ CRC_TABLE[(crc >>> 8) ^ byte]!) & 0xffff;
  }
  return crc;
}

/**
 * The slot of `key`, 0..16383: CRC16 of its hash tag if it has one, else of the whole key,
 * over its UTF-8 bytes, keeping the low 14 bits.
 * @throws {TypeError} if `key` is neither a string nor a Uint8Array.
 */
export function keySlot(key: Key): number {
  return crc16(hashedPart(toBytes(key))) & SLOT_MASK;
}

function toBytes(key: Key): Uint8Array {
  if (typeof key === 'string') return utf8.encode(key);
  if (key instanceof Uint8Array) return key;
  throw new TypeError(`key must be a string or a Uint8Array, got ${show(key)}`);
}

/**
 * The bytes between the first `{` and the first `}` after it, if there are any; else the whole
 * key. Searching bytes is safe in UTF-8: `{` and `}` never occur inside a multi-byte character.
 */
function hashedPart(key: Uint8Array): Uint8Array {
  const open = key.indexOf(OPEN_BRACE);
  if (open === -1) return key;
  const close = key.indexOf(CLOSE_BRACE, open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.subarray(open + 1, close);
}

/**
 * The one slot that all `keys` hash to, as a multi-key command (MGET, MULTI/EXEC, a Lua script)
 * requires in a cluster.
 * @throws {CrossSlotError} if two keys hash to different slots.
 * @throws {RangeError} if `keys` is empty: a command without keys has no slot.
 */
export function slotOf(keys: readonly Key[]): number {
  const [first, ...rest] = keys;
  if (first === undefined) throw new RangeError('keys must not be empty: a command without keys has no slot');
  const slot = keySlot(first);
  for (const key of rest) {
    if (keySlot(key) !== slot) throw new CrossSlotError();
  }
  return slot;
}

/**
 * `keys` grouped by slot, to split a multi-key command (MGET, DEL) into one command per slot.
 * Slots come in the order of their first key, and keys keep their order within a slot.
 */
export function groupBySlot<K extends Key>(keys: readonly K[]): Map<number, K[]> {
  const groups = new Map<number, K[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [key]);
    else group.push(key);
  }
  return groups;
}

/**
 * The redirection in a node's error reply, or `undefined` if the reply is any other error.
 * `MOVED <slot> <host:port>`: the slot belongs to that node now. `ASK <slot> <host:port>`: the
 * slot is migrating and the key is on that node; ask it once, after `ASKING`.
 */
export function parseRedirection(message: string): Redirection | undefined {
  const match = /^(MOVED|ASK) (\d{1,5}) (\S+)$/.exec(message);
  if (match === null) return undefined;
  const slot = Number(match[2]);
  if (slot >= SLOT_COUNT) return undefined;
  return { kind: match[1] === 'MOVED' ? 'MOVED' : 'ASK', slot, node: match[3]! };
}

/** Which node serves each of the 16384 slots: the client's copy of the cluster's configuration. */
export class SlotTable {
  readonly #owners: string[];

  /**
   * @param ranges slot ranges that together cover 0..16383 exactly once, as CLUSTER SLOTS lists them.
   * @throws {TypeError} if `ranges` is not an array or a range is not `{ start, end, node }`.
   * @throws {RangeError} if a range is out of 0..16383 or reversed, a node is empty, or a slot
   *   is covered twice or not at all.
   */
  constructor(ranges: readonly SlotRange[]) {
    if (!Array.isArray(ranges)) throw new TypeError(`ranges must be an array, got ${show(ranges)}`);
    const owners = new Array<string | undefined>(SLOT_COUNT).fill(undefined);
    for (const range of ranges) {
      checkRange(range);
      for (let slot = range.start; slot <= range.end; slot++) {
        const owner = owners[slot];
        if (owner !== undefined) throw new RangeError(`slot ${slot} is assigned twice, to ${owner} and to ${range.node}`);
        owners[slot] = range.node;
      }
    }
    const missing = owners.indexOf(undefined);
    if (missing !== -1) throw new RangeError(`slot ${missing} is not assigned to any node`);
    this.#owners = owners as string[];
  }

  /** The node that serves `slot`. @throws {RangeError} unless `slot` is an integer in 0..16383. */
  nodeFor(slot: number): string {
    checkSlot(slot);
    return this.#owners[slot]!;
  }

  /**
   * Records that `node` now serves `slot`, as a `MOVED` reply says.
   * @throws {RangeError} for a slot out of 0..16383 or an empty node.
   */
  assign(slot: number, node: string): void {
    checkSlot(slot);
    checkNode(node);
    this.#owners[slot] = node;
  }

  /** The table as the fewest ranges, in slot order: adjacent slots of one node form one range. */
  ranges(): SlotRange[] {
    const ranges: SlotRange[] = [];
    let start = 0;
    for (let slot = 1; slot <= SLOT_COUNT; slot++) {
      if (slot === SLOT_COUNT || this.#owners[slot] !== this.#owners[start]) {
        ranges.push({ start, end: slot - 1, node: this.#owners[start]! });
        start = slot;
      }
    }
    return ranges;
  }
}

/**
 * Routes commands by slot and follows redirections. `send` does the I/O, so the same client runs
 * on sockets or on a fake cluster.
 */
export class ClusterClient<Reply = unknown> {
  readonly #table: SlotTable;
  readonly #send: Send<Reply>;
  readonly #maxRedirections: number;

  /**
   * @param table the slot table to route with; `MOVED` replies update it.
   * @throws {TypeError} if `table` is not a SlotTable or `send` not a function.
   * @throws {RangeError} if `maxRedirections` is not a non-negative integer.
   */
  constructor(table: SlotTable, send: Send<Reply>, { maxRedirections = 16 }: ClusterClientOptions = {}) {
    if (!(table instanceof SlotTable)) throw new TypeError(`table must be a SlotTable, got ${show(table)}`);
    if (typeof send !== 'function') throw new TypeError(`send must be a function, got ${show(send)}`);
    if (!Number.isSafeInteger(maxRedirections) || maxRedirections < 0) {
      throw new RangeError(`maxRedirections must be a non-negative integer, got ${maxRedirections}`);
    }
    this.#table = table;
    this.#send = send;
    this.#maxRedirections = maxRedirections;
  }

  /**
   * Sends `command`, whose keys are `keys`, to the node that serves their slot, following `MOVED`
   * (updating the table) and `ASK` (one attempt at the target with `asking`, table untouched).
   * Any other failure of `send` rejects unchanged.
   * @throws {CrossSlotError} before sending anything, if the keys are in different slots.
   * @throws {TooManyRedirectionsError} after `maxRedirections` redirections, with the last as `cause`.
   */
  async execute(command: readonly Key[], keys: readonly Key[]): Promise<Reply> {
    const slot = slotOf(keys);
    let node = this.#table.nodeFor(slot);
    let asking = false;
    for (let redirections = 0; ; redirections++) {
      try {
        return await this.#send(node, command, { asking });
      } catch (error: unknown) {
        const redirection = error instanceof Error ? parseRedirection(error.message) : undefined;
        if (redirection === undefined) throw error;
        if (redirections === this.#maxRedirections) {
          throw new TooManyRedirectionsError(slot, redirections, { cause: error });
        }
        if (redirection.kind === 'MOVED') this.#table.assign(redirection.slot, redirection.node);
        node = redirection.node;
        asking = redirection.kind === 'ASK';
      }
    }
  }
}

function checkRange(range: SlotRange): void {
  if (typeof range !== 'object' || range === null) throw new TypeError(`a range must be { start, end, node }, got ${show(range)}`);
  checkSlot(range.start, 'start');
  checkSlot(range.end, 'end');
  checkNode(range.node);
  if (range.start > range.end) throw new RangeError(`range ${range.start}..${range.end} of ${range.node} ends before it starts`);
}

function checkSlot(slot: number, name = 'slot'): void {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) {
    throw new RangeError(`${name} must be an integer in 0..${SLOT_COUNT - 1}, got ${show(slot)}`);
  }
}

function checkNode(node: string): void {
  if (typeof node !== 'string' || node === '') throw new RangeError(`node must be a non-empty string, got ${show(node)}`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
