import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'opens on a count of failures instead of a rate',
    find: `if (calls >= this.#minimumCalls && failures / calls >= this.#threshold) this.#transition('open', now);`,
    replace: `if (failures >= this.#minimumCalls) this.#transition('open', now);`,
  },
  {
    name: 'ignores minimumCalls: the first failure opens the circuit',
    find: `if (calls >= this.#minimumCalls && failures / calls >= this.#threshold) this.#transition('open', now);`,
    replace: `if (failures / calls >= this.#threshold) this.#transition('open', now);`,
  },
  {
    name: 'half-open lets every call through',
    find: `      if (this.#trials >= this.#halfOpenMaxCalls) throw new CircuitOpenError(0);
`,
    replace: ``,
  },
  {
    name: 'a failed trial call leaves the circuit half-open',
    find: `if (failed) this.#transition('open', now);`,
    replace: `if (failed) return;`,
  },
  {
    name: 'the time window never evicts old calls',
    find: `    while (this.#head < this.#entries.length && now - this.#entries[this.#head]!.at >= this.#ms) {`,
    replace: `    while (this.#head < this.#entries.length && now - this.#entries[this.#head]!.at >= Infinity) {`,
  },
  {
    name: 'retryAfterMs is always openMs: it does not count down',
    find: `throw new CircuitOpenError(this.#openedAt + this.#openMs - this.#clock.now());`,
    replace: `throw new CircuitOpenError(this.#openMs);`,
  },
  {
    name: 'a call that started before the circuit opened still counts',
    find: `    if (phase !== this.#phase) return;
`,
    replace: ``,
  },
]);
