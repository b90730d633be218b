/**
 * Unique ids without coordination, and short codes for a URL shortener: a Snowflake id
 * generator (BigInt ids), base62 encoding (`0-9A-Za-z`), and a `UrlShortener` built on them.
 *
 * The error classes, constants and types are given; implement the functions and classes.
 * Read README.md for the idea, `npm run kata -- hint id-generation` when you are stuck.
 */

/** A source of time in milliseconds since the Unix epoch; fractions are ignored. */
export interface Clock {
  now(): number;
}

/** Twitter's Snowflake epoch, 2010-11-04T01:42:54.657Z, in milliseconds since the Unix epoch. */
export const TWITTER_EPOCH = 1288834974657;

export interface SnowflakeOptions {
  /** 0 to 31. */
  readonly datacenterId: number;
  /** 0 to 31, unique within the datacenter. */
  readonly workerId: number;
  readonly clock: Clock;
  /** Milliseconds since the Unix epoch where the id's time starts; `TWITTER_EPOCH` by default. */
  readonly epoch?: number;
  /**
   * How many times `nextId` reads the clock, after 4096 ids in one millisecond, waiting for the
   * next millisecond before it gives up: 1,000,000 by default, tens of milliseconds of a real clock.
   */
  readonly maxSpins?: number;
}

/** The fields of a Snowflake id. */
export interface SnowflakeParts {
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  datacenterId: number;
  workerId: number;
  /** The id's rank within its millisecond on its worker, 0 to 4095. */
  sequence: number;
}

/** The clock went back in time: issuing ids now could repeat ids already issued. */
export class ClockMovedBackwardsError extends Error {
  override readonly name = 'ClockMovedBackwardsError';

  /** @param offsetMs how far behind the last id's time the clock is. */
  constructor(readonly offsetMs: number) {
    super(`clock moved backwards by ${offsetMs} ms: refusing to generate ids until it catches up`);
  }
}

/** 4096 ids were issued in one millisecond and the clock did not move on. */
export class SequenceExhaustedError extends Error {
  override readonly name = 'SequenceExhaustedError';

  /** @param timestamp the exhausted millisecond, since the Unix epoch. */
  constructor(readonly timestamp: number) {
    super(`4096 ids issued at ${timestamp} and the clock did not reach the next millisecond`);
  }
}

/** A Snowflake id generator for one worker. Not shared across processes: give each its own ids. */
export class Snowflake {
  /**
   * @throws {RangeError} unless `datacenterId` and `workerId` are integers from 0 to 31,
   * `epoch` a non-negative integer and `maxSpins` a positive integer.
   */
  constructor(_options: SnowflakeOptions) {
    throw new Error('TODO: implement the Snowflake constructor');
  }

  /**
   * The next id: greater than every id this generator issued before.
   * @throws {ClockMovedBackwardsError} when the clock is behind the last id's time.
   * @throws {SequenceExhaustedError} when 4096 ids were issued this millisecond and the clock
   * does not reach the next one within `maxSpins` reads.
   * @throws {RangeError} when the clock is before the epoch, or 2^41 ms (69 years) after it.
   */
  nextId(): bigint {
    throw new Error('TODO: implement Snowflake#nextId');
  }
}

/**
 * The fields of a Snowflake id made with `epoch`.
 * @throws {RangeError} unless `id` is from 0 to 2^63 - 1.
 */
export function decode(_id: bigint, _epoch: number = TWITTER_EPOCH): SnowflakeParts {
  throw new Error('TODO: implement decode');
}

/** The base62 digits, from 0 to 61: digits, then upper case, then lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `n` in base62, most significant digit first, with no leading zeros: 0 is "0", 61 is "z",
 * 62 is "10".
 * @throws {RangeError} for a negative `n`.
 */
export function toBase62(_n: bigint): string {
  throw new Error('TODO: implement toBase62');
}

/**
 * The number that `text` writes in base62; leading zeros are allowed.
 * @throws {RangeError} when `text` is empty or has a character outside `0-9A-Za-z`.
 */
export function fromBase62(_text: string): bigint {
  throw new Error('TODO: implement fromBase62');
}

/** A custom alias already points to another URL. */
export class AliasTakenError extends Error {
  override readonly name = 'AliasTakenError';

  constructor(readonly alias: string) {
    super(`alias "${alias}" is taken`);
  }
}

export interface UrlShortenerOptions {
  /**
   * Where generated codes come from: base62 of each id. It must never repeat an id. By default
   * a counter from 1; pass a Snowflake's `nextId` to generate on many servers without a shared
   * counter.
   */
  readonly nextId?: () => bigint;
}

export interface ShortenOptions {
  /** A custom code: 4 to 32 characters among `0-9A-Za-z`, `-` and `_`. */
  readonly alias?: string;
}

/** Short codes for URLs, kept in memory. */
export class UrlShortener {
  constructor(_options: UrlShortenerOptions = {}) {
    throw new Error('TODO: implement the UrlShortener constructor');
  }

  /**
   * A code for `url`. Without an alias: the URL's first code if it has one, otherwise a new
   * generated code. With an alias: the alias, which now also points to the URL. URLs are
   * normalized first (`HTTPS://Example.com` is `https://example.com/`).
   * @throws {RangeError} unless `url` is an absolute http or https URL, or when the alias breaks
   * the alias rules.
   * @throws {AliasTakenError} when the alias points to another URL.
   */
  shorten(_url: string, _options: ShortenOptions = {}): string {
    throw new Error('TODO: implement UrlShortener#shorten');
  }

  /** The URL `code` points to, or `undefined` for an unknown code. */
  resolve(_code: string): string | undefined {
    throw new Error('TODO: implement UrlShortener#resolve');
  }
}
