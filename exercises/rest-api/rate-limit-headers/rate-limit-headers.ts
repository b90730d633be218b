/**
 * Rate limiting at the HTTP boundary: a middleware that asks a rate limiter about each request,
 * answers 429 with Retry-After when it must wait, and adds the RateLimit-Policy and RateLimit
 * fields to every response.
 *
 * Read README.md for the idea, `npm run kata -- hint rate-limit-headers` when you are stuck.
 */
import type { Middleware } from '#http';

/** What a limiter decided about one request: the contract of the rate-limiter kata. */
export interface Decision {
  /** Whether the request may go ahead. */
  allowed: boolean;
  /** How many more requests would be allowed right now. */
  remaining: number;
  /** 0 when allowed; otherwise how long until the same request would be allowed, in ms. */
  retryAfterMs: number;
  /** Optional: how long until the key's quota is fully restored, in ms (redis-cell's reset-after). */
  resetAfterMs?: number;
}

export interface RateLimiter {
  /** Decides whether `key` may spend `cost` (default 1) now, and records it if so. */
  consume(key: string, cost?: number): Decision;
}

/** The policy advertised in RateLimit-Policy, which should match what the limiter enforces. */
export interface RateLimitPolicy {
  /** The policy's name in both fields; default `default`. Printable ASCII. */
  readonly name?: string;
  /** `q`: requests allowed per window, a positive integer. */
  readonly quota: number;
  /** `w`: the window in seconds, a positive integer. */
  readonly windowSeconds: number;
}

export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  readonly policy: RateLimitPolicy;
  /**
   * The client's network address. A web `Request` has none: the server passes it in (Node's
   * `socket.remoteAddress`, Deno's `info.remoteAddr`, or the address a trusted proxy recorded).
   * Default: none, and every request without an API key shares one quota.
   */
  readonly clientAddress?: (req: Request) => string | undefined;
  /** Overrides the key entirely; default `key:<x-api-key>`, else `ip:<address>`. */
  readonly key?: (req: Request) => string;
}

/**
 * A middleware that charges every request to a key and adds `RateLimit-Policy` and
 * `RateLimit` to every response. A denied request never reaches the handler: it gets a 429
 * problem with `Retry-After` in whole seconds, rounded up and at least 1.
 * @throws {TypeError} when the limiter, the policy, `key` or `clientAddress` is not what it should be.
 * @throws {RangeError} for a quota or window that is not a positive integer, or a bad name.
 */
export function rateLimit(_options: RateLimitOptions): Middleware {
  throw new Error('TODO: implement rateLimit');
}
