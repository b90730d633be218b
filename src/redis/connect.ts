/**
 * The Redis behind the Redis katas: ioredis-mock by default, so that nothing needs installing;
 * a real server when REDIS_URL is set. Either way the kata code sees an ioredis client.
 */
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { fixMock } from './mock-fixes.ts';
import { redisUrl } from './url.ts';


export interface ConnectOptions {
  /** Prepended by the client to every key it sends: keeps tests apart on one server. */
  readonly keyPrefix?: string;
}

/**
 * A connected client: the mock, or the server at REDIS_URL.
 * @throws {Error} when REDIS_URL is set but the server does not answer, saying what to do.
 */
export async function connectRedis({ keyPrefix = '' }: ConnectOptions = {}): Promise<Redis> {
  const url = redisUrl();
  if (url === undefined) {
    return fixMock(new RedisMock({ keyPrefix }) as unknown as Redis);
  }
  const client = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    connectTimeout: 2_000,
    // Fail fast: a server that is down is a setup problem, not something to wait out.
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // Connection errors surface through connect() and the commands; the listener keeps ioredis
  // from printing each one, and keeps the first for the message (connect() only says "closed").
  let cause: Error | undefined;
  client.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    await client.connect();
    return client;
  } catch (err: unknown) {
    client.disconnect();
    const reason = (cause ?? (err as Error)).message;
    throw new Error(`REDIS_URL is ${url}, but Redis does not answer there (${reason}). Start it, or unset REDIS_URL to use the built-in mock.`, {
      cause: cause ?? err,
    });
  }
}

/** Deletes every key that starts with `prefix`, with SCAN (never KEYS, which blocks the server). */
export async function deleteKeysWithPrefix(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
