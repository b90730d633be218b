/**
 * A Redis for a test file: a client whose keys all carry a prefix of its own, emptied after
 * every test and closed after the file, so that tests stay apart and parallel-safe on a real
 * server and never touch data outside their prefix.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis, deleteKeysWithPrefix } from './connect.ts';
import { redisUrl } from './url.ts';

/** Whether the tests run against a real server (REDIS_URL is set) rather than the mock. */
export const hasRedisServer = redisUrl() !== undefined;

/** Why a test that needs a real server did not run; the verification lists such tests by it. */
export const NEEDS_REDIS_SERVER = 'needs a real Redis server: set REDIS_URL to run it';

/**
 * Skips the running test, visibly and with the reason, unless a real server is there. For what
 * the mock cannot do (a raw socket to the server, say): `it('…', (context) => { needsRedisServer(context); … })`.
 */
export function needsRedisServer(context: { skip(note?: string): never }): void {
  if (!hasRedisServer) context.skip(NEEDS_REDIS_SERVER);
}

export interface TestRedis {
  /** The client, connected before the first test; its keys are prefixed with `prefix`. */
  readonly client: Redis;
  /** This file's prefix, e.g. `kata:3f2a…:`. */
  readonly prefix: string;
  /** Another connection with the same prefix: for a subscriber, or a second client in a race. */
  connect(): Promise<Redis>;
  /** `name` with this file's prefix, for names the client does not prefix (pub/sub channels). */
  name(name: string): string;
}

/** Registers the hooks that give this test file (or describe block) its own Redis. */
export function useRedis(): TestRedis {
  const prefix = `kata:${randomUUID().slice(0, 8)}:`;
  const clients: Redis[] = [];
  let client: Redis | undefined;
  let admin: Redis | undefined;
  const connect = async () => {
    const connected = await connectRedis({ keyPrefix: prefix });
    clients.push(connected);
    return connected;
  };
  beforeAll(async () => {
    client = await connect();
    admin = await connectRedis();
  });
  afterEach(async () => {
    if (admin) await deleteKeysWithPrefix(admin, prefix);
  });
  afterAll(async () => {
    if (admin) await deleteKeysWithPrefix(admin, prefix);
    for (const each of [...clients, admin]) each?.disconnect();
  });
  return {
    get client() {
      if (client === undefined) throw new Error('the Redis client is connected in beforeAll: use it inside a test or a hook');
      return client;
    },
    prefix,
    connect,
    name: (name) => `${prefix}${name}`,
  };
}
