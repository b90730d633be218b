/** Plain, serialisable results of one test module, shared by the verification and the runner. */
import type { TestCase, TestModule } from 'vitest/node';

export interface TestFailure {
  readonly message: string;
  /** Vitest's expected/received diff, when the failure was an assertion. */
  readonly diff?: string;
  readonly stack?: string;
}

export interface TestOutcome {
  /** Suite names and the test name joined with ` > `. */
  readonly name: string;
  readonly state: 'passed' | 'failed' | 'skipped' | 'pending';
  readonly failure?: TestFailure;
  /** Why a skipped test was skipped, when it said so (`context.skip(note)`). */
  readonly skipNote?: string;
}

export interface ModuleOutcome {
  readonly moduleId: string;
  readonly project: string;
  readonly tests: readonly TestOutcome[];
  /** Errors outside any test: the file failed to load, or a hook threw. */
  readonly moduleErrors: readonly TestFailure[];
}

function toFailure(error: { message: string; diff?: string | undefined; stack?: string | undefined }): TestFailure {
  return {
    message: error.message,
    ...(error.diff ? { diff: error.diff } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  };
}

export function testOutcome(test: TestCase, name = test.fullName): TestOutcome {
  const result = test.result();
  const firstError = result.state === 'failed' ? result.errors[0] : undefined;
  const note = result.state === 'skipped' ? result.note : undefined;
  return { name, state: result.state, ...(firstError ? { failure: toFailure(firstError) } : {}), ...(note ? { skipNote: note } : {}) };
}

export function moduleOutcome(module: TestModule): ModuleOutcome {
  const tests = [...module.children.allTests()].map((test) => testOutcome(test));
  return { moduleId: module.moduleId, project: module.project.name, tests, moduleErrors: module.errors().map(toFailure) };
}

/**
 * The tests that ran: a test that skipped itself (one that needs a real Redis server, say)
 * neither passes nor fails, and a kata counts as solved without it.
 */
export const ranCount = (outcome: ModuleOutcome) => outcome.tests.filter((t) => t.state !== 'skipped').length;
/** A test that skipped itself and said why (`context.skip(note)`): it did not run. */
export const skippedWithReason = (test: TestOutcome): boolean => test.state === 'skipped' && test.skipNote !== undefined;
/** Why tests skipped themselves, each reason once, with how many gave it. */
export function skipReasons(tests: readonly TestOutcome[]): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const test of tests) if (skippedWithReason(test)) reasons.set(test.skipNote!, (reasons.get(test.skipNote!) ?? 0) + 1);
  return reasons;
}
/** `4 tests not run: <reason>`. */
export const notRunLine = (count: number, reason: string) => `${count} test${count === 1 ? '' : 's'} not run: ${reason}`;
export const passedCount = (outcome: ModuleOutcome) => outcome.tests.filter((t) => t.state === 'passed').length;
export const failedCount = (outcome: ModuleOutcome) => outcome.tests.filter((t) => t.state === 'failed').length;
