import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LFUCache } from './lfu-cache.ts';

describe('LFUCache', () => {
  describe('as a map', () => {
    it('should return what was stored', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      expect(cache.get('a')).toBe(1);
    });

    it('should return undefined for a key it never saw', () => {
      const cache = new LFUCache<string, number>(2);
      expect(cache.get('missing')).toBeUndefined();
    });

    it('should count its entries', () => {
      const cache = new LFUCache<string, number>(3);
      expect(cache.size).toBe(0);
      cache.set('a', 1).set('b', 2);
      expect(cache.size).toBe(2);
    });

    it('should replace the value of an existing key without growing', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1).set('a', 2);
      expect(cache.get('a')).toBe(2);
      expect(cache.size).toBe(1);
    });

    it('should delete a key and report whether it was there', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      expect(cache.delete('a')).toBe(true);
      expect(cache.delete('a')).toBe(false);
      expect(cache.has('a')).toBe(false);
      expect(cache.size).toBe(0);
    });

    it('should forget everything on clear', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1).set('b', 2);
      cache.get('a');
      cache.clear();
      expect(cache.size).toBe(0);
      expect(cache.keys()).toEqual([]);
      expect(cache.get('a')).toBeUndefined();
      cache.set('c', 3).set('d', 4).set('e', 5);
      expect(cache.keys()).toEqual(['e', 'd']);
    });
  });

  describe('frequency', () => {
    it('should start a new key at 1 and know nothing of a missing key', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      expect(cache.frequency('a')).toBe(1);
      expect(cache.frequency('missing')).toBeUndefined();
    });

    it('should count every hit as a use', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      cache.get('a');
      cache.get('a');
      expect(cache.frequency('a')).toBe(3);
    });

    it('should not count a miss', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      cache.get('b');
      expect(cache.frequency('a')).toBe(1);
      expect(cache.frequency('b')).toBeUndefined();
    });

    it('should count an update as a use', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1).set('a', 2);
      expect(cache.frequency('a')).toBe(2);
    });

    it('should leave frequencies alone on peek and has', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      expect(cache.peek('a')).toBe(1);
      expect(cache.has('a')).toBe(true);
      expect(cache.peek('b')).toBeUndefined();
      expect(cache.has('b')).toBe(false);
      expect(cache.frequency('a')).toBe(1);
    });

    it('should start again at 1 after a delete', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      cache.get('a');
      cache.delete('a');
      cache.set('a', 1);
      expect(cache.frequency('a')).toBe(1);
    });
  });

  describe('eviction', () => {
    it('should evict the least frequently used key, breaking ties by recency', () => {
      const cache = new LFUCache<number, number>(2);
      cache.set(1, 1).set(2, 2);
      expect(cache.get(1)).toBe(1); // 1 used twice, 2 once
      cache.set(3, 3); // evicts 2, the least frequently used
      expect(cache.get(2)).toBeUndefined();
      expect(cache.get(3)).toBe(3); // 1 and 3 both used twice now; 1 less recently
      cache.set(4, 4); // evicts 1
      expect(cache.get(1)).toBeUndefined();
      expect(cache.get(3)).toBe(3);
      expect(cache.get(4)).toBe(4);
    });

    it('should evict the least recently used key among keys of equal frequency', () => {
      const cache = new LFUCache<string, number>(3);
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.set('d', 4); // a, b and c are tied at 1: a is the oldest
      expect(cache.keys()).toEqual(['d', 'c', 'b']);
    });

    it('should make a used key the most recent of its new frequency', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1).set('b', 2);
      cache.get('b');
      cache.get('a'); // both at 2: a joined last, so b is the older one
      cache.set('c', 3);
      expect(cache.has('b')).toBe(false);
      expect(cache.has('a')).toBe(true);
    });

    it('should evict a new key before frequent ones, however recent it is', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1);
      cache.get('a');
      cache.get('a');
      cache.set('b', 2); // the newest key, used once
      cache.set('c', 3);
      expect(cache.keys()).toEqual(['a', 'c']);
    });

    it('should not evict anything when updating a key of a full cache', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1).set('b', 2).set('b', 20);
      expect(cache.size).toBe(2);
      expect(cache.peek('a')).toBe(1);
      expect(cache.peek('b')).toBe(20);
      expect(cache.frequency('b')).toBe(2);
    });

    it('should not let peek or has protect a key from eviction', () => {
      const cache = new LFUCache<string, number>(2);
      cache.set('a', 1).set('b', 2);
      cache.peek('a');
      cache.has('a');
      cache.set('c', 3);
      expect(cache.has('a')).toBe(false);
      expect(cache.keys()).toEqual(['c', 'b']);
    });

    it('should keep evicting correctly once the least used keys have been deleted', () => {
      const cache = new LFUCache<string, number>(3);
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('a');
      cache.get('b');
      cache.delete('c'); // the only key used once
      cache.set('d', 4);
      cache.set('e', 5); // d is the least frequently used
      expect(cache.keys()).toEqual(['b', 'a', 'e']);
    });

    it('should hold exactly one entry at capacity 1, however often it was used', () => {
      const cache = new LFUCache<string, number>(1);
      cache.set('a', 1);
      cache.get('a');
      cache.get('a');
      cache.set('b', 2);
      expect(cache.keys()).toEqual(['b']);
      expect(cache.frequency('b')).toBe(1);
      expect(cache.get('a')).toBeUndefined();
    });
  });

  describe('keys', () => {
    it('should list keys by frequency, then most recently used first', () => {
      const cache = new LFUCache<string, number>(5);
      cache.set('a', 1).set('b', 2).set('c', 3).set('d', 4);
      cache.get('c');
      cache.get('a');
      cache.get('c');
      // c: 3 uses; a: 2; d and b: 1, d more recent
      expect(cache.keys()).toEqual(['c', 'a', 'd', 'b']);
    });
  });

  describe('edge cases', () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject capacity %s with a RangeError that names it', (capacity) => {
      expect(() => new LFUCache(capacity)).toThrow(RangeError);
      expect(() => new LFUCache(capacity)).toThrow(`capacity must be a positive integer, got ${capacity}`);
    });

    it('should tell a stored undefined from a miss through has', () => {
      const cache = new LFUCache<string, number | undefined>(2);
      cache.set('a', undefined);
      expect(cache.has('a')).toBe(true);
      expect(cache.frequency('a')).toBe(1);
      expect(cache.size).toBe(1);
    });

    it('should compare object keys by identity', () => {
      const cache = new LFUCache<object, string>(2);
      const key = { id: 1 };
      cache.set(key, 'first');
      expect(cache.get({ id: 1 })).toBeUndefined();
      expect(cache.get(key)).toBe('first');
    });
  });

  describe('properties', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.nat(6) }),
      fc.record({ op: fc.constant('get' as const), key: fc.nat(6) }),
    );

    it('should never hold more than its capacity', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.array(operation), (capacity, operations) => {
          const cache = new LFUCache<number, number>(capacity);
          for (const { op, key } of operations) {
            if (op === 'set') cache.set(key, key);
            else cache.get(key);
            expect(cache.size).toBeLessThanOrEqual(capacity);
          }
        }),
      );
    });

    it('should always evict a key of minimal frequency', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.array(operation, { maxLength: 25 }), (capacity, operations) => {
          const cache = new LFUCache<number, number>(capacity);
          for (const { op, key } of operations) {
            if (op === 'get') {
              cache.get(key);
              continue;
            }
            const before = new Map(cache.keys().map((k) => [k, cache.frequency(k)!]));
            cache.set(key, key);
            const evicted = [...before.keys()].filter((k) => !cache.has(k));
            if (before.has(key) || before.size < capacity) {
              expect(evicted).toEqual([]);
            } else {
              expect(evicted).toHaveLength(1);
              expect(before.get(evicted[0]!)).toBe(Math.min(...before.values()));
            }
          }
        }),
      );
    });
  });

  describe('against a model', () => {
    // The model is an unordered array of entries, each with its use count and the time of its
    // last use; eviction and keys() sort it.
    interface Entry {
      key: string;
      value: number;
      frequency: number;
      lastUse: number;
    }
    type Model = { capacity: number; clock: number; entries: Entry[] };
    type Real = LFUCache<string, number>;

    const find = (model: Model, key: string): Entry | undefined => model.entries.find((e) => e.key === key);
    const use = (model: Model, entry: Entry): void => {
      entry.frequency += 1;
      entry.lastUse = ++model.clock;
    };
    const ordered = (model: Model): Entry[] =>
      [...model.entries].sort((x, y) => y.frequency - x.frequency || y.lastUse - x.lastUse);
    const expectSameState = (model: Model, real: Real): void => {
      const entries = ordered(model);
      const keys = real.keys();
      expect({ size: real.size, keys, frequencies: keys.map((k) => real.frequency(k)) }).toEqual({
        size: entries.length,
        keys: entries.map((e) => e.key),
        frequencies: entries.map((e) => e.frequency),
      });
    };

    class SetCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string, readonly value: number) {}
      check = () => true;
      run(model: Model, real: Real): void {
        real.set(this.key, this.value);
        const existing = find(model, this.key);
        if (existing) {
          existing.value = this.value;
          use(model, existing);
        } else {
          // The last of the order is the least frequently used, least recently among ties.
          if (model.entries.length === model.capacity) {
            const victim = ordered(model).at(-1)!;
            model.entries = model.entries.filter((e) => e !== victim);
          }
          model.entries.push({ key: this.key, value: this.value, frequency: 1, lastUse: ++model.clock });
        }
        expectSameState(model, real);
      }
      toString = () => `set(${this.key}, ${this.value})`;
    }

    class GetCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const hit = find(model, this.key);
        expect(real.get(this.key)).toBe(hit?.value);
        if (hit) use(model, hit);
        expectSameState(model, real);
      }
      toString = () => `get(${this.key})`;
    }

    class PeekCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const hit = find(model, this.key);
        expect(real.peek(this.key)).toBe(hit?.value);
        expect(real.has(this.key)).toBe(hit !== undefined);
        expectSameState(model, real);
      }
      toString = () => `peek(${this.key})`;
    }

    class DeleteCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        expect(real.delete(this.key)).toBe(find(model, this.key) !== undefined);
        model.entries = model.entries.filter((e) => e.key !== this.key);
        expectSameState(model, real);
      }
      toString = () => `delete(${this.key})`;
    }

    it('should behave like a sorted list of use counts under any sequence of operations', () => {
      const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
      const commands = fc.commands(
        [
          fc.tuple(key, fc.nat(99)).map(([k, v]) => new SetCommand(k, v)),
          key.map((k) => new GetCommand(k)),
          key.map((k) => new PeekCommand(k)),
          key.map((k) => new DeleteCommand(k)),
        ],
        { maxCommands: 60 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), commands, (capacity, cmds) => {
          fc.modelRun(() => ({ model: { capacity, clock: 0, entries: [] }, real: new LFUCache<string, number>(capacity) }), cmds);
        }),
      );
    });
  });
});
