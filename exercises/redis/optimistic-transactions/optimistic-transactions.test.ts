import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from '#redis';
import { useRedis } from '#redis/testing';
import { Inventory, TooMuchContentionError, type InventoryOptions } from './optimistic-transactions.ts';

const redis = useRedis();

const opened: Inventory[] = [];

/** An inventory on `client` (the test's own by default), closed after the test. */
function inventory(options: InventoryOptions = {}, client: Redis = redis.client): Inventory {
  const shop = new Inventory(client, options);
  opened.push(shop);
  return shop;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((shop) => shop.close()));
});

interface Tampering {
  /** Runs when the nth GET has its reply, before the caller sees it: another client's write lands here. */
  afterRead?(n: number): Promise<unknown> | unknown;
  /**
   * Runs before the nth EXEC. Answering 'abort' drops the transaction the way Redis does when a
   * watched key has changed: nothing runs, the connection stops watching, and EXEC answers null.
   */
  beforeExec?(n: number): Promise<'abort' | void> | 'abort' | void;
}

/**
 * `client` with a hand on every connection made from it, its duplicates included: the window
 * between the read and the EXEC, where optimistic transactions meet their competition, on cue.
 */
function tampered(client: Redis, { afterRead, beforeExec }: Tampering): { client: Redis; execs: () => number } {
  let reads = 0;
  let execs = 0;
  const wrap = (connection: Redis): Redis =>
    new Proxy(connection, {
      get(target, property) {
        if (property === 'duplicate') return () => wrap(target.duplicate());
        if (property === 'get') {
          return async (key: string) => {
            const value = await target.get(key);
            await afterRead?.(++reads);
            return value;
          };
        }
        if (property === 'multi') {
          return () => {
            const transaction = target.multi();
            const exec = transaction.exec.bind(transaction);
            transaction.exec = async () => {
              // A reserve that never stops retrying fails here instead of hanging the test.
              if (++execs > 100) throw new Error('EXEC sent more than 100 times: are the attempts bounded?');
              if ((await beforeExec?.(execs)) !== 'abort') return exec();
              await target.unwatch();
              return null;
            };
            return transaction;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { client: wrap(client), execs: () => execs };
}

describe('Inventory', () => {
  describe('setStock and stock', () => {
    it('should read back the stock it set, at inventory:{id}, and 0 for a product never stocked', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 10);
      expect(await shop.stock('sku-1')).toBe(10);
      expect(await redis.client.get('inventory:{sku-1}')).toBe('10');
      await shop.setStock('sku-1', 0);
      expect(await shop.stock('sku-1')).toBe(0);
      expect(await shop.stock('sku-2')).toBe(0);
    });
  });

  describe('reserve', () => {
    it('should take the quantity off the stock and record the order at orders:{id}', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 10);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(true);
      expect(await shop.stock('sku-1')).toBe(7);
      expect(await shop.orders('sku-1')).toEqual(['order-1']);
      expect(await redis.client.lrange('orders:{sku-1}', 0, -1)).toEqual(['order-1']);
    });

    it('should record the orders in the order they were reserved', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 10);
      for (const orderId of ['order-1', 'order-2', 'order-3']) expect(await shop.reserve('sku-1', 2, orderId)).toBe(true);
      expect(await shop.stock('sku-1')).toBe(4);
      expect(await shop.orders('sku-1')).toEqual(['order-1', 'order-2', 'order-3']);
    });

    it('should refuse when the stock is short, and change nothing', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 2);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(false);
      expect(await shop.stock('sku-1')).toBe(2);
      expect(await redis.client.exists('orders:{sku-1}')).toBe(0);
    });

    it('should let the last units go: reserving exactly the stock leaves 0', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 3);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(true);
      expect(await shop.stock('sku-1')).toBe(0);
      expect(await shop.reserve('sku-1', 1, 'order-2')).toBe(false);
      expect(await shop.orders('sku-1')).toEqual(['order-1']);
    });

    it('should refuse a product never stocked', async () => {
      const shop = inventory();
      expect(await shop.reserve('sku-9', 1, 'order-1')).toBe(false);
      expect(await shop.orders('sku-9')).toEqual([]);
    });

    it('should keep products apart', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 5);
      await shop.setStock('sku-2', 5);
      expect(await shop.reserve('sku-1', 4, 'order-1')).toBe(true);
      expect(await shop.stock('sku-2')).toBe(5);
      expect(await shop.orders('sku-2')).toEqual([]);
    });
  });

  describe('when a transaction is aborted', () => {
    // These tests drop transactions on cue, as Redis does when the stock changed after the WATCH.

    it('should try again from a fresh read, and record the order once', async () => {
      const { client, execs } = tampered(redis.client, {
        beforeExec: async (n) => {
          if (n > 1) return;
          await redis.client.set('inventory:{sku-1}', '4'); // another client sells 6 units meanwhile
          return 'abort';
        },
      });
      const shop = inventory({}, client);
      await shop.setStock('sku-1', 10);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(true);
      expect(execs()).toBe(2);
      expect(await shop.stock('sku-1')).toBe(1);
      expect(await shop.orders('sku-1')).toEqual(['order-1']);
    });

    it('should refuse on the retry when the competing write left too little', async () => {
      const { client } = tampered(redis.client, {
        beforeExec: async (n) => {
          if (n > 1) return;
          await redis.client.set('inventory:{sku-1}', '2');
          return 'abort';
        },
      });
      const shop = inventory({}, client);
      await shop.setStock('sku-1', 10);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(false);
      expect(await shop.stock('sku-1')).toBe(2);
      expect(await shop.orders('sku-1')).toEqual([]);
    });

    it('should never count an aborted transaction as a reservation', async () => {
      const { client } = tampered(redis.client, { beforeExec: () => 'abort' });
      const shop = inventory({ maxAttempts: 2 }, client);
      await shop.setStock('sku-1', 10);
      await expect(shop.reserve('sku-1', 3, 'order-1')).rejects.toThrow(TooMuchContentionError);
      expect(await shop.stock('sku-1')).toBe(10);
      expect(await shop.orders('sku-1')).toEqual([]);
    });

    it.each([{ maxAttempts: 1 }, { maxAttempts: 3 }])(
      'should send exactly maxAttempts = $maxAttempts transactions, then throw TooMuchContentionError',
      async ({ maxAttempts }) => {
        const { client, execs } = tampered(redis.client, { beforeExec: () => 'abort' });
        const shop = inventory({ maxAttempts }, client);
        await shop.setStock('sku-1', 10);
        const error = await shop.reserve('sku-1', 3, 'order-1').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TooMuchContentionError);
        expect(error).toMatchObject({ productId: 'sku-1', attempts: maxAttempts });
        expect(execs()).toBe(maxAttempts);
      },
    );

    it.each([{ maxAttempts: 1 }, { maxAttempts: 3 }])('should still reserve on attempt number maxAttempts = $maxAttempts', async ({ maxAttempts }) => {
      const { client, execs } = tampered(redis.client, { beforeExec: (n) => (n < maxAttempts ? 'abort' : undefined) });
      const shop = inventory({ maxAttempts }, client);
      await shop.setStock('sku-1', 10);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(true);
      expect(execs()).toBe(maxAttempts);
      expect(await shop.stock('sku-1')).toBe(7);
    });

    it('should make 10 attempts by default', async () => {
      const { client, execs } = tampered(redis.client, { beforeExec: () => 'abort' });
      const shop = inventory({}, client);
      await shop.setStock('sku-1', 10);
      await expect(shop.reserve('sku-1', 3, 'order-1')).rejects.toMatchObject({ name: 'TooMuchContentionError', attempts: 10 });
      expect(execs()).toBe(10);
    });
  });

  describe('against another client', () => {
    it('should notice a write that lands right after its read, and retry', async () => {
      const other = inventory();
      const { client } = tampered(redis.client, { afterRead: (n) => n === 1 && other.setStock('sku-1', 4) });
      const shop = inventory({}, client);
      await other.setStock('sku-1', 10);
      expect(await shop.reserve('sku-1', 3, 'order-1')).toBe(true);
      // Committing 10 - 3 = 7 would undo the other client's write: a lost update.
      expect(await other.stock('sku-1')).toBe(1);
      expect(await other.orders('sku-1')).toEqual(['order-1']);
    });

    it('should give up with TooMuchContentionError when another client writes during every attempt', async () => {
      const other = inventory();
      const { client, execs } = tampered(redis.client, { afterRead: (n) => other.setStock('sku-1', 10 + n) });
      const shop = inventory({ maxAttempts: 3 }, client);
      await other.setStock('sku-1', 10);
      await expect(shop.reserve('sku-1', 3, 'order-1')).rejects.toMatchObject({ name: 'TooMuchContentionError', attempts: 3 });
      expect(execs()).toBe(3);
      expect(await other.stock('sku-1')).toBe(13);
      expect(await other.orders('sku-1')).toEqual([]);
    });

    it('should not leave its connection watching after a refusal', async () => {
      const shop = inventory({ maxAttempts: 1 });
      await shop.setStock('sku-1', 1);
      expect(await shop.reserve('sku-1', 2, 'order-1')).toBe(false);
      // A restock on another connection: one still watching sku-1 would abort its next transaction.
      await shop.setStock('sku-1', 5);
      expect(await shop.reserve('sku-1', 2, 'order-2')).toBe(true);
      expect(await shop.stock('sku-1')).toBe(3);
    });

    it('should keep two reservations made at once on one inventory apart', async () => {
      // On one shared connection both would WATCH, both read 10, and the first EXEC would clear
      // the watch of both: the second would commit 10 - 6 too, selling 12 of 10.
      const shop = inventory();
      await shop.setStock('sku-1', 10);
      const results = await Promise.all([shop.reserve('sku-1', 6, 'order-1'), shop.reserve('sku-1', 6, 'order-2')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await shop.stock('sku-1')).toBe(4);
      expect(await shop.orders('sku-1')).toHaveLength(1);
    });
  });

  describe('close', () => {
    it('should refuse reservations once closed, and leave the given client open', async () => {
      const shop = inventory();
      await shop.setStock('sku-1', 10);
      expect(await shop.reserve('sku-1', 1, 'order-1')).toBe(true);
      await shop.close();
      await expect(shop.reserve('sku-1', 1, 'order-2')).rejects.toThrow(/closed/);
      expect(await redis.client.get('inventory:{sku-1}')).toBe('9');
    });
  });

  describe('bad input', () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should reject reserving quantity %s with a RangeError naming it', async (quantity) => {
      const shop = inventory();
      await shop.setStock('sku-1', 10);
      const error = await shop.reserve('sku-1', quantity, 'order-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as RangeError).message).toContain('quantity');
      expect(await shop.stock('sku-1')).toBe(10);
      expect(await redis.client.exists('orders:{sku-1}')).toBe(0);
    });

    it.each([-1, 2.5, Number.NaN])('should reject setting the stock to %s with a RangeError', async (quantity) => {
      const shop = inventory();
      await expect(shop.setStock('sku-1', quantity)).rejects.toThrow(RangeError);
      expect(await redis.client.exists('inventory:{sku-1}')).toBe(0);
    });

    it.each([
      { call: "reserve('', 1, 'order-1')", name: 'productId', run: (shop: Inventory) => shop.reserve('', 1, 'order-1') },
      { call: "reserve('sku-1', 1, '')", name: 'orderId', run: (shop: Inventory) => shop.reserve('sku-1', 1, '') },
      { call: "setStock('', 1)", name: 'productId', run: (shop: Inventory) => shop.setStock('', 1) },
      { call: "stock('')", name: 'productId', run: (shop: Inventory) => shop.stock('') },
      { call: "orders('')", name: 'productId', run: (shop: Inventory) => shop.orders('') },
    ])('should reject $call with a RangeError naming $name', async ({ name, run }) => {
      const error = await run(inventory()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as RangeError).message).toContain(name);
    });

    it.each([0, -2, 1.5, Number.NaN])('should reject maxAttempts %s with a RangeError', (maxAttempts) => {
      expect(() => new Inventory(redis.client, { maxAttempts })).toThrow(RangeError);
    });
  });

  describe('races', () => {
    it('should never oversell, whatever reservations run at once from several processes', async () => {
      // Three inventories on three connections stand for three processes; each also runs several
      // reservations at once. maxAttempts 10 is enough: an attempt aborts only when another
      // reservation committed, and there are at most 9 others.
      const shops = [redis.client, await redis.connect(), await redis.connect()].map((client) => inventory({ maxAttempts: 10 }, client));
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat(20), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }), async (stock, quantities) => {
          const product = `race-${++run}`;
          await shops[0]!.setStock(product, stock);
          const results = await Promise.all(quantities.map((quantity, i) => shops[i % shops.length]!.reserve(product, quantity, `order-${i}`)));
          const reserved = quantities.filter((_, i) => results[i]);
          const sold = reserved.reduce((sum, quantity) => sum + quantity, 0);
          const left = await shops[1]!.stock(product);
          expect(sold).toBeLessThanOrEqual(stock);
          expect(left).toBe(stock - sold);
          // The stock only goes down during the race, so a refusal means it ends below that quantity.
          quantities.forEach((quantity, i) => results[i] || expect(left).toBeLessThan(quantity));
          const winners = quantities.flatMap((_, i) => (results[i] ? [`order-${i}`] : []));
          expect((await shops[2]!.orders(product)).sort()).toEqual(winners.sort());
        }),
        { numRuns: 10 },
      );
    });
  });

  describe('against a model', () => {
    type Model = Map<string, { stock: number; orders: string[] }>;
    type Real = { shop: Inventory; run: number; orders: number };

    /** Each run of the property gets products of its own, so runs do not see each other's keys. */
    const productId = (real: Real, product: string) => `run-${real.run}-${product}`;
    const expectSame = async (model: Model, real: Real, product: string) => {
      const { stock, orders } = model.get(product) ?? { stock: 0, orders: [] };
      expect(await real.shop.stock(productId(real, product))).toBe(stock);
      expect(await real.shop.orders(productId(real, product))).toEqual(orders);
    };

    class Reserve implements fc.AsyncCommand<Model, Real> {
      constructor(readonly product: string, readonly quantity: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        const orderId = `order-${++real.orders}`;
        const { stock, orders } = model.get(this.product) ?? { stock: 0, orders: [] };
        const enough = stock >= this.quantity;
        expect(await real.shop.reserve(productId(real, this.product), this.quantity, orderId)).toBe(enough);
        if (enough) model.set(this.product, { stock: stock - this.quantity, orders: [...orders, orderId] });
        await expectSame(model, real, this.product);
      }
      toString = () => `reserve(${this.product}, ${this.quantity})`;
    }

    class Restock implements fc.AsyncCommand<Model, Real> {
      constructor(readonly product: string, readonly quantity: number) {}
      check = () => true;
      async run(model: Model, real: Real): Promise<void> {
        await real.shop.setStock(productId(real, this.product), this.quantity);
        model.set(this.product, { stock: this.quantity, orders: model.get(this.product)?.orders ?? [] });
        await expectSame(model, real, this.product);
      }
      toString = () => `setStock(${this.product}, ${this.quantity})`;
    }

    it('should behave like a map of stock counts and order lists under any sequence of operations', async () => {
      const shop = inventory();
      const product = fc.constantFrom('a', 'b');
      const commands = fc.commands(
        [
          fc.tuple(product, fc.integer({ min: 1, max: 4 })).map(([p, q]) => new Reserve(p, q)),
          fc.tuple(product, fc.nat(6)).map(([p, q]) => new Restock(p, q)),
        ],
        { maxCommands: 12 },
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          await fc.asyncModelRun(() => ({ model: new Map(), real: { shop, run: ++run, orders: 0 } }), cmds);
        }),
        { numRuns: 15 },
      );
    });
  });
});
