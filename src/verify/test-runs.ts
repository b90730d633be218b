/**
 * Gates 2, 3, 4 and 6 in one vitest run, so that every file shares the worker pool:
 * the tests against each reference, against each stub, against each mutant, and the unit
 * tests of `src/`.
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createVitest, type TestModule, type TestSpecification } from 'vitest/node';
import type { Kata } from '../kata/catalog.ts';
import { kataIdOf } from '../kata/layout.ts';
import { applyMutant, MutantMismatchError, type Mutant } from '../kata/mutants.ts';
import { harnessModuleId } from '../vitest/kata-plugin.ts';
import { LOAD_FAILURE_TEST, mutantKeyOfSuite } from '../vitest/mutant-harness.ts';
import { moduleOutcome, type ModuleOutcome } from '../vitest/outcomes.ts';
import { srcProject, verificationProject } from '../vitest/projects.ts';

export interface MutantResult {
  readonly name: string;
  /** `caught`: a test failed; `survived`: every test passed; `invalid`: the edit does not apply or the file no longer loads. */
  readonly status: 'caught' | 'survived' | 'invalid';
  /** The first test that failed, or why the mutant is invalid. */
  readonly detail?: string;
}

export interface KataRuns {
  readonly kata: Kata;
  readonly reference: ModuleOutcome | undefined;
  readonly stub: ModuleOutcome | undefined;
  readonly mutants: readonly MutantResult[];
  /** Problems with the kata's mutants file itself. */
  readonly mutantsFileProblem?: string;
}

export interface TestRuns {
  readonly katas: readonly KataRuns[];
  readonly src: readonly ModuleOutcome[];
  /** Errors vitest could not attribute to a test module. */
  readonly unhandled: readonly string[];
}

async function loadMutants(kata: Kata): Promise<{ mutants: readonly Mutant[]; problem?: string }> {
  try {
    const module = (await import(pathToFileURL(kata.files.mutants).href)) as { default?: unknown };
    if (!Array.isArray(module.default)) return { mutants: [], problem: 'mutants.ts must export default defineMutants([...])' };
    return { mutants: module.default as Mutant[] };
  } catch (err: unknown) {
    return { mutants: [], problem: `mutants.ts cannot be loaded: ${(err as Error).message}` };
  }
}

/**
 * A sequencer that runs the longest files first, so that no long file starts last while the
 * other workers idle. `cost` estimates a file's run time in any unit.
 */
function longestFirst(cost: (spec: TestSpecification) => number) {
  return class {
    shard(specs: TestSpecification[]): TestSpecification[] {
      return specs;
    }

    sort(specs: TestSpecification[]): TestSpecification[] {
      return [...specs].sort((a, b) => cost(b) - cost(a));
    }
  };
}

/** What the harness says of one mutant: its block caught it if any test in it failed. */
function mutantResult(harness: TestModule | undefined, key: string, name: string): MutantResult {
  const block = harness && [...harness.children.suites()].find((suite) => mutantKeyOfSuite(suite.name) === key);
  if (block === undefined) {
    return { name, status: 'invalid', detail: `the mutant harness does not load: ${harness?.errors()[0]?.message ?? 'it did not run'}` };
  }
  const tests = [...block.children.allTests()];
  const loadFailure = tests.find((test) => test.name === LOAD_FAILURE_TEST)?.result().errors?.[0];
  if (loadFailure || block.errors().length > 0 || tests.length === 0) {
    const error = loadFailure ?? block.errors()[0];
    return { name, status: 'invalid', detail: `the mutated code does not load: ${firstLine(error?.message ?? 'no tests collected')}` };
  }
  const caughtBy = tests.find((test) => test.result().state === 'failed');
  const prefix = `${block.name} > `;
  return caughtBy ? { name, status: 'caught', detail: caughtBy.fullName.slice(prefix.length) } : { name, status: 'survived' };
}

/** The first two non-empty lines: enough for "Transform failed" and the parse error under it. */
const firstLine = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 2)
    .map((line) => line.trim())
    .join(' ');

const mutatedFile = (kata: Kata, mutant: Mutant) => path.join(kata.files.solutionDir, mutant.file ?? `${kata.name}.ts`);

