/**
 * Setup for the verification's runs, configured per project through `provide`:
 * - `fcSeed`: one fast-check seed for every property, so that a verification run replays;
 * - `failFast`: the run only needs to know which tests fail (stubs, mutants): properties stop at
 *   their first counterexample instead of shrinking it, and errors carry no stack trace, which
 *   the main process would otherwise map through source maps, failure by failure;
 * - `stopAtFirstFailure`: one failing test catches a mutant, so once a test fails the rest of
 *   its top-level block (the mutant's block in a mutant harness) is skipped.
 * Runs with `hygiene.ts`, since test files share workers here.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, inject, type RunnerTask } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
    failFast: boolean;
    stopAtFirstFailure: boolean;
  }
}

const failFast = inject('failFast');
fc.configureGlobal({ seed: inject('fcSeed'), endOnFailure: failFast });
// Workers are shared between projects: set the limit either way.
Error.stackTraceLimit = failFast ? 0 : 10;

/** Marks every test under `task` that has not run yet as skipped. */
function skipTheRest(task: RunnerTask): void {
  if (task.type === 'suite') for (const child of task.tasks) skipTheRest(child);
  else if (task.result === undefined) task.mode = 'skip';
}

if (inject('stopAtFirstFailure')) {
  beforeEach(({ task, onTestFailed }) => {
    let block: RunnerTask = task;
    while (block.suite !== undefined && block.suite !== task.file) block = block.suite;
    onTestFailed(() => skipTheRest(block));
  });
}

if (failFast) {
  afterEach(({ task }) => {
    for (const error of task.result?.errors ?? []) {
      error.stack = '';
      error.stacks = [];
    }
  });
}
