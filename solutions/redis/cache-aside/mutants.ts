import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'no jitter: keys cached together expire together',
    find: `const ttlMs = () => ttlSeconds * 1000 + Math.floor(random() * jitterSeconds * 1000);`,
    replace: `const ttlMs = () => ttlSeconds * 1000;`,
  },
  {
    name: 'misses are not cached: every get of a missing id reaches the source',
    find: `const payload = value !== undefined ? encode(value) : negativeTtlSeconds > 0 ? MISS : undefined;`,
    replace: `const payload = value !== undefined ? encode(value) : undefined;`,
  },
  {
    name: 'every concurrent miss loads (no single flight)',
    find: `      const current = flights.get(keys.data);
      if (current !== undefined) return current.promise;
`,
    replace: ``,
  },
  {
    name: 'the version is not part of the key, so invalidateAll changes nothing',
    find: 'data: `${namespace}:v${version}:${id}`',
    replace: 'data: `${namespace}:${id}`',
  },
  {
    name: 'a failed load is cached as a miss',
    find: `    } catch (err: unknown) {
      // Free the key for the next caller. If Redis fails here too, the lease expires on its own,
      // and the load's error is the one worth reporting.
      if (token !== undefined) await redis.eval(RELEASE, 1, keys.lease, token).catch(() => undefined);
      throw err;
    }`,
    replace: `    } catch {
      value = undefined;
    }`,
  },
  {
    name: 'a miss is stored as JSON null, so a real null reads back as a miss',
    find: `const MISS = '<miss>';`,
    replace: `const MISS = 'null';`,
  },
  {
    name: 'the lease holder writes back without checking that it still holds the lease',
    find: `await redis.eval(WRITE_IF_LEASED, 2, keys.data, keys.lease, token, payload, px);`,
    replace: `await redis.multi().set(keys.data, payload, 'PX', px).del(keys.lease).exec();`,
  },
]);
