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

/**
 * Batches of 1,000 members that are not in the sets, for the inserts, a batch a round.
 * Fresh members, not the same 1,000 each round: V8's Map leaves a deleted entry in its hash
 * chain until it rebuilds the table, so deleting and re-adding the same members makes every
 * lookup of them walk one more dead entry per round. The sorted set's map would then slow down
 * round after round (at 10^6 members, from 7 ms to 22 ms a round within 400 rounds), and the
 * benchmark would measure that, not inserts.
 */
const newMembers = Array.from({ length: 100 }, (_, i) => pairs(1_000, 100 + i));

/** A cursor over `newMembers`: the next batch at each call, round and round. */
function batches(): () => Pair[] {
  let next = 0;
  return () => newMembers[next++ % newMembers.length]!;
}

for (const size of [10_000, 1_000_000]) {
  const label = size.toLocaleString('en');
  const members = pairs(size, 1);
  const set = new SortedSet({ random: seededRandom(2) });
  for (const [score, member] of members) set.zadd(member, score);
  const array = [...members].sort(byScoreThenMember);
  const tree = new OrderedMap<Pair, true>([], byScoreThenMember, true);
  for (const pair of members) tree.setElement(pair, true);

  const probes = pairs(1_000, 4).map((_, i) => members[(i * 7_919) % size]!);
  // The tree reaches a rank only by walking in order: at 10^6 members, 10 pages already take long.
  const pages = size > 100_000 ? 10 : 1_000;
  const ranks = Array.from({ length: pages }, (_, i) => (i * 104_729) % (size - 10));
  const heavy = size > 100_000 ? { time: 200, iterations: 3 } : {};
  // Inserts are the closest race: sample them for longer.
  const inserts = { time: 1_000, iterations: 3 };
  // A Map rebuilds its table once deleted entries fill it. At 10^6 members the sorted set's is
  // nearly full: about 48 rounds in, V8 rebuilds it at twice the size, a pause of about 100 ms,
  // and the next rebuild is a thousand rounds away. Warm up past that one-off.
  const warmed = { ...inserts, warmupIterations: 100 };

  describe(`insert 1,000 members into ${label}, then remove them`, () => {
    const forSet = batches();
    bench('sorted set', () => {
      const batch = forSet();
      for (const [score, member] of batch) set.zadd(member, score);
      for (const [, member] of batch) set.zrem(member);
    }, warmed);
    const forArray = batches();
    bench('sorted array', () => {
      const batch = forArray();
      for (const pair of batch) array.splice(lowerBound(array, pair), 0, pair);
      for (const pair of batch) array.splice(lowerBound(array, pair), 1);
    }, inserts);
    const forTree = batches();
    bench('js-sdsl OrderedMap', () => {
      const batch = forTree();
      for (const pair of batch) tree.setElement(pair, true);
      for (const pair of batch) tree.eraseElementByKey(pair);
    }, warmed);
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
