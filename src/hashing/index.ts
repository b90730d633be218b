/** Hash functions given to the katas that need one. */
export { murmur3 } from './murmur3.ts';
