import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'a release wakes two waiters',
    find: `      const next = this.#waiters.shift();
      if (next === undefined) this.#available += 1;
      else next(this.#releaser());`,
    replace: `      const woken = this.#waiters.splice(0, 2);
      if (woken.length === 0) this.#available += 1;
      for (const wake of woken) wake(this.#releaser());`,
  },
  {
    name: 'waiters are served last in, first out',
    find: `const next = this.#waiters.shift();`,
    replace: `const next = this.#waiters.pop();`,
  },
  {
    name: 'releasing twice returns the permit twice',
    find: `      if (released) return;
      released = true;
`,
    replace: ``,
  },
  {
    name: 'mapWithConcurrency keeps starting work after an error',
    find: `while (!failed && !exhausted && running < limit)`,
    replace: `while (!exhausted && running < limit)`,
  },
  {
    name: 'mapWithConcurrency stores results in completion order',
    find: `results[index] = result;`,
    replace: `results.push(result);`,
  },
  {
    name: 'mapWithConcurrency runs limit + 1 calls at once',
    find: `running < limit)`,
    replace: `running <= limit)`,
  },
]);
