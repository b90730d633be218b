/**
 * Unique ids without coordination, and short codes for a URL shortener.
 *
 * - Snowflake (Twitter, 2010): a 63-bit id made of 41 bits of milliseconds since an epoch,
 *   5 bits of datacenter, 5 bits of worker and 12 bits of sequence within the millisecond. Each
 *   worker generates alone, up to 4096 ids per millisecond, and ids sort by time.
 * - Base62 (`0-9A-Za-z`): a bigint written with 62 digits, so any 64-bit id fits in 11
 *   characters that are safe in a URL.
 * - UrlShortener: a code per URL, base62 of an id from an injected source (a counter by default,
 *   or a Snowflake), plus custom aliases.
 *
 * Complexity: nextId is O(1), except when 4096 ids were taken in one millisecond: it then reads
 * the clock until the next one (at most `maxSpins` reads). toBase62 and fromBase62 are O(k) for
 * k digits. shorten and resolve are O(1) map operations, plus the URL parsing.
 * Trade-off: Snowflake ids need a worker id per process and a clock that does not go backwards,
 * in exchange for no round trip per id; a database counter needs neither, but every id costs a
 * round trip to one place. Sequential codes are short but guessable.
 */

/** A source of time in milliseconds since the Unix epoch; fractions are ignored. */
export interface Clock {
  now(): number;
}

/** Twitter's Snowflake epoch, 2010-11-04T01:42:54.657Z, in milliseconds since the Unix epoch. */
export const TWITTER_EPOCH = 1288834974657;

const SEQUENCE_BITS = 12;
const WORKER_BITS = 5;
const DATACENTER_BITS = 5;
const TIMESTAMP_BITS = 41;
const SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;
const MAX_NODE_ID = (1 << WORKER_BITS) - 1;
const MAX_TIMESTAMP = 2 ** TIMESTAMP_BITS;
const WORKER_SHIFT = SEQUENCE_BITS;
const DATACENTER_SHIFT = SEQUENCE_BITS + WORKER_BITS;
const TIMESTAMP_SHIFT = BigInt(SEQUENCE_BITS + WORKER_BITS + DATACENTER_BITS);

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
  readonly #clock: Clock;
  readonly #epoch: number;
  readonly #maxSpins: number;
  /** The datacenter and worker bits, the same in every id of this generator. */
  readonly #node: bigint;
  /** The time of the last id, in milliseconds since the epoch; -1 before the first. */
  #last = -1;
  #sequence = 0;

  /**
   * @throws {RangeError} unless `datacenterId` and `workerId` are integers from 0 to 31,
   * `epoch` a non-negative integer and `maxSpins` a positive integer.
   */
  constructor({ datacenterId, workerId, clock, epoch = TWITTER_EPOCH, maxSpins = 1_000_000 }: SnowflakeOptions) {
    requireNodeId('datacenterId', datacenterId);
    requireNodeId('workerId', workerId);
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
    if (!Number.isSafeInteger(maxSpins) || maxSpins <= 0) throw new RangeError(`maxSpins must be a positive integer, got ${maxSpins}`);
    this.#clock = clock;
    this.#epoch = epoch;
    this.#maxSpins = maxSpins;
    this.#node = BigInt((datacenterId << DATACENTER_SHIFT) | (workerId << WORKER_SHIFT));
  }

  /**
   * The next id: greater than every id this generator issued before.
   * @throws {ClockMovedBackwardsError} when the clock is behind the last id's time.
   * @throws {SequenceExhaustedError} when 4096 ids were issued this millisecond and the clock
   * does not reach the next one within `maxSpins` reads.
   * @throws {RangeError} when the clock is before the epoch, or 2^41 ms (69 years) after it.
   */
  nextId(): bigint {
    let now = this.#elapsed();
    if (this.#last > now) throw new ClockMovedBackwardsError(this.#last - now);
    const sequence = now === this.#last ? (this.#sequence + 1) & SEQUENCE_MASK : 0;
    // The sequence wrapped: this millisecond is used up. Waiting for the next one is the only
    // way not to repeat an id; the new millisecond starts again at sequence 0.
    if (now === this.#last && sequence === 0) now = this.#waitAfter(now);
    this.#last = now;
    this.#sequence = sequence;
    return (BigInt(now) << TIMESTAMP_SHIFT) | this.#node | BigInt(sequence);
  }

  /** The clock, in milliseconds since the epoch. */
  #elapsed(): number {
    const now = this.#clock.now();
    const elapsed = Math.floor(now) - this.#epoch;
    if (!(elapsed >= 0 && elapsed < MAX_TIMESTAMP)) {
      throw new RangeError(`the clock must be within 2^41 ms after the epoch ${this.#epoch}, got ${now}`);
    }
    return elapsed;
  }

  #waitAfter(last: number): number {
    for (let spin = 0; spin < this.#maxSpins; spin++) {
      const now = this.#elapsed();
      if (now > last) return now;
    }
    throw new SequenceExhaustedError(last + this.#epoch);
  }
}

