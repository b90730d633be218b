/** The Redis client of the Redis katas. */
export { connectRedis, deleteKeysWithPrefix, type ConnectOptions } from './connect.ts';
export { redisUrl } from './url.ts';
export type { Redis } from 'ioredis';
