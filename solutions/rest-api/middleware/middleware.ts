/**
 * Middleware: onion-style composition, and four middleware nearly every HTTP service runs.
 *
 *   compose(a, b, c):  a before → b before → c before → handler → c after → b after → a after
 *
 * A middleware is `(req, next) => Promise<Response>`: it may pass a changed request to `next`,
 * change the response it gets back, or answer without calling `next` (a CORS preflight).
 * `compose` turns a list into one middleware, so chains nest; `handlerOf` closes a chain with
 * the handler at its centre. Each `next` runs the rest of the chain at most once.
 *
 * Complexity: a request through n middleware costs O(n) calls plus each one's own work. A
 * middleware that edits headers copies the response object, never its body, which streams on.
 * Trade-off: copying costs an allocation per edit, but works on the immutable headers of
 * `Response.redirect()` and fetched responses, where setting a header throws.
 */
import { problem, type Handler, type HeadersInit, type Middleware } from '#http';

/** Rejected by a `next` called a second time: the rest of the chain, side effects included, would run twice. */
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
 * below 500, its message as the problem's `detail`.
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
export function compose(...middleware: Middleware[]): Middleware {
  middleware.forEach((m, i) => {
    if (typeof m !== 'function') throw new TypeError(`middleware[${i}] must be a function, got ${typeof m}`);
  });
  const chain = [...middleware];
  return (req, handler) => {
    // async: a middleware that throws instead of rejecting still yields a rejected promise.
    const run = async (index: number, request: Request): Promise<Response> => {
      const current = chain[index];
      if (current === undefined) return handler(request);
      // One flag per call of this middleware, so concurrent requests never share it.
      let called = false;
      return current(request, (next) => {
        if (called) return Promise.reject(new NextCalledTwiceError(index));
        called = true;
        return run(index + 1, next);
      });
    };
    return run(0, req);
  };
}

/**
 * A handler that runs `middleware` around `handler`, with the same guard against a `next`
 * called twice as `compose`.
 * @throws {TypeError} when either argument is not a function.
 */
export function handlerOf(middleware: Middleware, handler: Handler): Handler {
  if (typeof handler !== 'function') throw new TypeError(`handler must be a function, got ${typeof handler}`);
  const chain = compose(middleware);
  return (req) => chain(req, handler);
}

export interface RequestIdOptions {
  /** Makes an id when the request brings no valid one; default `crypto.randomUUID()`. */
  readonly generate?: () => string;
  /** The header that carries the id, in the request and in the response; default `x-request-id`. */
  readonly header?: string;
}

// Letters, digits, `_`, `.` and `-`, at most 128: enough for a UUID or a trace id, too little
// to inject a fake log line or to bloat every log entry.
const VALID_REQUEST_ID = /^[\w.-]{1,128}$/;
// An RFC 9110 token: what a header name or a method may be made of.
const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/**
 * Gives every request an id: a valid incoming one (letters, digits, `_`, `.`, `-`; 1 to 128
 * characters) is kept, anything else is replaced by a generated one. The id is set on the
 * request passed to `next`, so handlers and loggers downstream see it, and on the response.
 * @throws {TypeError} when `generate` is not a function or `header` not a string.
 * @throws {RangeError} when `header` is not a valid header name.
 */
