import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3 } from './index.ts';

describe('murmur3', () => {
  // Reference values of MurmurHash3_x86_32.
  it.each([
    { input: '', seed: 0, hash: 0 },
    { input: '', seed: 1, hash: 0x514e28b7 },
    { input: 'hello', seed: 0, hash: 0x248bfa47 },
    { input: 'The quick brown fox jumps over the lazy dog', seed: 0, hash: 0x2e4ff723 },
  ])('should hash "$input" with seed $seed to $hash', ({ input, seed, hash }) => {
    expect(murmur3(input, seed)).toBe(hash);
  });

  it('should hash strings as their UTF-8 bytes', () => {
    expect(murmur3('café')).toBe(murmur3(new TextEncoder().encode('café')));
  });

  it('should return an unsigned 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (input, seed) => {
        const hash = murmur3(input, seed);
        expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
      }),
    );
  });

  it('should spread consecutive keys evenly over buckets', () => {
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[murmur3(`key:${i}`) & 15]!++;
    for (const count of buckets) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });
});
