/**
 * The items table, kept in memory. This file is given: use it from pagination.ts as it is.
 *
 * It behaves like a table without an index: `list()` hands over every row, in no particular
 * order (the order in which they were inserted), as a `SELECT * FROM items` would. Sorting and
 * picking the page is the caller's job. Every call yields first, like a round trip to a
 * database, and rows come out as copies.
 */

/** A row of the items table, and the JSON shape of an item in the API. */
export interface Item {
  readonly id: string;
  /** When the item was created, as `Date#toISOString()` writes it: `2026-01-01T09:30:00.000Z`. */
  readonly created_at: string;
  readonly title: string;
}

export interface ItemStore {
  /** `SELECT * FROM items`: every item, in no particular order. */
  list(): Promise<Item[]>;
}

/** Lets whatever else is in flight run first, as a round trip to a database would. */
const roundTrip = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

const row = (item: Item): Item => ({ id: item.id, created_at: item.created_at, title: item.title });

export class MemoryItemStore implements ItemStore {
  readonly #rows = new Map<string, Item>();

  /** Stores the given items at once, for setting up a test. @throws {Error} on a duplicate id. */
  constructor(items: Iterable<Item> = []) {
    for (const item of items) this.#add(item);
  }

  /**
   * `INSERT INTO items VALUES (...)`.
   * @throws {Error} (the promise rejects) when an item with the same `id` exists.
   */
  async insert(item: Item): Promise<void> {
    await roundTrip();
    this.#add(item);
  }

  /** `DELETE FROM items WHERE id = $1`: whether there was such an item. */
  async delete(id: string): Promise<boolean> {
    await roundTrip();
    return this.#rows.delete(id);
  }

  async list(): Promise<Item[]> {
    await roundTrip();
    return [...this.#rows.values()].map(row);
  }

  #add(item: Item): void {
    if (this.#rows.has(item.id)) throw new Error(`duplicate key: id ${item.id} exists`);
    this.#rows.set(item.id, row(item));
  }
}
