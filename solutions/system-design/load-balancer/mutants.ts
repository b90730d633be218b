import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'smooth weighted round robin subtracts the winner its own weight instead of the total',
    find: `best.current -= total;`,
    replace: `best.current -= best.weight;`,
  },
  {
    name: 'smooth weighted round robin breaks ties towards the later backend',
    find: `member.current > best.current`,
    replace: `member.current >= best.current`,
  },
  {
    name: 'round robin advances its index by one instead of past the backend it picked',
    find: `next = (i + 1) % members.length;`,
    replace: `next = (next + 1) % members.length;`,
  },
  {
    name: 'release never decrements the in-flight count',
    find: `if (member.inFlight !== undefined && member.inFlight > 0) member.inFlight--;`,
    replace: `if (member.inFlight !== undefined && member.inFlight > 0) member.inFlight;`,
  },
  {
    name: 'power of two choices may draw the same backend twice',
    find: `    let second = Math.floor(random() * (up.length - 1));
    if (second >= first) second++;`,
    replace: `    const second = Math.floor(random() * up.length);`,
  },
  {
    name: 'power of two choices draws among every backend, down ones included',
    find: `const up = pool.up();`,
    replace: `const up = pool.members;`,
  },
]);
