/**
 * The trips table, kept in memory. This file is given: use it from trips-api.ts as it is.
 *
 * It behaves like a database across a network. Every call is asynchronous and yields before it
 * touches the rows, so requests in flight interleave as they would against a real database.
 * Rows go in and come out as copies of the five columns: changing a trip you have read changes
 * nothing until you write it back. Each method names the SQL statement it stands for.
 */

/** A row of the trips table, and the JSON shape of a trip in the API. */
export interface Trip {
  readonly trip_id: string;
  readonly origin: string;
  readonly destination: string;
  /** A calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly seats_available: number;
}

export interface TripStore {
  /**
   * `INSERT INTO trips VALUES (...)`.
   * @throws {Error} (the promise rejects) when a trip with the same `trip_id` exists.
   */
  insert(trip: Trip): Promise<void>;

  /** `SELECT * FROM trips WHERE trip_id = $1`: the trip, or `undefined`. */
  get(tripId: string): Promise<Trip | undefined>;

  /** `SELECT * FROM trips ORDER BY created_at`: every trip, oldest first. */
  list(): Promise<Trip[]>;

  /** `UPDATE trips SET ... WHERE trip_id = $1`: overwrites the whole row; `false` when there is none. */
  update(trip: Trip): Promise<boolean>;

  /**
   * `UPDATE trips SET seats_available = seats_available - 1
   *  WHERE trip_id = $1 AND seats_available > 0 RETURNING seats_available`, as one statement:
   * the seats left after taking one, or `undefined` when no row matched (no such trip, or no
   * seat left).
   */
  takeSeat(tripId: string): Promise<number | undefined>;
}

/** Lets whatever else is in flight run first, as a round trip to a database would. */
const roundTrip = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

const row = (trip: Trip): Trip => ({
  trip_id: trip.trip_id,
  origin: trip.origin,
  destination: trip.destination,
  date: trip.date,
  seats_available: trip.seats_available,
});

export class MemoryTripStore implements TripStore {
  // A Map iterates in insertion order, which stands in for ORDER BY created_at.
  readonly #rows = new Map<string, Trip>();

  async insert(trip: Trip): Promise<void> {
    await roundTrip();
    if (this.#rows.has(trip.trip_id)) throw new Error(`duplicate key: trip_id ${trip.trip_id} exists`);
    this.#rows.set(trip.trip_id, row(trip));
  }

  async get(tripId: string): Promise<Trip | undefined> {
    await roundTrip();
    const found = this.#rows.get(tripId);
    return found === undefined ? undefined : row(found);
  }

  async list(): Promise<Trip[]> {
    await roundTrip();
    return [...this.#rows.values()].map(row);
  }

  async update(trip: Trip): Promise<boolean> {
    await roundTrip();
    if (!this.#rows.has(trip.trip_id)) return false;
    this.#rows.set(trip.trip_id, row(trip));
    return true;
  }

  async takeSeat(tripId: string): Promise<number | undefined> {
    await roundTrip();
    // Read and write with no await in between: nothing can run between the check and the write.
    const found = this.#rows.get(tripId);
    if (found === undefined || found.seats_available <= 0) return undefined;
    const seatsLeft = found.seats_available - 1;
    this.#rows.set(tripId, { ...found, seats_available: seatsLeft });
    return seatsLeft;
  }
}
