import { describe, expect, it } from 'vitest';
import { blockTitle, harnessModule, parseBlockTitle, wrapTestModule } from './variant-harness.ts';

const kataFile = (specifier: string) => (specifier.startsWith('./') && !specifier.includes('test') ? specifier : undefined);

describe('wrapTestModule', () => {
  it('should turn kata imports into awaited bindings and keep the other imports on top', async () => {
    const code = [
      "import fc from 'fast-check'",
      "import { describe, it } from 'vitest'",
      "import { LRUCache, type Options } from './lru-cache.ts'",
      "import * as store from './store.ts'",
      "import defaultThing, { helper as help } from './helper.ts'",
      "import './side-effect.ts'",
      'const shared = 1;',
      "describe('x', () => it('y', () => new LRUCache(shared)));",
    ].join('\n');
    expect((await wrapTestModule(code, kataFile)).split('\n')).toEqual([
      "import fc from 'fast-check';",
      "import { describe, it } from 'vitest';",
      'export default async function (kataImport) {',
      'const { LRUCache } = await kataImport("./lru-cache.ts");',
      'const store = await kataImport("./store.ts");',
      'const { default: defaultThing, helper: help } = await kataImport("./helper.ts");',
      'await kataImport("./side-effect.ts");',
      '',
      '',
      '',
      '',
      '',
      '',
      'const shared = 1;',
      "describe('x', () => it('y', () => new LRUCache(shared)));",
      '}',
      '',
    ]);
  });

  it('should refuse a test module that exports something or imports its kata dynamically', async () => {
    await expect(wrapTestModule('export const x = 1;', kataFile)).rejects.toThrow(/exports something/);
    await expect(wrapTestModule("const m = await import('./lru-cache.ts');", kataFile)).rejects.toThrow(/dynamically/);
  });
});

describe('block titles', () => {
  it.each([
    { variant: { kind: 'reference' as const, files: {} }, title: 'reference', parsed: { kind: 'reference' } },
    { variant: { kind: 'stub' as const, files: {} }, title: 'stub', parsed: { kind: 'stub' } },
    {
      variant: { kind: 'mutant' as const, mutant: { key: 't/k:2', name: 'off by one' }, files: {} },
      title: 'mutant t/k:2 off by one',
      parsed: { kind: 'mutant', key: 't/k:2' },
    },
  ])('should name the $title block and read the name back', ({ variant, title, parsed }) => {
    expect(blockTitle(variant)).toBe(title);
    expect(parseBlockTitle(title)).toEqual(parsed);
  });

  it('should not take a kata describe for a block', () => {
    expect(parseBlockTitle('LRUCache')).toBeUndefined();
  });
});

describe('harnessModule', () => {
  it('should declare one block per variant after importing the runtime and the wrapped test', () => {
    const code = harnessModule('/k.test.ts?kata-wrap', '/runtime.ts', [
      { kind: 'reference', files: { './k.ts': '/s/k.ts' } },
      { kind: 'mutant', mutant: { key: 't/k:0', name: 'stale' }, files: { './k.ts': '/s/k.ts' } },
    ]);
    expect(code).toContain('import { enterBlock } from "/runtime.ts";');
    expect(code).toContain('import register from "/k.test.ts?kata-wrap";');
    expect(code).toContain('block("reference", "reference", "", {"./k.ts":"/s/k.ts"});');
    expect(code).toContain('block("mutant t/k:0 stale", "mutant", "t/k:0", {"./k.ts":"/s/k.ts"});');
  });
});
