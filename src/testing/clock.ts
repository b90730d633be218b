/** A clock that moves only when told to: time in tests is a value, never a wait. */
export class ManualClock {
  #now: number;

  /** @param start the initial time in milliseconds (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  /** The current time in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Moves the time forward by `ms`. @throws {RangeError} for a negative or non-finite step. */
  advance(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a finite number >= 0, got ${ms}`);
    this.#now += ms;
    return this;
  }

  /** Sets the time to `ms`, which may go backwards (to test clock skew). */
  set(ms: number): this {
    if (!Number.isFinite(ms)) throw new RangeError(`ms must be finite, got ${ms}`);
    this.#now = ms;
    return this;
  }
}
