/**
 * Stock reservations with optimistic transactions: `reserve` WATCHes the stock key, reads it,
 * refuses if the stock is short, and otherwise commits the new stock and the order id with
 * MULTI … EXEC, starting again (a bounded number of times) when EXEC reports that another client
 * wrote the stock in between. Each reservation runs on a connection of its own, because WATCH
 * belongs to the connection.
 *
 * Keys: the stock of `id` lives at `inventory:{id}`, its order ids at `orders:{id}`.
 * Read README.md for the idea, `npm run kata -- hint optimistic-transactions` when you are stuck.
 */
import type { Redis } from '#redis';

export interface InventoryOptions {
  /** How many times `reserve` tries before giving up under contention: a positive integer; default 10. */
  readonly maxAttempts?: number;
}

/** Thrown by `reserve` when another client changed the stock during every one of its attempts. */
export class TooMuchContentionError extends Error {
  override readonly name = 'TooMuchContentionError';
  readonly productId: string;
  /** How many transactions `reserve` sent, each aborted by a competing write. */
  readonly attempts: number;

  constructor(productId: string, attempts: number) {
    super(`reserving "${productId}" lost the race to another client ${attempts} time${attempts === 1 ? '' : 's'} in a row`);
    this.productId = productId;
    this.attempts = attempts;
  }
}

/** Stock per product, reserved with WATCH / MULTI / EXEC. */
export class Inventory {
  /** @throws {RangeError} unless `maxAttempts` is a positive integer. */
  constructor(_redis: Redis, _options: InventoryOptions = {}) {
    throw new Error('TODO: implement the Inventory constructor: validate maxAttempts (default 10), keep the client');
  }

  /**
   * Sets the stock of `productId` to `quantity`, whatever it was.
   * @throws {RangeError} for an empty productId or a quantity that is not a non-negative integer.
   */
  async setStock(_productId: string, _quantity: number): Promise<void> {
    throw new Error('TODO: implement Inventory#setStock: SET inventory:{id}');
  }

  /** The stock of `productId`: 0 for a product never stocked. */
  async stock(_productId: string): Promise<number> {
    throw new Error('TODO: implement Inventory#stock: GET inventory:{id}, 0 when missing');
  }

  /** The ids of the orders reserved on `productId`, oldest first. */
  async orders(_productId: string): Promise<string[]> {
    throw new Error('TODO: implement Inventory#orders: LRANGE orders:{id} 0 -1');
  }

  /**
   * Takes `quantity` off the stock of `productId` and appends `orderId` to its orders, as one
   * transaction, if the stock is at least `quantity`; `false` (and nothing written) otherwise.
   * Concurrent reservations, from this process or any other, never take more than the stock.
   * @throws {TooMuchContentionError} when a competing write aborted each of the maxAttempts transactions.
   * @throws {RangeError} for an empty productId or orderId, or a quantity that is not a positive integer.
   * @throws {Error} after `close`.
   */
  async reserve(_productId: string, _quantity: number, _orderId: string): Promise<boolean> {
    throw new Error('TODO: implement Inventory#reserve: on a connection of its own, WATCH, GET, then UNWATCH or MULTI … EXEC; retry on a null EXEC');
  }

  /** Closes the connections `reserve` opened; the client this inventory was given stays open. */
  async close(): Promise<void> {
    throw new Error('TODO: implement Inventory#close: quit the connections reserve duplicated');
  }
}
