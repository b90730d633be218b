/** Helpers for kata tests: injected time and randomness. */
export { ManualClock } from './clock.ts';
export { scriptedRandom, seededRandom } from './random.ts';
