/**
 * RESP, the protocol Redis speaks on the wire: an encoder, and an incremental parser that takes
 * bytes as the socket delivers them and returns every value they complete.
 *
 * The parser keeps the bytes it has not consumed yet in one growable buffer, and the containers
 * it is still filling on a stack. A scalar (a line, or a bulk string with its payload) is taken
 * only once all of it is there; a container header is taken at once and its frame waits on the
 * stack for its elements. So a value may be cut anywhere, even between `\r` and `\n`.
 *
 * Complexity: push is O(chunk length) amortized: each byte is copied once into the buffer and
 * scanned once for its line end; a bulk string still waiting for its payload costs a re-read of
 * its short header per push. encode is O(size of the encoding).
 * Memory is bounded by the limits, whatever the input: a line without its `\r\n` is held up to
 * maxLineLength bytes, a bulk string up to maxBulkLength, and containers nest up to maxDepth.
 * Trade-off: each chunk is copied into the buffer, which keeps the parsing code simple (one
 * contiguous region) at the cost of one memcpy per byte.
 */

/**
 * One RESP value. RESP2 has the first five types; `bulk` and `array` carry `null` for RESP2's
 * null bulk string (`$-1`) and null array (`*-1`). RESP3 adds the rest.
 */
export type RespValue =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'integer'; readonly value: bigint }
  | { readonly type: 'bulk'; readonly value: Uint8Array | null }
  | { readonly type: 'array'; readonly value: readonly RespValue[] | null }
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'big-number'; readonly value: bigint }
  | { readonly type: 'bulk-error'; readonly value: string }
  | { readonly type: 'verbatim'; readonly format: string; readonly value: string }
  | { readonly type: 'map'; readonly value: readonly (readonly [RespValue, RespValue])[] }
  | { readonly type: 'set'; readonly value: readonly RespValue[] }
  | { readonly type: 'push'; readonly value: readonly RespValue[] };

/** Bytes that are not valid RESP. The message is Redis's where Redis has one. */
export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

export interface RespParserOptions {
  /**
   * `'replies'` (the default) reads what a server sends: every RESP2 and RESP3 type.
   * `'requests'` reads what a client sends: arrays of bulk strings, or inline commands.
   */
  readonly mode?: 'replies' | 'requests';
  /** The longest bulk string, in bytes; default 512 MiB, Redis's `proto-max-bulk-len`. */
  readonly maxBulkLength?: number;
  /** The most elements of an array, set or push, or pairs of a map; default 2^31 - 1. */
  readonly maxArrayLength?: number;
  /** The deepest nesting of containers; default 128. */
  readonly maxDepth?: number;
  /** The longest line (a simple string, a number, an inline command), in bytes; default 64 KiB. */
  readonly maxLineLength?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const COLON = 0x3a;
const DOLLAR = 0x24;
const STAR = 0x2a;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DOUBLE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MIN_CAPACITY = 1024;
/** An empty buffer larger than this is dropped, so that one huge value does not pin its memory. */
const SHRINK_ABOVE = 1024 * 1024;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

type Container = 'array' | 'map' | 'set' | 'push';
const CONTAINERS = new Map<number, Container>([
  [STAR, 'array'],
  [0x25, 'map'],
  [0x7e, 'set'],
  [0x3e, 'push'],
]);

/** A container still waiting for `remaining` elements (a map waits for keys and values). */
interface Frame {
  readonly type: Container;
  readonly items: RespValue[];
  remaining: number;
}

function containerValue(type: Container, items: RespValue[]): RespValue {
  if (type !== 'map') return { type, value: items };
  const pairs: [RespValue, RespValue][] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
  return { type, value: pairs };
}

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09;

function checkLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Reads RESP from a stream of chunks. One parser per connection: it keeps the state of a value
 * cut across chunks. After a protocol error it refuses further input, since nothing after the
 * bad byte can be trusted (Redis answers the error and closes the connection).
 */
export class RespParser {
  readonly #requests: boolean;
  readonly #maxBulkLength: number;
  readonly #maxArrayLength: number;
  readonly #maxDepth: number;
  readonly #maxLineLength: number;
  #buffer = new Uint8Array(0);
  /** The unconsumed bytes are buffer[start, end). */
  #start = 0;
  #end = 0;
  /** No line end of the current line lies before this index: where the next search resumes. */
  #scanned = 0;
  readonly #stack: Frame[] = [];
  #failure: RespProtocolError | undefined;

