/**
 * The vitest projects of the repository. `vitest.config.ts` uses the everyday ones; the runner
 * and the verification derive theirs from the same building blocks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { kataSources, type KataSourcesOptions } from './kata-plugin.ts';

const kataTests = ['exercises/**/*.test.ts'];

/** Setup files ship with the runner, wherever the katas are. */
const hygiene = path.join(path.dirname(fileURLToPath(import.meta.url)), 'setup', 'hygiene.ts');

/** The learner's run: the kata tests against `exercises/`. */
export function exercisesProject(root: string): TestProjectInlineConfiguration {
  return {
    plugins: [kataSources({ root, target: 'exercises' })],
    test: { name: 'exercises', root, include: kataTests },
  };
}

/** The same tests against the references under `solutions/`. */
export function solutionsProject(root: string): TestProjectInlineConfiguration {
  return {
    plugins: [kataSources({ root, target: 'solutions' })],
    test: { name: 'solutions', root, include: kataTests },
  };
}

/** Unit tests of the runner and the shared helpers. */
export function srcProject(root: string): TestProjectInlineConfiguration {
  return { test: { name: 'src', root, include: ['src/**/*.test.ts'] } };
}

/** Benchmarks beside the katas, against the references or, for a learner, their own files. */
export function benchProject(root: string, target: 'exercises' | 'solutions'): TestProjectInlineConfiguration {
  return {
    plugins: [kataSources({ root, target })],
    test: { name: 'bench', root, benchmark: { include: ['exercises/**/*.bench.ts'] } },
  };
}

/**
 * The learner's runs from the kata runner: the same as `exercises`, but test files share
 * workers (a fresh worker per file costs more than most kata tests), and it globs nothing:
 * the runner hands it the files to run.
 */
export function learnerProject(root: string): TestProjectInlineConfiguration {
  return {
    plugins: [kataSources({ root, target: 'exercises' })],
    test: { name: 'learner', root, include: [], isolate: false, setupFiles: [hygiene] },
  };
}

/**
 * The verification's kata runs: for each kata, one harness module runs the tests against the
 * reference, the stub and every mutant (see variant-harness.ts). Like the learner's project,
 * it shares workers and globs nothing.
 */
export function verificationProject(
  root: string,
  { mutants, fcSeed }: { mutants: NonNullable<KataSourcesOptions['mutants']>; fcSeed: number },
): TestProjectInlineConfiguration {
  return {
    plugins: [kataSources({ root, target: 'exercises', mutants })],
    test: { name: 'verification', root, include: [], isolate: false, setupFiles: [hygiene], provide: { fcSeed } },
  };
}
