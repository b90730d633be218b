import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3 } from '#hashing';
import { HashRing, jumpHash, type HashRingOptions } from './consistent-hashing.ts';

/**
 * A ring drawn by hand: `points` gives the position of each virtual node label, and any other
 * key hashes to its own value as a number ('150' sits at 150).
 */
const drawnRing = (points: Record<string, number>, virtualNodes = 1): HashRing => {
  const ring = new HashRing({ virtualNodes, hash: (key) => points[key] ?? Number(key) });
  for (const label of Object.keys(points)) ring.addNode(label.slice(0, label.lastIndexOf('#')));
  return ring;
};

const KEYS = Array.from({ length: 500 }, (_, i) => `key-${i}`);

const ringOf = (nodes: Iterable<string>, options?: HashRingOptions): HashRing => {
  const ring = new HashRing(options);
  for (const node of nodes) ring.addNode(node);
  return ring;
};

const assignment = (ring: HashRing, keys: readonly string[] = KEYS): (string | undefined)[] => keys.map((key) => ring.nodeFor(key));

/** `hash` with its results remembered: the property and model tests hash the same few strings over and over. */
const remembered = (hash: (key: string) => number): ((key: string) => number) => {
  const seen = new Map<string, number>();
  return (key) => {
    let position = seen.get(key);
    if (position === undefined) seen.set(key, (position = hash(key)));
    return position;
  };
};

