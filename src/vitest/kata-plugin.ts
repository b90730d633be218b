/**
 * One test file, several implementations. A kata's test imports its own files relatively
 * (`./lru-cache.ts`); this plugin decides which tree answers that import:
 * - `exercises`: the learner's files, as written;
 * - `solutions`: the parallel files under `solutions/`;
 * - mutants: the test module `<test>?kata-mutants` is a harness that runs the test file once
 *   per mutant (see mutant-harness.ts); a kata file loaded as `<file>?mutant=<key>` is the
 *   solution file with that mutant's edit applied in memory, and its own kata imports carry
 *   the same key.
 * A file that exists only in the exercise folder (a store the kata provides, say) is shared:
 * every tree uses it, and a reference imports it as if it were beside it (like TypeScript's
 * `rootDirs`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';
import { exerciseCounterpart, isTestFile, kataIdOf, solutionCounterpart } from '../kata/layout.ts';
import { applyMutant, type Mutant } from '../kata/mutants.ts';
import { harnessModule, MUTANT_IMPORT_PREFIX, wrapTestModule } from './mutant-harness.ts';

export interface KataSourcesOptions {
  /** Repository root. */
  readonly root: string;
  /** Which tree the tests' own-kata imports resolve to. */
  readonly target: 'exercises' | 'solutions';
  /** Mutants by key (`<track>/<kata>:<index>`), for the mutant harnesses. */
  readonly mutants?: ReadonlyMap<string, { readonly kataId: string; readonly mutant: Mutant }>;
  /** Skip source maps: for runs that only count failures, they cost more than the rest of a transform. */
  readonly dropSourceMaps?: boolean;
}

const MUTANT_QUERY = 'mutant';
const HARNESS_SUFFIX = '?kata-mutants';
const WRAPPED_SUFFIX = '?kata-wrap';

/** The module id of the harness that runs every mutant of the kata tested by `testFile`. */
export const harnessModuleId = (testFile: string) => `${testFile}${HARNESS_SUFFIX}`;

function splitId(id: string): { file: string; mutantKey: string | undefined } {
  const at = id.indexOf('?');
  if (at === -1) return { file: id, mutantKey: undefined };
  const mutantKey = new URLSearchParams(id.slice(at + 1)).get(MUTANT_QUERY) ?? undefined;
  return { file: id.slice(0, at), mutantKey };
}

const withMutant = (file: string, key: string) => `${file}?${MUTANT_QUERY}=${encodeURIComponent(key)}`;

export function kataSources({ root, target, mutants, dropSourceMaps = false }: KataSourcesOptions): Plugin {
  /** The file a kata file resolves to: the solution's when the run wants it and it exists. */
  const resolveKataFile = (exercise: string, wantsSolution: boolean): string => {
    const solution = solutionCounterpart(exercise, root)!;
    return wantsSolution && existsSync(solution) ? solution : exercise;
  };

  function harness(testFile: string): string {
    const kataId = kataIdOf(testFile, root)!;
    const files: Record<string, string> = {};
    for (const entry of readdirSync(path.dirname(testFile))) {
      if (entry.endsWith('.ts') && !isTestFile(entry)) files[`./${entry}`] = resolveKataFile(path.join(path.dirname(testFile), entry), true);
    }
    const entries = [...(mutants ?? new Map())].filter(([, m]) => m.kataId === kataId).map(([key, m]) => ({ key, name: m.mutant.name }));
    return harnessModule(`${testFile}${WRAPPED_SUFFIX}`, entries, files);
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
      if (source.startsWith(MUTANT_IMPORT_PREFIX)) {
        const rest = source.slice(MUTANT_IMPORT_PREFIX.length);
        const separator = rest.indexOf(':');
        return withMutant(rest.slice(separator + 1), decodeURIComponent(rest.slice(0, separator)));
      }
      if (importer === undefined || !source.startsWith('.')) return null;
      const { file: importerFile, mutantKey } = splitId(importer);
      const kataId = kataIdOf(importerFile, root);
      if (kataId === undefined) return null;
      const file = path.resolve(path.dirname(importerFile), source);
      // Only the kata's own files are redirected; helpers outside the kata resolve as usual.
      if (kataIdOf(file, root) !== kataId || isTestFile(file)) return null;
      const resolved = resolveKataFile(exerciseCounterpart(file, root), target === 'solutions' || mutantKey !== undefined);
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
      const mutated = path.join(root, 'solutions', entry.kataId, entry.mutant.file ?? `${entry.kataId.split('/')[1]}.ts`);
      return file === mutated ? applyMutant(code, entry.mutant) : code;
    },
    transform: {
      // After TypeScript is stripped: the wrapper works on JavaScript.
      order: 'post',
      async handler(code, id) {
        const noMap = { mappings: '' };
        if (id.endsWith(WRAPPED_SUFFIX)) return { code: await wrap(code, id.slice(0, -WRAPPED_SUFFIX.length)), map: noMap };
        return dropSourceMaps ? { code, map: noMap } : null;
      },
    },
  };
}
