import { afterAll, describe, expect, it } from 'vitest';
import { tempRepo } from '../test-utils/temp-repo.ts';
import { harnessModuleId, kataSources } from './kata-plugin.ts';

const repo = tempRepo({
  'exercises/t/k/k.ts': 'export const answer = 0;',
  'exercises/t/k/k.test.ts': '',
  'exercises/t/k/helper.ts': 'export const help = 0;',
  'solutions/t/k/k.ts': 'export const answer = 42;',
  'solutions/t/k/helper.ts': 'export const help = 1;',
  'exercises/t/k/store.ts': 'export const store = 0;',
  'src/testing/index.ts': '',
});
const { root } = repo;
afterAll(() => repo.remove());
const testFile = `${root}/exercises/t/k/k.test.ts`;
const mutants = new Map([['t/k:0', { kataId: 't/k', mutant: { name: 'wrong answer', find: '42', replace: '41' } }]]);

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const hooks = (target: 'exercises' | 'solutions') => {
  const plugin = kataSources({ root, target, mutants });
  const transform = plugin.transform as { handler: Hook };
  return { resolve: plugin.resolveId as Hook, load: plugin.load as Hook, transform: transform.handler };
};
const mutated = `${root}/solutions/t/k/k.ts?mutant=t%2Fk%3A0`;

describe('kataSources', () => {
  it('should leave the learner run alone', () => {
    expect(hooks('exercises').resolve.call({}, './k.ts', testFile)).toBeNull();
  });

  it('should send the kata own imports to the reference', () => {
    const { resolve } = hooks('solutions');
    expect(resolve.call({}, './k.ts', testFile)).toBe(`${root}/solutions/t/k/k.ts`);
    expect(resolve.call({}, './helper.ts', `${root}/exercises/t/k/k.ts`)).toBe(`${root}/solutions/t/k/helper.ts`);
  });

  it('should let a reference import its own siblings in any run', () => {
    expect(hooks('exercises').resolve.call({}, './helper.ts', `${root}/solutions/t/k/k.ts`)).toBeNull();
  });

  it('should share a file that only the exercise folder has with every tree', () => {
    expect(hooks('solutions').resolve.call({}, './store.ts', `${root}/solutions/t/k/k.ts`)).toBe(`${root}/exercises/t/k/store.ts`);
    expect(hooks('solutions').resolve.call({}, './store.ts', testFile)).toBeNull();
    expect(hooks('exercises').resolve.call({}, './store.ts', mutated)).toBe(`${root}/exercises/t/k/store.ts?mutant=t%2Fk%3A0`);
  });

  it('should not redirect shared helpers, other test files or bare packages', () => {
    const { resolve } = hooks('solutions');
    expect(resolve.call({}, '../../../src/testing/index.ts', testFile)).toBeNull();
    expect(resolve.call({}, './k.test.ts', testFile)).toBeNull();
    expect(resolve.call({}, 'fast-check', testFile)).toBeNull();
    expect(resolve.call({}, './k.ts', `${root}/src/cli/main.ts`)).toBeNull();
  });

  it('should give a file that puts a track\'s katas together the target tree', () => {
    const server = `${root}/exercises/t/server.ts`;
    expect(hooks('solutions').resolve.call({}, './k/k.ts', server)).toBe(`${root}/solutions/t/k/k.ts`);
    expect(hooks('solutions').resolve.call({}, './k/store.ts', server)).toBeNull();
    expect(hooks('solutions').resolve.call({}, './k/k.test.ts', server)).toBeNull();
    expect(hooks('exercises').resolve.call({}, './k/k.ts', server)).toBeNull();
  });

  it('should resolve a mutant import of the harness, and carry the mutant to the files it imports', () => {
    const { resolve } = hooks('exercises');
    expect(resolve.call({}, `kata-variant:t%2Fk%3A0:${root}/solutions/t/k/k.ts`, harnessModuleId(testFile))).toBe(mutated);
    expect(resolve.call({}, `kata-variant::${root}/exercises/t/k/k.ts`, harnessModuleId(testFile))).toBe(`${root}/exercises/t/k/k.ts`);
    expect(resolve.call({}, './helper.ts', mutated)).toBe(`${root}/solutions/t/k/helper.ts?mutant=t%2Fk%3A0`);
  });

  it('should build a harness with blocks for the reference, the stub and each mutant of the kata', () => {
    const harness = hooks('exercises').load.call({}, harnessModuleId(testFile)) as string;
    const solutionFiles = `{"./helper.ts":"${root}/solutions/t/k/helper.ts","./k.ts":"${root}/solutions/t/k/k.ts","./store.ts":"${root}/exercises/t/k/store.ts"}`;
    const stubFiles = `{"./helper.ts":"${root}/exercises/t/k/helper.ts","./k.ts":"${root}/exercises/t/k/k.ts","./store.ts":"${root}/exercises/t/k/store.ts"}`;
    expect(harness).toContain(`import register from "${testFile}?kata-wrap";`);
    expect(harness).toContain(`block("reference", "reference", "", ${solutionFiles});`);
    expect(harness).toContain(`block("stub", "stub", "", ${stubFiles});`);
    expect(harness).toContain(`block("mutant t/k:0 wrong answer", "mutant", "t/k:0", ${solutionFiles});`);
  });

  it('should turn the test module into a function of its kata imports', async () => {
    const { transform } = hooks('solutions');
    const code = 'import { it } from "vitest";\nimport { answer } from "/solutions/t/k/k.ts";\nit("answers", () => answer);\n';
    const wrapped = (await transform.call({}, code, `${testFile}?kata-wrap`)) as { code: string };
    expect(wrapped.code).toContain('const { answer } = await kataImport("./k.ts");');
    expect(wrapped.code.startsWith('import { it } from "vitest";\nexport default async function (kataImport) {')).toBe(true);
    const everyday = kataSources({ root, target: 'exercises' }).transform as { handler: Hook };
    expect(await everyday.handler.call({}, code, testFile)).toBeNull();
    expect(await transform.call({}, code, testFile)).toEqual({ code, map: { mappings: '' } });
  });

  it('should apply the mutant to the file it names and load the others unchanged', () => {
    const { load } = hooks('solutions');
    expect(load.call({}, mutated)).toBe('export const answer = 41;');
    expect(load.call({}, `${root}/solutions/t/k/helper.ts?mutant=t%2Fk%3A0`)).toBe('export const help = 1;');
    expect(load.call({}, `${root}/solutions/t/k/k.ts`)).toBeNull();
  });

  it('should fail loudly on an unknown mutant', () => {
    expect(() => hooks('solutions').load.call({}, `${root}/solutions/t/k/k.ts?mutant=nope`)).toThrow(/unknown mutant nope/);
  });
});