describe('HashRing', () => {
  describe('nodeFor', () => {
    it('should find no node on an empty ring', () => {
      expect(new HashRing().nodeFor('user:42')).toBeUndefined();
    });

    it('should send every key to the only node', () => {
      const ring = ringOf(['cache-1']);
      expect(new Set(assignment(ring))).toEqual(new Set(['cache-1']));
    });

    it('should give a key to the first point clockwise at or after its hash', () => {
      //   0 ---- a:100 ---- b:200 ---- c:300 ---- 2^32, then back to 0
      const ring = drawnRing({ 'a#0': 100, 'b#0': 200, 'c#0': 300 });
      expect(ring.nodeFor('50')).toBe('a');
      expect(ring.nodeFor('150')).toBe('b');
      expect(ring.nodeFor('200')).toBe('b');
      expect(ring.nodeFor('201')).toBe('c');
      expect(ring.nodeFor('300')).toBe('c');
    });

    it('should wrap around past the last point to the first', () => {
      const ring = drawnRing({ 'a#0': 100, 'b#0': 200, 'c#0': 300 });
      expect(ring.nodeFor('301')).toBe('a');
      expect(ring.nodeFor(String(2 ** 32 - 1))).toBe('a');
    });

    it('should place a node at the hashes of `${node}#0` to `${node}#${virtualNodes - 1}`', () => {
      const hashed: string[] = [];
      const ring = new HashRing({ virtualNodes: 3, hash: (key) => (hashed.push(key), murmur3(key)) });
      ring.addNode('cache-1');
      expect(hashed.sort()).toEqual(['cache-1#0', 'cache-1#1', 'cache-1#2']);
    });

    it('should interleave the points of several nodes', () => {
      // a owns the arcs ending at 100 and 300, b the arcs ending at 200 and 400.
      const ring = drawnRing({ 'a#0': 100, 'a#1': 300, 'b#0': 200, 'b#1': 400 }, 2);
      expect(['50', '150', '250', '350', '450'].map((key) => ring.nodeFor(key))).toEqual(['a', 'b', 'a', 'b', 'a']);
    });

  });

  describe('nodesFor', () => {
    it('should list distinct nodes clockwise from the key, the owner first', () => {
      const ring = drawnRing({ 'a#0': 100, 'b#0': 200, 'c#0': 300 });
      expect(ring.nodesFor('150', 3)).toEqual(['b', 'c', 'a']);
      expect(ring.nodesFor('350', 2)).toEqual(['a', 'b']);
      expect(ring.nodesFor('150', 1)).toEqual([ring.nodeFor('150')]);
    });

    it('should skip further points of a node already chosen', () => {
      const ring = drawnRing({ 'a#0': 100, 'a#1': 150, 'b#0': 200, 'b#1': 250, 'c#0': 300, 'c#1': 350 }, 2);
      expect(ring.nodesFor('90', 3)).toEqual(['a', 'b', 'c']);
      expect(ring.nodesFor('260', 3)).toEqual(['c', 'a', 'b']);
    });

    it('should return fewer nodes when the ring has fewer', () => {
      const ring = ringOf(['a', 'b']);
      expect(ring.nodesFor('user:42', 5).sort()).toEqual(['a', 'b']);
      expect(new HashRing().nodesFor('user:42', 3)).toEqual([]);
    });

    it('should return nothing for n = 0', () => {
      expect(ringOf(['a']).nodesFor('user:42', 0)).toEqual([]);
    });
  });

  describe('ties', () => {
    it('should order points at the same position by node name, whatever the order nodes joined in', () => {
      const sameSpot = () => 7;
      for (const order of [['b', 'a', 'c'], ['c', 'b', 'a']]) {
        const ring = new HashRing({ virtualNodes: 2, hash: sameSpot });
        for (const node of order) ring.addNode(node);
        expect(ring.nodeFor('anything')).toBe('a');
        expect(ring.nodesFor('anything', 3)).toEqual(['a', 'b', 'c']);
      }
    });
  });

  describe('addNode and removeNode', () => {
    it('should list the nodes in ascending order', () => {
      const ring = ringOf(['cache-3', 'cache-1', 'cache-2']);
      expect(ring.nodes).toEqual(['cache-1', 'cache-2', 'cache-3']);
    });

    it('should report whether the removed node was there', () => {
      const ring = ringOf(['a', 'b']);
      expect(ring.removeNode('a')).toBe(true);
      expect(ring.removeNode('a')).toBe(false);
      expect(ring.removeNode('never-added')).toBe(false);
      expect(ring.nodes).toEqual(['b']);
    });

    it('should hand a removed node’s keys to the next point clockwise', () => {
      const ring = drawnRing({ 'a#0': 100, 'b#0': 200, 'c#0': 300 });
      ring.removeNode('b');
      expect(ring.nodeFor('150')).toBe('c');
      expect(ring.nodeFor('50')).toBe('a');
    });

    it('should move only the removed node’s keys', () => {
      const ring = ringOf(['a', 'b', 'c', 'd']);
      const before = assignment(ring);
      ring.removeNode('b');
      const after = assignment(ring);
      const moved = KEYS.filter((_, i) => after[i] !== before[i]);
      expect(moved.length).toBeGreaterThan(0);
      expect(moved).toEqual(KEYS.filter((_, i) => before[i] === 'b'));
      expect(after).not.toContain('b');
    });

    it('should move to a new node only keys that it takes', () => {
      const ring = ringOf(['a', 'b', 'c']);
      const before = assignment(ring);
      ring.addNode('d');
      const after = assignment(ring);
      const moved = KEYS.filter((_, i) => after[i] !== before[i]);
      expect(moved.length).toBeGreaterThan(0);
      expect(moved).toEqual(KEYS.filter((_, i) => after[i] === 'd'));
    });

    it('should change nothing when a node is added again', () => {
      const ring = ringOf(['a', 'b']);
      const before = assignment(ring);
      ring.addNode('a');
      expect(ring.nodes).toEqual(['a', 'b']);
      expect(assignment(ring)).toEqual(before);
      ring.removeNode('a');
      expect(new Set(assignment(ring))).toEqual(new Set(['b']));
    });

    it('should find no node once the last one is removed', () => {
      const ring = ringOf(['a']);
      ring.removeNode('a');
      expect(ring.nodeFor('user:42')).toBeUndefined();
      expect(ring.nodes).toEqual([]);
    });

    it('should hash with murmur3 by default, so that two rings with the same nodes agree', () => {
      const ring = ringOf(['a', 'b', 'c']);
      const explicit = new HashRing({ virtualNodes: 150, hash: (key) => murmur3(key) });
      for (const node of ['c', 'a', 'b']) explicit.addNode(node);
      expect(assignment(ring)).toEqual(assignment(explicit));
    });
  });

  describe('bad input', () => {
    it.each([0, -1, 1.5, Number.NaN])('should reject virtualNodes = %s with a RangeError', (virtualNodes) => {
      expect(() => new HashRing({ virtualNodes })).toThrow(RangeError);
    });

    it('should reject a hash that is not a function with a TypeError', () => {
      expect(() => new HashRing({ hash: 42 as unknown as (key: string) => number })).toThrow(TypeError);
    });

    it('should reject an empty node name with a RangeError', () => {
      expect(() => new HashRing().addNode('')).toThrow(RangeError);
    });

    it.each([-1, 1.5, Number.NaN])('should reject n = %s in nodesFor with a RangeError', (n) => {
      expect(() => ringOf(['a']).nodesFor('key', n)).toThrow(RangeError);
    });
  });
});

