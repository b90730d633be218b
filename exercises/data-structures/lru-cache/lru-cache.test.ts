import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LRUCache } from './lru-cache.ts';

describe('LRUCache', () => {
  describe('as a map', () => {
    it('should return what was stored', () => {
      const cache = new LRUCache<string, number>(2);
      cache.set('a', 1);
      expect(cache.get('a')).toBe(1);
    });

    it('should return undefined for a key it never saw', () => {
      const cache = new LRUCache<string, number>(2);
      expect(cache.get('missing')).toBeUndefined();
    });

    it('should count its entries', () => {
      const cache = new LRUCache<string, number>(3);
      expect(cache.size).toBe(0);
      cache.set('a', 1).set('b', 2);
      expect(cache.size).toBe(2);
    });

    it('should replace the value of an existing key without growing', () => {
      const cache = new LRUCache<string, number>(2);
      cache.set('a', 1).set('a', 2);
      expect(cache.get('a')).toBe(2);
      expect(cache.size).toBe(1);
    });

    it('should delete a key and report whether it was there', () => {
      const cache = new LRUCache<string, number>(2);
      cache.set('a', 1);
      expect(cache.delete('a')).toBe(true);
      expect(cache.delete('a')).toBe(false);
      expect(cache.has('a')).toBe(false);
      expect(cache.size).toBe(0);
    });

    it('should forget everything on clear', () => {
      const cache = new LRUCache<string, number>(2);
      cache.set('a', 1).set('b', 2);
      cache.clear();
      expect(cache.size).toBe(0);
      expect(cache.keys()).toEqual([]);
      expect(cache.get('a')).toBeUndefined();
    });
  });

  describe('eviction', () => {
    it('should evict the least recently used key when over capacity', () => {
      const cache = new LRUCache<number, number>(2);
      cache.set(1, 1).set(2, 2);
      cache.get(1);
      cache.set(3, 3); // 2 is the least recently used now
      expect(cache.get(2)).toBeUndefined();
      expect(cache.get(1)).toBe(1);
      expect(cache.get(3)).toBe(3);
    });

    it('should treat a hit as a use', () => {
      const cache = new LRUCache<string, number>(3);
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('a');
      expect(cache.keys()).toEqual(['a', 'c', 'b']);
    });

    it('should treat an update as a use', () => {
      const cache = new LRUCache<string, number>(2);
      cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
      expect(cache.keys()).toEqual(['c', 'a']);
    });

    it('should not change recency on peek or has', () => {
      const cache = new LRUCache<string, number>(2);
      cache.set('a', 1).set('b', 2);
      expect(cache.peek('a')).toBe(1);
      expect(cache.has('a')).toBe(true);
      cache.set('c', 3);
      expect(cache.has('a')).toBe(false);
      expect(cache.keys()).toEqual(['c', 'b']);
    });

    it('should list keys from most to least recently used', () => {
      const cache = new LRUCache<string, number>(4);
      cache.set('a', 1).set('b', 2).set('c', 3);
      cache.get('b');
      expect(cache.keys()).toEqual(['b', 'c', 'a']);
    });

    it('should keep working after deleting the head, the tail and a middle entry', () => {
      const cache = new LRUCache<string, number>(5);
      cache.set('a', 1).set('b', 2).set('c', 3).set('d', 4).set('e', 5);
      cache.delete('e');
      cache.delete('a');
      cache.delete('c');
      expect(cache.keys()).toEqual(['d', 'b']);
      cache.set('f', 6).set('g', 7).set('h', 8).set('i', 9);
      expect(cache.keys()).toEqual(['i', 'h', 'g', 'f', 'd']);
    });

    it('should hold exactly one entry at capacity 1', () => {
      const cache = new LRUCache<string, number>(1);
      cache.set('a', 1).set('b', 2);
      expect(cache.keys()).toEqual(['b']);
      expect(cache.get('a')).toBeUndefined();
    });
  });

  describe('edge cases', () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject capacity %s with a RangeError', (capacity) => {
      expect(() => new LRUCache(capacity)).toThrow(RangeError);
    });

    it('should tell a stored undefined from a miss through has', () => {
      const cache = new LRUCache<string, number | undefined>(2);
      cache.set('a', undefined);
      expect(cache.has('a')).toBe(true);
      expect(cache.size).toBe(1);
    });

    it('should compare object keys by identity', () => {
      const cache = new LRUCache<object, string>(2);
      const key = { id: 1 };
      cache.set(key, 'first');
      expect(cache.get({ id: 1 })).toBeUndefined();
      expect(cache.get(key)).toBe('first');
    });
  });

  describe('properties', () => {
    it('should never hold more than its capacity', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(20)), (capacity, keys) => {
          const cache = new LRUCache<number, number>(capacity);
          for (const key of keys) {
            cache.set(key, key);
            expect(cache.size).toBeLessThanOrEqual(capacity);
          }
          expect(cache.size).toBe(Math.min(capacity, new Set(keys).size));
        }),
      );
    });

    it('should keep the last `capacity` distinct keys written', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(20)), (capacity, keys) => {
          const cache = new LRUCache<number, number>(capacity);
          for (const key of keys) cache.set(key, key);
          const expected = [...new Set([...keys].reverse())].slice(0, capacity);
          expect(cache.keys()).toEqual(expected);
        }),
      );
    });
  });

  describe('against a model', () => {
    // The model is an array of [key, value] pairs, most recently used first.
    type Model = { capacity: number; entries: [string, number][] };
    type Real = LRUCache<string, number>;

    const touch = (model: Model, key: string, value: number): void => {
      model.entries = [[key, value] as [string, number], ...model.entries.filter(([k]) => k !== key)];
      model.entries.length = Math.min(model.entries.length, model.capacity);
    };
    const expectSameState = (model: Model, real: Real): void => {
      expect(real.size).toBe(model.entries.length);
      expect(real.keys()).toEqual(model.entries.map(([k]) => k));
    };

    class SetCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string, readonly value: number) {}
      check = () => true;
      run(model: Model, real: Real): void {
        real.set(this.key, this.value);
        touch(model, this.key, this.value);
        expectSameState(model, real);
      }
      toString = () => `set(${this.key}, ${this.value})`;
    }

    class GetCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const hit = model.entries.find(([k]) => k === this.key);
        expect(real.get(this.key)).toBe(hit?.[1]);
        if (hit) touch(model, hit[0], hit[1]);
        expectSameState(model, real);
      }
      toString = () => `get(${this.key})`;
    }

    class PeekCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const hit = model.entries.find(([k]) => k === this.key);
        expect(real.peek(this.key)).toBe(hit?.[1]);
        expect(real.has(this.key)).toBe(hit !== undefined);
        expectSameState(model, real);
      }
      toString = () => `peek(${this.key})`;
    }

    class DeleteCommand implements fc.Command<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const present = model.entries.some(([k]) => k === this.key);
        expect(real.delete(this.key)).toBe(present);
        model.entries = model.entries.filter(([k]) => k !== this.key);
        expectSameState(model, real);
      }
      toString = () => `delete(${this.key})`;
    }

    it('should behave like a recency-ordered list under any sequence of operations', () => {
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
          fc.modelRun(() => ({ model: { capacity, entries: [] }, real: new LRUCache<string, number>(capacity) }), cmds);
        }),
      );
    });
  });
});
