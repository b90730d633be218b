/**
 * Runs inside the test workers, at the top of each block of a variant harness, and sets the
 * rules of the block:
 * - every block: one fast-check seed (provided as `fcSeed`), so that a verification replays;
 * - stub and mutant blocks only need to know which tests fail: properties stop at their first
 *   counterexample instead of shrinking it, and errors keep no stack trace (the main process
 *   would otherwise map each through source maps);
 * - a mutant block stops at its first failing test, which is enough to catch the mutant.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, inject, type RunnerTask } from 'vitest';
import type { VariantKind } from './variant-harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
  }
}

const DEFAULT_STACK_TRACE_LIMIT = 10;

/** Marks every test under `task` that has not run yet as skipped. */
function skipTheRest(task: RunnerTask): void {
  if (task.type === 'suite') for (const child of task.tasks) skipTheRest(child);
  else if (task.result === undefined) task.mode = 'skip';
}

/** The block a task belongs to: its ancestor just under the file. */
function blockOf(task: RunnerTask): RunnerTask {
  let block = task;
  while (block.suite !== undefined && block.suite !== task.file) block = block.suite;
  return block;
}

export function enterBlock(kind: VariantKind): void {
  const failFast = kind !== 'reference';
  beforeAll(() => {
    fc.configureGlobal({ seed: inject('fcSeed'), endOnFailure: failFast });
    Error.stackTraceLimit = failFast ? 0 : DEFAULT_STACK_TRACE_LIMIT;
  });
  afterAll(() => {
    Error.stackTraceLimit = DEFAULT_STACK_TRACE_LIMIT;
  });
  if (kind === 'mutant') {
    beforeEach(({ task, onTestFailed }) => {
      onTestFailed(() => skipTheRest(blockOf(task)));
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
}
