/**
 * Gates 2, 3, 4 and 6 in one vitest run, so that every file shares the worker pool: for each
 * kata one harness module runs its tests against the reference, the stub and every mutant
 * (see variant-harness.ts); beside them run the unit tests of `src/`.
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createVitest, type TestModule, type TestSpecification, type TestSuite } from 'vitest/node';
import type { Kata } from '../kata/catalog.ts';
import { applyMutant, MutantMismatchError, type Mutant } from '../kata/mutants.ts';
import { redisUrl } from '../redis/url.ts';
import { harnessModuleId } from '../vitest/kata-plugin.ts';
import { moduleOutcome, testOutcome, type ModuleOutcome, type TestOutcome } from '../vitest/outcomes.ts';
import { srcProject, verificationProject } from '../vitest/projects.ts';
import { LOAD_FAILURE_TEST, parseBlockTitle } from '../vitest/variant-harness.ts';

export interface MutantResult {
  readonly name: string;
  /**
   * `caught`: a test failed; `survived`: every test passed; `invalid`: the edit does not apply or
   * the code no longer loads; `not run`: it needs a real Redis server and there is none.
   */
  readonly status: 'caught' | 'survived' | 'invalid' | 'not run';
  /** The first test that failed, or why the mutant is invalid. */
  readonly detail?: string;
}

/** The tests of one kata against one implementation; `loadError` when the code did not load. */
export interface VariantOutcome {
  readonly tests: readonly TestOutcome[];
  readonly loadError?: string;
}

export interface KataRuns {
  readonly kata: Kata;
  /** How long the kata's harness ran, in milliseconds. */
  readonly durationMs: number;
  readonly reference: VariantOutcome;
  readonly stub: VariantOutcome;
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

const mutatedFile = (kata: Kata, mutant: Mutant) => path.join(kata.files.solutionDir, mutant.file ?? `${kata.name}.ts`);

/** The first two non-empty lines: enough for "Transform failed" and the parse error under it. */
const firstLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 2)
    .map((line) => line.trim())
    .join(' ');

/** The tests of one block of a harness, named as in the test file. */
function variantOutcome(module: TestModule | undefined, block: TestSuite | undefined): VariantOutcome {
  if (block === undefined) return { tests: [], loadError: firstLines(module?.errors()[0]?.message ?? 'the tests did not run') };
  // Names as in the test file: without the block's own name in front.
  const tests = [...block.children.allTests()].map((test) => testOutcome(test, test.fullName.slice(block.name.length + 3)));
  const loadFailure = tests.find((test) => test.name === LOAD_FAILURE_TEST);
  const blockError = block.errors()[0];
  if (loadFailure || blockError) return { tests: [], loadError: firstLines(loadFailure?.failure?.message ?? blockError?.message ?? '') };
  return { tests };
}

function mutantResult(name: string, outcome: VariantOutcome): MutantResult {
  if (outcome.loadError !== undefined) return { name, status: 'invalid', detail: `the mutated code does not load: ${outcome.loadError}` };
  if (outcome.tests.length === 0) return { name, status: 'invalid', detail: 'no tests ran' };
  const caughtBy = outcome.tests.find((test) => test.state === 'failed');
  return caughtBy ? { name, status: 'caught', detail: caughtBy.name } : { name, status: 'survived' };
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

export interface RunOptions {
  readonly fcSeed: number;
  /** Run the unit tests of src/ too. */
  readonly src: boolean;
}

export async function runTests(root: string, katas: readonly Kata[], options: RunOptions): Promise<TestRuns> {
  const runnable = new Map<string, { kataId: string; mutant: Mutant }>();
  /** Mutants decided before any test runs: invalid edits, and those that cannot run here. */
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
      if (mutant.needsRedisServer && redisUrl() === undefined) {
        invalid.set(kata.id, [...(invalid.get(kata.id) ?? []), { name: mutant.name, status: 'not run', detail: 'it needs a real Redis server (REDIS_URL)' }]);
        return;
      }
      const key = `${kata.id}:${index}`;
      runnable.set(key, { kataId: kata.id, mutant });
      mutantKeys.set(kata.id, [...(mutantKeys.get(kata.id) ?? []), { key, name: mutant.name }]);
    });
  }

  // Estimated run time: the runner's own tests start processes and go first; a harness costs
  // its test file's size times the implementations it runs.
  const variantsOf = new Map(katas.map((kata) => [harnessModuleId(kata.files.test), 2 + (mutantKeys.get(kata.id)?.length ?? 0)]));
  const cost = (spec: TestSpecification): number =>
    spec.project.name === 'src' ? Number.MAX_SAFE_INTEGER : statSync(spec.moduleId.split('?')[0]!).size * (variantsOf.get(spec.moduleId) ?? 1);

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
      projects: [verificationProject(root, { mutants: runnable, fcSeed: options.fcSeed }), { test: { ...srcProject(root).test, isolate: false } }],
    },
    {},
    {},
  );
  try {
    const verification = vitest.getProjectByName('verification');
    const specs: TestSpecification[] = [
      ...(options.src ? await vitest.globTestSpecifications() : []),
      ...katas.map((kata) => verification.createSpecification(harnessModuleId(kata.files.test))),
    ];
    const result = await vitest.runTestSpecifications(specs, true);
    const harnesses = new Map(result.testModules.filter((m) => m.project.name === 'verification').map((m) => [m.moduleId, m]));

    const kataRuns = katas.map((kata): KataRuns => {
      const harness = harnesses.get(harnessModuleId(kata.files.test));
      const blocks = new Map(
        [...(harness?.children.suites() ?? [])].flatMap((suite) => {
          const title = parseBlockTitle(suite.name);
          return title === undefined ? [] : [[title.key ?? title.kind, suite] as const];
        }),
      );
      const problem = mutantsFileProblems.get(kata.id);
      return {
        kata,
        durationMs: harness?.diagnostic().duration ?? 0,
        reference: variantOutcome(harness, blocks.get('reference')),
        stub: variantOutcome(harness, blocks.get('stub')),
        mutants: [
          ...(invalid.get(kata.id) ?? []),
          ...(mutantKeys.get(kata.id) ?? []).map(({ key, name }) => mutantResult(name, variantOutcome(harness, blocks.get(key)))),
        ],
        ...(problem ? { mutantsFileProblem: problem } : {}),
      };
    });
    return {
      katas: kataRuns,
      src: result.testModules.filter((m) => m.project.name === 'src').map(moduleOutcome),
      unhandled: result.unhandledErrors.map((e) => String((e as Error)?.message ?? e)),
    };
  } finally {
    await vitest.close();
  }
}
