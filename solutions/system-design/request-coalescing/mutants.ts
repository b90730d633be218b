import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the settled result stays in the map: cached forever',
    find: `const call = start(load).finally(() => calls.delete(key));`,
    replace: `const call = start(load);`,
  },
  {
    name: 'a caller that joined retries on its own when the shared load fails (errors not shared)',
    find: `if (current !== undefined) return current;`,
    replace: `if (current !== undefined) return current.catch(() => load());`,
  },
  {
    name: 'the key is freed only on success: a failure sticks to it',
    find: `const call = start(load).finally(() => calls.delete(key));`,
    replace: `const call = start(load).then((value) => {
        calls.delete(key);
        return value;
      });`,
  },
  {
    name: 'sign error on ln(random()): the head start becomes a delay',
    find: `const headStart = scale === 0 ? 0 : -scale * Math.log(r);`,
    replace: `const headStart = scale === 0 ? 0 : scale * Math.log(r);`,
  },
  {
    name: 'adds the head start to the expiry and compares with now instead of expiresAt',
    find: `return now + headStart >= expiresAt;`,
    replace: `return expiresAt + headStart >= now;`,
  },
  {
    name: 'the TTL counts from the start of the load instead of its end',
    find: `expiresAt: now + ttlMs,`,
    replace: `expiresAt: startedAt + ttlMs,`,
  },
]);
