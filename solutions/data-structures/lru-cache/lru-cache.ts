/**
 * LRU cache: a hash map for lookup plus a doubly linked list that keeps the entries in recency
 * order, most recently used at the head, least recently used at the tail.
 *
 * Complexity: get, peek, has, set and delete are O(1): the map finds the node, and moving or
 * unlinking a node is a fixed number of pointer updates. keys() is O(n).
 * Trade-off: two pointers per entry on top of the map buy O(1) eviction; an array kept in
 * recency order would make every hit O(n).
 */

interface Node<K, V> {
  key: K;
  value: V;
  /** Neighbour towards the head (more recently used). */
  newer: Node<K, V> | undefined;
  /** Neighbour towards the tail (less recently used). */
  older: Node<K, V> | undefined;
}

export class LRUCache<K, V> {
  readonly #capacity: number;
  readonly #nodes = new Map<K, Node<K, V>>();
  #head: Node<K, V> | undefined;
  #tail: Node<K, V> | undefined;

  /** @throws {RangeError} unless `capacity` is a positive integer. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  /** The number of entries. */
  get size(): number {
    return this.#nodes.size;
  }

  /** The value for `key`, which becomes the most recently used; `undefined` on a miss. */
  get(key: K): V | undefined {
    const node = this.#nodes.get(key);
    if (node === undefined) return undefined;
    this.#moveToHead(node);
    return node.value;
  }

  /** The value for `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.#nodes.get(key)?.value;
  }

  /** Whether `key` is cached, without touching its recency. */
  has(key: K): boolean {
    return this.#nodes.has(key);
  }

  /**
   * Inserts or updates `key`, which becomes the most recently used. When the cache is full,
   * inserting a new key first evicts the least recently used one.
   */
  set(key: K, value: V): this {
    const existing = this.#nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.#moveToHead(existing);
      return this;
    }
    if (this.#nodes.size === this.#capacity) {
      // A full cache always has a tail.
      const lru = this.#tail!;
      this.#unlink(lru);
      this.#nodes.delete(lru.key);
    }
    const node: Node<K, V> = { key, value, newer: undefined, older: undefined };
    this.#linkAtHead(node);
    this.#nodes.set(key, node);
    return this;
  }

  /** Removes `key`; `true` if it was there. */
  delete(key: K): boolean {
    const node = this.#nodes.get(key);
    if (node === undefined) return false;
    this.#unlink(node);
    this.#nodes.delete(key);
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.#nodes.clear();
    this.#head = undefined;
    this.#tail = undefined;
  }

  /** The keys, most recently used first. */
  keys(): K[] {
    const keys: K[] = [];
    for (let node = this.#head; node !== undefined; node = node.older) keys.push(node.key);
    return keys;
  }

  #moveToHead(node: Node<K, V>): void {
    if (node === this.#head) return;
    this.#unlink(node);
    this.#linkAtHead(node);
  }

  // head <-> ... <-> node <-> ...   becomes   node <-> head <-> ...
  #linkAtHead(node: Node<K, V>): void {
    node.newer = undefined;
    node.older = this.#head;
    if (this.#head === undefined) this.#tail = node;
    else this.#head.newer = node;
    this.#head = node;
  }

  // newer <-> node <-> older   becomes   newer <-> older
  #unlink(node: Node<K, V>): void {
    if (node.newer === undefined) this.#head = node.older;
    else node.newer.older = node.older;
    if (node.older === undefined) this.#tail = node.newer;
    else node.older.newer = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }
}
