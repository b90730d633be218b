/**
 * One test file, several implementations. A kata's test imports its own files relatively
 * (`./lru-cache.ts`); this plugin decides which tree answers that import:
 * - `exercises`: the learner's files, as written;
 * - `solutions`: the parallel files under `solutions/`;
 * - a mutant: a test module loaded with `?mutant=<key>` gets the solution files, with the
 *   mutant's edit applied in memory to the file it names.
 * A file that exists only in the exercise folder (a store the kata provides, say) is shared:
 * every tree uses it, and a reference imports it as if it were beside it (like TypeScript's
 * `rootDirs`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';
import { exerciseCounterpart, isTestFile, kataIdOf, solutionCounterpart } from '../kata/layout.ts';
import { applyMutant, type Mutant } from '../kata/mutants.ts';

export interface KataSourcesOptions {
  /** Repository root. */
  readonly root: string;
  /** Which tree the tests' own-kata imports resolve to. */
  readonly target: 'exercises' | 'solutions';
  /** Mutants by key (`<track>/<kata>:<index>`), for test modules loaded with `?mutant=<key>`. */
  readonly mutants?: ReadonlyMap<string, { readonly kataId: string; readonly mutant: Mutant }>;
}

const MUTANT_QUERY = 'mutant';

/** The module id that runs `testFile` against mutant `key`. */
export function mutantModuleId(testFile: string, key: string): string {
  return `${testFile}?${MUTANT_QUERY}=${encodeURIComponent(key)}`;
}

function splitId(id: string): { file: string; mutantKey: string | undefined } {
  const at = id.indexOf('?');
  if (at === -1) return { file: id, mutantKey: undefined };
  const mutantKey = new URLSearchParams(id.slice(at + 1)).get(MUTANT_QUERY) ?? undefined;
  return { file: id.slice(0, at), mutantKey };
}

export function kataSources({ root, target, mutants }: KataSourcesOptions): Plugin {
  return {
    name: 'kata-sources',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer === undefined || !source.startsWith('.')) return null;
      const { file: importerFile, mutantKey } = splitId(importer);
      const kataId = kataIdOf(importerFile, root);
      if (kataId === undefined) return null;
      const file = path.resolve(path.dirname(importerFile), source);
      // Only the kata's own files are redirected; helpers outside the kata resolve as usual.
      if (kataIdOf(file, root) !== kataId || isTestFile(file)) return null;
      const exercise = exerciseCounterpart(file, root);
      const solution = solutionCounterpart(exercise, root)!;
      const wantsSolution = target === 'solutions' || mutantKey !== undefined;
      const resolved = wantsSolution && existsSync(solution) ? solution : exercise;
      if (resolved === file && mutantKey === undefined) return null;
      if (!existsSync(resolved)) return null;
      return mutantKey === undefined ? resolved : `${resolved}?${MUTANT_QUERY}=${encodeURIComponent(mutantKey)}`;
    },
    load(id) {
      const { file, mutantKey } = splitId(id);
      if (mutantKey === undefined) return null;
      const code = readFileSync(file, 'utf8');
      const entry = mutants?.get(mutantKey);
      if (entry === undefined) throw new Error(`unknown mutant ${mutantKey}`);
      const kataName = entry.kataId.split('/')[1]!;
      const solutionDir = path.join(root, 'solutions', entry.kataId);
      const mutated = path.join(solutionDir, entry.mutant.file ?? `${kataName}.ts`);
      return file === mutated ? applyMutant(code, entry.mutant) : code;
    },
  };
}