  /** @throws {RangeError} for an unknown mode or a limit that is not a positive integer. */
  constructor({
    mode = 'replies',
    maxBulkLength = 512 * 1024 * 1024,
    maxArrayLength = 2 ** 31 - 1,
    maxDepth = 128,
    maxLineLength = 64 * 1024,
  }: RespParserOptions = {}) {
    if (mode !== 'replies' && mode !== 'requests') throw new RangeError(`mode must be 'replies' or 'requests', got ${String(mode)}`);
    this.#requests = mode === 'requests';
    this.#maxBulkLength = checkLimit('maxBulkLength', maxBulkLength);
    this.#maxArrayLength = checkLimit('maxArrayLength', maxArrayLength);
    this.#maxDepth = checkLimit('maxDepth', maxDepth);
    this.#maxLineLength = checkLimit('maxLineLength', maxLineLength);
  }

  /**
   * Takes the next bytes of the stream and returns every value they complete, in order (none
   * if the stream stops inside a value: the bytes are kept for the next push). Bulk strings
   * are copies, never views of `chunk`.
   * In requests mode each value is an array of bulk strings; an empty request is skipped.
   * @throws {RespProtocolError} at the first invalid byte or exceeded limit, and on every push
   *   after that; values completed earlier in the same chunk are lost with it.
   */
  push(chunk: Uint8Array): RespValue[] {
    if (this.#failure !== undefined) throw this.#failure;
    this.#append(chunk);
    const values: RespValue[] = [];
    try {
      while (this.#start < this.#end && this.#step(values));
    } catch (err: unknown) {
      if (err instanceof RespProtocolError) this.#failure = err;
      throw err;
    }
    return values;
  }

  #append(chunk: Uint8Array): void {
    if (this.#start === this.#end) {
      this.#start = this.#end = this.#scanned = 0;
      if (this.#buffer.length > SHRINK_ABOVE) this.#buffer = new Uint8Array(0);
    }
    if (this.#end + chunk.length > this.#buffer.length) {
      const live = this.#end - this.#start;
      const needed = live + chunk.length;
      // Compact only when that frees at least half the buffer: each byte then moves O(1) times.
      if (needed <= this.#buffer.length >> 1) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2, MIN_CAPACITY));
        grown.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = grown;
      }
      this.#scanned -= this.#start;
      this.#start = 0;
      this.#end = live;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /** Consumes one scalar or container header if it is all there; false when it is not yet. */
  #step(values: RespValue[]): boolean {
    const buffer = this.#buffer;
    const marker = buffer[this.#start]!;
    if (this.#requests) {
      // Redis reads anything that does not start with '*' as an inline command, as typed in telnet.
      if (this.#stack.length === 0 && marker !== STAR) return this.#inline(values);
      if (this.#stack.length > 0 && marker !== DOLLAR) {
        throw new RespProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(marker)}'`);
      }
    }
    const cr = this.#lineEnd();
    if (cr === -1) return false;
    const from = this.#start + 1;
    let next = cr + 2;
    let value: RespValue;
    switch (marker) {
      case PLUS:
        value = { type: 'simple', value: this.#text(from, cr) };
        break;
      case MINUS:
        value = { type: 'error', value: this.#text(from, cr) };
        break;
      case COLON: {
        const integer = this.#bigint(from, cr);
        if (integer === undefined || integer < INT64_MIN || integer > INT64_MAX) throw new RespProtocolError('Protocol error: invalid integer');
        value = { type: 'integer', value: integer };
        break;
      }
      case 0x28: {
        const integer = this.#bigint(from, cr);
        if (integer === undefined) throw new RespProtocolError('Protocol error: invalid big number');
        value = { type: 'big-number', value: integer };
        break;
      }
      case 0x2c:
        value = { type: 'double', value: parseDouble(this.#text(from, cr)) };
        break;
      case 0x23: {
        const flag = cr === from + 1 ? buffer[from] : undefined;
        if (flag !== 0x74 && flag !== 0x66) throw new RespProtocolError('Protocol error: invalid boolean');
        value = { type: 'boolean', value: flag === 0x74 };
        break;
      }
      case 0x5f:
        if (cr !== from) throw new RespProtocolError('Protocol error: invalid null');
        value = { type: 'null' };
        break;
      case DOLLAR:
      case 0x21:
      case 0x3d: {
        const length = this.#length(from, cr);
        if (marker === DOLLAR && length === -1 && !this.#requests) {
          value = { type: 'bulk', value: null };
          break;
        }
        if (!(length >= 0 && length <= this.#maxBulkLength)) throw new RespProtocolError('Protocol error: invalid bulk length');
        const end = next + length;
        // The payload is not all there: leave the header too, and read it again next time.
        if (end + 2 > this.#end) return false;
        if (buffer[end] !== CR || buffer[end + 1] !== LF) throw new RespProtocolError('Protocol error: bulk string not followed by \\r\\n');
        value = this.#blob(marker, next, end);
        next = end + 2;
        break;
      }
      default: {
        const type = CONTAINERS.get(marker);
        if (type === undefined) throw new RespProtocolError(`Protocol error, got ${JSON.stringify(String.fromCharCode(marker))} as reply type byte`);
        const count = this.#length(from, cr);
        if (this.#requests) {
          if (Number.isNaN(count) || count > this.#maxArrayLength) throw new RespProtocolError('Protocol error: invalid multibulk length');
          this.#consume(next);
          // Like Redis, skip an empty request (a count of 0 or less).
          if (count > 0) this.#stack.push({ type, items: [], remaining: count });
          return true;
        }
        if (type === 'array' && count === -1) {
          value = { type, value: null };
          break;
        }
        if (!(count >= 0 && count <= this.#maxArrayLength)) throw new RespProtocolError('Protocol error: invalid multibulk length');
        if (this.#stack.length >= this.#maxDepth) throw new RespProtocolError(`Protocol error: nesting deeper than ${this.#maxDepth}`);
        if (count === 0) {
          value = containerValue(type, []);
          break;
        }
        this.#consume(next);
        this.#stack.push({ type, items: [], remaining: type === 'map' ? count * 2 : count });
        return true;
      }
    }
    this.#consume(next);
    this.#complete(value, values);
    return true;
  }

  /** Hands `value` to the container it belongs to, closing every container it completes. */
  #complete(value: RespValue, values: RespValue[]): void {
    for (;;) {
      const frame = this.#stack.at(-1);
      if (frame === undefined) {
        values.push(value);
        return;
      }
      frame.items.push(value);
      if (--frame.remaining > 0) return;
      this.#stack.pop();
      value = containerValue(frame.type, frame.items);
    }
  }

  #consume(next: number): void {
    this.#start = next;
    this.#scanned = next;
  }

  /** The index of the `\r` that ends the line at start, or -1 while the line is incomplete. */
  #lineEnd(): number {
    const buffer = this.#buffer;
    const end = this.#end;
    let cr = Math.max(this.#scanned, this.#start);
    while (cr < end && buffer[cr] !== CR) cr++;
    // A chunk may end between '\r' and '\n': the line is complete only with both.
    if (cr + 1 >= end) {
      this.#scanned = cr;
      if (end - this.#start > this.#maxLineLength + 1) throw new RespProtocolError(`Protocol error: line longer than ${this.#maxLineLength} bytes`);
      return -1;
    }
    if (buffer[cr + 1] !== LF) throw new RespProtocolError("Protocol error: '\\r' not followed by '\\n'");
    if (cr - this.#start > this.#maxLineLength) throw new RespProtocolError(`Protocol error: line longer than ${this.#maxLineLength} bytes`);
    return cr;
  }

  /** An inline command: words separated by spaces, up to '\n' (with or without '\r'). */
  #inline(values: RespValue[]): boolean {
    const bytes = this.#buffer;
    let lf = Math.max(this.#scanned, this.#start);
    while (lf < this.#end && bytes[lf] !== LF) lf++;
    if (lf === this.#end) {
      this.#scanned = lf;
      if (this.#end - this.#start > this.#maxLineLength) throw new RespProtocolError('Protocol error: too big inline request');
      return false;
    }
    if (lf - this.#start > this.#maxLineLength + 1) throw new RespProtocolError('Protocol error: too big inline request');
    const end = lf > this.#start && bytes[lf - 1] === CR ? lf - 1 : lf;
    const words: RespValue[] = [];
    for (let i = this.#start; i < end; ) {
      while (i < end && isSpace(bytes[i]!)) i++;
      const word = i;
      while (i < end && !isSpace(bytes[i]!)) i++;
      if (i > word) words.push({ type: 'bulk', value: bytes.slice(word, i) });
    }
    this.#consume(lf + 1);
    if (words.length > 0) values.push({ type: 'array', value: words });
    return true;
  }

  #blob(marker: number, from: number, to: number): RespValue {
    if (marker === DOLLAR) return { type: 'bulk', value: this.#buffer.slice(from, to) };
    if (marker === 0x21) return { type: 'bulk-error', value: this.#text(from, to) };
    if (to - from < 4 || this.#buffer[from + 3] !== COLON) throw new RespProtocolError('Protocol error: invalid verbatim string');
    return { type: 'verbatim', format: this.#text(from, from + 3), value: this.#text(from + 4, to) };
  }

  #text(from: number, to: number): string {
    return utf8Decoder.decode(this.#buffer.subarray(from, to));
  }

  /** A length or count in bytes [from, to): a small decimal, maybe -1; NaN when it is not one. */
  #length(from: number, to: number): number {
    const bytes = this.#buffer;
    const negative = bytes[from] === MINUS;
    const digits = negative ? from + 1 : from;
    if (digits === to || to - digits > 15) return Number.NaN;
    let n = 0;
    for (let i = digits; i < to; i++) {
      const digit = bytes[i]! - 0x30;
      if (digit < 0 || digit > 9) return Number.NaN;
      n = n * 10 + digit;
    }
    return negative ? -n : n;
  }

  /** A signed decimal integer of any size in bytes [from, to), or undefined when it is not one. */
  #bigint(from: number, to: number): bigint | undefined {
    const bytes = this.#buffer;
    const digits = bytes[from] === MINUS || bytes[from] === PLUS ? from + 1 : from;
    if (digits === to) return undefined;
    for (let i = digits; i < to; i++) if (bytes[i]! < 0x30 || bytes[i]! > 0x39) return undefined;
    // BigInt() reads the sign itself.
    return BigInt(this.#text(from, to));
  }
}

function parseDouble(text: string): number {
  if (DOUBLE.test(text)) return Number(text);
  switch (text.toLowerCase()) {
    case 'inf':
    case '+inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
    case '-nan':
      return Number.NaN;
    default:
      throw new RespProtocolError('Protocol error: invalid double');
  }
}

function formatDouble(n: number): string {
  if (Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n);
  return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
}

/** A growable byte buffer for the encoder. */
class Writer {
  #bytes = new Uint8Array(64);
  #length = 0;

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#length + extra, this.#bytes.length * 2));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  /** Text known to be ASCII: headers, numbers. */
  ascii(text: string): void {
    this.#reserve(text.length);
    for (let i = 0; i < text.length; i++) this.#bytes[this.#length++] = text.charCodeAt(i);
  }

  utf8(text: string): void {
    this.#reserve(text.length * 3);
    this.#length += utf8Encoder.encodeInto(text, this.#bytes.subarray(this.#length)).written;
  }

  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  result(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}

function line(writer: Writer, marker: string, text: string, what: string): void {
  if (/[\r\n]/.test(text)) throw new RangeError(`${what} must not contain \\r or \\n, got ${JSON.stringify(text)}`);
  writer.ascii(marker);
  writer.utf8(text);
  writer.ascii('\r\n');
}

/** A blob whose length is its UTF-8 byte count: a bulk error, a verbatim string. */
function textBlob(writer: Writer, marker: string, text: string): void {
  const bytes = utf8Encoder.encode(text);
  writer.ascii(`${marker}${bytes.length}\r\n`);
  writer.bytes(bytes);
  writer.ascii('\r\n');
}

function write(writer: Writer, value: RespValue): void {
  switch (value.type) {
    case 'simple':
      return line(writer, '+', value.value, 'a simple string');
    case 'error':
      return line(writer, '-', value.value, 'an error');
    case 'integer':
      if (value.value < INT64_MIN || value.value > INT64_MAX) throw new RangeError(`an integer must fit in 64 bits, got ${value.value}`);
      return writer.ascii(`:${value.value}\r\n`);
    case 'bulk':
      if (value.value === null) return writer.ascii('$-1\r\n');
      writer.ascii(`$${value.value.length}\r\n`);
      writer.bytes(value.value);
      return writer.ascii('\r\n');
    case 'array':
      if (value.value === null) return writer.ascii('*-1\r\n');
      return writeAll(writer, '*', value.value);
    case 'null':
      return writer.ascii('_\r\n');
    case 'boolean':
      return writer.ascii(value.value ? '#t\r\n' : '#f\r\n');
    case 'double':
      return writer.ascii(`,${formatDouble(value.value)}\r\n`);
    case 'big-number':
      return writer.ascii(`(${value.value}\r\n`);
    case 'bulk-error':
      return textBlob(writer, '!', value.value);
    case 'verbatim':
      if (utf8Encoder.encode(value.format).length !== 3) throw new RangeError(`a verbatim format must be 3 bytes, got ${JSON.stringify(value.format)}`);
      return textBlob(writer, '=', `${value.format}:${value.value}`);
    case 'map':
      writer.ascii(`%${value.value.length}\r\n`);
      for (const [key, item] of value.value) {
        write(writer, key);
        write(writer, item);
      }
      return;
    case 'set':
      return writeAll(writer, '~', value.value);
    case 'push':
      return writeAll(writer, '>', value.value);
    default:
      throw new TypeError(`value must be a RESP value, got type ${JSON.stringify((value as { type?: unknown }).type)}`);
  }
}

function writeAll(writer: Writer, marker: string, items: readonly RespValue[]): void {
  writer.ascii(`${marker}${items.length}\r\n`);
  for (const item of items) write(writer, item);
}

/**
 * The RESP encoding of `value`, exactly as its type says (a RESP3 type is written as RESP3).
 * @throws {RangeError} for a simple string or error containing `\r` or `\n`, an integer outside
 *   64 bits, or a verbatim format that is not 3 bytes.
 * @throws {TypeError} for something that is not a RESP value.
 */
export function encode(value: RespValue): Uint8Array {
  const writer = new Writer();
  write(writer, value);
  return writer.result();
}
