/**
 * A web-standard `Handler` behind a `node:http` server: each IncomingMessage becomes a
 * `Request`, each `Response` is written back, streamed. A handler that throws gets a problem
 * 500 here, so a bug never drops the connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { problem } from './problem.ts';
import type { Handler } from './types.ts';

// A web `Request` has no field for the peer's address; the server records it here.
const remoteAddresses = new WeakMap<Request, string>();

/**
 * The network address of the client that sent `req`, for a request made by `toWebRequest`
 * (and so by `serve`); `undefined` for any other request, including a copy made downstream.
 */
export function remoteAddressOf(req: Request): string | undefined {
  return remoteAddresses.get(req);
}

/** The `Request` for an incoming message; the body streams, for methods that have one. */
export function toWebRequest(message: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = message.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const request = new Request(new URL(message.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(message) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
  if (message.socket.remoteAddress !== undefined) remoteAddresses.set(request, message.socket.remoteAddress);
  return request;
}

/** Writes `response` to `out`: status, headers (repeated ones kept apart), then the body. */
export async function writeWebResponse(response: Response, out: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  out.writeHead(response.status, headers);
  if (response.body === null) {
    out.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>)
      .on('error', reject)
      .pipe(out)
      .on('finish', resolve)
      .on('error', reject);
  });
}

/** An http.Server serving `handler`. */
export function serve(handler: Handler, { origin = 'http://localhost' }: { origin?: string } = {}): Server {
  return createServer((message, out) => {
    void (async () => {
      let response: Response;
      try {
        response = await handler(toWebRequest(message, origin));
      } catch {
        response = problem(500, { detail: 'The server failed to handle the request.' });
      }
      try {
        await writeWebResponse(response, out);
      } catch {
        out.destroy();
      }
    })();
  });
}
