/**
 * LFU cache: evicts the least frequently used entry, and among equally frequent entries the least
 * recently used one. A map finds each entry's node; a second map holds one doubly linked list per
 * frequency (a bucket), most recently used at its head; `#minFrequency` names the bucket to evict
 * from.
 *
 * Complexity: get, peek, has, set, delete and frequency are O(1): a use moves a node from the
 * bucket of frequency f to the head of the bucket of f + 1, a fixed number of pointer updates.
 * keys() is O(n + b log b) for b distinct frequencies, since it sorts them.
 * Trade-off: LFU keeps long-term favourites through a scan of one-off keys, which flushes an LRU,
 * but never forgets: a key hit a thousand times yesterday outlives today's popular keys unless
 * counts decay.
 */

interface Node<K, V> {
  key: K;
  value: V;
  frequency: number;
  /** Neighbour towards the head of its bucket (more recently used). */
  newer: Node<K, V> | undefined;
  /** Neighbour towards the tail of its bucket (less recently used). */
  older: Node<K, V> | undefined;
}

/** The nodes of one frequency, most recently used at the head. */
class Bucket<K, V> {
  head: Node<K, V> | undefined;
  tail: Node<K, V> | undefined;

  get isEmpty(): boolean {
    return this.head === undefined;
  }

  // head <-> ...   becomes   node <-> head <-> ...
  linkAtHead(node: Node<K, V>): void {
    node.newer = undefined;
    node.older = this.head;
    if (this.head === undefined) this.tail = node;
    else this.head.newer = node;
    this.head = node;
  }

  // newer <-> node <-> older   becomes   newer <-> older
  unlink(node: Node<K, V>): void {
    if (node.newer === undefined) this.head = node.older;
    else node.newer.older = node.older;
    if (node.older === undefined) this.tail = node.newer;
    else node.older.newer = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }
}

export class LFUCache<K, V> {
  readonly #capacity: number;
  readonly #nodes = new Map<K, Node<K, V>>();
  readonly #buckets = new Map<number, Bucket<K, V>>();
  // Exact whenever the cache is full, the only time eviction reads it: see delete().
  #minFrequency = 1;

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

  /**
   * The value for `key`, or `undefined` on a miss. A hit is a use: the key's frequency grows by
   * one and it becomes the most recently used key of its new frequency.
   */
  get(key: K): V | undefined {
    const node = this.#nodes.get(key);
    if (node === undefined) return undefined;
    this.#use(node);
    return node.value;
  }

  /** The value for `key`, without changing its frequency or recency. */
  peek(key: K): V | undefined {
    return this.#nodes.get(key)?.value;
  }

  /** Whether `key` is cached, without changing its frequency or recency. */
  has(key: K): boolean {
    return this.#nodes.has(key);
  }

  /** How many uses `key` has had (1 right after insertion); `undefined` when it is not cached. */
  frequency(key: K): number | undefined {
    return this.#nodes.get(key)?.frequency;
  }

  /**
   * Updates `key`, which counts as a use, or inserts it with frequency 1. Inserting a new key
   * into a full cache first evicts the least frequently used key, the least recently used one
   * among ties.
   */
  set(key: K, value: V): this {
    const existing = this.#nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.#use(existing);
      return this;
    }
    if (this.#nodes.size === this.#capacity) this.#evict();
    const node: Node<K, V> = { key, value, frequency: 1, newer: undefined, older: undefined };
    this.#bucket(1).linkAtHead(node);
    this.#nodes.set(key, node);
    // Nothing can be used less than a key that was just inserted.
    this.#minFrequency = 1;
    return this;
  }

  /** Removes `key`; `true` if it was there. */
  delete(key: K): boolean {
    const node = this.#nodes.get(key);
    if (node === undefined) return false;
    this.#detach(node);
    this.#nodes.delete(key);
    // #minFrequency may now name an empty bucket, and finding the next one is not O(1). It needs
    // no repair: the cache is no longer full, so the next eviction comes after an insert, and
    // every insert resets it to 1.
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.#nodes.clear();
    this.#buckets.clear();
    this.#minFrequency = 1;
  }

  /**
   * The keys, highest frequency first; within a frequency, most recently used first. The last
   * key is the next one to be evicted.
   */
  keys(): K[] {
    const frequencies = [...this.#buckets.keys()].sort((a, b) => b - a);
    const keys: K[] = [];
    for (const frequency of frequencies) {
      for (let node = this.#buckets.get(frequency)!.head; node !== undefined; node = node.older) keys.push(node.key);
    }
    return keys;
  }

  // Moves the node from the bucket of f to the head of the bucket of f + 1.
  #use(node: Node<K, V>): void {
    const emptied = this.#detach(node);
    if (emptied && this.#minFrequency === node.frequency) this.#minFrequency = node.frequency + 1;
    node.frequency += 1;
    this.#bucket(node.frequency).linkAtHead(node);
  }

  #evict(): void {
    // A full cache has a bucket at the minimum frequency, and a bucket is never empty.
    const victim = this.#buckets.get(this.#minFrequency)!.tail!;
    this.#detach(victim);
    this.#nodes.delete(victim.key);
  }

  /** Unlinks the node from its bucket and drops the bucket if that emptied it. */
  #detach(node: Node<K, V>): boolean {
    const bucket = this.#buckets.get(node.frequency)!;
    bucket.unlink(node);
    if (!bucket.isEmpty) return false;
    this.#buckets.delete(node.frequency);
    return true;
  }

  #bucket(frequency: number): Bucket<K, V> {
    let bucket = this.#buckets.get(frequency);
    if (bucket === undefined) {
      bucket = new Bucket();
      this.#buckets.set(frequency, bucket);
    }
    return bucket;
  }
}
