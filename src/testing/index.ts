/** Helpers for kata tests and benchmarks: injected time and randomness, skewed workloads. */
export { ManualClock } from './clock.ts';
export { scriptedRandom, seededRandom } from './random.ts';
export { zipfSampler } from './zipf.ts';
