/**
 * Deterministic randomness for tests: code under test takes a `() => number` in [0, 1), and
 * tests pass one of these so that every run, and every failure, replays.
 */

/** A seeded generator (mulberry32): fast, 32 bits of state, good enough for tests and simulations. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A generator that replays `values` in order, then repeats the last one; for tests that script
 * exact coin flips. @throws {RangeError} when empty or when a value is outside [0, 1).
 */
export function scriptedRandom(values: readonly number[]): () => number {
  if (values.length === 0) throw new RangeError('values must not be empty');
  for (const value of values) if (!(value >= 0 && value < 1)) throw new RangeError(`values must be in [0, 1), got ${value}`);
  let index = 0;
  return () => values[Math.min(index++, values.length - 1)]!;
}
