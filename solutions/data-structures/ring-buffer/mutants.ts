import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'pushFront takes `%` of a negative index',
    find: `this.#head = mod(this.#head - 1, this.#slots.length);`,
    replace: `this.#head = (this.#head - 1) % this.#slots.length;`,
  },
  {
    name: 'popFront does not decrement the size',
    find: `    this.#head = mod(this.#head + 1, this.#slots.length);
    this.#size -= 1;`,
    replace: `    this.#head = mod(this.#head + 1, this.#slots.length);`,
  },
  {
    name: 'in overwrite mode, pushBack drops the back instead of the front',
    find: `this.popFront();`,
    replace: `this.popBack();`,
  },
  {
    name: 'at() does not wrap around the end of the array',
    find: `return this.#slots[this.#slot(logical)];`,
    replace: `return this.#slots[this.#head + logical];`,
  },
  {
    name: 'isFull is off by one (as if a slot were wasted)',
    find: `return this.#size === this.#slots.length;`,
    replace: `return this.#size === this.#slots.length - 1;`,
  },
  {
    name: 'popBack reads one slot past the back',
    find: `const slot = this.#slot(this.#size - 1);`,
    replace: `const slot = this.#slot(this.#size);`,
  },
]);
