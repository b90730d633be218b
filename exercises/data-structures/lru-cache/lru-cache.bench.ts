/**
 * The LRU cache against the libraries a service would otherwise pick, on the same workload:
 * 80% get, 20% set, capacity 10,000, keys drawn from a Zipf distribution over 100,000 keys.
 */
import { LRUCache as LruCachePackage } from 'lru-cache';
import { LRUCache as MnemonistLRUCache } from 'mnemonist';
import { bench, describe } from 'vitest';
import { seededRandom, zipfSampler } from '#testing';
import { LRUCache } from './lru-cache.ts';

const CAPACITY = 10_000;
const OPERATIONS = 100_000;

interface Cache {
  get(key: number): number | undefined;
  set(key: number, value: number): unknown;
}

// One fixed sequence of operations for every implementation: true is a get.
const random = seededRandom(2026);
const sample = zipfSampler(10 * CAPACITY, 1, random);
const keys = Int32Array.from({ length: OPERATIONS }, sample);
const isGet = Uint8Array.from({ length: OPERATIONS }, () => (random() < 0.8 ? 1 : 0));

function run(cache: Cache): number {
  let hits = 0;
  for (let i = 0; i < OPERATIONS; i++) {
    const key = keys[i]!;
    if (isGet[i]) {
      if (cache.get(key) !== undefined) hits++;
    } else {
      cache.set(key, key);
    }
  }
  return hits;
}

describe(`LRU: 80% get / 20% set, capacity ${CAPACITY.toLocaleString('en')}, Zipf keys, ${OPERATIONS.toLocaleString('en')} operations`, () => {
  bench('this kata', () => {
    run(new LRUCache<number, number>(CAPACITY));
  });
  bench('lru-cache', () => {
    run(new LruCachePackage<number, number>({ max: CAPACITY }));
  });
  bench('mnemonist', () => {
    run(new MnemonistLRUCache<number, number>(CAPACITY));
  });
});
