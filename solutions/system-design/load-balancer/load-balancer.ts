/**
 * Four load-balancing policies behind one interface:
 *
 * - round robin: each up backend in turn;
 * - smooth weighted round robin (nginx): every pick, each up backend gains its weight, the
 *   richest is chosen and pays the total, so heavy backends are spread out instead of bursting;
 * - least connections: the up backend with the fewest requests in flight, ties by list order;
 * - power of two choices: two distinct up backends at random, the less loaded of the two.
 *
 * Complexity: round robin is O(1) per pick while everything is up and O(n) at worst; smooth
 * weighted round robin and least connections are O(n) per pick (a heap would make least
 * connections O(log n), which pays off only for hundreds of backends); power of two choices is
 * O(1) per pick, plus O(n) to rebuild its list of up backends after a health change.
 * Trade-off: the round robins ignore load, so one slow backend collects a queue; least
 * connections reacts to load but needs exact, shared counts; two random choices needs only
 * approximate counts and never herds every balancer onto the same idle backend.
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

interface Member {
  readonly name: string;
  up: boolean;
}

interface WeightedMember extends Member {
  readonly weight: number;
  /** nginx's current_weight: the credit earned since the backend was last picked. */
  current: number;
}

interface CountedMember extends Member {
  /** Requests picked and not yet released. */
  inFlight: number;
}

/** The backends of one balancer: lookup by name, health, and the up ones in list order. */
class Pool<M extends Member> {
  readonly members: readonly M[];
  readonly #byName = new Map<string, M>();
  #up: M[] | undefined;

  constructor(members: M[]) {
    if (members.length === 0) throw new RangeError('backends must not be empty');
    for (const member of members) {
      if (member.name === '') throw new RangeError('backend names must not be empty');
      if (this.#byName.has(member.name)) throw new RangeError(`backends must be distinct, got "${member.name}" twice`);
      this.#byName.set(member.name, member);
    }
    this.members = members;
  }

  get(name: string): M {
    const member = this.#byName.get(name);
    if (member === undefined) throw new RangeError(`unknown backend "${name}"`);
    return member;
  }

  /** The up members in list order, rebuilt only after a health change. */
  up(): readonly M[] {
    this.#up ??= this.members.filter((m) => m.up);
    return this.#up;
  }

  setUp(name: string, up: boolean): void {
    const member = this.get(name);
    if (member.up === up) return;
    member.up = up;
    this.#up = undefined;
  }
}

/** The parts of a `Balancer` every policy shares: health, and release for those that count. */
function balancer<M extends Member & Partial<CountedMember>>(pool: Pool<M>, pick: () => string | undefined): Balancer {
  return {
    pick,
    release(backend) {
      const member = pool.get(backend);
      // A release without a pick must not drive the count negative and skew later picks.
      if (member.inFlight !== undefined && member.inFlight > 0) member.inFlight--;
    },
    markDown: (backend) => pool.setUp(backend, false),
    markUp: (backend) => pool.setUp(backend, true),
  };
}

/**
 * Round robin: the backends in list order, skipping those that are down, starting after the
 * last one picked.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name.
 */
export function roundRobin(backends: readonly string[]): Balancer {
  const pool = new Pool(backends.map((name) => ({ name, up: true })));
  const { members } = pool;
  let next = 0;
  return balancer(pool, () => {
    for (let step = 0; step < members.length; step++) {
      const i = (next + step) % members.length;
      if (!members[i]!.up) continue;
      next = (i + 1) % members.length;
      return members[i]!.name;
    }
    return undefined;
  });
}

/**
 * Smooth weighted round robin, as nginx: over any `total weight` consecutive picks (with no
 * health change), each backend is picked exactly `weight` times, interleaved. Weights 5, 1, 1
 * for a, b, c give a a b a c a a.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name, or a weight
 * that is not a positive integer.
 */
export function smoothWeightedRoundRobin(backends: readonly WeightedBackend[]): Balancer {
  for (const { name, weight } of backends) {
    if (!Number.isSafeInteger(weight) || weight <= 0) {
      throw new RangeError(`weight of backend "${name}" must be a positive integer, got ${weight}`);
    }
  }
  const pool = new Pool<WeightedMember>(backends.map(({ name, weight }) => ({ name, weight, current: 0, up: true })));
  return balancer(pool, () => {
    let best: WeightedMember | undefined;
    let total = 0;
    for (const member of pool.up()) {
      member.current += member.weight;
      total += member.weight;
      // Strictly greater: ties go to the earlier backend, which makes the order reproducible.
      if (best === undefined || member.current > best.current) best = member;
    }
    if (best === undefined) return undefined;
    // Paying the total keeps the sum of current weights at 0: what the winner loses, the
    // others gained this round, so nobody drifts and every backend gets its turn.
    best.current -= total;
    return best.name;
  });
}

/**
 * Least connections: the up backend with the fewest requests in flight (picked and not yet
 * released), ties going to the earlier one in the list.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name.
 */
export function leastConnections(backends: readonly string[]): Balancer {
  const pool = new Pool<CountedMember>(backends.map((name) => ({ name, up: true, inFlight: 0 })));
  return balancer(pool, () => {
    let best: CountedMember | undefined;
    for (const member of pool.up()) {
      if (best === undefined || member.inFlight < best.inFlight) best = member;
    }
    if (best === undefined) return undefined;
    best.inFlight++;
    return best.name;
  });
}

/**
 * Power of two choices: draws two distinct up backends with `random` and picks the one with
 * fewer requests in flight, the first drawn on a tie. With a single up backend it draws nothing.
 * @param random returns a number in [0, 1), like `Math.random`; called twice per pick.
 * @throws {RangeError} when `backends` is empty, has a duplicate or an empty name.
 */
export function powerOfTwoChoices(backends: readonly string[], random: () => number): Balancer {
  const pool = new Pool<CountedMember>(backends.map((name) => ({ name, up: true, inFlight: 0 })));
  return balancer(pool, () => {
    const up = pool.up();
    if (up.length <= 1) {
      const only = up[0];
      if (only === undefined) return undefined;
      only.inFlight++;
      return only.name;
    }
    const first = Math.floor(random() * up.length);
    // Draw from the other n - 1 and shift past `first`: two distinct backends, uniformly.
    let second = Math.floor(random() * (up.length - 1));
    if (second >= first) second++;
    const a = up[first]!;
    const b = up[second]!;
    const chosen = b.inFlight < a.inFlight ? b : a;
    chosen.inFlight++;
    return chosen.name;
  });
}
