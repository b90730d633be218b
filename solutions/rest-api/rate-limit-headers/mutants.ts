import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'Retry-After rounds down: 1001 ms becomes 1 s, and the client retries too early',
    find: `Math.ceil(Math.max(0, ms) / 1000)`,
    replace: `Math.floor(Math.max(0, ms) / 1000)`,
  },
  {
    name: 'the fields only on 429: allowed responses go back untouched',
    find: `    return withHeaders(await next(req), headers);`,
    replace: `    return next(req);`,
  },
  {
    name: 'keyed by address even when an API key is present',
    find: `      if (apiKey) return \`key:\${apiKey}\`;
`,
    replace: ``,
  },
  {
    name: 'the handler runs before the decision is checked, so denied requests still do the work',
    find: `    if (!decision.allowed) {`,
    replace: `    const response = await next(req);
    if (!decision.allowed) {`,
  },
  {
    name: 'r reports the quota instead of what remains',
    find: `ratelimit: \`\${label};r=\${remaining};`,
    replace: `ratelimit: \`\${label};r=\${quota};`,
  },
  {
    name: 'trusts X-Forwarded-For: a client gets a fresh quota by writing a new address',
    find: `return \`ip:\${clientAddress(req) ?? 'unknown'}\`;`,
    replace: `return \`ip:\${req.headers.get('x-forwarded-for') ?? clientAddress(req) ?? 'unknown'}\`;`,
  },
]);
