/** A web-standard handler, testable without a server: build a `Request`, read the `Response`. */
export type Handler = (req: Request) => Promise<Response>;

/**
 * Onion-style middleware: do something before, call `next` (the rest of the chain) or answer
 * without it, do something after.
 */
export type Middleware = (req: Request, next: Handler) => Promise<Response>;