export async function runTests(root: string, katas: readonly Kata[], options: { fcSeed: number }): Promise<TestRuns> {
  const runnable = new Map<string, { kataId: string; mutant: Mutant }>();
  const invalid = new Map<string, MutantResult[]>();
  const mutantKeys = new Map<string, { key: string; name: string }[]>();
  const mutantsFileProblems = new Map<string, string>();

  for (const kata of katas) {
    const { mutants, problem } = await loadMutants(kata);
    if (problem) mutantsFileProblems.set(kata.id, problem);
    mutants.forEach((mutant, index) => {
      try {
        applyMutant(readFileSync(mutatedFile(kata, mutant), 'utf8'), mutant);
      } catch (err: unknown) {
        const detail = err instanceof MutantMismatchError ? err.message : `cannot read ${mutant.file ?? `${kata.name}.ts`}`;
        invalid.set(kata.id, [...(invalid.get(kata.id) ?? []), { name: mutant.name, status: 'invalid', detail }]);
        return;
      }
      const key = `${kata.id}:${index}`;
      runnable.set(key, { kataId: kata.id, mutant });
      mutantKeys.set(kata.id, [...(mutantKeys.get(kata.id) ?? []), { key, name: mutant.name }]);
    });
  }

  const run = { fcSeed: options.fcSeed } as const;
  // Estimated run time: a test file's size, times the runs it gets in a mutant harness; the
  // runner's own tests start processes and come first.
  const cost = (spec: TestSpecification): number => {
    if (spec.project.name === 'src') return Number.MAX_SAFE_INTEGER;
    const file = spec.moduleId.split('?')[0]!;
    const kataId = kataIdOf(file, root);
    const runs = spec.project.name === 'mutants' ? (kataId === undefined ? 1 : (mutantKeys.get(kataId)?.length ?? 1)) : spec.project.name === 'stubs' ? 0.2 : 1;
    return statSync(file).size * runs;
  };
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root,
      watch: false,
      reporters: [{}],
      pool: 'threads',
      // One worker per core: the main process mostly waits, and the typecheck runs beside.
      maxWorkers: Number(process.env.KATA_WORKERS) || availableParallelism(),
      sequence: { sequencer: longestFirst(cost) },
      projects: [
        verificationProject(root, { ...run, name: 'references', target: 'solutions', failFast: false, stopAtFirstFailure: false }),
        verificationProject(root, { ...run, name: 'stubs', target: 'exercises', failFast: true, stopAtFirstFailure: false }),
        verificationProject(root, { ...run, name: 'mutants', target: 'solutions', mutants: runnable, failFast: true, stopAtFirstFailure: true }),
        { test: { ...srcProject(root).test, isolate: false } },
      ],
    },
    {},
    {},
  );
  try {
    const specs: TestSpecification[] = await vitest.globTestSpecifications();
    const references = vitest.getProjectByName('references');
    const stubs = vitest.getProjectByName('stubs');
    const mutantsProject = vitest.getProjectByName('mutants');
    for (const kata of katas) {
      specs.push(references.createSpecification(kata.files.test), stubs.createSpecification(kata.files.test));
      if (mutantKeys.has(kata.id)) specs.push(mutantsProject.createSpecification(harnessModuleId(kata.files.test)));
    }
    const result = await vitest.runTestSpecifications(specs, true);
    const outcomes = result.testModules.filter((m) => m.project.name !== 'mutants').map(moduleOutcome);
    const harnesses = new Map(result.testModules.filter((m) => m.project.name === 'mutants').map((m) => [m.moduleId, m]));
    const find = (project: string, moduleId: string) => outcomes.find((o) => o.project === project && o.moduleId === moduleId);

    const kataRuns = katas.map((kata): KataRuns => {
      const harness = harnesses.get(harnessModuleId(kata.files.test));
      const mutants = (mutantKeys.get(kata.id) ?? []).map(({ key, name }) => mutantResult(harness, key, name));
      const problem = mutantsFileProblems.get(kata.id);
      return {
        kata,
        reference: find('references', kata.files.test),
        stub: find('stubs', kata.files.test),
        mutants: [...(invalid.get(kata.id) ?? []), ...mutants],
        ...(problem ? { mutantsFileProblem: problem } : {}),
      };
    });
    return {
      katas: kataRuns,
      src: outcomes.filter((o) => o.project === 'src'),
      unhandled: result.unhandledErrors.map((e) => String((e as Error)?.message ?? e)),
    };
  } finally {
    await vitest.close();
  }
}
