/**
 * An LFU (least frequently used) cache with a fixed capacity: ties between equally frequent keys
 * go to the least recently used.
 *
 * Every operation except `keys` must be O(1). Read README.md for the idea,
 * `npm run kata -- hint lfu-cache` when you are stuck.
 */
export class LFUCache<K, V> {
  /** @throws {RangeError} unless `capacity` is a positive integer. */
  constructor(_capacity: number) {
    throw new Error('TODO: implement the LFUCache constructor');
  }

  /** The number of entries. */
  get size(): number {
    throw new Error('TODO: implement LFUCache#size');
  }

  /**
   * The value for `key`, or `undefined` on a miss. A hit is a use: the key's frequency grows by
   * one and it becomes the most recently used key of its new frequency.
   */
  get(_key: K): V | undefined {
    throw new Error('TODO: implement LFUCache#get');
  }

  /** The value for `key`, without changing its frequency or recency. */
  peek(_key: K): V | undefined {
    throw new Error('TODO: implement LFUCache#peek');
  }

  /** Whether `key` is cached, without changing its frequency or recency. */
  has(_key: K): boolean {
    throw new Error('TODO: implement LFUCache#has');
  }

  /** How many uses `key` has had (1 right after insertion); `undefined` when it is not cached. */
  frequency(_key: K): number | undefined {
    throw new Error('TODO: implement LFUCache#frequency');
  }

  /**
   * Updates `key`, which counts as a use, or inserts it with frequency 1. Inserting a new key
   * into a full cache first evicts the least frequently used key, the least recently used one
   * among ties.
   */
  set(_key: K, _value: V): this {
    throw new Error('TODO: implement LFUCache#set');
  }

  /** Removes `key`; `true` if it was there. */
  delete(_key: K): boolean {
    throw new Error('TODO: implement LFUCache#delete');
  }

  /** Removes every entry. */
  clear(): void {
    throw new Error('TODO: implement LFUCache#clear');
  }

  /**
   * The keys, highest frequency first; within a frequency, most recently used first. The last
   * key is the next one to be evicted.
   */
  keys(): K[] {
    throw new Error('TODO: implement LFUCache#keys');
  }
}
