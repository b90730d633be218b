/**
 * The REST track put together: the trips API behind the middleware a real service runs, for
 * `npm run serve`, which serves it on localhost. Given complete: every piece comes from a kata.
 *
 *   catchErrors        no stack trace ever reaches a client                  (middleware)
 *   rateLimit          60 requests a minute per API key, else per address   (rate-limit-headers)
 *   requestId, timing  X-Request-Id, X-Process-Time and Server-Timing      (middleware)
 *   requireAuth        writes need a bearer token with the role `planner`   (jwt-auth)
 *   idempotency        a POST retried with the same Idempotency-Key runs once (idempotency-keys)
 *   trips              the resource itself                                 (trips-api)
 *
 * `npm run serve` runs the references; `npm run serve -- --mine` runs your own katas instead.
 * The rate limiter comes first, before any work is done for a request it turns away, and it
 * sees the request exactly as the server made it, which is how it learns the client's address.
 */
import { remoteAddressOf, type Handler, type Middleware } from '#http';
import { claimsOf, requireAuth, sign } from './jwt-auth/jwt-auth.ts';
import { createIdempotencyMiddleware } from './idempotency-keys/idempotency-keys.ts';
import { MemoryIdempotencyStore } from './idempotency-keys/idempotency-store.ts';
import { catchErrors, compose, handlerOf, requestId, timing } from './middleware/middleware.ts';
import { rateLimit, type RateLimiter } from './rate-limit-headers/rate-limit-headers.ts';
import { createTripsHandler } from './trips-api/trips-api.ts';
import { fixedWindow } from '../system-design/rate-limiter/rate-limiter.ts';

export interface TripsAppOptions {
  /** The HS256 secret that signs and verifies tokens. */
  readonly secret: string;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /** Requests per client per minute; default 60. */
  readonly requestsPerMinute?: number;
  /** Called with every error the server caught: the place for the stack trace. */
  readonly onError?: (error: unknown, req: Request) => void;
}

export interface TripsApp {
  readonly handler: Handler;
  /** A token for the role `planner`, valid for an hour: `Authorization: Bearer <token>`. */
  readonly demoToken: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Runs `auth` for the methods that change something; reads pass through. */
function forWrites(auth: Middleware): Middleware {
  return (req, next) => (SAFE_METHODS.has(req.method) ? next(req) : auth(req, next));
}

/**
 * The rate limiter's fixed window, with `resetAfterMs`: its windows start at multiples of the
 * window length, so every quota comes back whole at the next one (the `t` of `RateLimit`).
 */
function perMinute(limit: number, clock: { now(): number }): RateLimiter {
  const windowMs = 60_000;
  const window = fixedWindow({ limit, windowMs, clock });
  return {
    consume(key) {
      return { ...window.consume(key), resetAfterMs: windowMs - (clock.now() % windowMs) };
    },
  };
}

export function createTripsApp({ secret, now = Date.now, requestsPerMinute = 60, onError }: TripsAppOptions): TripsApp {
  const clock = { now };
  const chain = compose(
    catchErrors(onError === undefined ? {} : { onError }),
    rateLimit({
      limiter: perMinute(requestsPerMinute, clock),
      policy: { name: 'per-minute', quota: requestsPerMinute, windowSeconds: 60 },
      clientAddress: remoteAddressOf,
    }),
    requestId(),
    timing(),
    forWrites(requireAuth({ secret, clock, roles: ['planner'], issuer: 'trips-demo' })),
    // Keys are scoped per user: another user's key never replays this user's response.
    createIdempotencyMiddleware({ store: new MemoryIdempotencyStore(clock), clientId: (req) => String(claimsOf(req)?.['sub'] ?? '') }),
  );
  const demoToken = sign({ sub: 'demo-user', roles: ['planner'] }, secret, { expiresInSeconds: 3_600, issuer: 'trips-demo', now: clock });
  return { handler: handlerOf(chain, createTripsHandler()), demoToken };
}
