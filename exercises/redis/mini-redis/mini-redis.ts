/**
 * Mini Redis: a TCP server that speaks RESP2 and RESP3 well enough for ioredis, redis-cli and
 * redis-benchmark, with strings, hashes, lists, sorted sets and expiry.
 *
 * `resp.ts` beside this file is given complete: its `RespParser` (mode 'requests') reads the
 * commands, its `RespWriter` and `encode` write the replies. Read README.md for the commands to
 * support, `npm run kata -- hint mini-redis` when you are stuck.
 */
import type net from 'node:net';

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

/**
 * A Redis server, not listening yet: call `listen(port)` on it. Every server has its own data.
 * @throws {RangeError} unless `sweepSample` is a positive integer.
 */
export function createServer(_options: ServerOptions = {}): net.Server {
  throw new Error('TODO: implement createServer');
}
