/**
 * Ring buffer: a fixed-capacity deque in one preallocated array. `#head` is the slot of the
 * front element and `#size` counts the elements, so the element at logical index i lives in
 * slot (head + i) mod capacity, and both ends move by adjusting head or size, never by moving
 * elements.
 *
 * Complexity: every push, pop, peek and at() is O(1); toArray() and iteration are O(n).
 * Trade-off: the capacity is fixed up front (no resizing, no garbage from growth); when full, a
 * push either fails or, in overwrite mode, silently drops the element at the other end.
 */

export interface RingBufferOptions {
  /** When full, a push drops the element at the opposite end instead of throwing. Default false. */
  overwrite?: boolean;
}

/** n mod m in [0, m), for any integer n: `%` keeps the sign of n, so -1 % 4 is -1, not 3. */
function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

export class RingBuffer<T> {
  readonly #slots: (T | undefined)[];
  readonly #overwrite: boolean;
  #head = 0;
  #size = 0;

  /** @throws {RangeError} unless `capacity` is a positive integer. */
  constructor(capacity: number, { overwrite = false }: RingBufferOptions = {}) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.#slots = new Array<T | undefined>(capacity).fill(undefined);
    this.#overwrite = overwrite;
  }

  /** The number of elements. */
  get size(): number {
    return this.#size;
  }

  /** The most elements the buffer holds. */
  get capacity(): number {
    return this.#slots.length;
  }

  /** Whether the buffer holds `capacity` elements. */
  isFull(): boolean {
    return this.#size === this.#slots.length;
  }

  /**
   * Adds `value` at the back. When full: drops the front element in overwrite mode.
   * @throws {RangeError} when full, without overwrite.
   */
  pushBack(value: T): void {
    if (this.isFull()) {
      this.#mustOverwrite();
      this.popFront();
    }
    this.#slots[this.#slot(this.#size)] = value;
    this.#size += 1;
  }

  /**
   * Adds `value` at the front. When full: drops the back element in overwrite mode.
   * @throws {RangeError} when full, without overwrite.
   */
  pushFront(value: T): void {
    if (this.isFull()) {
      this.#mustOverwrite();
      this.popBack();
    }
    this.#head = mod(this.#head - 1, this.#slots.length);
    this.#slots[this.#head] = value;
    this.#size += 1;
  }

  /** Removes and returns the front element; `undefined` when empty. */
  popFront(): T | undefined {
    if (this.#size === 0) return undefined;
    const value = this.#slots[this.#head];
    // Release the reference so the buffer does not keep a popped element alive.
    this.#slots[this.#head] = undefined;
    this.#head = mod(this.#head + 1, this.#slots.length);
    this.#size -= 1;
    return value;
  }

  /** Removes and returns the back element; `undefined` when empty. */
  popBack(): T | undefined {
    if (this.#size === 0) return undefined;
    const slot = this.#slot(this.#size - 1);
    const value = this.#slots[slot];
    this.#slots[slot] = undefined;
    this.#size -= 1;
    return value;
  }

  /** The front element without removing it; `undefined` when empty. */
  peekFront(): T | undefined {
    return this.at(0);
  }

  /** The back element without removing it; `undefined` when empty. */
  peekBack(): T | undefined {
    return this.at(-1);
  }

  /**
   * The element at `index` from the front (0 is the front); a negative index counts from the
   * back (-1 is the back), like `Array#at`. `undefined` when out of range.
   * @throws {RangeError} unless `index` is an integer.
   */
  at(index: number): T | undefined {
    if (!Number.isInteger(index)) throw new RangeError(`index must be an integer, got ${index}`);
    const logical = index < 0 ? this.#size + index : index;
    if (logical < 0 || logical >= this.#size) return undefined;
    return this.#slots[this.#slot(logical)];
  }

  /** Removes every element. */
  clear(): void {
    this.#slots.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }

  /** The elements, front to back. */
  toArray(): T[] {
    return [...this];
  }

  /** Iterates the elements front to back. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#size; i++) yield this.#slots[this.#slot(i)] as T;
  }

  /** The array slot of the element at logical index `i`, for 0 <= i < capacity. */
  #slot(i: number): number {
    return (this.#head + i) % this.#slots.length;
  }

  #mustOverwrite(): void {
    if (!this.#overwrite) throw new RangeError(`ring buffer is full (capacity ${this.#slots.length})`);
  }
}
