/**
 * Four load-balancing policies behind one interface: round robin, smooth weighted round robin
 * (nginx's), least connections and power of two choices. Each factory returns a `Balancer` that
 * keeps its own state: whose turn it is, which backends are down, how many requests are in flight.
 *
 * Read README.md for the idea, `npm run kata -- hint load-balancer` when you are stuck.
 */

/** Chooses a backend for each request. */
export interface Balancer {
  /**
   * The backend for the next request, or `undefined` when every backend is down. The balancers
   * that count load (least connections, two choices) count the pick as a request in flight.
   */
  pick(): string | undefined;
  /**
   * Reports that a request sent to `backend` finished; a no-op for the round robins, and when
   * nothing is in flight there.
   * @throws {RangeError} for an unknown backend.
   */
  release(backend: string): void;
  /**
   * Stops picking `backend` (a failed health check). Its requests in flight may still finish.
   * @throws {RangeError} for an unknown backend.
   */
  markDown(backend: string): void;
  /**
   * Picks `backend` again.
   * @throws {RangeError} for an unknown backend.
   */
  markUp(backend: string): void;
}

/** A backend and its share of the traffic. */
export interface WeightedBackend {
  readonly name: string;
  /** A positive integer: a backend of weight 2 gets twice the requests of one of weight 1. */
  readonly weight: number;
}

/**
 * Round robin: the backends in list order, skipping those that are down, starting after the
 * last one picked.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name.
 */
export function roundRobin(_backends: readonly string[]): Balancer {
  throw new Error('TODO: implement roundRobin');
}

/**
 * Smooth weighted round robin, as nginx: over any `total weight` consecutive picks (with no
 * health change), each backend is picked exactly `weight` times, interleaved. Weights 5, 1, 1
 * for a, b, c give a a b a c a a.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name, or a weight
 * that is not a positive integer.
 */
export function smoothWeightedRoundRobin(_backends: readonly WeightedBackend[]): Balancer {
  throw new Error('TODO: implement smoothWeightedRoundRobin');
}

/**
 * Least connections: the up backend with the fewest requests in flight (picked and not yet
 * released), ties going to the earlier one in the list.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name.
 */
export function leastConnections(_backends: readonly string[]): Balancer {
  throw new Error('TODO: implement leastConnections');
}

/**
 * Power of two choices: draws two distinct up backends with `random` and picks the one with
 * fewer requests in flight, the first drawn on a tie. With a single up backend it draws nothing.
 * @param random returns a number in [0, 1), like `Math.random`; called twice per pick.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name.
 */
export function powerOfTwoChoices(_backends: readonly string[], _random: () => number): Balancer {
  throw new Error('TODO: implement powerOfTwoChoices');
}
