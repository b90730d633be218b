/**
 * Router: a trie of path segments. Each node has static children by exact text, at most one
 * parameter child, and the routes that end there by method. A lookup walks one segment per
 * level, trying the static child before the parameter child and backtracking when a branch
 * dead-ends, so `/trips/new` beats `/trips/:id` and `/trips/:id/photos` still matches
 * `/trips/new/photos`.
 *
 * Complexity: a lookup is O(k) for a path of k segments, whatever the number of routes; with
 * backtracking it visits each trie node that fits the path at most once. Registration is O(k).
 * Trade-off: patterns are limited to static text and `:name` segments (no regular expressions,
 * no wildcards), which is what makes the trie, the precedence rule and conflict detection simple.
 */
import { problem, type Handler } from '#http';

/** Handles a request that matched a route, with the path parameters by name, percent-decoded. */
export type RouteHandler = (req: Request, params: Readonly<Record<string, string>>) => Promise<Response>;

/** The route that would handle a request. */
export interface RouteMatch {
  readonly handler: RouteHandler;
  /** The pattern as registered, e.g. `/trips/:id`. */
  readonly pattern: string;
  /** The parameter values by name, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export interface RouterOptions {
  /** Called each time a lookup enters a trie node (the root included): a counter for tests. */
  readonly onVisit?: () => void;
}

/** Thrown at registration when a route with the same method and the same shape exists. */
export class RouteConflictError extends Error {
  override readonly name = 'RouteConflictError';
}

interface Route {
  readonly handler: RouteHandler;
  readonly pattern: string;
  /** One name per parameter segment, in path order. */
  readonly paramNames: readonly string[];
}

interface Node {
  readonly statics: Map<string, Node>;
  // One parameter child for every name: `/trips/:id` and `/trips/:tripId/photos` share it.
  param: Node | undefined;
  readonly routes: Map<string, Route>;
}

// RFC 9110 section 5.6.2: a method is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const newNode = (): Node => ({ statics: new Map(), param: undefined, routes: new Map() });

export class Router {
  readonly #root = newNode();
  readonly #onVisit: () => void;

  /** @throws {TypeError} when `onVisit` is given and is not a function. */
  constructor({ onVisit = () => {} }: RouterOptions = {}) {
    if (typeof onVisit !== 'function') throw new TypeError(`onVisit must be a function, got ${typeof onVisit}`);
    this.#onVisit = onVisit;
  }

  /**
   * Registers `handler` for `method` (case-sensitive: `GET` is not `get`) on `pattern`, a path
   * of static segments and `:name` parameters such as `/trips/:id/photos/:photoId`.
   * @throws {TypeError} for a method that is not an HTTP token, a malformed pattern (no leading
   *   slash, an empty segment, a trailing slash, a bad or repeated parameter name) or a handler
   *   that is not a function.
   * @throws {RouteConflictError} when a route with this method and the same shape (the same
   *   static text, parameters in the same places, whatever their names) exists.
   */
  on(method: string, pattern: string, handler: RouteHandler): this {
    if (typeof method !== 'string' || !TOKEN.test(method)) throw new TypeError(`method must be an HTTP token, got ${JSON.stringify(method)}`);
    if (typeof handler !== 'function') throw new TypeError(`handler must be a function, got ${typeof handler}`);
    const segments = parsePattern(pattern);
    const paramNames: string[] = [];
    let node = this.#root;
    for (const segment of segments) {
      if (segment.startsWith(':')) {
        paramNames.push(segment.slice(1));
        node.param ??= newNode();
        node = node.param;
      } else {
        let child = node.statics.get(segment);
        if (child === undefined) node.statics.set(segment, (child = newNode()));
        node = child;
      }
    }
    const existing = node.routes.get(method);
    if (existing !== undefined) {
      throw new RouteConflictError(`${method} ${pattern} conflicts with ${method} ${existing.pattern}, registered before`);
    }
    node.routes.set(method, { handler, pattern, paramNames });
    return this;
  }

  /**
   * The route that would handle `method` on `path` (a pathname, percent-encoded as in
   * `new URL(…).pathname`), or `undefined`. `HEAD` falls back to a `GET` route; the automatic
   * `OPTIONS` answer is not a route. A path that is not valid percent-encoding matches nothing.
   */
  match(method: string, path: string): RouteMatch | undefined {
    const segments = path.startsWith('/') ? decodeSegments(path) : undefined;
    if (segments === undefined) return undefined;
    const values: string[] = [];
    const route = this.#find(this.#root, segments, 0, method, values);
    return route === undefined ? undefined : { handler: route.handler, pattern: route.pattern, params: paramsOf(route, values) };
  }

