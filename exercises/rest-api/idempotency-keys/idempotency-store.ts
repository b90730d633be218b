/**
 * The idempotency keys table, kept in memory. This file is given: use it from
 * idempotency-keys.ts as it is.
 *
 * It behaves like Redis across a network. Every call is asynchronous and yields before it
 * touches the keys, so requests in flight interleave as they would against a real server.
 * Records go in and come out as copies. Keys expire on their own, measured on the injected
 * clock. Each method names the Redis command it stands for.
 */

/** A response as stored for a replay: everything needed to send it again, byte for byte. */
export interface StoredResponse {
  readonly status: number;
  /** Header name and value pairs, as `[...response.headers]` lists them. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}

/** What the store keeps under an idempotency key. */
export type IdempotencyRecord =
  /** The first request with this key is running; `fingerprint` identifies its payload. */
  | { readonly state: 'in-flight'; readonly fingerprint: string }
  /** The first request finished with `response`, to be replayed for repeats of the same payload. */
  | { readonly state: 'completed'; readonly fingerprint: string; readonly response: StoredResponse };

export interface IdempotencyStore {
  /**
   * `SET key record NX GET PX ttlMs`, as one atomic step: stores `record` for `ttlMs`
   * milliseconds unless `key` already holds a record, and returns the record it holds;
   * `undefined` when it stored `record`.
   */
  claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;

  /** `GET key`: the record, or `undefined` when there is none or it expired. */
  get(key: string): Promise<IdempotencyRecord | undefined>;

  /**
   * `SET key record [PX ttlMs]`: stores `record` whether or not `key` holds one. Like Redis's
   * SET, it replaces the key's expiry too: with `ttlMs` the key expires `ttlMs` ms from now,
   * without it the key never expires.
   */
  set(key: string, record: IdempotencyRecord, ttlMs?: number): Promise<void>;

  /** `DEL key`: `true` when there was a record to delete. */
  delete(key: string): Promise<boolean>;
}

/** Lets whatever else is in flight run first, as a round trip to Redis would. */
const roundTrip = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

interface Entry {
  readonly record: IdempotencyRecord;
  /** When the key stops existing, in ms on the clock; `Infinity` for never. */
  readonly expiresAt: number;
}

function checkTtl(ttlMs: number): void {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError(`ttlMs must be a positive finite number, got ${ttlMs}`);
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #clock: { now(): number };
  readonly #entries = new Map<string, Entry>();

  /** @param clock the time in milliseconds, which decides when keys expire. */
  constructor(clock: { now(): number }) {
    this.#clock = clock;
  }

  /** The number of keys that have not expired (Redis's DBSIZE, counting only live keys). */
  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  async claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    checkTtl(ttlMs);
    await roundTrip();
    // Read and write with no await in between: nothing can run between the check and the write.
    const held = this.#live(key);
    if (held !== undefined) return structuredClone(held.record);
    this.#entries.set(key, { record: structuredClone(record), expiresAt: this.#clock.now() + ttlMs });
    return undefined;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    await roundTrip();
    const held = this.#live(key);
    return held === undefined ? undefined : structuredClone(held.record);
  }

  async set(key: string, record: IdempotencyRecord, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined) checkTtl(ttlMs);
    await roundTrip();
    this.#entries.set(key, { record: structuredClone(record), expiresAt: ttlMs === undefined ? Infinity : this.#clock.now() + ttlMs });
  }

  async delete(key: string): Promise<boolean> {
    await roundTrip();
    return this.#live(key) !== undefined && this.#entries.delete(key);
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#clock.now()) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
