/**
 * Router: matches `METHOD /path` to a handler through a trie of path segments (not a list of
 * regular expressions), with path parameters, 404 vs 405 with Allow, HEAD and OPTIONS.
 *
 * Read README.md for the rules, `npm run kata -- hint router` when you are stuck.
 */
import type { Handler } from '#http';

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

export class Router {
  /** @throws {TypeError} when `onVisit` is given and is not a function. */
  constructor(_options: RouterOptions = {}) {
    throw new Error('TODO: implement the Router constructor');
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
  on(_method: string, _pattern: string, _handler: RouteHandler): this {
    throw new Error('TODO: implement Router#on');
  }

  /**
   * The route that would handle `method` on `path` (a pathname, percent-encoded as in
   * `new URL(…).pathname`), or `undefined`. `HEAD` falls back to a `GET` route; the automatic
   * `OPTIONS` answer is not a route. A path that is not valid percent-encoding matches nothing.
   */
  match(_method: string, _path: string): RouteMatch | undefined {
    throw new Error('TODO: implement Router#match');
  }

  /**
   * The router as a `Handler`, bound so that it can be passed around as it is. It answers 400
   * to a path that is not valid percent-encoding, 404 when no route has the path, 405 with
   * `Allow` when routes have the path but not the method, 204 with `Allow` to `OPTIONS`, 308 to
   * the path without its trailing slash when that one exists, and `HEAD` like `GET` with no
   * body. Errors are problems; a route handler's own rejection propagates.
   */
  readonly handle: Handler = async (_req) => {
    throw new Error('TODO: implement Router#handle');
  };
}