/**
 * The fields of a Snowflake id made with `epoch`.
 * @throws {RangeError} unless `id` is from 0 to 2^63 - 1.
 */
export function decode(id: bigint, epoch: number = TWITTER_EPOCH): SnowflakeParts {
  if (id < 0n || id >= 1n << 63n) throw new RangeError(`id must be a 63-bit non-negative bigint, got ${id}`);
  return {
    timestamp: Number(id >> TIMESTAMP_SHIFT) + epoch,
    datacenterId: Number((id >> BigInt(DATACENTER_SHIFT)) & BigInt(MAX_NODE_ID)),
    workerId: Number((id >> BigInt(WORKER_SHIFT)) & BigInt(MAX_NODE_ID)),
    sequence: Number(id & BigInt(SEQUENCE_MASK)),
  };
}

/** The base62 digits, from 0 to 61: digits, then upper case, then lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const DIGIT_VALUES = new Map(Array.from(BASE62_ALPHABET, (digit, value) => [digit, BigInt(value)]));

/**
 * `n` in base62, most significant digit first, with no leading zeros: 0 is "0", 61 is "z",
 * 62 is "10".
 * @throws {RangeError} for a negative `n`.
 */
export function toBase62(n: bigint): string {
  if (n < 0n) throw new RangeError(`n must be a non-negative bigint, got ${n}`);
  if (n === 0n) return '0';
  const digits: string[] = [];
  for (let rest = n; rest > 0n; rest /= 62n) digits.push(BASE62_ALPHABET[Number(rest % 62n)]!);
  return digits.reverse().join('');
}

/**
 * The number that `text` writes in base62; leading zeros are allowed.
 * @throws {RangeError} when `text` is empty or has a character outside `0-9A-Za-z`.
 */
export function fromBase62(text: string): bigint {
  if (text === '') throw new RangeError('text must not be empty');
  let n = 0n;
  for (const [position, digit] of Array.from(text).entries()) {
    const value = DIGIT_VALUES.get(digit);
    if (value === undefined) {
      throw new RangeError(`text must use only 0-9A-Za-z, got ${JSON.stringify(digit)} at ${position} in ${JSON.stringify(text)}`);
    }
    n = n * 62n + value;
  }
  return n;
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

const ALIAS = /^[0-9A-Za-z_-]{4,32}$/;

/** Short codes for URLs, kept in memory. */
export class UrlShortener {
  readonly #nextId: () => bigint;
  /** code → URL, for every code: generated ones and aliases. */
  readonly #urls = new Map<string, string>();
  /** URL → its first code, so that shortening a URL again gives the same code. */
  readonly #codes = new Map<string, string>();

  constructor({ nextId }: UrlShortenerOptions = {}) {
    let counter = 0n;
    this.#nextId = nextId ?? (() => ++counter);
  }

  /**
   * A code for `url`. Without an alias: the URL's first code if it has one, otherwise a new
   * generated code. With an alias: the alias, which now also points to the URL. URLs are
   * normalized first (`HTTPS://Example.com` is `https://example.com/`).
   * @throws {RangeError} unless `url` is an absolute http or https URL, or when the alias breaks
   * the alias rules.
   * @throws {AliasTakenError} when the alias points to another URL.
   */
  shorten(url: string, { alias }: ShortenOptions = {}): string {
    const href = normalize(url);
    if (alias !== undefined) return this.#claim(alias, href);
    const existing = this.#codes.get(href);
    if (existing !== undefined) return existing;
    let code: string;
    // A custom alias may already hold the next generated code: skip it, never overwrite it.
    do code = toBase62(this.#nextId());
    while (this.#urls.has(code));
    this.#record(code, href);
    return code;
  }

  /** The URL `code` points to, or `undefined` for an unknown code. */
  resolve(code: string): string | undefined {
    return this.#urls.get(code);
  }

  #claim(alias: string, href: string): string {
    if (!ALIAS.test(alias)) {
      throw new RangeError(`alias must be 4 to 32 characters among 0-9A-Za-z, - and _, got ${JSON.stringify(alias)}`);
    }
    const owner = this.#urls.get(alias);
    if (owner !== undefined && owner !== href) throw new AliasTakenError(alias);
    if (owner === undefined) this.#record(alias, href);
    return alias;
  }

  #record(code: string, href: string): void {
    this.#urls.set(code, href);
    if (!this.#codes.has(href)) this.#codes.set(href, code);
  }
}

function requireNodeId(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_NODE_ID) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_NODE_ID}, got ${value}`);
  }
}

function normalize(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new RangeError(`url must be an absolute http or https URL, got ${JSON.stringify(url)}`);
  }
  return parsed.href;
}
