/**
 * RESP, the protocol Redis speaks on the wire: an encoder, and an incremental parser that takes
 * bytes as the socket delivers them and returns every value they complete.
 *
 * Read README.md for the protocol, `npm run kata -- hint resp-protocol` when you are stuck.
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

/**
 * Reads RESP from a stream of chunks. One parser per connection: it keeps the state of a value
 * cut across chunks. After a protocol error it refuses further input, since nothing after the
 * bad byte can be trusted (Redis answers the error and closes the connection).
 */
export class RespParser {
  /** @throws {RangeError} for an unknown mode or a limit that is not a positive integer. */
  constructor(_options: RespParserOptions = {}) {
    throw new Error('TODO: implement the RespParser constructor');
  }

  /**
   * Takes the next bytes of the stream and returns every value they complete, in order (none
   * if the stream stops inside a value: the bytes are kept for the next push). Bulk strings
   * are copies, never views of `chunk`.
   * In requests mode each value is an array of bulk strings; an empty request is skipped.
   * @throws {RespProtocolError} at the first invalid byte or exceeded limit, and on every push
   *   after that; values completed earlier in the same chunk are lost with it.
   */
  push(_chunk: Uint8Array): RespValue[] {
    throw new Error('TODO: implement RespParser#push');
  }
}

/**
 * The RESP encoding of `value`, exactly as its type says (a RESP3 type is written as RESP3).
 * @throws {RangeError} for a simple string or error containing `\r` or `\n`, an integer outside
 *   64 bits, or a verbatim format that is not 3 bytes.
 * @throws {TypeError} for something that is not a RESP value.
 */
export function encode(_value: RespValue): Uint8Array {
  throw new Error('TODO: implement encode');
}
