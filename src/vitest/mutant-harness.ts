/**
 * Every mutant of a kata in one test module. Loading a kata's test file once per mutant would
 * cost a transform and an evaluation of the whole file each time, most of what a mutant costs.
 * Instead the test file becomes a function of its kata imports, loaded once, and the harness
 * calls it once per mutant, inside a `describe` of its own, with that mutant's modules:
 *
 *   import { LRUCache } from './lru-cache.ts';    export default async function (kataImport) {
 *   describe('LRUCache', () => { … });       →      const { LRUCache } = await kataImport('./lru-cache.ts');
 *                                                   describe('LRUCache', () => { … });
 *                                                 }
 *
 * Each call runs the file's top-level code again, so each mutant meets the tests as if the file
 * were freshly imported; only vitest, fast-check and the shared helpers are imported once.
 * A test file can be wrapped when it exports nothing and imports its kata files statically.
 */
import { init, parse } from 'es-module-lexer';

/** Top-level `describe` blocks of the harness are named this prefix, the mutant's key, its name. */
export const MUTANT_SUITE_PREFIX = 'mutant ';
/** The harness imports a kata file with a mutant applied as `kata-mutant:<encoded key>:<file>`. */
export const MUTANT_IMPORT_PREFIX = 'kata-mutant:';

/**
 * A mutated file that does not load must not read as a caught mutant, nor stop the harness:
 * its block gets a single failing test of this name, which the verification reads as "invalid".
 */
export const LOAD_FAILURE_TEST = 'the mutated code loads';

/** The key of the mutant a top-level harness suite runs. */
export const mutantKeyOfSuite = (name: string): string | undefined =>
  name.startsWith(MUTANT_SUITE_PREFIX) ? name.slice(MUTANT_SUITE_PREFIX.length).split(' ')[0] : undefined;

/** `import { a, b as c } from './x.ts'` becomes `const { a, b: c } = await kataImport('./x.ts');`. */
function binding(statement: string, file: string): string {
  const target = `await kataImport(${JSON.stringify(file)})`;
  const clause = /^import\s*([\s\S]*?)\s*from\s*['"]/.exec(statement)?.[1]?.trim() ?? '';
  if (clause === '') return `${target};`;
  const namespace = /\*\s*as\s+([\w$]+)/.exec(clause);
  if (namespace) return `const ${namespace[1]} = ${target};`;
  const names: string[] = [];
  const defaultName = /^([\w$]+)\s*(?:,|$)/.exec(clause)?.[1];
  if (defaultName) names.push(`default: ${defaultName}`);
  for (const item of (/\{([^}]*)\}/.exec(clause)?.[1] ?? '').split(',')) {
    const [imported, local] = item.trim().split(/\s+as\s+/);
    if (imported && !imported.startsWith('type ')) names.push(local ? `${imported}: ${local}` : imported);
  }
  return `const { ${names.join(', ')} } = ${target};`;
}

/**
 * The test module (already JavaScript) as a function of its kata imports.
 * @param kataFile names the kata file a specifier points to (`./lru-cache.ts`), or `undefined`
 *   for anything else.
 * @throws {Error} when the module exports something or imports a kata file dynamically.
 */
export async function wrapTestModule(code: string, kataFile: (specifier: string) => string | undefined): Promise<string> {
  await init;
  const [imports, exports] = parse(code);
  if (exports.length > 0) throw new Error('a test file that exports something cannot run its mutants in one module');
  const kept: string[] = [];
  const bindings: string[] = [];
  let body = '';
  let last = 0;
  for (const entry of imports) {
    const file = entry.n === undefined ? undefined : kataFile(entry.n);
    if (entry.d !== -1) {
      if (file !== undefined) throw new Error('a test file that imports its kata dynamically cannot run its mutants in one module');
      continue;
    }
    const statement = code.slice(entry.ss, entry.se);
    body += code.slice(last, entry.ss);
    last = entry.se;
    if (file === undefined) kept.push(statement);
    else bindings.push(binding(statement, file));
  }
  body += code.slice(last);
  return `${kept.map((statement) => `${statement};`).join('\n')}\nexport default async function (kataImport) {\n${bindings.join('\n')}\n${body}\n}\n`;
}

/**
 * The harness: one `describe` per mutant, each calling the wrapped test module with that
 * mutant's kata files.
 * @param files the module id of each kata file, by the name the test imports it as (`./lru-cache.ts`).
 */
export function harnessModule(
  wrappedTestId: string,
  mutants: readonly { readonly key: string; readonly name: string }[],
  files: Readonly<Record<string, string>>,
): string {
  const suites = mutants.map(({ key, name }) => `block(${JSON.stringify(key)}, ${JSON.stringify(name)});`);
  return `import { describe, it } from 'vitest';
import register from ${JSON.stringify(wrappedTestId)};
const files = ${JSON.stringify(files)};
const importFor = (key) => (file) => import(/* @vite-ignore */ ${JSON.stringify(MUTANT_IMPORT_PREFIX)} + encodeURIComponent(key) + ':' + files[file]);
const block = (key, name) =>
  describe(${JSON.stringify(MUTANT_SUITE_PREFIX)} + key + ' ' + name, async () => {
    try {
      await register(importFor(key));
    } catch (error) {
      it(${JSON.stringify(LOAD_FAILURE_TEST)}, () => {
        throw error;
      });
    }
  });
${suites.join('\n')}
`;
}
