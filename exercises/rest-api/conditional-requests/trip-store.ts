/**
 * The trips table, kept in memory. This file is given: use it from conditional-requests.ts as
 * it is.
 *
 * A row holds a trip's representation exactly as a client sent it (`body`, JSON text) and its
 * entity tag (`etag`), computed once when the row is written, as a database column would be.
 * Every call is asynchronous and yields before it touches the rows, so requests in flight
 * interleave as they would against a real database. Each method names the SQL it stands for.
 */

export interface TripRow {
  readonly id: string;
  /** The representation, as served by `GET /api/trips/:id`: JSON text, byte for byte. */
  readonly body: string;
  /** The entity tag of `body`, as sent in the `ETag` header. */
  readonly etag: string;
}

export interface TripStore {
  /** `SELECT * FROM trips WHERE id = $1`: the row, or `undefined`. */
  get(id: string): Promise<TripRow | undefined>;

  /** `SELECT * FROM trips`: every row, in the order they were first inserted. */
  list(): Promise<TripRow[]>;

  /** `INSERT ... ON CONFLICT (id) DO UPDATE`: writes the row whatever is there. */
  put(row: TripRow): Promise<void>;

  /** `INSERT ... ON CONFLICT (id) DO NOTHING`: `false`, and nothing written, when the id exists. */
  insert(row: TripRow): Promise<boolean>;

  /**
   * `UPDATE trips SET body = $2, etag = $3 WHERE id = $1 AND etag = $4`, as one statement:
   * `false`, and nothing written, unless the row exists with the etag `expectedEtag`.
   */
  update(row: TripRow, expectedEtag: string): Promise<boolean>;
}

/** Lets whatever else is in flight run first, as a round trip to a database would. */
const roundTrip = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

const copy = (row: TripRow): TripRow => ({ id: row.id, body: row.body, etag: row.etag });

export class MemoryTripStore implements TripStore {
  // A Map keeps its keys in first-insertion order, even when a value is replaced.
  readonly #rows = new Map<string, TripRow>();

  async get(id: string): Promise<TripRow | undefined> {
    await roundTrip();
    const row = this.#rows.get(id);
    return row === undefined ? undefined : copy(row);
  }

  async list(): Promise<TripRow[]> {
    await roundTrip();
    return [...this.#rows.values()].map(copy);
  }

  async put(row: TripRow): Promise<void> {
    await roundTrip();
    this.#rows.set(row.id, copy(row));
  }

  async insert(row: TripRow): Promise<boolean> {
    await roundTrip();
    if (this.#rows.has(row.id)) return false;
    this.#rows.set(row.id, copy(row));
    return true;
  }

  async update(row: TripRow, expectedEtag: string): Promise<boolean> {
    await roundTrip();
    // Compare and write with no await in between: nothing can run between the check and the write.
    if (this.#rows.get(row.id)?.etag !== expectedEtag) return false;
    this.#rows.set(row.id, copy(row));
    return true;
  }
}
