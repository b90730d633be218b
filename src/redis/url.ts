/** The server the Redis katas use (REDIS_URL), or `undefined` for the built-in mock. */
export const redisUrl = (): string | undefined => process.env.REDIS_URL || undefined;
