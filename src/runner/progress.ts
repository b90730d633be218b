/**
 * The learner's progress in `.kata/progress.json`: per kata, the result of the last test run
 * keyed by a hash of the learner's file (so a status is re-derived only when the file changed),
 * and how many hints were shown. A corrupt file is set aside and rebuilt, with a warning.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../kata/layout.ts';

export interface TestResultRecord {
  /** sha256 of the learner's file the result belongs to. */
  readonly hash: string;
  readonly passed: number;
  readonly total: number;
}

export interface KataProgress {
  result?: TestResultRecord;
  hintsShown?: number;
  /** The learner confirmed looking at the reference before solving. */
  spoiled?: boolean;
}

interface ProgressFile {
  version: 1;
  katas: Record<string, KataProgress>;
}

export type KataStatus =
  | { readonly kind: 'solved'; readonly total: number }
  | { readonly kind: 'in-progress'; readonly passed: number; readonly total: number }
  | { readonly kind: 'not-started'; readonly total: number };

export function statusOf(record: Pick<TestResultRecord, 'passed' | 'total'>): KataStatus {
  if (record.total > 0 && record.passed === record.total) return { kind: 'solved', total: record.total };
  if (record.passed > 0) return { kind: 'in-progress', passed: record.passed, total: record.total };
  return { kind: 'not-started', total: record.total };
}

export const hashContent = (content: string) => createHash('sha256').update(content).digest('hex');

/**
 * Reads the file on every access: the watch mode and a `kata hint` in another terminal share it,
 * and it is small.
 */
export class ProgressStore {
  readonly #file: string;
  /** Set when the file on disk was unreadable and has been set aside. */
  readonly warning: string | undefined;

  constructor(root: string) {
    this.#file = path.join(stateDir(root), 'progress.json');
    this.warning = ProgressStore.#read(this.#file).warning;
  }

  static #read(file: string): { data: ProgressFile; warning?: string } {
    const empty: ProgressFile = { version: 1, katas: {} };
    if (!existsSync(file)) return { data: empty };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProgressFile>;
      if (parsed.version === 1 && typeof parsed.katas === 'object' && parsed.katas !== null && !Array.isArray(parsed.katas)) {
        return { data: { version: 1, katas: parsed.katas } };
      }
    } catch {
      // fall through: unreadable
    }
    const aside = `${file}.corrupt-${Date.now()}`;
    renameSync(file, aside);
    return {
      data: empty,
      warning: `${path.basename(file)} was unreadable; it was moved to ${path.basename(aside)} and progress will be rebuilt from test results`,
    };
  }

  get(kataId: string): KataProgress {
    return ProgressStore.#read(this.#file).data.katas[kataId] ?? {};
  }

  /** The recorded result for `content`, if the tests already ran on exactly this content. */
  cachedResult(kataId: string, content: string): TestResultRecord | undefined {
    const result = this.get(kataId).result;
    return result?.hash === hashContent(content) ? result : undefined;
  }

  update(kataId: string, change: Partial<KataProgress>): void {
    const { data } = ProgressStore.#read(this.#file);
    data.katas[kataId] = { ...data.katas[kataId], ...change };
    mkdirSync(path.dirname(this.#file), { recursive: true });
    // Write then rename, so that an interrupted write never leaves a corrupt file.
    const temporary = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`);
    renameSync(temporary, this.#file);
  }
}