describe('jumpHash', () => {
  // Expected values from ClickHouse's tests of its jumpConsistentHash, a port of the paper's code.
  it.each([
    { key: 42n, buckets: 57, bucket: 43 },
    { key: 256n, buckets: 1024, bucket: 520 },
    { key: 3735883980n, buckets: 666, bucket: 361 },
    { key: 16045690984833335023n, buckets: 255, bucket: 237 },
  ])('should put key $key in bucket $bucket of $buckets', ({ key, buckets, bucket }) => {
    expect(jumpHash(key, buckets)).toBe(bucket);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])('should reject buckets = %s with a RangeError', (buckets) => {
    expect(() => jumpHash(1n, buckets)).toThrow(RangeError);
  });

  it.each([-1n, 2n ** 64n])('should reject key %s, outside 64 unsigned bits, with a RangeError', (key) => {
    expect(() => jumpHash(key, 10)).toThrow(RangeError);
  });

  it('should put every key in bucket 0 when there is one bucket', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (key) => {
        expect(jumpHash(key, 1)).toBe(0);
      }),
    );
  });

  it('should stay within [0, buckets)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 1, max: 10_000 }), (key, buckets) => {
        const bucket = jumpHash(key, buckets);
        expect(Number.isInteger(bucket) && bucket >= 0 && bucket < buckets).toBe(true);
      }),
    );
  });

  it('should either keep a key or move it to the new bucket when a bucket is added', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 1, max: 1_000 }), (key, n) => {
        const before = jumpHash(key, n);
        expect([before, n]).toContain(jumpHash(key, n + 1));
      }),
    );
  });
});

