/**
 * Middleware: onion-style composition, and four middleware nearly every HTTP service runs.
 *
 *   compose(a, b, c):  a before → b before → c before → handler → c after → b after → a after
 *
 * `Handler` and `Middleware` come from `#http` (src/http/types.ts); so do `problem` and `json`,
 * to build responses. Read README.md for the idea, `npm run kata -- hint middleware` when you
 * are stuck.
 */
import type { Handler, HeadersInit, Middleware } from '#http';

/** Rejected by a `next` called a second time: the rest of the chain, side effects included, would run twice. (Given complete.) */
export class NextCalledTwiceError extends Error {
  override readonly name = 'NextCalledTwiceError';
  /** The position, in the arguments of `compose`, of the middleware that called `next` twice. */
  readonly index: number;

  constructor(index: number) {
    super(`next() called more than once by middleware #${index}`);
    this.index = index;
  }
}

export interface HttpErrorOptions {
  /** Headers for the problem response: `allow` for a 405, `retry-after` for a 503. */
  readonly headers?: HeadersInit;
  readonly cause?: unknown;
}

/**
 * An error meant for the client. `catchErrors` answers it with its status, its headers and,
 * below 500, its message as the problem's `detail`. (Given complete.)
 * @throws {RangeError} unless `status` is an integer from 400 to 599.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly headers: HeadersInit | undefined;

  constructor(status: number, message: string, { headers, cause }: HttpErrorOptions = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`status must be an integer from 400 to 599, got ${status}`);
    }
    super(message, cause === undefined ? undefined : { cause });
    this.status = status;
    this.headers = headers;
  }
}

/**
 * One middleware that runs `middleware` in onion order: the first listed is the outermost, the
 * first to see the request and the last to see the response. A `next` called twice rejects
 * with a `NextCalledTwiceError` instead of running the rest of the chain again.
 * @throws {TypeError} when an argument is not a function.
 */
export function compose(..._middleware: Middleware[]): Middleware {
  throw new Error('TODO: implement compose');
}

/**
 * A handler that runs `middleware` around `handler`, with the same guard against a `next`
 * called twice as `compose`.
 * @throws {TypeError} when either argument is not a function.
 */
export function handlerOf(_middleware: Middleware, _handler: Handler): Handler {
  throw new Error('TODO: implement handlerOf');
}

export interface RequestIdOptions {
  /** Makes an id when the request brings no valid one; default `crypto.randomUUID()`. */
  readonly generate?: () => string;
  /** The header that carries the id, in the request and in the response; default `x-request-id`. */
  readonly header?: string;
}

/**
 * Gives every request an id: a valid incoming one (letters, digits, `_`, `.`, `-`; 1 to 128
 * characters) is kept, anything else is replaced by a generated one. The id is set on the
 * request passed to `next`, so handlers and loggers downstream see it, and on the response.
 * @throws {TypeError} when `generate` is not a function or `header` not a string.
 * @throws {RangeError} when `header` is not a valid header name.
 */
export function requestId(_options: RequestIdOptions = {}): Middleware {
  throw new Error('TODO: implement requestId');
}

export interface TimingOptions {
  /** The current time in milliseconds; default `performance.now()`. */
  readonly now?: () => number;
}

/**
 * Measures the time spent inside it (the middleware after it and the handler) and reports it in
 * milliseconds, rounded to the microsecond, as `X-Process-Time: 12.5` and as an `app` entry
 * appended to `Server-Timing` (`app;dur=12.5`). A clock that steps back reports 0.
 * @throws {TypeError} when `now` is not a function.
 */
export function timing(_options: TimingOptions = {}): Middleware {
  throw new Error('TODO: implement timing');
}

export interface CorsOptions {
  /**
   * The origins allowed to read responses, exactly as browsers send them (`https://app.example.com`:
   * scheme, host, port if not the default, no path), or `'*'` for any origin.
   */
  readonly origins: '*' | readonly string[];
  /** Let browsers send cookies and read the answers (`Access-Control-Allow-Credentials`); default false. */
  readonly credentials?: boolean;
  /** Methods a preflight allows; default GET, HEAD, POST. */
  readonly methods?: readonly string[];
  /** Request headers a preflight allows; default `content-type`. */
  readonly headers?: readonly string[];
  /** Response headers scripts may read besides the simple ones (`Access-Control-Expose-Headers`); default none. */
  readonly exposeHeaders?: readonly string[];
  /** How long browsers may cache a preflight's answer, in seconds; default 600. */
  readonly maxAge?: number;
}

/**
 * Cross-origin resource sharing. A preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) is answered here: 204 with the allowed methods, headers and
 * max age for an allowed origin, a 403 problem otherwise. Other requests go on to `next`, and the
 * response of an allowed origin gets `Access-Control-Allow-Origin` (the origin itself, or `*`
 * when any origin is allowed). With credentials the origin is always echoed, never `*`. With a
 * list of origins every response carries `Vary: Origin`, so caches keep one copy per origin.
 * @throws {TypeError} for `origins` neither `'*'` nor an array, or `'*'` with credentials.
 * @throws {RangeError} for an entry that is not an origin, a method or header name that is not a
 * token, or a `maxAge` that is not a non-negative integer.
 */
export function cors(_options: CorsOptions): Middleware {
  throw new Error('TODO: implement cors');
}

export interface CatchErrorsOptions {
  /** Called with every error caught, and the request: where the stack trace goes (logs, error tracking). */
  readonly onError?: (error: unknown, req: Request) => void;
}

/**
 * Turns whatever goes wrong downstream into a problem response: an `HttpError` into its status
 * (with its message as `detail` below 500), anything else thrown, or a handler that resolves with
 * something other than a `Response`, into a 500 whose body says nothing of the error: no message,
 * no stack. The error itself goes to `onError`.
 * @throws {TypeError} when `onError` is not a function.
 */
export function catchErrors(_options: CatchErrorsOptions = {}): Middleware {
  throw new Error('TODO: implement catchErrors');
}
