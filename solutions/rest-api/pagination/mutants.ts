import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the cursor compares created_at only: items sharing a timestamp are skipped',
    find: `(item) => byListingOrder(item, after) > 0`,
    replace: `(item) => item.created_at < after.created_at`,
  },
  {
    name: '>= instead of > after the cursor: the last item of a page comes again',
    find: `(item) => byListingOrder(item, after) > 0`,
    replace: `(item) => byListingOrder(item, after) >= 0`,
  },
  {
    name: 'a next link whenever the page is full, so also on a full last page',
    find: `last !== undefined && end < sorted.length`,
    replace: `last !== undefined && page.length === limit`,
  },
  {
    name: "cursors in standard base64, with '+', '/' and '=' that a URL mangles",
    find: `Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url')`,
    replace: `Buffer.from(JSON.stringify(fields), 'utf8').toString('base64')`,
  },
  {
    name: 'limit not bounded: ?limit=1000000 is served',
    find: `!(limit >= 1 && limit <= MAX_LIMIT)`,
    replace: `!(limit >= 1)`,
  },
  {
    name: 'the last offset is off by one page when the total is a multiple of the limit',
    find: `Math.floor((total - 1) / limit) * limit`,
    replace: `Math.floor(total / limit) * limit`,
  },
  {
    name: 'decodeCursor trusts its input: a cursor that is not JSON throws, and the client gets a 500',
    find: `  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }`,
    replace: `  const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));`,
  },
]);
