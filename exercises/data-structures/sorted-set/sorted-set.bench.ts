/**
 * The sorted set against a sorted array and js-sdsl's OrderedMap (a red-black tree), at 10^4
 * and 10^6 members: inserts, the rank of a member, and a page of 10 by rank. The array finds by
 * binary search but inserts by moving everything after the slot; the tree inserts in O(log n)
 * and, with its index enabled, gives a member's rank in O(log n), but reaches a rank only by
 * walking in order, O(n). The skip list's spans make both O(log n).
 */
import { OrderedMap } from 'js-sdsl';
import { bench, describe } from 'vitest';
import { seededRandom } from '#testing';
import { SortedSet } from './sorted-set.ts';

type Pair = [score: number, member: string];

const byScoreThenMember = (a: Pair, b: Pair): number => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** Index of the first element not before `pair`. */
function lowerBound(array: Pair[], pair: Pair): number {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byScoreThenMember(array[middle]!, pair) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function pairs(count: number, seed: number): Pair[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => [Math.floor(random() * 1_000_000), `player:${seed}:${i}`]);
}

for (const size of [10_000, 1_000_000]) {
  const label = size.toLocaleString('en');
  const members = pairs(size, 1);
  const set = new SortedSet({ random: seededRandom(2) });
  for (const [score, member] of members) set.zadd(member, score);
  const array = [...members].sort(byScoreThenMember);
  const tree = new OrderedMap<Pair, true>([], byScoreThenMember, true);
  for (const pair of members) tree.setElement(pair, true);

  const extra = pairs(1_000, 3);
  const probes = pairs(1_000, 4).map((_, i) => members[(i * 7_919) % size]!);
  // The tree reaches a rank only by walking in order: at 10^6 members, 10 pages already take long.
  const pages = size > 100_000 ? 10 : 1_000;
  const ranks = Array.from({ length: pages }, (_, i) => (i * 104_729) % (size - 10));
  const heavy = size > 100_000 ? { time: 200, iterations: 3 } : {};

  describe(`insert 1,000 members into ${label}`, () => {
    bench('sorted set', () => {
      for (const [score, member] of extra) set.zadd(member, score);
      for (const [, member] of extra) set.zrem(member);
    }, heavy);
    bench('sorted array', () => {
      for (const pair of extra) array.splice(lowerBound(array, pair), 0, pair);
      for (const pair of extra) array.splice(lowerBound(array, pair), 1);
    }, heavy);
    bench('js-sdsl OrderedMap', () => {
      for (const pair of extra) tree.setElement(pair, true);
      for (const pair of extra) tree.eraseElementByKey(pair);
    }, heavy);
  });

  describe(`rank of 1,000 members among ${label}`, () => {
    bench('sorted set', () => {
      for (const [, member] of probes) set.zrank(member);
    }, heavy);
    bench('sorted array', () => {
      for (const pair of probes) lowerBound(array, pair);
    }, heavy);
    bench('js-sdsl OrderedMap', () => {
      for (const pair of probes) void tree.find(pair).index;
    }, heavy);
  });

  describe(`${pages.toLocaleString('en')} pages of 10 by rank among ${label}`, () => {
    bench('sorted set', () => {
      for (const rank of ranks) set.zrange(rank, rank + 9);
    }, heavy);
    bench('sorted array', () => {
      for (const rank of ranks) array.slice(rank, rank + 10);
    }, heavy);
    bench('js-sdsl OrderedMap', () => {
      // No access by rank: getElementByPos walks the tree in order.
      for (const rank of ranks) for (let i = 0; i < 10; i++) tree.getElementByPos(rank + i);
    }, heavy);
  });
}
