/**
 * Reserving stock with optimistic concurrency: WATCH the stock key, read it, decide in
 * TypeScript, then send the change as MULTI … EXEC. If any other client wrote the key after the
 * WATCH, Redis drops the whole transaction (EXEC answers null) and the reservation starts again
 * from a fresh read, a bounded number of times. Nothing is locked: a conflict costs a retry, and
 * a reservation that finds the stock short is refused without writing anything.
 *
 * WATCH belongs to the connection, not to the caller. Two reservations interleaved on one
 * connection share one watch list, and the first EXEC clears it for both, so the second commits
 * a value computed from a stale read. Each reservation therefore runs on a connection of its own,
 * taken from a small pool of duplicates of the client this inventory was given.
 *
 * Keys: `inventory:{id}` holds the stock (an integer string), `orders:{id}` the ids of the orders
 * reserved (a list). The braces are a Redis Cluster hash tag: both keys land in one slot, which a
 * transaction over both needs.
 *
 * Complexity: setStock, stock and orders are one round trip each; reserve is three round trips
 * per attempt (WATCH, GET, MULTI … EXEC as one write) and at most maxAttempts attempts, O(1) on
 * the server.
 * Trade-off: under low contention this is as cheap as it gets and holds no lock that a crashed
 * client could leave behind; under heavy contention on one key most attempts are wasted, and a
 * Lua script that checks and decrements in one step does better.
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

const stockKey = (productId: string) => `inventory:{${productId}}`;
const ordersKey = (productId: string) => `orders:{${productId}}`;

/** What one attempt came to: reserved, refused for short stock, or aborted by a competing write. */
type Attempt = boolean | 'aborted';

/** Stock per product, reserved with WATCH / MULTI / EXEC. */
export class Inventory {
  readonly #redis: Redis;
  readonly #maxAttempts: number;
  /** Connections of this inventory's own, between reservations: each one watches nothing. */
  readonly #idle: Redis[] = [];
  #closed = false;

  /** @throws {RangeError} unless `maxAttempts` is a positive integer. */
  constructor(redis: Redis, { maxAttempts = 10 }: InventoryOptions = {}) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    this.#redis = redis;
    this.#maxAttempts = maxAttempts;
  }

  /**
   * Sets the stock of `productId` to `quantity`, whatever it was.
   * @throws {RangeError} for an empty productId or a quantity that is not a non-negative integer.
   */
  async setStock(productId: string, quantity: number): Promise<void> {
    requireId('productId', productId);
    if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
    await this.#redis.set(stockKey(productId), quantity);
  }

  /** The stock of `productId`: 0 for a product never stocked. */
  async stock(productId: string): Promise<number> {
    requireId('productId', productId);
    return Number((await this.#redis.get(stockKey(productId))) ?? 0);
  }

  /** The ids of the orders reserved on `productId`, oldest first. */
  async orders(productId: string): Promise<string[]> {
    requireId('productId', productId);
    return this.#redis.lrange(ordersKey(productId), 0, -1);
  }

  /**
   * Takes `quantity` off the stock of `productId` and appends `orderId` to its orders, as one
   * transaction, if the stock is at least `quantity`; `false` (and nothing written) otherwise.
   * Concurrent reservations, from this process or any other, never take more than the stock.
   * @throws {TooMuchContentionError} when a competing write aborted each of the maxAttempts transactions.
   * @throws {RangeError} for an empty productId or orderId, or a quantity that is not a positive integer.
   * @throws {Error} after `close`.
   */
  async reserve(productId: string, quantity: number, orderId: string): Promise<boolean> {
    requireId('productId', productId);
    requireId('orderId', orderId);
    if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`quantity must be a positive integer, got ${quantity}`);
    if (this.#closed) throw new Error('the inventory is closed');

    const connection = this.#take();
    let outcome: Attempt;
    try {
      outcome = await this.#attempts(connection, productId, quantity, orderId);
    } catch (err: unknown) {
      // After a failure the connection may still be watching: never hand it out again.
      connection.disconnect();
      throw err;
    }
    this.#giveBack(connection);
    if (outcome === 'aborted') throw new TooMuchContentionError(productId, this.#maxAttempts);
    return outcome;
  }

  /** Closes the connections `reserve` opened; the client this inventory was given stays open. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#idle.splice(0).map((connection) => connection.quit()));
  }

  /** Attempts until one commits or finds the stock short, at most maxAttempts times. */
  async #attempts(connection: Redis, productId: string, quantity: number, orderId: string): Promise<Attempt> {
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const outcome = await this.#attempt(connection, productId, quantity, orderId);
      if (outcome !== 'aborted') return outcome;
    }
    return 'aborted';
  }

  /** One optimistic attempt: watch, read, decide, and commit only if nobody wrote meanwhile. */
  async #attempt(connection: Redis, productId: string, quantity: number, orderId: string): Promise<Attempt> {
    const key = stockKey(productId);
    // WATCH before GET: a write that lands between them is then seen, and aborts the EXEC.
    await connection.watch(key);
    const stock = Number((await connection.get(key)) ?? 0);
    if (stock < quantity) {
      // No EXEC follows to clear the watch, and a connection left watching would abort the next
      // reservation that runs on it.
      await connection.unwatch();
      return false;
    }
    const results = await connection.multi().set(key, stock - quantity).rpush(ordersKey(productId), orderId).exec();
    // null: a watched key changed after the WATCH, and Redis ran none of the commands.
    if (results === null) return 'aborted';
    for (const [error] of results) if (error) throw error;
    return true;
  }

  /** A connection that watches nothing, for one reservation: WATCH state is per connection. */
  #take(): Redis {
    return this.#idle.pop() ?? this.#redis.duplicate();
  }

  #giveBack(connection: Redis): void {
    if (this.#closed) connection.disconnect();
    else this.#idle.push(connection);
  }
}

function requireId(name: string, id: string): void {
  if (typeof id !== 'string' || id === '') throw new RangeError(`${name} must be a non-empty string, got ${JSON.stringify(id)}`);
}
