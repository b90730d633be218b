/**
 * Responses for web-standard handlers: JSON bodies, and RFC 9457 problem details, the one error
 * shape every REST kata answers with (`application/problem+json`).
 */

/** Reason phrases of the statuses the katas use; with `type: about:blank` a problem's title is the phrase. */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What `new Headers(…)` takes: a record, pairs, or another Headers. */
export type HeadersInit = ConstructorParameters<typeof Headers>[0];

export interface ProblemOptions {
  /** Explanation specific to this occurrence. */
  readonly detail?: string;
  /** A URI naming the problem type; default `about:blank`. */
  readonly type?: string;
  /** Defaults to the status phrase, as RFC 9457 asks for `about:blank`. */
  readonly title?: string;
  /** Extension members, e.g. `{ errors: [...] }`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly headers?: HeadersInit;
}

/** An `application/problem+json` response. */
export function problem(status: number, { detail, type = 'about:blank', title, extensions = {}, headers }: ProblemOptions = {}): Response {
  const body = { ...extensions, type, title: title ?? STATUS_TITLES[status] ?? 'Error', status, ...(detail === undefined ? {} : { detail }) };
  const response = new Response(JSON.stringify(body), { status, ...(headers === undefined ? {} : { headers }) });
  response.headers.set('content-type', 'application/problem+json');
  return response;
}

/** A JSON response. */
export function json(status: number, body: unknown, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(body), { status, ...(headers === undefined ? {} : { headers }) });
  response.headers.set('content-type', 'application/json');
  return response;
}
