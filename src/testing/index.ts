/** Helpers for kata tests and benchmarks: injected time and randomness, promises held and observed, skewed workloads. */
export { ManualClock } from './clock.ts';
export { scriptedRandom, seededRandom } from './random.ts';
export { zipfSampler } from './zipf.ts';
export { deferred, flush, outcome, track, type Deferred, type Tracked } from './promises.ts';
export { arbitraryBody, arbitraryMethod, arbitraryPath, arbitraryRequestShape, toRequest, type RequestShape } from './http.ts';
export { expectProblem, type ProblemBody } from './problems.ts';
