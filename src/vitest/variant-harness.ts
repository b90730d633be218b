/**
 * One test module per kata runs the kata's tests against every implementation the
 * verification needs: the reference, the stub, and each mutant. Loading the test file once per
 * implementation would cost a transform and an evaluation of the whole file each time, most of
 * what a mutant costs. Instead the test file becomes a function of its kata imports, loaded
 * once, and the harness calls it once per implementation (a "variant"), each inside a
 * `describe` block of its own:
 *
 *   import { LRUCache } from './lru-cache.ts';    export default async function (kataImport) {
 *   describe('LRUCache', () => { … });       →      const { LRUCache } = await kataImport('./lru-cache.ts');
 *                                                   describe('LRUCache', () => { … });
 *                                                 }
 *
 * Each call runs the file's top-level code again, so each variant meets the tests as if the file
 * were freshly imported; only vitest, fast-check and the shared helpers are imported once.
 * A test file can be wrapped when it exports nothing and imports its kata files statically.
 */
import { init, parse } from 'es-module-lexer';

export type VariantKind = 'reference' | 'stub' | 'mutant';

export interface Variant {
  readonly kind: VariantKind;
  /** The mutant's key (`<track>/<kata>:<index>`) and name, for a mutant. */
  readonly mutant?: { readonly key: string; readonly name: string };
  /** The module id of each kata file, by the name the test imports it as (`./lru-cache.ts`). */
  readonly files: Readonly<Record<string, string>>;
}

/** The harness imports a kata file of a variant as `kata-variant:<encoded mutant key, or nothing>:<file>`. */
export const VARIANT_IMPORT_PREFIX = 'kata-variant:';

/**
 * A variant whose files do not load must not read as a caught mutant, nor stop the harness:
 * its block gets a single failing test of this name, which the verification reads as such.
 */
export const LOAD_FAILURE_TEST = 'the code loads';

export function blockTitle({ kind, mutant }: Variant): string {
  return mutant === undefined ? kind : `${kind} ${mutant.key} ${mutant.name}`;
}

/** The kind and mutant key a block title names. */
export function parseBlockTitle(title: string): { kind: VariantKind; key?: string } | undefined {
  const [kind, key] = title.split(' ');
  if (kind === 'reference' || kind === 'stub') return { kind };
  if (kind === 'mutant' && key !== undefined) return { kind, key };
  return undefined;
}

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
  if (exports.length > 0) throw new Error('a test file that exports something cannot be run against several implementations');
  const kept: string[] = [];
  const bindings: string[] = [];
  let body = '';
  let last = 0;
  for (const entry of imports) {
    const file = entry.n === undefined ? undefined : kataFile(entry.n);
    if (entry.d !== -1) {
      if (file !== undefined) throw new Error('a test file that imports its kata dynamically cannot be run against several implementations');
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
 * The harness: one `describe` per variant, each calling the wrapped test module with that
 * variant's kata files, after `enterBlock` from `runtimeId` set the block's rules.
 */
export function harnessModule(wrappedTestId: string, runtimeId: string, variants: readonly Variant[]): string {
  const blocks = variants.map(
    (variant) => `block(${JSON.stringify(blockTitle(variant))}, ${JSON.stringify(variant.kind)}, ${JSON.stringify(variant.mutant?.key ?? '')}, ${JSON.stringify(variant.files)});`,
  );
  return `import { describe, it } from 'vitest';
import { enterBlock } from ${JSON.stringify(runtimeId)};
import register from ${JSON.stringify(wrappedTestId)};
const block = (title, kind, key, files) =>
  describe(title, async () => {
    enterBlock(kind);
    const kataImport = (file) => import(/* @vite-ignore */ ${JSON.stringify(VARIANT_IMPORT_PREFIX)} + encodeURIComponent(key) + ':' + files[file]);
    try {
      await register(kataImport);
    } catch (error) {
      it(${JSON.stringify(LOAD_FAILURE_TEST)}, () => {
        throw error;
      });
    }
  });
${blocks.join('\n')}
`;
}
