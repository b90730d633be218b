/**
 * Mutants are the tests of a kata's tests: realistic bugs, each a small textual edit of the
 * reference, that at least one test must catch. They are declared beside the reference in
 * `solutions/<track>/<kata>/mutants.ts` and applied in memory at test time.
 */

export interface Mutant {
  /** The bug as a learner would make it: "get does not refresh recency". */
  readonly name: string;
  /** The file to edit, relative to the kata's solution folder; defaults to `<kata>.ts`. */
  readonly file?: string;
  /** Text of the reference that must occur exactly once. */
  readonly find: string;
  /** What replaces it. */
  readonly replace: string;
  /**
   * Only tests that need a real Redis server (REDIS_URL) can catch it, e.g. in a part that the
   * built-in mock cannot run; without a server it is reported as not run.
   */
  readonly needsRedisServer?: boolean;
}

/** Typed identity, so that a mutants file reads `export default defineMutants([...])`. */
export function defineMutants(mutants: readonly Mutant[]): readonly Mutant[] {
  return mutants;
}

/** A mutant whose `find` text no longer matches the reference exactly once. */
export class MutantMismatchError extends Error {
  override readonly name = 'MutantMismatchError';
}

/** Applies `mutant` to `source`. @throws {MutantMismatchError} unless `find` occurs exactly once. */
export function applyMutant(source: string, mutant: Mutant): string {
  const first = source.indexOf(mutant.find);
  if (mutant.find === '' || first === -1) {
    throw new MutantMismatchError(`mutant "${mutant.name}": its find text is not in the reference`);
  }
  if (source.indexOf(mutant.find, first + 1) !== -1) {
    throw new MutantMismatchError(`mutant "${mutant.name}": its find text occurs more than once in the reference`);
  }
  if (mutant.find === mutant.replace) {
    throw new MutantMismatchError(`mutant "${mutant.name}": its replacement is the same text`);
  }
  return source.slice(0, first) + mutant.replace + source.slice(first + mutant.find.length);
}
