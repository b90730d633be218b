/**
 * The vitest projects of the repository. `vitest.config.ts` uses the everyday ones; the
 * verification derives its runs (references, stubs, mutants) from the same building blocks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { kataSources, type KataSourcesOptions } from './kata-plugin.ts';

const kataTests = ['exercises/**/*.test.ts'];

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

export interface VerificationRun {
  readonly name: string;
  readonly target: 'exercises' | 'solutions';
  readonly mutants?: KataSourcesOptions['mutants'];
  readonly fcSeed: number;
  readonly failFast: boolean;
  readonly stopAtFirstFailure: boolean;
}

/** Setup files ship with the runner, wherever the katas are. */
const setup = (name: 'hygiene' | 'verification') => path.join(path.dirname(fileURLToPath(import.meta.url)), 'setup', `${name}.ts`);

/**
 * The learner's runs from the kata runner: the same as `exercises`, but test files share
 * workers (a fresh worker per file costs more than most kata tests), and it globs nothing:
 * the runner hands it the files to run.
 */
export function learnerProject(root: string): TestProjectInlineConfiguration {
  return {
    plugins: [kataSources({ root, target: 'exercises' })],
    test: { name: 'learner', root, include: [], isolate: false, setupFiles: [setup('hygiene')] },
  };
}

/**
 * A project of the verification. Like the learner's, it shares workers and globs nothing:
 * the verification hands it the test modules to run.
 */
export function verificationProject(root: string, run: VerificationRun): TestProjectInlineConfiguration {
  const { name, target, mutants, ...provide } = run;
  return {
    plugins: [kataSources({ root, target, ...(mutants ? { mutants } : {}), dropSourceMaps: run.failFast })],
    test: {
      name,
      root,
      include: [],
      isolate: false,
      setupFiles: [setup('hygiene'), setup('verification')],
      provide,
    },
  };
}
