/**
 * A ring buffer: a fixed-capacity deque, O(1) at both ends.
 *
 * Use one array allocated once, never `shift`, `unshift` or `splice`. Read README.md for the
 * idea, `npm run kata -- hint ring-buffer` when you are stuck.
 */

export interface RingBufferOptions {
  /** When full, a push drops the element at the opposite end instead of throwing. Default false. */
  overwrite?: boolean;
}

export class RingBuffer<T> {
  /** @throws {RangeError} unless `capacity` is a positive integer. */
  constructor(_capacity: number, _options: RingBufferOptions = {}) {
    throw new Error('TODO: implement the RingBuffer constructor');
  }

  /** The number of elements. */
  get size(): number {
    throw new Error('TODO: implement RingBuffer#size');
  }

  /** The most elements the buffer holds. */
  get capacity(): number {
    throw new Error('TODO: implement RingBuffer#capacity');
  }

  /** Whether the buffer holds `capacity` elements. */
  isFull(): boolean {
    throw new Error('TODO: implement RingBuffer#isFull');
  }

  /**
   * Adds `value` at the back. When full: drops the front element in overwrite mode.
   * @throws {RangeError} when full, without overwrite.
   */
  pushBack(_value: T): void {
    throw new Error('TODO: implement RingBuffer#pushBack');
  }

  /**
   * Adds `value` at the front. When full: drops the back element in overwrite mode.
   * @throws {RangeError} when full, without overwrite.
   */
  pushFront(_value: T): void {
    throw new Error('TODO: implement RingBuffer#pushFront');
  }

  /** Removes and returns the front element; `undefined` when empty. */
  popFront(): T | undefined {
    throw new Error('TODO: implement RingBuffer#popFront');
  }

  /** Removes and returns the back element; `undefined` when empty. */
  popBack(): T | undefined {
    throw new Error('TODO: implement RingBuffer#popBack');
  }

  /** The front element without removing it; `undefined` when empty. */
  peekFront(): T | undefined {
    throw new Error('TODO: implement RingBuffer#peekFront');
  }

  /** The back element without removing it; `undefined` when empty. */
  peekBack(): T | undefined {
    throw new Error('TODO: implement RingBuffer#peekBack');
  }

  /**
   * The element at `index` from the front (0 is the front); a negative index counts from the
   * back (-1 is the back), like `Array#at`. `undefined` when out of range.
   * @throws {RangeError} unless `index` is an integer.
   */
  at(_index: number): T | undefined {
    throw new Error('TODO: implement RingBuffer#at');
  }

  /** Removes every element. */
  clear(): void {
    throw new Error('TODO: implement RingBuffer#clear');
  }

  /** The elements, front to back. */
  toArray(): T[] {
    throw new Error('TODO: implement RingBuffer#toArray');
  }

  /** Iterates the elements front to back. */
  [Symbol.iterator](): IterableIterator<T> {
    throw new Error('TODO: implement RingBuffer#[Symbol.iterator]');
  }
}
