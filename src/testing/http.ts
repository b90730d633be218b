/**
 * Arbitrary HTTP requests for the property every handler kata states: no input, however
 * malformed, makes the handler throw or answer 5xx.
 */
import fc from 'fast-check';

export interface RequestShape {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
}

const tokenChars = fc.constantFrom(...'!#$%&*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const token = fc.string({ unit: tokenChars, minLength: 1, maxLength: 12 });

/** Methods a client may send, standard or not. */
export const arbitraryMethod = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), token.map((t) => t.toUpperCase()));

const segment = fc.oneof(
  fc.constantFrom('', '.', '..', '%', '%2F', '%E0%A4%A', '%00', 'api', 'v1', 'v2', '1', '-1', 'null', ' ', '%20'),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
  fc.stringMatching(/^[a-zA-Z0-9_-]{1,300}$/),
);

/** Paths, mostly below `prefixes` (so they reach the routes), with odd segments, encodings and queries. */
export function arbitraryPath(prefixes: readonly string[] = ['/']): fc.Arbitrary<string> {
  const query = fc.option(
    fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 12 })), { maxLength: 3 }).map((pairs) => `?${new URLSearchParams(pairs)}`),
    { nil: '' },
  );
  return fc
    .tuple(fc.constantFrom(...prefixes), fc.array(segment, { maxLength: 4 }), fc.boolean(), query)
    .map(([prefix, segments, slash, q]) =>
      // A path that starts with "//" would read as a host ("//evil.example"): keep one slash.
      `${prefix.replace(/\/$/, '')}/${segments.join('/')}${slash ? '/' : ''}${q}`.replace(/^\/+/, '/'),
    );
}

const headerValue = fc.oneof(
  fc.constantFrom('', 'application/json', 'application/json; charset=utf-8', 'text/plain', '*', 'W/"1"', '"x"', 'Bearer', 'Bearer abc.def.ghi', 'bytes=0-1'),
  fc.string({ maxLength: 40 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
);
const headerName = fc.oneof(
  fc.constantFrom('content-type', 'accept', 'authorization', 'if-match', 'if-none-match', 'idempotency-key', 'origin', 'x-request-id', 'x-api-key'),
  token,
);

/** JSON documents of every kind, and bytes that are not JSON at all. */
export const arbitraryBody = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 60 }),
  fc.constantFrom('{', '[', '"', 'null', '1e999', '{"a":1}{', '\u0000', '{"__proto__":{"x":1}}'),
);

/** Requests with random methods, paths, headers and bodies, as plain data. */
export function arbitraryRequestShape(prefixes?: readonly string[]): fc.Arbitrary<RequestShape> {
  return fc.record({
    method: arbitraryMethod,
    path: arbitraryPath(prefixes),
    headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
    body: arbitraryBody,
  });
}

/** A web `Request` for `shape`; methods that cannot carry a body send none. */
export function toRequest(shape: RequestShape, origin = 'http://localhost'): Request {
  const canHaveBody = shape.method !== 'GET' && shape.method !== 'HEAD';
  const headers = new Headers();
  for (const [name, value] of Object.entries(shape.headers)) headers.set(name, value);
  return new Request(new URL(shape.path, origin), {
    method: shape.method,
    headers,
    ...(canHaveBody && shape.body !== undefined ? { body: shape.body } : {}),
  });
}
