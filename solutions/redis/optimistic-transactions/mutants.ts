import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'no WATCH: the EXEC commits a stock computed from a read that another client has overwritten',
    find: `    await connection.watch(key);
`,
    replace: ``,
  },
  {
    name: 'reads before WATCH: a write between the GET and the WATCH goes unnoticed',
    find: `    await connection.watch(key);
    const stock = Number((await connection.get(key)) ?? 0);`,
    replace: `    const stock = Number((await connection.get(key)) ?? 0);
    await connection.watch(key);`,
  },
  {
    name: 'ignores a null EXEC: an aborted transaction is reported as a reservation',
    find: `    if (results === null) return 'aborted';
    for (const [error] of results) if (error) throw error;`,
    replace: `    for (const [error] of results ?? []) if (error) throw error;`,
  },
  {
    name: 'retries once too few (attempt < maxAttempts)',
    find: `attempt <= this.#maxAttempts;`,
    replace: `attempt < this.#maxAttempts;`,
  },
  {
    name: 'no retry bound: retries for ever under contention',
    find: `for (let attempt = 1; attempt <= this.#maxAttempts; attempt++)`,
    replace: `for (let attempt = 1; ; attempt++)`,
  },
  {
    name: 'forgets UNWATCH on the short path: the pooled connection keeps watching and aborts its next transaction',
    find: `      await connection.unwatch();
`,
    replace: ``,
  },
  {
    name: 'refuses when the stock equals the quantity (<= instead of <)',
    find: `if (stock < quantity)`,
    replace: `if (stock <= quantity)`,
  },
  {
    name: 'records the order outside the transaction: an aborted attempt still leaves its order behind',
    find: `    const results = await connection.multi().set(key, stock - quantity).rpush(ordersKey(productId), orderId).exec();`,
    replace: `    await connection.rpush(ordersKey(productId), orderId);
    const results = await connection.multi().set(key, stock - quantity).exec();`,
  },
  {
    name: 'every reservation shares the given connection, and with it one watch list',
    find: `  #take(): Redis {
    return this.#idle.pop() ?? this.#redis.duplicate();
  }

  #giveBack(connection: Redis): void {
    if (this.#closed) connection.disconnect();
    else this.#idle.push(connection);
  }`,
    replace: `  #take(): Redis {
    return this.#redis;
  }

  #giveBack(_connection: Redis): void {}`,
  },
]);
