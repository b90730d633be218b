/**
 * MurmurHash3, x86 32-bit variant: a fast, well-mixed, non-cryptographic hash for the
 * probabilistic katas (Bloom filter, count-min sketch, HyperLogLog, consistent hashing), which
 * are about the structure, not about writing a hash. Strings are hashed as UTF-8.
 */

const encoder = new TextEncoder();
// Strings are encoded into this reused buffer: a fresh array per call would cost more than the
// hash. A string of n UTF-16 code units needs at most 3n bytes of UTF-8.
let scratch = new Uint8Array(1024);

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The 32-bit MurmurHash3 of `data` with `seed`, as an unsigned integer. */
export function murmur3(data: string | Uint8Array, seed = 0): number {
  if (typeof data !== 'string') return hashBytes(data, data.length, seed);
  if (scratch.length < data.length * 3) scratch = new Uint8Array(data.length * 3);
  return hashBytes(scratch, encoder.encodeInto(data, scratch).written, seed);
}

/** MurmurHash3 of the first `length` bytes of `bytes`. */
function hashBytes(bytes: Uint8Array, length: number, seed: number): number {
  const blocks = length & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocks]!;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
