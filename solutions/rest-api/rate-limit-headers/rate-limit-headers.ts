/**
 * Rate limiting at the HTTP boundary: a middleware that asks a rate limiter about each request
 * and tells the client where it stands, with the fields of the IETF httpapi RateLimit draft
 * and, when it must wait, 429 Too Many Requests with Retry-After (RFC 6585, RFC 9110).
 *
 *   RateLimit-Policy: "default";q=100;w=60     the policy: quota q per window of w seconds
 *   RateLimit: "default";r=50;t=30             the client's state: r left, t seconds until restored
 *
 * The algorithm lives in the limiter (any of the system-design rate-limiter kata's will do);
 * this layer only picks the key, translates the decision into headers, and keeps denied
 * requests away from the handler.
 * Complexity: O(1) per request on top of the limiter and the handler.
 * Trade-off: the default key trusts the API key header as sent, so a client can spread its
 * requests over invented keys; put authentication before this middleware, or key by address too.
 */
import { problem, type Middleware } from '#http';

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
export function rateLimit({ limiter, policy, clientAddress = () => undefined, key }: RateLimitOptions): Middleware {
  if (typeof limiter?.consume !== 'function') throw new TypeError('limiter must have a consume(key) method');
  if (typeof clientAddress !== 'function') throw new TypeError(`clientAddress must be a function, got ${typeof clientAddress}`);
  if (key !== undefined && typeof key !== 'function') throw new TypeError(`key must be a function, got ${typeof key}`);
  if (typeof policy !== 'object' || policy === null) throw new TypeError('policy must be an object { quota, windowSeconds, name? }');
  const { name = 'default', quota, windowSeconds } = policy;
  if (!Number.isInteger(quota) || quota < 1) throw new RangeError(`quota must be a positive integer, got ${quota}`);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
  if (typeof name !== 'string' || !/^[\x20-\x7e]+$/.test(name)) throw new RangeError(`name must be non-empty printable ASCII, got ${JSON.stringify(name)}`);

  // A structured-field string: quoted, with \ and " escaped.
  const label = `"${name.replace(/[\\"]/g, '\\$&')}"`;
  const policyField = `${label};q=${quota};w=${windowSeconds}`;
  const keyOf =
    key ??
    ((req: Request) => {
      const apiKey = req.headers.get('x-api-key');
      if (apiKey) return `key:${apiKey}`;
      // The address of the connection, never a client-sent X-Forwarded-For: anyone can write
      // that header, and a new value per request would mean a fresh quota per request.
      return `ip:${clientAddress(req) ?? 'unknown'}`;
    });
  // Whole seconds, rounded up, so that waiting that long is always enough.
  const seconds = (ms: number) => (Number.isFinite(ms) ? Math.ceil(Math.max(0, ms) / 1000) : windowSeconds);

  return async (req, next) => {
    const decision = limiter.consume(keyOf(req));
    const remaining = Math.max(0, Math.floor(decision.remaining));
    const headers = {
      'ratelimit-policy': policyField,
      ratelimit: `${label};r=${remaining};t=${seconds(decision.resetAfterMs ?? decision.retryAfterMs)}`,
    };
    if (!decision.allowed) {
      // Never 0: "retry after 0 seconds" invites an immediate, and futile, retry.
      const retryAfter = Math.max(1, seconds(decision.retryAfterMs));
      return problem(429, {
        detail: `Too many requests for this client; retry in ${retryAfter} s.`,
        headers: { ...headers, 'retry-after': String(retryAfter) },
      });
    }
    return withHeaders(await next(req), headers);
  };
}

/** A copy of `response` with `headers` set: a handler's headers may be immutable (Response.redirect). */
function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
  return copy;
}
