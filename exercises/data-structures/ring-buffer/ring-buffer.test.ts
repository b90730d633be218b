import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.ts';

/** A buffer holding `values`, pushed at the back one by one. */
const bufferOf = <T>(capacity: number, values: readonly T[], options: { overwrite?: boolean } = {}): RingBuffer<T> => {
  const buffer = new RingBuffer<T>(capacity, options);
  for (const value of values) buffer.pushBack(value);
  return buffer;
};

describe('RingBuffer', () => {
  describe('as a queue: push at the back, pop at the front', () => {
    it('should hand elements back in the order they were pushed', () => {
      const buffer = new RingBuffer<string>(3);
      buffer.pushBack('a');
      buffer.pushBack('b');
      expect(buffer.popFront()).toBe('a');
      expect(buffer.popFront()).toBe('b');
    });

    it('should return undefined when popping an empty buffer', () => {
      const buffer = new RingBuffer<string>(3);
      expect(buffer.popFront()).toBeUndefined();
      expect(buffer.popBack()).toBeUndefined();
    });

    it('should count its elements and know its capacity', () => {
      const buffer = new RingBuffer<string>(3);
      expect(buffer.size).toBe(0);
      expect(buffer.capacity).toBe(3);
      buffer.pushBack('a');
      buffer.pushBack('b');
      expect(buffer.size).toBe(2);
      buffer.popFront();
      expect(buffer.size).toBe(1);
      expect(buffer.capacity).toBe(3);
    });

    it('should list its elements front to back', () => {
      const buffer = bufferOf(4, ['a', 'b', 'c']);
      expect(buffer.toArray()).toEqual(['a', 'b', 'c']);
      expect([...buffer]).toEqual(['a', 'b', 'c']);
    });
  });

  describe('at both ends', () => {
    it('should pop the back element from the back', () => {
      const buffer = bufferOf(4, ['a', 'b', 'c']);
      expect(buffer.popBack()).toBe('c');
      expect(buffer.popBack()).toBe('b');
      expect(buffer.toArray()).toEqual(['a']);
    });

    it('should push at the front', () => {
      const buffer = bufferOf(4, ['b']);
      buffer.pushFront('a');
      expect(buffer.toArray()).toEqual(['a', 'b']);
      expect(buffer.popFront()).toBe('a');
    });

    it('should peek at either end without removing anything', () => {
      const buffer = bufferOf(4, ['a', 'b', 'c']);
      expect(buffer.peekFront()).toBe('a');
      expect(buffer.peekBack()).toBe('c');
      expect(buffer.size).toBe(3);
      const empty = new RingBuffer<string>(2);
      expect(empty.peekFront()).toBeUndefined();
      expect(empty.peekBack()).toBeUndefined();
    });
  });

  describe('wrap-around', () => {
    it('should wrap the back past the end of the array and keep the order', () => {
      const buffer = bufferOf(3, [1, 2, 3]);
      buffer.popFront();
      buffer.popFront();
      buffer.pushBack(4);
      buffer.pushBack(5); // slots: [4, 5, 3], the front is the last slot
      expect(buffer.toArray()).toEqual([3, 4, 5]);
      expect(buffer.popFront()).toBe(3);
      expect(buffer.popFront()).toBe(4);
      expect(buffer.popBack()).toBe(5);
      expect(buffer.size).toBe(0);
    });

    it('should wrap the front backwards past the first slot', () => {
      const buffer = new RingBuffer<string>(3);
      buffer.pushFront('c');
      buffer.pushFront('b');
      buffer.pushFront('a');
      expect(buffer.toArray()).toEqual(['a', 'b', 'c']);
      expect(buffer.popBack()).toBe('c');
      expect(buffer.peekFront()).toBe('a');
    });

    it('should go round many times without losing anything', () => {
      const buffer = new RingBuffer<number>(3);
      for (let i = 0; i < 10; i++) {
        buffer.pushBack(i);
        buffer.pushBack(i + 100);
        expect(buffer.popFront()).toBe(i);
        expect(buffer.popFront()).toBe(i + 100);
      }
      for (let i = 0; i < 10; i++) {
        buffer.pushFront(i);
        buffer.pushFront(i + 100);
        expect(buffer.popBack()).toBe(i);
        expect(buffer.popBack()).toBe(i + 100);
      }
      expect(buffer.size).toBe(0);
    });
  });

  describe('at', () => {
    it('should index from the front from 0, and from the back from -1', () => {
      const buffer = bufferOf(5, ['a', 'b', 'c']);
      expect([buffer.at(0), buffer.at(1), buffer.at(2)]).toEqual(['a', 'b', 'c']);
      expect([buffer.at(-1), buffer.at(-2), buffer.at(-3)]).toEqual(['c', 'b', 'a']);
    });

    it('should return undefined out of range', () => {
      const buffer = bufferOf(5, ['a', 'b', 'c']);
      expect(buffer.at(3)).toBeUndefined();
      expect(buffer.at(4)).toBeUndefined();
      expect(buffer.at(-4)).toBeUndefined();
      expect(new RingBuffer<string>(2).at(0)).toBeUndefined();
    });

    it('should index across the wrap-around', () => {
      const buffer = bufferOf(4, ['x', 'x', 'x', 'a']);
      buffer.popFront();
      buffer.popFront();
      buffer.popFront();
      buffer.pushBack('b');
      buffer.pushBack('c'); // slots: [b, c, _, a]
      expect([buffer.at(0), buffer.at(1), buffer.at(2)]).toEqual(['a', 'b', 'c']);
      expect([buffer.at(-1), buffer.at(-2), buffer.at(-3)]).toEqual(['c', 'b', 'a']);
    });

    it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject index %s with a RangeError', (index) => {
      const buffer = bufferOf(2, ['a']);
      expect(() => buffer.at(index)).toThrow(RangeError);
      expect(() => buffer.at(index)).toThrow(`index must be an integer, got ${index}`);
    });
  });

  describe('when full', () => {
    it('should be full exactly when it holds capacity elements', () => {
      const buffer = new RingBuffer<number>(2);
      expect(buffer.isFull()).toBe(false);
      buffer.pushBack(1);
      expect(buffer.isFull()).toBe(false);
      buffer.pushBack(2);
      expect(buffer.isFull()).toBe(true);
      buffer.popBack();
      expect(buffer.isFull()).toBe(false);
    });

    it('should refuse a push at either end with a RangeError, and keep its elements', () => {
      const buffer = bufferOf(2, ['a', 'b']);
      expect(() => buffer.pushBack('c')).toThrow(RangeError);
      expect(() => buffer.pushFront('c')).toThrow(RangeError);
      expect(() => buffer.pushBack('c')).toThrow('ring buffer is full');
      expect(buffer.toArray()).toEqual(['a', 'b']);
    });
  });

  describe('overwrite mode, a bounded log', () => {
    it('should keep the latest elements pushed at the back, dropping the oldest at the front', () => {
      const log = bufferOf(3, [1, 2, 3, 4, 5], { overwrite: true });
      expect(log.toArray()).toEqual([3, 4, 5]);
      expect(log.size).toBe(3);
    });

    it('should drop the back element when pushing at the front', () => {
      const buffer = bufferOf(3, [1, 2, 3], { overwrite: true });
      buffer.pushFront(0);
      expect(buffer.toArray()).toEqual([0, 1, 2]);
    });

    it('should still refuse to grow past its capacity', () => {
      const log = bufferOf(2, ['a', 'b', 'c', 'd'], { overwrite: true });
      expect(log.isFull()).toBe(true);
      expect(log.at(-1)).toBe('d');
      expect(log.at(2)).toBeUndefined();
    });
  });

  describe('clear and forgetting', () => {
    it('should be empty after clear, and usable again', () => {
      const buffer = bufferOf(3, ['a', 'b', 'c']);
      buffer.clear();
      expect(buffer.size).toBe(0);
      expect(buffer.toArray()).toEqual([]);
      expect(buffer.peekFront()).toBeUndefined();
      buffer.pushFront('d');
      buffer.pushBack('e');
      expect(buffer.toArray()).toEqual(['d', 'e']);
    });

    it('should never show popped elements again', () => {
      const buffer = bufferOf(4, ['a', 'b', 'c', 'd']);
      buffer.popFront();
      buffer.popBack();
      expect(buffer.toArray()).toEqual(['b', 'c']);
      expect([...buffer]).toEqual(['b', 'c']);
      expect(buffer.at(2)).toBeUndefined();
      expect(buffer.at(-3)).toBeUndefined();
      buffer.popFront();
      buffer.popFront();
      expect(buffer.toArray()).toEqual([]);
      expect(buffer.peekFront()).toBeUndefined();
      expect(buffer.peekBack()).toBeUndefined();
    });
  });

  describe('edge cases', () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject capacity %s with a RangeError that names it', (capacity) => {
      expect(() => new RingBuffer(capacity)).toThrow(RangeError);
      expect(() => new RingBuffer(capacity)).toThrow(`capacity must be a positive integer, got ${capacity}`);
    });

    it('should work at capacity 1', () => {
      const buffer = new RingBuffer<string>(1);
      buffer.pushFront('a');
      expect(buffer.isFull()).toBe(true);
      expect(buffer.popBack()).toBe('a');
      const log = bufferOf(1, ['a', 'b'], { overwrite: true });
      log.pushFront('c');
      expect(log.toArray()).toEqual(['c']);
    });

    it('should count stored undefined values as elements', () => {
      const buffer = bufferOf<string | undefined>(2, [undefined, 'a']);
      expect(buffer.size).toBe(2);
      expect(buffer.toArray()).toEqual([undefined, 'a']);
    });
  });

  describe('properties', () => {
    it('should keep the last `capacity` values pushed at the back in overwrite mode', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(99), { maxLength: 30 }), (capacity, values) => {
          const log = bufferOf(capacity, values, { overwrite: true });
          expect(log.toArray()).toEqual(values.slice(-capacity));
        }),
      );
    });

    it('should agree with an array used as a deque, as long as it is not full', () => {
      const op = fc.oneof(
        fc.record({ op: fc.constantFrom('pushBack' as const, 'pushFront' as const), value: fc.nat(99) }),
        fc.record({ op: fc.constantFrom('popBack' as const, 'popFront' as const) }),
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 25 }), (capacity, ops) => {
          const buffer = new RingBuffer<number>(capacity);
          const array: number[] = [];
          for (const step of ops) {
            if ('value' in step) {
              if (array.length === capacity) continue;
              if (step.op === 'pushBack') {
                buffer.pushBack(step.value);
                array.push(step.value);
              } else {
                buffer.pushFront(step.value);
                array.unshift(step.value);
              }
            } else if (step.op === 'popBack') {
              expect(buffer.popBack()).toBe(array.pop());
            } else {
              expect(buffer.popFront()).toBe(array.shift());
            }
            expect(buffer.toArray()).toEqual(array);
          }
        }),
      );
    });
  });

  describe('against a model', () => {
    // The model is a plain array, front first; pushes on a full buffer follow the mode.
    type Model = { capacity: number; overwrite: boolean; items: number[] };
    type Real = RingBuffer<number>;

    const expectSameState = (model: Model, real: Real): void => {
      expect({ size: real.size, full: real.isFull(), items: real.toArray(), front: real.peekFront(), back: real.peekBack() }).toEqual({
        size: model.items.length,
        full: model.items.length === model.capacity,
        items: model.items,
        front: model.items[0],
        back: model.items.at(-1),
      });
    };

    class PushCommand implements fc.Command<Model, Real> {
      constructor(readonly end: 'back' | 'front', readonly value: number) {}
      check = () => true;
      run(model: Model, real: Real): void {
        const push = () => (this.end === 'back' ? real.pushBack(this.value) : real.pushFront(this.value));
        if (model.items.length === model.capacity && !model.overwrite) {
          expect(push).toThrow(RangeError);
        } else {
          push();
          if (model.items.length === model.capacity) {
            if (this.end === 'back') model.items.shift();
            else model.items.pop();
          }
          if (this.end === 'back') model.items.push(this.value);
          else model.items.unshift(this.value);
        }
        expectSameState(model, real);
      }
      toString = () => `push${this.end === 'back' ? 'Back' : 'Front'}(${this.value})`;
    }

    class PopCommand implements fc.Command<Model, Real> {
      constructor(readonly end: 'back' | 'front') {}
      check = () => true;
      run(model: Model, real: Real): void {
        if (this.end === 'back') expect(real.popBack()).toBe(model.items.pop());
        else expect(real.popFront()).toBe(model.items.shift());
        expectSameState(model, real);
      }
      toString = () => `pop${this.end === 'back' ? 'Back' : 'Front'}()`;
    }

    class AtCommand implements fc.Command<Model, Real> {
      constructor(readonly index: number) {}
      check = () => true;
      run(model: Model, real: Real): void {
        expect(real.at(this.index)).toBe(model.items.at(this.index));
      }
      toString = () => `at(${this.index})`;
    }

    class ClearCommand implements fc.Command<Model, Real> {
      check = () => true;
      run(model: Model, real: Real): void {
        real.clear();
        model.items = [];
        expectSameState(model, real);
      }
      toString = () => 'clear()';
    }

    it('should behave like an array with a capacity under any sequence of operations', () => {
      const end = fc.constantFrom('back' as const, 'front' as const);
      const commands = fc.commands(
        [
          fc.tuple(end, fc.nat(99)).map(([e, v]) => new PushCommand(e, v)),
          end.map((e) => new PopCommand(e)),
          fc.integer({ min: -6, max: 6 }).map((i) => new AtCommand(i)),
          fc.constant(new ClearCommand()),
        ],
        { maxCommands: 60 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.boolean(), commands, (capacity, overwrite, cmds) => {
          fc.modelRun(() => ({ model: { capacity, overwrite, items: [] }, real: new RingBuffer<number>(capacity, { overwrite }) }), cmds);
        }),
      );
    });
  });
});
