import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'compose runs the last middleware outermost',
    find: 'const chain = [...middleware];',
    replace: 'const chain = [...middleware].reverse();',
  },
  {
    name: 'a second call of next runs the rest of the chain again',
    find: `        if (called) return Promise.reject(new NextCalledTwiceError(index));
`,
    replace: '',
  },
  {
    name: 'any incoming request id is trusted, whatever it holds',
    find: 'const id = incoming !== null && VALID_REQUEST_ID.test(incoming) ? incoming : generate();',
    replace: 'const id = incoming || generate();',
  },
  {
    name: 'the request passed on is rebuilt from its URL, losing the method and the body',
    find: 'const res = await next(new Request(req, { headers }));',
    replace: 'const res = await next(new Request(req.url, { headers }));',
  },
  {
    name: 'CORS echoes any origin back',
    find: 'return allowed.has(origin) ? origin : undefined;',
    replace: 'return origin;',
  },
  {
    name: "origins '*' accepted with credentials (Access-Control-Allow-Origin: * that browsers refuse)",
    find: `  if (anyOrigin && credentials) {
    throw new TypeError("origins '*' cannot go with credentials: browsers refuse it, and any site could act as your users; list the origins");
  }
`,
    replace: '',
  },
  {
    name: 'the 500 problem carries the error message',
    find: 'if (!(error instanceof HttpError)) return problem(500, { detail: SERVER_ERROR });',
    replace: 'if (!(error instanceof HttpError)) return problem(500, { detail: error instanceof Error ? error.message : SERVER_ERROR });',
  },
]);
