/**
 * Runs kata tests against the learner's files from a long-lived vitest instance, so that a
 * re-run after a save costs the tests, not a cold start. A run that takes longer than the time
 * limit is most likely an endless loop in the learner's code: the instance is torn down (which
 * terminates its workers) and a fresh one serves the next run.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createVitest, type Vitest } from 'vitest/node';
import type { Kata } from '../kata/catalog.ts';
import { moduleOutcome, type ModuleOutcome } from '../vitest/outcomes.ts';
import { learnerProject } from '../vitest/projects.ts';

export const DEFAULT_TIME_LIMIT_MS = 20_000;

/** The tests did not finish within the time limit. */
export class TestTimeoutError extends Error {
  override readonly name = 'TestTimeoutError';
}

export class TestEngine {
  readonly #root: string;
  readonly #timeLimitMs: number;
  #vitest: Promise<Vitest> | undefined;

  constructor(root: string, { timeLimitMs = DEFAULT_TIME_LIMIT_MS }: { timeLimitMs?: number } = {}) {
    this.#root = root;
    this.#timeLimitMs = timeLimitMs;
  }

  #instance(): Promise<Vitest> {
    this.#vitest ??= createVitest(
      'test',
      { config: false, root: this.#root, watch: false, reporters: [{}], pool: 'threads', projects: [learnerProject(this.#root)] },
      {},
      {},
    );
    return this.#vitest;
  }

  /**
   * Runs the tests of `katas` against the learner's current files.
   * @throws {TestTimeoutError} when they do not finish within the time limit.
   */
  async run(katas: readonly Kata[]): Promise<Map<string, ModuleOutcome>> {
    const vitest = await this.#instance();
    const project = vitest.getProjectByName('learner');
    for (const kata of katas) {
      // Files may have changed since the last run: drop them from every module cache.
      for (const entry of readdirSync(kata.files.exerciseDir)) {
        const file = path.join(kata.files.exerciseDir, entry);
        vitest.invalidateFile(file);
        vitest.watcher.invalidates.add(file);
      }
    }
    const specs = katas.map((kata) => project.createSpecification(kata.files.test));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TestTimeoutError(`the tests did not finish within ${this.#timeLimitMs / 1000} s`)), this.#timeLimitMs);
    });
    try {
      const result = await Promise.race([vitest.runTestSpecifications(specs), timeout]);
      const byFile = new Map(result.testModules.map((module) => [module.moduleId, moduleOutcome(module)]));
      return new Map(katas.flatMap((kata) => {
        const outcome = byFile.get(kata.files.test);
        return outcome ? [[kata.id, outcome] as const] : [];
      }));
    } catch (err: unknown) {
      if (err instanceof TestTimeoutError) await this.#discard();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async #discard(): Promise<void> {
    const vitest = await this.#vitest;
    this.#vitest = undefined;
    if (vitest === undefined) return;
    const settled = (promise: Promise<unknown>) =>
      Promise.race([promise.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    // A worker stuck in a loop never stops by itself: a second cancel forces its termination.
    void vitest.cancelCurrentRun('keyboard-input').catch(() => {});
    await settled(vitest.cancelCurrentRun('keyboard-input'));
    await settled(vitest.close());
  }

  async close(): Promise<void> {
    await this.#vitest?.then((v) => v.close());
    this.#vitest = undefined;
  }
}
