/**
 * An LRU (least recently used) cache with a fixed capacity.
 *
 * Every operation must be O(1). Read README.md for the idea, `npm run kata -- hint lru-cache`
 * when you are stuck.
 */
export class LRUCache<K, V> {
  /** @throws {RangeError} unless `capacity` is a positive integer. */
  constructor(_capacity: number) {
    throw new Error('TODO: implement the LRUCache constructor');
  }

  /** The number of entries. */
  get size(): number {
    throw new Error('TODO: implement LRUCache#size');
  }

  /** The value for `key`, which becomes the most recently used; `undefined` on a miss. */
  get(_key: K): V | undefined {
    throw new Error('TODO: implement LRUCache#get');
  }

  /** The value for `key` without touching its recency. */
  peek(_key: K): V | undefined {
    throw new Error('TODO: implement LRUCache#peek');
  }

  /** Whether `key` is cached, without touching its recency. */
  has(_key: K): boolean {
    throw new Error('TODO: implement LRUCache#has');
  }

  /**
   * Inserts or updates `key`, which becomes the most recently used. When the cache is full,
   * inserting a new key first evicts the least recently used one.
   */
  set(_key: K, _value: V): this {
    throw new Error('TODO: implement LRUCache#set');
  }

  /** Removes `key`; `true` if it was there. */
  delete(_key: K): boolean {
    throw new Error('TODO: implement LRUCache#delete');
  }

  /** Removes every entry. */
  clear(): void {
    throw new Error('TODO: implement LRUCache#clear');
  }

  /** The keys, most recently used first. */
  keys(): K[] {
    throw new Error('TODO: implement LRUCache#keys');
  }
}
