/** Shared pieces for the REST katas' handlers. */
export { json, problem, STATUS_TITLES, type HeadersInit, type ProblemOptions } from './problem.ts';
export type { Handler, Middleware } from './types.ts';
export { remoteAddressOf, serve, toWebRequest, writeWebResponse } from './node.ts';
