import { describe, expect, it } from 'vitest';
import { harnessModule, mutantKeyOfSuite, wrapTestModule } from './mutant-harness.ts';

const kataFile = (specifier: string) => (specifier.startsWith('./') && !specifier.includes('test') ? specifier : undefined);

describe('wrapTestModule', () => {
  it('should turn kata imports into awaited bindings and keep the other imports on top', async () => {
    const code = [
      "import fc from 'fast-check';",
      "import { describe, it } from 'vitest';",
      "import { LRUCache, type Options } from './lru-cache.ts';",
      "import * as store from './store.ts';",
      "import defaultThing, { helper as help } from './helper.ts';",
      "import './side-effect.ts';",
      'const shared = 1;',
      "describe('x', () => it('y', () => new LRUCache(shared)));",
    ].join('\n');
    const wrapped = await wrapTestModule(code, kataFile);
    expect(wrapped.split('\n')).toEqual([
      "import fc from 'fast-check';",
      "import { describe, it } from 'vitest';",
      'export default async function (kataImport) {',
      'const { LRUCache } = await kataImport("./lru-cache.ts");',
      'const store = await kataImport("./store.ts");',
      'const { default: defaultThing, helper: help } = await kataImport("./helper.ts");',
      'await kataImport("./side-effect.ts");',
      ';',
      ';',
      ';',
      ';',
      ';',
      ';',
      'const shared = 1;',
      "describe('x', () => it('y', () => new LRUCache(shared)));",
      '}',
      '',
    ]);
  });

  it('should refuse a test module that exports something or imports its kata dynamically', async () => {
    await expect(wrapTestModule("export const x = 1;", kataFile)).rejects.toThrow(/exports something/);
    await expect(wrapTestModule("const m = await import('./lru-cache.ts');", kataFile)).rejects.toThrow(/dynamically/);
  });
});

describe('harnessModule', () => {
  it('should declare one block per mutant, named by its key', () => {
    const code = harnessModule('/k.test.ts?kata-wrap', [{ key: 't/k:0', name: 'off by one' }, { key: 't/k:1', name: 'stale' }], { './k.ts': '/s/k.ts' });
    expect(code).toContain('block("t/k:0", "off by one");');
    expect(code).toContain('block("t/k:1", "stale");');
    expect(mutantKeyOfSuite('mutant t/k:1 stale')).toBe('t/k:1');
    expect(mutantKeyOfSuite('LRUCache')).toBeUndefined();
  });
});
