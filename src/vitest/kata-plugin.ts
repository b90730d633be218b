/**
 * One test file, several implementations. A kata's test imports its own files relatively
 * (`./lru-cache.ts`); this plugin decides which tree answers that import:
 * - `exercises`: the learner's files, as written;
 * - `solutions`: the parallel files under `solutions/`;
 * - the verification: the test module `<test>?kata-variants` is a harness that runs the test
 *   file against the reference, the stub and every mutant (see variant-harness.ts); a kata
 *   file loaded as `<file>?mutant=<key>` is the solution file with that mutant's edit applied in
 *   memory, and its own kata imports carry the same key.
 * A file that exists only in the exercise folder (a store the kata provides, say) is shared:
 * every tree uses it, and a reference imports it as if it were beside it (like TypeScript's
 * `rootDirs`). A file in the solution folder imports its own siblings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { exerciseCounterpart, exercisesDir, isTestFile, kataIdOf, solutionCounterpart, solutionsDir } from '../kata/layout.ts';
import { applyMutant, type Mutant } from '../kata/mutants.ts';
import { harnessModule, VARIANT_IMPORT_PREFIX, wrapTestModule, type Variant } from './variant-harness.ts';

export interface KataSourcesOptions {
  /** Repository root. */
  readonly root: string;
  /** Which tree the tests' own-kata imports resolve to. */
  readonly target: 'exercises' | 'solutions';
  /**
   * For the verification: mutants by key (`<track>/<kata>:<index>`). Source maps are skipped
   * there: the verification reports which tests fail, and maps cost more than the rest of a
   * transform.
   */
  readonly mutants?: ReadonlyMap<string, { readonly kataId: string; readonly mutant: Mutant }>;
}

const MUTANT_QUERY = 'mutant';
const HARNESS_SUFFIX = '?kata-variants';
const WRAPPED_SUFFIX = '?kata-wrap';
const RUNTIME = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness-runtime.ts');

/** The module id of the harness that runs the tests of `testFile` against every variant. */
export const harnessModuleId = (testFile: string) => `${testFile}${HARNESS_SUFFIX}`;

function splitId(id: string): { file: string; mutantKey: string | undefined } {
  const at = id.indexOf('?');
  if (at === -1) return { file: id, mutantKey: undefined };
  const mutantKey = new URLSearchParams(id.slice(at + 1)).get(MUTANT_QUERY) ?? undefined;
  return { file: id.slice(0, at), mutantKey };
}

const withMutant = (file: string, key: string) => `${file}?${MUTANT_QUERY}=${encodeURIComponent(key)}`;

export function kataSources({ root, target, mutants }: KataSourcesOptions): Plugin {
  const inSolutions = (file: string) => file.startsWith(solutionsDir(root) + path.sep);
  /** The file a kata file resolves to: the solution's when wanted and it exists. */
  const kataFile = (exercise: string, wantsSolution: boolean): string => {
    const solution = solutionCounterpart(exercise, root)!;
    return wantsSolution && existsSync(solution) ? solution : exercise;
  };

  /**
   * A file of a track that puts several katas together (the REST track's server) uses the
   * target's tree for the kata files it imports, as a test does.
   */
  function trackFile(importerFile: string, file: string): string | null {
    const inExercises = importerFile.startsWith(exercisesDir(root) + path.sep);
    if (target !== 'solutions' || !inExercises || kataIdOf(file, root) === undefined || isTestFile(file)) return null;
    const resolved = kataFile(file, true);
    return resolved === file ? null : resolved;
  }

  function harness(testFile: string): string {
    const kataId = kataIdOf(testFile, root)!;
    const exerciseDir = path.dirname(testFile);
    const names = readdirSync(exerciseDir).filter((entry) => entry.endsWith('.ts') && !isTestFile(entry));
    const filesOf = (wantsSolution: boolean) =>
      Object.fromEntries(names.map((name) => [`./${name}`, kataFile(path.join(exerciseDir, name), wantsSolution)]));
    const solutionFiles = filesOf(true);
    const variants: Variant[] = [
      { kind: 'reference', files: solutionFiles },
      { kind: 'stub', files: filesOf(false) },
      ...[...(mutants ?? new Map())]
        .filter(([, m]) => m.kataId === kataId)
        .map(([key, m]): Variant => ({ kind: 'mutant', mutant: { key, name: m.mutant.name }, files: solutionFiles })),
    ];
    return harnessModule(`${testFile}${WRAPPED_SUFFIX}`, RUNTIME, variants);
  }

  async function wrap(code: string, testFile: string): Promise<string> {
    const kataId = kataIdOf(testFile, root);
    // By now the specifiers may be resolved ids ("/solutions/t/k/k.ts", "/@fs/…").
    return wrapTestModule(code, (specifier) => {
      const file = specifier.startsWith('.')
        ? path.resolve(path.dirname(testFile), specifier)
        : specifier.startsWith('/@fs/')
          ? specifier.slice('/@fs'.length)
          : specifier.startsWith('/') && !specifier.startsWith(root + path.sep)
            ? path.join(root, specifier)
            : specifier;
      const clean = splitId(file).file;
      return kataIdOf(clean, root) === kataId && !isTestFile(clean) ? `./${path.basename(clean)}` : undefined;
    });
  }

  return {
    name: 'kata-sources',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith(VARIANT_IMPORT_PREFIX)) {
        const rest = source.slice(VARIANT_IMPORT_PREFIX.length);
        const separator = rest.indexOf(':');
        const key = decodeURIComponent(rest.slice(0, separator));
        const file = rest.slice(separator + 1);
        return key === '' ? file : withMutant(file, key);
      }
      if (importer === undefined || !source.startsWith('.')) return null;
      const { file: importerFile, mutantKey } = splitId(importer);
      const kataId = kataIdOf(importerFile, root);
      const file = path.resolve(path.dirname(importerFile), source);
      if (kataId === undefined) return trackFile(importerFile, file);
      // Only the kata's own files are redirected; helpers outside the kata resolve as usual.
      if (kataIdOf(file, root) !== kataId || isTestFile(file)) return null;
      const wantsSolution = target === 'solutions' || mutantKey !== undefined || inSolutions(importerFile);
      const resolved = kataFile(exerciseCounterpart(file, root), wantsSolution);
      if (!existsSync(resolved) || (resolved === file && mutantKey === undefined)) return null;
      return mutantKey === undefined ? resolved : withMutant(resolved, mutantKey);
    },
    load(id) {
      if (id.endsWith(HARNESS_SUFFIX)) return harness(id.slice(0, -HARNESS_SUFFIX.length));
      if (id.endsWith(WRAPPED_SUFFIX)) return readFileSync(id.slice(0, -WRAPPED_SUFFIX.length), 'utf8');
      const { file, mutantKey } = splitId(id);
      if (mutantKey === undefined) return null;
      const code = readFileSync(file, 'utf8');
      const entry = mutants?.get(mutantKey);
      if (entry === undefined) throw new Error(`unknown mutant ${mutantKey}`);
      const mutated = path.join(solutionsDir(root), entry.kataId, entry.mutant.file ?? `${entry.kataId.split('/')[1]}.ts`);
      return file === mutated ? applyMutant(code, entry.mutant) : code;
    },
    transform: {
      // After TypeScript is stripped: the wrapper works on JavaScript.
      order: 'post',
      async handler(code, id) {
        const noMap = { mappings: '' };
        if (id.endsWith(WRAPPED_SUFFIX)) return { code: await wrap(code, id.slice(0, -WRAPPED_SUFFIX.length)), map: noMap };
        return mutants === undefined ? null : { code, map: noMap };
      },
    },
  };
}
