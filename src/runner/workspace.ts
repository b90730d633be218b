/**
 * The learner's side of the catalogue: statuses derived from test results (cached by the
 * content of each learner file), runs, hints, the reference, and resets with backups.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalog, type Catalog, type Kata } from '../kata/catalog.ts';
import { parseHints, type Hint } from '../kata/hints.ts';
import { stateDir } from '../kata/layout.ts';
import { passedCount, ranCount, type ModuleOutcome } from '../vitest/outcomes.ts';
import { hashContent, ProgressStore, statusOf, type KataStatus } from './progress.ts';
import type { TestEngine } from './test-engine.ts';

export interface KataRun {
  readonly kata: Kata;
  readonly outcome: ModuleOutcome;
  readonly status: KataStatus;
}

export class Workspace {
  readonly root: string;
  readonly catalog: Catalog;
  readonly progress: ProgressStore;
  readonly #timeLimitMs: number | undefined;
  #engine: TestEngine | undefined;

  constructor(root: string, { timeLimitMs }: { timeLimitMs?: number } = {}) {
    this.root = root;
    this.catalog = loadCatalog(root);
    this.progress = new ProgressStore(root);
    this.#timeLimitMs = timeLimitMs;
  }

  /** The test runner is loaded on first use: commands that run no tests start faster without it. */
  async #testEngine(): Promise<TestEngine> {
    if (this.#engine === undefined) {
      const { TestEngine } = await import('./test-engine.ts');
      this.#engine = new TestEngine(this.root, this.#timeLimitMs === undefined ? {} : { timeLimitMs: this.#timeLimitMs });
    }
    return this.#engine;
  }

  learnerCode(kata: Kata): string {
    return readFileSync(kata.files.stub, 'utf8');
  }

  /** Runs the tests of `katas` now and records the results. */
  async run(katas: readonly Kata[]): Promise<KataRun[]> {
    const contents = new Map(katas.map((kata) => [kata.id, this.learnerCode(kata)]));
    const outcomes = await (await this.#testEngine()).run(katas);
    return katas.flatMap((kata) => {
      const outcome = outcomes.get(kata.id);
      if (outcome === undefined) return [];
      const record = { hash: hashContent(contents.get(kata.id)!), passed: passedCount(outcome), total: ranCount(outcome) };
      this.progress.update(kata.id, { result: record });
      return [{ kata, outcome, status: statusOf(record) }];
    });
  }

  /** The status of each kata, running the tests only where the learner's file changed since the last run. */
  async statuses(katas: readonly Kata[] = this.catalog.katas): Promise<Map<string, KataStatus>> {
    const statuses = this.cachedStatuses(katas);
    const stale = katas.filter((kata) => !statuses.has(kata.id));
    if (stale.length > 0) for (const run of await this.run(stale)) statuses.set(run.kata.id, run.status);
    return statuses;
  }

  /** Statuses known without running anything: recorded results that match the current files. */
  cachedStatuses(katas: readonly Kata[] = this.catalog.katas): Map<string, KataStatus> {
    const statuses = new Map<string, KataStatus>();
    for (const kata of katas) {
      const cached = this.progress.cachedResult(kata.id, this.learnerCode(kata));
      if (cached) statuses.set(kata.id, statusOf(cached));
    }
    return statuses;
  }

  /** The first kata of the path that is not solved, checking katas in order; `undefined` when all are. */
  async firstUnsolved(): Promise<Kata | undefined> {
    for (const kata of this.catalog.katas) {
      const status = (await this.statuses([kata])).get(kata.id);
      if (status?.kind !== 'solved') return kata;
    }
    return undefined;
  }

  async isSolved(kata: Kata): Promise<boolean> {
    return (await this.statuses([kata])).get(kata.id)?.kind === 'solved';
  }

  hints(kata: Kata): Hint[] {
    return existsSync(kata.files.hints) ? parseHints(readFileSync(kata.files.hints, 'utf8')) : [];
  }

  /** Reveals the next hint, remembering how many were shown; the last one again once all are. */
  nextHint(kata: Kata): { hint: Hint; level: number; of: number } | undefined {
    const hints = this.hints(kata);
    if (hints.length === 0) return undefined;
    const level = Math.min((this.progress.get(kata.id).hintsShown ?? 0) + 1, hints.length);
    this.progress.update(kata.id, { hintsShown: level });
    return { hint: hints[level - 1]!, level, of: hints.length };
  }

  reference(kata: Kata): string {
    return readFileSync(kata.files.solution, 'utf8');
  }

  /**
   * Restores the stub as last committed, after copying the learner's file to `.kata/backups/`.
   * @returns the backup's path, or `undefined` when the file already was the stub.
   * @throws {Error} when the stub cannot be read from git.
   */
  reset(kata: Kata, now = new Date()): string | undefined {
    const relative = path.relative(this.root, kata.files.stub).split(path.sep).join('/');
    let stub: string;
    try {
      stub = execFileSync('git', ['show', `HEAD:${relative}`], { cwd: this.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      throw new Error(`cannot read the committed stub of ${relative} from git (is this a git clone?)`);
    }
    const current = existsSync(kata.files.stub) ? this.learnerCode(kata) : undefined;
    if (current === stub) return undefined;
    let backup: string | undefined;
    if (current !== undefined) {
      const stamp = now.toISOString().replace(/[:.]/g, '-');
      backup = path.join(stateDir(this.root), 'backups', kata.track, kata.name, `${stamp}-${kata.name}.ts`);
      mkdirSync(path.dirname(backup), { recursive: true });
      copyFileSync(kata.files.stub, backup);
    }
    writeFileSync(kata.files.stub, stub);
    return backup;
  }

  async close(): Promise<void> {
    await this.#engine?.close();
  }
}
