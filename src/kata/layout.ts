/** Where things live in the repository; the one place that knows the folder layout. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: two levels above this file. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const exercisesDir = (root = repoRoot) => path.join(root, 'exercises');
export const solutionsDir = (root = repoRoot) => path.join(root, 'solutions');
/** Local state of the learner: progress, backups. Git-ignored. */
export const stateDir = (root = repoRoot) => path.join(root, '.kata');

export interface KataFiles {
  readonly exerciseDir: string;
  readonly solutionDir: string;
  /** The file the learner edits. */
  readonly stub: string;
  readonly test: string;
  readonly solution: string;
  readonly readme: string;
  readonly hints: string;
  readonly meta: string;
  readonly mutants: string;
}

/** The files of kata `<track>/<name>`. */
export function kataFiles(track: string, name: string, root = repoRoot): KataFiles {
  const exerciseDir = path.join(exercisesDir(root), track, name);
  const solutionDir = path.join(solutionsDir(root), track, name);
  return {
    exerciseDir,
    solutionDir,
    stub: path.join(exerciseDir, `${name}.ts`),
    test: path.join(exerciseDir, `${name}.test.ts`),
    solution: path.join(solutionDir, `${name}.ts`),
    readme: path.join(exerciseDir, 'README.md'),
    hints: path.join(exerciseDir, 'hints.md'),
    meta: path.join(exerciseDir, 'kata.json'),
    mutants: path.join(solutionDir, 'mutants.ts'),
  };
}

/**
 * Maps a file inside an exercise folder to its counterpart in the solution folder, or
 * `undefined` when the file is not in a kata folder.
 */
export function solutionCounterpart(file: string, root = repoRoot): string | undefined {
  const relative = path.relative(exercisesDir(root), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return path.join(solutionsDir(root), relative);
}

/** Maps a file inside a solution folder to its counterpart in the exercise folder; other files map to themselves. */
export function exerciseCounterpart(file: string, root = repoRoot): string {
  const relative = path.relative(solutionsDir(root), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return path.join(exercisesDir(root), relative);
}

/** `<track>/<name>` of the kata folder holding `file` (exercise or solution), if any. */
export function kataIdOf(file: string, root = repoRoot): string | undefined {
  for (const base of [exercisesDir(root), solutionsDir(root)]) {
    const parts = path.relative(base, file).split(path.sep);
    if (parts.length >= 3 && parts[0] !== '..' && !path.isAbsolute(parts[0]!)) return `${parts[0]}/${parts[1]}`;
  }
  return undefined;
}

/** Tests and benchmarks: files beside a kata that are not part of its code. */
export const isTestFile = (file: string) => /\.(test|bench)\.ts$/.test(file);
