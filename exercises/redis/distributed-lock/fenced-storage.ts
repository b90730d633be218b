/**
 * The storage a lock protects, as fencing wants it: every write carries the writer's fence,
 * and a write with a fence older than the newest one already seen for that key is refused.
 * A database does this with a version column (`UPDATE … WHERE fence <= $fence`), etcd with a
 * revision compare. Given complete: the kata is the lock; this is what makes its fences useful.
 */
export class FencedStorage<V> {
  readonly #values = new Map<string, V>();
  readonly #fences = new Map<string, number>();

  /**
   * Stores `value` under `key` unless a write with a newer fence came first. The same fence may
   * write again: one holder often writes several times.
   * @returns whether the write was accepted.
   */
  write(key: string, value: V, fence: number): boolean {
    const newest = this.#fences.get(key);
    if (newest !== undefined && fence < newest) return false;
    this.#fences.set(key, fence);
    this.#values.set(key, value);
    return true;
  }

  /** The last accepted value for `key`. */
  read(key: string): V | undefined {
    return this.#values.get(key);
  }
}
