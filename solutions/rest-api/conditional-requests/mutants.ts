import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'If-Match uses the weak comparison: W/"x" lets a write through',
    find: `listMatches(parseEtagList(ifMatch), currentEtag, strongMatch)`,
    replace: `listMatches(parseEtagList(ifMatch), currentEtag, weakMatch)`,
  },
  {
    name: 'If-None-Match on a PUT answers 304 instead of 412',
    find: `return method === 'GET' || method === 'HEAD' ? 'not-modified' : 'failed';`,
    replace: `return 'not-modified';`,
  },
  {
    name: "'*' is not recognised, so it matches nothing",
    find: `  if (value.trim() === '*') return '*';
`,
    replace: ``,
  },
  {
    name: 'the ETag is not changed by an update',
    find: `const row: TripRow = { id, body, etag: strongEtag(body) };`,
    replace: `const row: TripRow = { id, body, etag: current?.etag ?? strongEtag(body) };`,
  },
  {
    name: 'the 428 check is skipped: a blind PUT goes through when preconditions are required',
    find: `    if (requirePrecondition && !conditional) {
      return problem(428, { detail: 'Send If-Match with the ETag you read, or If-None-Match: * to create.' });
    }
`,
    replace: ``,
  },
  {
    name: 'the strong comparison strips the weak prefix first: W/"1" strongly matches "1"',
    find: `!a.startsWith('W/') && a === b`,
    replace: `opaqueTag(a) === opaqueTag(b)`,
  },
  {
    name: 'check-then-act: an unconditional write after the check, so two clients holding the same ETag both win',
    find: `      const written = current === undefined ? await store.insert(row) : await store.update(row, current.etag);
      if (!written) return preconditionFailed();`,
    replace: `      await store.put(row);`,
  },
]);
