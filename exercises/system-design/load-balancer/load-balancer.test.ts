import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scriptedRandom, seededRandom } from '#testing';
import {
  leastConnections,
  powerOfTwoChoices,
  roundRobin,
  smoothWeightedRoundRobin,
  type Balancer,
  type WeightedBackend,
} from './load-balancer.ts';

const picks = (balancer: Balancer, times: number): (string | undefined)[] => Array.from({ length: times }, () => balancer.pick());

const weighted = (weights: Record<string, number>): WeightedBackend[] =>
  Object.entries(weights).map(([name, weight]) => ({ name, weight }));

/** A random source that fails the test if the balancer draws at all. */
const noDraws = (): number => {
  throw new Error('random() should not be called');
};

describe('roundRobin', () => {
  it('should hand out the backends in turn, then start over', () => {
    const balancer = roundRobin(['a', 'b', 'c']);
    expect(picks(balancer, 7)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('should skip a backend that is down and keep the rotation even among the others', () => {
    const balancer = roundRobin(['a', 'b', 'c']);
    balancer.markDown('b');
    expect(picks(balancer, 6)).toEqual(['a', 'c', 'a', 'c', 'a', 'c']);
  });

  it('should give a backend its turn again once it is back up', () => {
    const balancer = roundRobin(['a', 'b', 'c']);
    balancer.markDown('b');
    expect(balancer.pick()).toBe('a');
    balancer.markUp('b');
    expect(picks(balancer, 4)).toEqual(['b', 'c', 'a', 'b']);
  });

  it('should return undefined while every backend is down, and recover', () => {
    const balancer = roundRobin(['a', 'b']);
    balancer.markDown('a');
    balancer.markDown('b');
    expect(balancer.pick()).toBeUndefined();
    balancer.markUp('b');
    expect(picks(balancer, 2)).toEqual(['b', 'b']);
  });

  it('should ignore release, which only the load-aware balancers need', () => {
    const balancer = roundRobin(['a', 'b']);
    expect(balancer.pick()).toBe('a');
    balancer.release('a');
    balancer.release('a');
    expect(picks(balancer, 3)).toEqual(['b', 'a', 'b']);
  });
});

describe('smoothWeightedRoundRobin', () => {
  it("should give weights a=5, b=1, c=1 nginx's sequence a a b a c a a, again and again", () => {
    const balancer = smoothWeightedRoundRobin(weighted({ a: 5, b: 1, c: 1 }));
    const sequence = ['a', 'a', 'b', 'a', 'c', 'a', 'a'];
    expect(picks(balancer, 14)).toEqual([...sequence, ...sequence]);
  });

  it('should interleave a heavy backend with the others instead of sending it a burst', () => {
    // A naive weighted round robin sends a a a b b: three in a row to the same backend.
    const balancer = smoothWeightedRoundRobin(weighted({ a: 3, b: 2 }));
    expect(picks(balancer, 5)).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('should be plain round robin when the weights are equal', () => {
    const balancer = smoothWeightedRoundRobin(weighted({ a: 2, b: 2, c: 2 }));
    expect(picks(balancer, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('should share the traffic among the backends still up, and take a backend back in', () => {
    const balancer = smoothWeightedRoundRobin(weighted({ a: 5, b: 1, c: 1 }));
    balancer.markDown('a');
    expect(picks(balancer, 4)).toEqual(['b', 'c', 'b', 'c']);
    balancer.markUp('a');
    expect(picks(balancer, 7)).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  it('should return undefined while every backend is down', () => {
    const balancer = smoothWeightedRoundRobin(weighted({ a: 1 }));
    balancer.markDown('a');
    expect(balancer.pick()).toBeUndefined();
  });
});

describe('leastConnections', () => {
  it('should pick the backend with the fewest requests in flight, ties going to the earlier one', () => {
    const balancer = leastConnections(['a', 'b', 'c']);
    expect(picks(balancer, 4)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('should send the next request to the backend that just finished one', () => {
    const balancer = leastConnections(['a', 'b', 'c']);
    picks(balancer, 6); // two in flight on each
    balancer.release('c');
    expect(balancer.pick()).toBe('c');
    balancer.release('b');
    balancer.release('b');
    expect(picks(balancer, 3)).toEqual(['b', 'b', 'a']);
  });

  it('should not count a release below zero', () => {
    const balancer = leastConnections(['a', 'b', 'c']);
    picks(balancer, 2); // a: 1, b: 1
    balancer.release('a');
    balancer.release('a'); // nothing left in flight on a: a no-op, not -1
    expect(picks(balancer, 2)).toEqual(['a', 'c']);
  });

  it('should skip a down backend even when it is the idlest, and remember its load when it is back', () => {
    const balancer = leastConnections(['a', 'b']);
    expect(picks(balancer, 3)).toEqual(['a', 'b', 'a']); // a: 2, b: 1
    balancer.markDown('b');
    expect(balancer.pick()).toBe('a'); // a: 3
    balancer.release('b'); // b's request finished while it was down: b: 0
    balancer.markUp('b');
    expect(picks(balancer, 4)).toEqual(['b', 'b', 'b', 'a']);
  });

  it('should return undefined while every backend is down', () => {
    const balancer = leastConnections(['a', 'b']);
    balancer.markDown('a');
    balancer.markDown('b');
    expect(balancer.pick()).toBeUndefined();
  });
});

describe('powerOfTwoChoices', () => {
  // With n up backends, the first draw r1 takes index floor(r1 * n); the second, r2, takes
  // floor(r2 * (n - 1)) among the others: that index, plus one if it reaches the first.
  it('should draw two distinct backends and send the request to the less loaded one', () => {
    const balancer = powerOfTwoChoices(['a', 'b', 'c', 'd'], scriptedRandom([0, 0, 0, 0, 0.5, 0.5, 0.99, 0.99]));
    // a vs b, tie: a.  a vs b: b (a has 1).  c vs b: c.  d vs c: d.
    expect(picks(balancer, 4)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should keep the first drawn on a tie', () => {
    const balancer = powerOfTwoChoices(['a', 'b', 'c'], scriptedRandom([0.9, 0]));
    expect(balancer.pick()).toBe('c'); // c vs a, both idle
  });

  it('should count releases, so a freed backend wins the next comparison', () => {
    const balancer = powerOfTwoChoices(['a', 'b'], scriptedRandom([0, 0, 0.5, 0, 0, 0]));
    expect(picks(balancer, 2)).toEqual(['a', 'b']); // a vs b; then b vs a, b idle
    balancer.release('b');
    expect(balancer.pick()).toBe('b'); // a vs b: b has nothing in flight now
  });

  it('should draw only among the backends that are up', () => {
    const balancer = powerOfTwoChoices(['a', 'b', 'c'], scriptedRandom([0.6, 0]));
    balancer.markDown('b');
    expect(balancer.pick()).toBe('c'); // up = [a, c]: c vs a, tie
  });

  it('should not draw at all with a single backend up, and return undefined with none', () => {
    const balancer = powerOfTwoChoices(['a', 'b'], noDraws);
    balancer.markDown('a');
    expect(picks(balancer, 2)).toEqual(['b', 'b']);
    balancer.markDown('b');
    expect(balancer.pick()).toBeUndefined();
  });
});

/** Every policy, built from a list of names (weights 1, 2, 3, ... for the weighted one). */
const factories: { name: string; make: (backends: string[], random?: () => number) => Balancer }[] = [
  { name: 'roundRobin', make: (backends) => roundRobin(backends) },
  { name: 'smoothWeightedRoundRobin', make: (backends) => smoothWeightedRoundRobin(backends.map((name, i) => ({ name, weight: i + 1 }))) },
  { name: 'leastConnections', make: (backends) => leastConnections(backends) },
  { name: 'powerOfTwoChoices', make: (backends, random = seededRandom(7)) => powerOfTwoChoices(backends, random) },
];

describe('bad input', () => {
  describe.each(factories)('$name', ({ make }) => {
    it('should reject an empty list, a duplicate backend (naming it) and an empty name', () => {
      expect(() => make([])).toThrow(RangeError);
      expect(() => make(['a', 'b', 'a'])).toThrow(RangeError);
      expect(() => make(['a', 'b', 'a'])).toThrow(/"a"/);
      expect(() => make(['a', ''])).toThrow(RangeError);
    });

    it('should reject release, markDown and markUp of an unknown backend, naming it', () => {
      const balancer = make(['a', 'b']);
      for (const method of ['release', 'markDown', 'markUp'] as const) {
        expect(() => balancer[method]('z')).toThrow(RangeError);
        expect(() => balancer[method]('z')).toThrow(/"z"/);
      }
    });

    it('should keep its own copy of the list', () => {
      const backends = ['a', 'b'];
      const balancer = make(backends);
      backends.push('c');
      balancer.markDown('a');
      expect(picks(balancer, 3)).toEqual(['b', 'b', 'b']);
    });
  });

  it('smoothWeightedRoundRobin should reject a weight that is not a positive integer, naming the backend', () => {
    for (const weight of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const backends = [
        { name: 'a', weight: 1 },
        { name: 'b', weight },
      ];
      expect(() => smoothWeightedRoundRobin(backends), `weight ${weight}`).toThrow(RangeError);
      expect(() => smoothWeightedRoundRobin(backends), `weight ${weight}`).toThrow(/"b"/);
    }
  });
});

describe('properties', () => {
  const names = ['a', 'b', 'c', 'd'] as const;
  const name = fc.constantFrom(...names);
  /** A stream of numbers in [0, 1) from fast-check, so that a failure replays and shrinks. */
  const randomSource = fc
    .infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
    .map((stream) => {
      const values = stream[Symbol.iterator]();
      return (): number => values.next().value as number;
    });

  it('smoothWeightedRoundRobin should pick each backend exactly `weight` times in any `total weight` consecutive picks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 6 }), (weights) => {
        const balancer = smoothWeightedRoundRobin(weights.map((weight, i) => ({ name: `s${i}`, weight })));
        const total = weights.reduce((sum, w) => sum + w, 0);
        const sequence = picks(balancer, 3 * total).map((picked) => Number(picked!.slice(1)));
        // Slide a window of `total` picks along the sequence, counting per backend.
        const counts = weights.map(() => 0);
        const wrong: number[] = [];
        sequence.forEach((backend, i) => {
          counts[backend]!++;
          if (i >= total) counts[sequence[i - total]!]!--;
          if (i >= total - 1 && counts.some((count, b) => count !== weights[b])) wrong.push(i + 1 - total);
        });
        expect(wrong, 'windows starting at these picks are off').toEqual([]);
      }),
    );
  });

  type Op = { type: 'pick' } | { type: 'release' | 'markDown' | 'markUp'; backend: string };
  const ops = fc.array(
    fc.oneof(
      { arbitrary: fc.constant<Op>({ type: 'pick' }), weight: 4 },
      { arbitrary: name.map((backend): Op => ({ type: 'release', backend })), weight: 2 },
      { arbitrary: name.map((backend): Op => ({ type: 'markDown', backend })), weight: 1 },
      { arbitrary: name.map((backend): Op => ({ type: 'markUp', backend })), weight: 1 },
    ),
    { maxLength: 60 },
  );

  interface State {
    inFlight: ReadonlyMap<string, number>;
    down: ReadonlySet<string>;
  }
  /**
   * Replays `operations`, tracking health and in-flight counts as the contract defines them,
   * and lists the picks that `wrong` objects to, given the state just before each pick.
   */
  const wrongPicks = (balancer: Balancer, operations: Op[], wrong: (picked: string | undefined, state: State) => boolean): string[] => {
    const inFlight = new Map<string, number>(names.map((n) => [n, 0]));
    const down = new Set<string>();
    const found: string[] = [];
    operations.forEach((op, i) => {
      if (op.type === 'pick') {
        const picked = balancer.pick();
        if (wrong(picked, { inFlight, down })) found.push(`operation ${i}: pick() returned ${picked}`);
        if (picked !== undefined) inFlight.set(picked, inFlight.get(picked)! + 1);
        return;
      }
      balancer[op.type](op.backend);
      if (op.type === 'release') inFlight.set(op.backend, Math.max(0, inFlight.get(op.backend)! - 1));
      if (op.type === 'markDown') down.add(op.backend);
      if (op.type === 'markUp') down.delete(op.backend);
    });
    return found;
  };

  it('no balancer should ever pick a backend that is down, nor return undefined while one is up', () => {
    fc.assert(
      fc.property(fc.constantFrom(...factories), randomSource, ops, ({ make }, random, operations) => {
        const found = wrongPicks(make([...names], random), operations, (picked, { down }) =>
          down.size === names.length ? picked !== undefined : picked === undefined || down.has(picked),
        );
        expect(found).toEqual([]);
      }),
    );
  });

  it('leastConnections should never pick a backend with more in flight than another backend that is up', () => {
    fc.assert(
      fc.property(ops, (operations) => {
        const found = wrongPicks(leastConnections([...names]), operations, (picked, { inFlight, down }) =>
          names.some((other) => picked !== undefined && !down.has(other) && inFlight.get(other)! < inFlight.get(picked)!),
        );
        expect(found).toEqual([]);
      }),
    );
  });

  it('powerOfTwoChoices should never pick a backend more loaded than every other one up', () => {
    fc.assert(
      fc.property(randomSource, ops, (random, operations) => {
        // The pick is never more loaded than the other backend drawn, which is one of the others.
        const found = wrongPicks(powerOfTwoChoices([...names], random), operations, (picked, { inFlight, down }) => {
          const others = names.filter((n) => n !== picked && !down.has(n));
          return picked !== undefined && others.length > 0 && others.every((n) => inFlight.get(n)! < inFlight.get(picked)!);
        });
        expect(found).toEqual([]);
      }),
    );
  });
});

describe('leastConnections against a model', () => {
  // The model: the in-flight count of each backend and the set of those down.
  interface Model {
    inFlight: Map<string, number>;
    down: Set<string>;
  }
  const backends = ['a', 'b', 'c'];

  class Pick implements fc.Command<Model, Balancer> {
    check = () => true;
    run(model: Model, real: Balancer): void {
      const up = backends.filter((b) => !model.down.has(b));
      const least = Math.min(...up.map((b) => model.inFlight.get(b)!));
      const expected = up.find((b) => model.inFlight.get(b) === least);
      const picked = real.pick();
      if (picked !== expected) expect(picked).toBe(expected); // the matcher only on a mismatch: it runs thousands of times
      if (expected !== undefined) model.inFlight.set(expected, least + 1);
    }
    toString = () => 'pick()';
  }

  class Release implements fc.Command<Model, Balancer> {
    constructor(readonly backend: string) {}
    check = () => true;
    run(model: Model, real: Balancer): void {
      real.release(this.backend);
      model.inFlight.set(this.backend, Math.max(0, model.inFlight.get(this.backend)! - 1));
    }
    toString = () => `release(${this.backend})`;
  }

  class SetHealth implements fc.Command<Model, Balancer> {
    constructor(
      readonly backend: string,
      readonly up: boolean,
    ) {}
    check = () => true;
    run(model: Model, real: Balancer): void {
      if (this.up) {
        real.markUp(this.backend);
        model.down.delete(this.backend);
      } else {
        real.markDown(this.backend);
        model.down.add(this.backend);
      }
    }
    toString = () => `${this.up ? 'markUp' : 'markDown'}(${this.backend})`;
  }

  it('should pick exactly as a scan for the least loaded up backend would, under any sequence', () => {
    const backend = fc.constantFrom(...backends);
    const commands = fc.commands(
      [
        fc.constant(new Pick()), // twice: picks are what we check
        fc.constant(new Pick()),
        backend.map((b) => new Release(b)),
        fc.tuple(backend, fc.boolean()).map(([b, up]) => new SetHealth(b, up)),
      ],
      { maxCommands: 80 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        const setup = () => ({
          model: { inFlight: new Map(backends.map((b) => [b, 0])), down: new Set<string>() },
          real: leastConnections(backends),
        });
        fc.modelRun(setup, cmds);
      }),
    );
  });
});