  /**
   * The router as a `Handler`, bound so that it can be passed around as it is. It answers 400
   * to a path that is not valid percent-encoding, 404 when no route has the path, 405 with
   * `Allow` when routes have the path but not the method, 204 with `Allow` to `OPTIONS`, 308 to
   * the path without its trailing slash when that one exists, and `HEAD` like `GET` with no
   * body. Errors are problems; a route handler's own rejection propagates.
   */
  readonly handle: Handler = async (req) => {
    const res = await this.#dispatch(req);
    return req.method === 'HEAD' ? withoutBody(res) : res;
  };

  async #dispatch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const segments = decodeSegments(url.pathname);
    if (segments === undefined) return problem(400, { detail: `The path ${url.pathname} is not valid percent-encoding.` });

    const values: string[] = [];
    const route = this.#find(this.#root, segments, 0, req.method, values);
    if (route !== undefined) return route.handler(req, paramsOf(route, values));

    const methods = this.#methodsAt(segments);
    if (methods.size === 0) {
      // Patterns never end in a slash, so `/trips/` is only ever a misspelling of `/trips`.
      // 308, not 301: the client repeats the same method with the same body.
      if (segments.at(-1) === '' && this.#methodsAt(segments.slice(0, -1)).size > 0) {
        return new Response(null, { status: 308, headers: { location: url.pathname.slice(0, -1) + url.search } });
      }
      return problem(404, { detail: `No route matches ${url.pathname}.` });
    }
    const allow = allowHeader(methods);
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } });
    return problem(405, { detail: `${req.method} is not allowed on ${url.pathname}; use ${allow}.`, headers: { allow } });
  }

  /** Depth-first, static child before parameter child: the first route found has precedence. */
  #find(node: Node, segments: readonly string[], depth: number, method: string, values: string[]): Route | undefined {
    this.#onVisit();
    if (depth === segments.length) return node.routes.get(method) ?? (method === 'HEAD' ? node.routes.get('GET') : undefined);
    const segment = segments[depth]!;
    const child = node.statics.get(segment);
    if (child !== undefined) {
      const found = this.#find(child, segments, depth + 1, method, values);
      if (found !== undefined) return found;
    }
    if (node.param !== undefined && segment !== '') {
      values.push(segment);
      const found = this.#find(node.param, segments, depth + 1, method, values);
      if (found !== undefined) return found;
      values.pop();
    }
    return undefined;
  }

  /** Every method registered on a route that fits `segments`, whichever has precedence. */
  #methodsAt(segments: readonly string[]): Set<string> {
    const methods = new Set<string>();
    const walk = (node: Node, depth: number): void => {
      this.#onVisit();
      if (depth === segments.length) {
        for (const method of node.routes.keys()) methods.add(method);
        return;
      }
      const segment = segments[depth]!;
      const child = node.statics.get(segment);
      if (child !== undefined) walk(child, depth + 1);
      if (node.param !== undefined && segment !== '') walk(node.param, depth + 1);
    };
    walk(this.#root, 0);
    return methods;
  }
}

/** The segments of a pattern, validated. `/` has none. */
function parsePattern(pattern: string): string[] {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) throw new TypeError(`pattern must start with "/", got ${JSON.stringify(pattern)}`);
  if (pattern === '/') return [];
  const segments = pattern.slice(1).split('/');
  const names = new Set<string>();
  for (const segment of segments) {
    if (segment === '') throw new TypeError(`pattern must have no empty segment and no trailing slash, got ${JSON.stringify(pattern)}`);
    if (!segment.startsWith(':')) continue;
    const name = segment.slice(1);
    if (!PARAM_NAME.test(name)) throw new TypeError(`pattern parameter names are letters, digits and _, got ${JSON.stringify(segment)} in ${JSON.stringify(pattern)}`);
    if (names.has(name)) throw new TypeError(`pattern parameter names must be unique, got :${name} twice in ${JSON.stringify(pattern)}`);
    names.add(name);
  }
  return segments;
}

/**
 * The decoded segments of a pathname, or `undefined` when one is not valid percent-encoding.
 * Split first, then decode: `%2F` is a slash inside a segment, not a separator.
 */
function decodeSegments(pathname: string): string[] | undefined {
  if (pathname === '/') return [];
  try {
    return pathname.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

// fromEntries defines own properties, so a parameter named __proto__ stays a plain value.
const paramsOf = (route: Route, values: readonly string[]): Record<string, string> =>
  Object.fromEntries(route.paramNames.map((name, i) => [name, values[i]!]));

function allowHeader(methods: ReadonlySet<string>): string {
  const allow = new Set(methods);
  if (allow.has('GET')) allow.add('HEAD');
  allow.add('OPTIONS');
  return [...allow].sort().join(', ');
}

/** The same status and headers without the body, as HTTP requires of an answer to HEAD. */
function withoutBody(res: Response): Response {
  // Release whatever produced the body (a file, a stream from upstream); nobody will read it.
  res.body?.cancel().catch(() => {});
  return new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers });
}