export function requestId({ generate = () => crypto.randomUUID(), header = 'x-request-id' }: RequestIdOptions = {}): Middleware {
  if (typeof generate !== 'function') throw new TypeError(`generate must be a function, got ${typeof generate}`);
  if (typeof header !== 'string') throw new TypeError(`header must be a string, got ${typeof header}`);
  if (!TOKEN.test(header)) throw new RangeError(`header must be a header name, got ${JSON.stringify(header)}`);
  return async (req, next) => {
    const incoming = req.headers.get(header);
    const id = incoming !== null && VALID_REQUEST_ID.test(incoming) ? incoming : generate();
    const headers = new Headers(req.headers);
    headers.set(header, id);
    // new Request(req, …) keeps the method, the URL and the body; only the headers change.
    const res = await next(new Request(req, { headers }));
    return withHeaders(res, (h) => h.set(header, id));
  };
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
export function timing({ now = () => performance.now() }: TimingOptions = {}): Middleware {
  if (typeof now !== 'function') throw new TypeError(`now must be a function, got ${typeof now}`);
  return async (req, next) => {
    const start = now();
    const res = await next(req);
    const ms = Math.max(0, Math.round((now() - start) * 1000) / 1000);
    return withHeaders(res, (h) => {
      h.set('x-process-time', String(ms));
      // Append: the handler may have reported its own metrics (`db;dur=3`).
      h.append('server-timing', `app;dur=${ms}`);
    });
  };
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
export function cors({
  origins,
  credentials = false,
  methods = ['GET', 'HEAD', 'POST'],
  headers = ['content-type'],
  exposeHeaders = [],
  maxAge = 600,
}: CorsOptions): Middleware {
  const anyOrigin = origins === '*';
  if (!anyOrigin && !Array.isArray(origins)) throw new TypeError(`origins must be '*' or an array of origins, got ${typeof origins}`);
  if (anyOrigin && credentials) {
    throw new TypeError("origins '*' cannot go with credentials: browsers refuse it, and any site could act as your users; list the origins");
  }
  const allowed = new Set(anyOrigin ? [] : origins.map((origin, i) => checkOrigin(origin, `origins[${i}]`)));
  const allowMethods = tokens(methods, 'methods');
  const allowHeaders = tokens(headers, 'headers');
  const expose = tokens(exposeHeaders, 'exposeHeaders');
  if (!Number.isInteger(maxAge) || maxAge < 0) throw new RangeError(`maxAge must be a non-negative integer of seconds, got ${maxAge}`);

  const allowOrigin = (origin: string): string | undefined => {
    if (anyOrigin) return '*';
    return allowed.has(origin) ? origin : undefined;
  };
  const setCorsHeaders = (h: Headers, origin: string | null): void => {
    if (!anyOrigin) appendVary(h, 'Origin');
    const allow = origin === null ? undefined : allowOrigin(origin);
    if (allow === undefined) return;
    h.set('access-control-allow-origin', allow);
    if (credentials) h.set('access-control-allow-credentials', 'true');
  };

  return async (req, next) => {
    const origin = req.headers.get('origin');
    if (req.method === 'OPTIONS' && origin !== null && req.headers.has('access-control-request-method')) {
      if (allowOrigin(origin) === undefined) {
        const denied = problem(403, { detail: `The origin ${origin} may not call this API from a browser.` });
        setCorsHeaders(denied.headers, origin);
        return denied;
      }
      // Browsers compare the requested method and headers with these lists themselves.
      const res = new Response(null, { status: 204 });
      setCorsHeaders(res.headers, origin);
      res.headers.set('access-control-allow-methods', allowMethods);
      if (allowHeaders !== '') res.headers.set('access-control-allow-headers', allowHeaders);
      res.headers.set('access-control-max-age', String(maxAge));
      return res;
    }
    // A denied origin still reaches the handler: CORS decides what a browser lets a page read,
    // not what the server accepts.
    const res = await next(req);
    return withHeaders(res, (h) => {
      setCorsHeaders(h, origin);
      if (expose !== '' && h.has('access-control-allow-origin')) h.set('access-control-expose-headers', expose);
    });
  };
}

export interface CatchErrorsOptions {
  /** Called with every error caught, and the request: where the stack trace goes (logs, error tracking). */
  readonly onError?: (error: unknown, req: Request) => void;
}

const SERVER_ERROR = 'The server failed to handle the request.';

/**
 * Turns whatever goes wrong downstream into a problem response: an `HttpError` into its status
 * (with its message as `detail` below 500), anything else thrown, or a handler that resolves with
 * something other than a `Response`, into a 500 whose body says nothing of the error: no message,
 * no stack. The error itself goes to `onError`.
 * @throws {TypeError} when `onError` is not a function.
 */
export function catchErrors({ onError = () => {} }: CatchErrorsOptions = {}): Middleware {
  if (typeof onError !== 'function') throw new TypeError(`onError must be a function, got ${typeof onError}`);
  const fail = (error: unknown, req: Request): Response => {
    try {
      onError(error, req);
    } catch {
      // A failing logger must not turn an error response into no response.
    }
    if (!(error instanceof HttpError)) return problem(500, { detail: SERVER_ERROR });
    // Below 500 the message was written for the client; from 500 on it may name internals.
    const detail = error.status < 500 ? error.message : SERVER_ERROR;
    return problem(error.status, { detail, ...(error.headers === undefined ? {} : { headers: error.headers }) });
  };
  return async (req, next) => {
    let res: unknown;
    try {
      res = await next(req);
    } catch (error: unknown) {
      return fail(error, req);
    }
    if (res instanceof Response) return res;
    return fail(new TypeError(`the handler resolved with ${res === null ? 'null' : typeof res}, not a Response`), req);
  };
}

/** A copy of `res` whose headers `edit` changes; the body is handed over, not read. */
function withHeaders(res: Response, edit: (headers: Headers) => void): Response {
  const copy = new Response(res.body, res);
  edit(copy.headers);
  return copy;
}

/** Adds `name` to `Vary` unless it is already there (or `Vary: *` already covers it). */
function appendVary(headers: Headers, name: string): void {
  const current = headers.get('vary');
  if (current === null || current.trim() === '') {
    headers.set('vary', name);
    return;
  }
  const listed = current.split(',').map((field) => field.trim().toLowerCase());
  if (!listed.includes('*') && !listed.includes(name.toLowerCase())) headers.set('vary', `${current}, ${name}`);
}

function checkOrigin(origin: unknown, name: string): string {
  let parsed: string | undefined;
  try {
    parsed = new URL(String(origin)).origin;
  } catch {
    parsed = undefined;
  }
  // Browsers send the serialized origin: lower case, no default port, no path, no trailing slash.
  if (typeof origin !== 'string' || parsed !== origin) {
    throw new RangeError(`${name} must be an origin such as https://app.example.com (no path, no trailing slash), got ${JSON.stringify(origin)}`);
  }
  return origin;
}

function tokens(list: readonly string[], name: string): string {
  if (!Array.isArray(list)) throw new TypeError(`${name} must be an array, got ${typeof list}`);
  list.forEach((item, i) => {
    if (typeof item !== 'string' || !TOKEN.test(item)) throw new RangeError(`${name}[${i}] must be a token, got ${JSON.stringify(item)}`);
  });
  return list.join(', ');
}
