/**
 * Idempotency keys: a middleware that makes POST and PATCH safe to retry. The first request
 * with an `Idempotency-Key` claims the key in the store, atomically, together with a
 * fingerprint of its method, path and body; its response is stored and replayed for every
 * repeat, marked `Idempotent-Replayed: true`. A repeat with another payload is a 422, a repeat
 * while the first is still running a 409 (the IETF httpapi draft's answers).
 *
 * Complexity: O(b) per request to hash a body of b bytes, plus two store round trips for a
 * first request (claim, then save) and one for a repeat; O(r) memory per live key for a stored
 * response of r bytes, for `ttlMs`.
 * Trade-off: a duplicate that arrives while the first is running gets a 409 at once instead of
 * waiting for the result. That holds across any number of instances sharing the store, and
 * holds no connection open; the client retries a moment later and gets the replay.
 */
import { createHash } from 'node:crypto';
import { problem, type Middleware } from '#http';
import type { IdempotencyStore, StoredResponse } from './idempotency-store.ts';

export type { IdempotencyRecord, IdempotencyStore, StoredResponse } from './idempotency-store.ts';

export interface IdempotencyOptions {
  /** Where claims and responses live: shared by every instance of the service. */
  readonly store: IdempotencyStore;
  /** How long a key is remembered, in ms, from its claim and again from its stored response; default 24 hours. */
  readonly ttlMs?: number;
  /**
   * Whether a POST or PATCH without an `Idempotency-Key` is refused with a 400 (`true`, or a
   * function saying so per request) or passed through (`false`, the default).
   */
  readonly required?: boolean | ((req: Request) => boolean);
  /**
   * Who sent the request: keys are scoped per client, so two clients may use the same key.
   * `undefined` (the default for every request) puts the key in one namespace shared by all
   * requests without a client.
   */
  readonly clientId?: (req: Request) => string | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The methods this middleware guards: PUT and DELETE are idempotent by definition, GET and HEAD safe. */
const GUARDED = new Set(['POST', 'PATCH']);
/** Up to 255 printable ASCII characters without spaces (Stripe's limit): room for a UUID or any opaque token. */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * A middleware that stores the first response for each `Idempotency-Key` of a POST or PATCH
 * and replays it for repeats. Other methods pass through untouched.
 *
 * - No header: passes through, or 400 when `required` says so. A malformed key: 400.
 * - First request with a key: runs `next`. A response a retry could change (408, 429, 5xx), or
 *   an error thrown by `next`, releases the key (the error propagates); any other is stored for
 *   `ttlMs` and returned with the same status, headers and body.
 * - Same key, same method, path and body: the stored response (status, headers, body) with
 *   `Idempotent-Replayed: true`; while the first is still running: 409.
 * - Same key, another method, path or body: 422, whether or not the first is still running.
 * @throws {TypeError} when `store` lacks `claim`, `set` or `delete`, or `required` or `clientId` has the wrong type.
 * @throws {RangeError} unless `ttlMs` is a positive finite number.
 */
export function createIdempotencyMiddleware({ store, ttlMs = DAY_MS, required = false, clientId = () => undefined }: IdempotencyOptions): Middleware {
  if (typeof store?.claim !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') {
    throw new TypeError('store must be an IdempotencyStore with claim, set and delete');
  }
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError(`ttlMs must be a positive finite number, got ${ttlMs}`);
  if (typeof required !== 'boolean' && typeof required !== 'function') {
    throw new TypeError(`required must be a boolean or a function, got ${typeof required}`);
  }
  if (typeof clientId !== 'function') throw new TypeError(`clientId must be a function, got ${typeof clientId}`);
  const isRequired = typeof required === 'function' ? required : () => required;

  return async (req, next) => {
    if (!GUARDED.has(req.method)) return next(req);
    const key = req.headers.get('idempotency-key');
    if (key === null) {
      if (!isRequired(req)) return next(req);
      return problem(400, { detail: `${req.method} ${new URL(req.url).pathname} requires an Idempotency-Key header.` });
    }
    if (!VALID_KEY.test(key)) {
      return problem(400, { detail: 'Idempotency-Key must be 1 to 255 printable ASCII characters, without spaces.' });
    }

    // JSON keeps the two parts apart whatever characters they contain.
    const storeKey = JSON.stringify([clientId(req) ?? '', key]);
    const fingerprint = await fingerprintOf(req);
    // One atomic step: of any number of requests racing with this key, exactly one claims it.
    const held = await store.claim(storeKey, { state: 'in-flight', fingerprint }, ttlMs);
    if (held !== undefined) {
      if (held.fingerprint !== fingerprint) {
        return problem(422, { detail: 'This Idempotency-Key was already used for a different request; use a new key for a new request.' });
      }
      if (held.state === 'in-flight') {
        return problem(409, { detail: 'A request with this Idempotency-Key is still being processed; retry later to get its response.' });
      }
      return replay(held.response);
    }

    let response: Response;
    try {
      response = await next(req);
    } catch (error) {
      // Nothing was answered: free the key so that the client's retry runs again.
      await store.delete(storeKey);
      throw error;
    }
    if (!isFinal(response.status)) {
      await store.delete(storeKey);
      return response;
    }
    const stored = await snapshot(response);
    // The saved response replaces the claim, and its expiry too: a SET without a TTL would keep it forever.
    await store.set(storeKey, { state: 'completed', fingerprint, response: stored }, ttlMs);
    // The body was read to store it: the first caller gets the same bytes in a new response.
    return new Response(bodyOf(stored), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** SHA-256 of the method, the path with its query, and the body bytes: what makes two requests "the same". */
async function fingerprintOf(req: Request): Promise<string> {
  const url = new URL(req.url);
  // A clone, so that the handler can still read the body.
  const body = new Uint8Array(await req.clone().arrayBuffer());
  // Neither a method nor a URL contains a newline, so the first line ends unambiguously.
  return createHash('sha256').update(`${req.method} ${url.pathname}${url.search}\n`).update(body).digest('hex');
}

/** Whether a retry would get the same answer: everything but a timeout, a rate limit and a server error. */
function isFinal(status: number): boolean {
  return status < 500 && status !== 408 && status !== 429;
}

async function snapshot(response: Response): Promise<StoredResponse> {
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: [...response.headers], body };
}

function replay(stored: StoredResponse): Response {
  const headers = new Headers(stored.headers as [string, string][]);
  headers.set('idempotent-replayed', 'true');
  return new Response(bodyOf(stored), { status: stored.status, headers });
}

// 204 and 304 must have no body at all, and an empty body reads the same as none.
const bodyOf = ({ body }: StoredResponse): Uint8Array | null => (body.byteLength === 0 ? null : body);