describe('HashRing under any membership changes', () => {
  describe('properties', () => {
    const nodeNames = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1 });
    const someKeys = KEYS.slice(0, 100);
    const options = { virtualNodes: 10, hash: remembered(murmur3) };

    it('should move keys only to the node that joins', () => {
      fc.assert(
        fc.property(nodeNames, fc.constantFrom('x', 'y'), (nodes, joining) => {
          const ring = ringOf(nodes, options);
          const before = assignment(ring, someKeys);
          ring.addNode(joining);
          const after = assignment(ring, someKeys);
          const movedTo = new Set(after.filter((node, i) => node !== before[i]));
          expect([...movedTo].filter((node) => node !== joining)).toEqual([]);
        }),
        { numRuns: 50 },
      );
    });

    it('should restore the original mapping when a node leaves and comes back', () => {
      fc.assert(
        fc.property(nodeNames, fc.nat(5), (nodes, pick) => {
          const ring = ringOf(nodes, options);
          const before = assignment(ring, someKeys);
          const leaving = nodes[pick % nodes.length]!;
          ring.removeNode(leaving);
          ring.addNode(leaving);
          expect(assignment(ring, someKeys)).toEqual(before);
        }),
        { numRuns: 50 },
      );
    });

    it('should give distinct replicas, the owner first', () => {
      fc.assert(
        fc.property(nodeNames, fc.string(), fc.nat(8), (nodes, key, n) => {
          const ring = ringOf(nodes, options);
          const replicas = ring.nodesFor(key, n);
          expect(replicas.length).toBe(Math.min(n, nodes.length));
          expect(new Set(replicas).size).toBe(replicas.length);
          if (n > 0) expect(replicas[0]).toBe(ring.nodeFor(key));
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('against a model', () => {
    // A hash with only 32 positions, so that points collide and ties are exercised. The model
    // keeps the set of nodes and finds owners by sorting every point and scanning.
    const VIRTUAL_NODES = 3;
    const coarseHash = remembered((key) => murmur3(key) % 32);
    type Model = Set<string>;
    type Real = HashRing;

    const modelNodesFor = (model: Model, key: string, n: number): string[] => {
      const points = [...model]
        .flatMap((node) => Array.from({ length: VIRTUAL_NODES }, (_, i) => ({ position: coarseHash(`${node}#${i}`), node })))
        .sort((p, q) => p.position - q.position || (p.node < q.node ? -1 : p.node > q.node ? 1 : 0));
      const start = Math.max(0, points.findIndex((point) => point.position >= coarseHash(key)));
      const clockwise = [...points.slice(start), ...points.slice(0, start)].map((point) => point.node);
      return [...new Set(clockwise)].slice(0, n);
    };

    class AddCommand implements fc.Command<Model, Real> {
      constructor(readonly node: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        real.addNode(this.node);
        model.add(this.node);
        expect(real.nodes).toEqual([...model].sort());
      }
      toString = () => `addNode(${this.node})`;
    }

    class RemoveCommand implements fc.Command<Model, Real> {
      constructor(readonly node: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        expect(real.removeNode(this.node)).toBe(model.has(this.node));
        model.delete(this.node);
        expect(real.nodes).toEqual([...model].sort());
      }
      toString = () => `removeNode(${this.node})`;
    }

    class LookupCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        expect(real.nodeFor(this.key)).toBe(modelNodesFor(model, this.key, 1)[0]);
        expect(real.nodesFor(this.key, 3)).toEqual(modelNodesFor(model, this.key, 3));
      }
      toString = () => `lookup(${this.key})`;
    }

    it('should route like a sorted scan of every point', () => {
      const node = fc.constantFrom('a', 'b', 'c', 'd', 'e');
      const key = fc.constantFrom(...KEYS.slice(0, 12));
      const commands = fc.commands(
        [node.map((n) => new AddCommand(n)), node.map((n) => new RemoveCommand(n)), key.map((k) => new LookupCommand(k))],
        { maxCommands: 30 },
      );
      fc.assert(
        fc.property(commands, (cmds) => {
          fc.modelRun(() => ({ model: new Set<string>(), real: new HashRing({ virtualNodes: VIRTUAL_NODES, hash: coarseHash }) }), cmds);
        }),
        { numRuns: 40 },
      );
    });
  });
});

describe('spread and movement over 10,000 fixed keys', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i}`);
  const numericKeys = Array.from({ length: 10_000 }, (_, i) => BigInt(i));
  const nodes = ['cache-1', 'cache-2', 'cache-3', 'cache-4', 'cache-5'];

  it('should spread keys over 10 jump-hash buckets within 15% of the mean', () => {
    const counts = new Array<number>(10).fill(0);
    for (const key of numericKeys) counts[jumpHash(key, 10)]!++;
    for (const count of counts) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });

  it('should move about 1 / 10 of the keys, all to bucket 9, going from 9 to 10 buckets', () => {
    const moved = numericKeys.filter((key) => jumpHash(key, 10) !== jumpHash(key, 9));
    expect(new Set(moved.map((key) => jumpHash(key, 10)))).toEqual(new Set([9]));
    expect(moved.length).toBeGreaterThan(850);
    expect(moved.length).toBeLessThan(1_150);
  });

  it('should load the busiest of 5 nodes with at most 1.25 times the mean, at 150 virtual nodes each', () => {
    const counts = new Map<string, number>();
    const ring = ringOf(nodes);
    for (const node of assignment(ring, keys)) counts.set(node!, (counts.get(node!) ?? 0) + 1);
    expect(counts.size).toBe(5);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(1.25 * 2_000);
  });

  it('should move about K / N keys when a fifth node joins four', () => {
    const ring = ringOf(nodes.slice(0, 4));
    const before = assignment(ring, keys);
    ring.addNode(nodes[4]!);
    const moved = assignment(ring, keys).filter((node, i) => node !== before[i]).length;
    // K / N = 10,000 / 5 = 2,000, give or take the unevenness of 150 points per node.
    expect(moved).toBeGreaterThan(0.75 * 2_000);
    expect(moved).toBeLessThan(1.25 * 2_000);
  });
});
