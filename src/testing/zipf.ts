/**
 * Zipf-distributed ranks: rank k (1-based) of n comes up with probability proportional to
 * 1 / k^s. Cache workloads look like this: a few hot keys, a long tail of cold ones.
 */

/** A sampler of ranks in [1, n], drawing from `random` (uniform in [0, 1)). */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`s must be a finite number >= 0, got ${s}`);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k ** s;
    cumulative[k - 1] = total;
  }
  return () => {
    const target = random() * total;
    // The first rank whose cumulative weight exceeds the target.
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low + 1;
  };
}
