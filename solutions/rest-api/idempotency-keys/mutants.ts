import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the fingerprint ignores the body: the same key with another payload replays the first response',
    find: `.update(\`\${req.method} \${url.pathname}\${url.search}\\n\`).update(body)`,
    replace: `.update(\`\${req.method} \${url.pathname}\${url.search}\\n\`)`,
  },
  {
    name: 'check-then-act: the key is looked up first and stored only after the handler finishes, so concurrent duplicates all run',
    find: `    const held = await store.claim(storeKey, { state: 'in-flight', fingerprint }, ttlMs);`,
    replace: `    const held = await store.get(storeKey);`,
  },
  {
    name: 'the stored response keeps status and body but not the headers (Location, Content-Type)',
    find: `return { status: response.status, headers: [...response.headers], body };`,
    replace: `return { status: response.status, headers: [], body };`,
  },
  {
    name: 'the completed response is saved without a TTL (a Redis SET clears the expiry), so keys never expire',
    find: `await store.set(storeKey, { state: 'completed', fingerprint, response: stored }, ttlMs);`,
    replace: `await store.set(storeKey, { state: 'completed', fingerprint, response: stored });`,
  },
  {
    name: 'a 5xx is stored and replayed: a transient failure becomes permanent for that key',
    find: `return status < 500 && status !== 408 && status !== 429;`,
    replace: `return status !== 408 && status !== 429;`,
  },
  {
    name: 'a handler that throws leaves the key in flight: every retry gets 409 until the key expires',
    find: `      // Nothing was answered: free the key so that the client's retry runs again.
      await store.delete(storeKey);
      throw error;`,
    replace: `      throw error;`,
  },
  {
    name: 'keys are not scoped per client: two clients that pick the same key collide',
    find: `const storeKey = JSON.stringify([clientId(req) ?? '', key]);`,
    replace: `const storeKey = key;`,
  },
]);
