/**
 * The verification's verdicts, end to end, on a small repository with known defects: a weak
 * test, a mutant no test catches, a mutant that no longer applies, a stub whose API drifted,
 * and a README without its sections. It runs as its own process, as `npm test` does.
 */
import { execFile } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../kata/layout.ts';
import { learningPathTable, PATH_END, PATH_START } from '../kata/learning-path.ts';
import { loadCatalog } from '../kata/catalog.ts';
import { kataJson, tempRepo, tracksJson } from '../test-utils/temp-repo.ts';

const README = `# Answer\n\n## The idea\nSix times seven.\n\n## In production\nEverywhere.\n\n## Complexity\nO(1).\n\n## Interview questions\n\n### Why 42?\nBecause.\n\n### Why not 41?\nOff by one.\n\n### And 43?\nAlso.\n\n## Your task\nReturn 42.\n`;
const HINTS = '## Nudge\nMultiply.\n## Approach\nSix times seven.\n## Almost code\nreturn 6 * 7\n';
const TEST = `import { describe, expect, it } from 'vitest';
import { answer, isAnswer } from './answer.ts';

describe('answer', () => {
  it('should be 42', () => {
    expect(answer()).toBe(42);
  });

  it('should be weak: it passes whatever answer does', () => {
    expect(1 + 1).toBe(2);
  });

  it('should recognise the answer', () => {
    expect(isAnswer(42)).toBe(true);
  });
});
`;
const REFERENCE = 'export function answer(): number {\n  return 6 * 7;\n}\n\nexport function isAnswer(n: number): boolean {\n  return n === 42 || n === 42.0;\n}\n';
const STUB = "export function answer(): number {\n  throw new Error('TODO: implement answer');\n}\n\nexport function isAnswer(_n: number): boolean {\n  throw new Error('TODO: implement isAnswer');\n}\n";
const MUTANTS = `export default [
  { name: 'off by one', find: '6 * 7', replace: '6 * 7 + 1' },
  { name: 'a change no test sees', find: 'n === 42 || n === 42.0', replace: 'n === 42' },
  { name: 'no longer applies', find: 'return 41;', replace: 'return 40;' },
];
`;

const repo = tempRepo({
  'package.json': '{ "type": "module" }',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'ES2023', module: 'nodenext', strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: [] },
    include: ['exercises', 'solutions'],
  }),
  'exercises/tracks.json': tracksJson('basics', 'more'),
  'exercises/basics/answer/kata.json': kataJson(1),
  'exercises/basics/answer/answer.ts': STUB,
  'exercises/basics/answer/answer.test.ts': TEST,
  'exercises/basics/answer/README.md': README,
  'exercises/basics/answer/hints.md': HINTS,
  'solutions/basics/answer/answer.ts': REFERENCE,
  'solutions/basics/answer/mutants.ts': MUTANTS,
  'exercises/more/drifted/kata.json': kataJson(1),
  'exercises/more/drifted/drifted.ts': "export function drifted(_a: string): number {\n  throw new Error('TODO: implement drifted');\n}\n",
  'exercises/more/drifted/drifted.test.ts': "import { expect, it } from 'vitest';\nimport { drifted } from './drifted.ts';\n\nit('should count', () => {\n  expect(drifted('ab')).toBe(2);\n});\n",
  'exercises/more/drifted/README.md': '# Drifted\n\n## The idea\nCount.\n',
  'exercises/more/drifted/hints.md': HINTS,
  'solutions/more/drifted/drifted.ts': 'export function drifted(a: string, _b?: boolean): number {\n  return a.length;\n}\n',
  'solutions/more/drifted/mutants.ts': "export default [{ name: 'counts one less', find: 'a.length', replace: 'a.length - 1' }];\n",
});
symlinkSync(path.join(repoRoot, 'node_modules'), path.join(repo.root, 'node_modules'), 'dir');

let output = '';
let exitCode = 0;
beforeAll(async () => {
  repo.write('README.md', `# Fixture\n\n${PATH_START}\n${learningPathTable(loadCatalog(repo.root))}\n${PATH_END}\n`);
  const env = { ...process.env, KATA_ROOT: repo.root, NO_COLOR: '1', FORCE_COLOR: undefined };
  try {
    ({ stdout: output } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin/kata.js'), 'verify'], { cwd: repo.root, env }));
  } catch (err: unknown) {
    ({ stdout: output, code: exitCode } = err as { stdout: string; code: number });
  }
}, 60_000);
afterAll(() => repo.remove());

describe('kata verify', () => {
  it('should print a row per kata: tests, tests failing on the stub, mutants caught', () => {
    expect(output).toMatch(/basics\/answer +3 +2\/3 +1\/3/);
    expect(output).toMatch(/more\/drifted +1 +1\/1 +1\/1/);
  });

  it('should name a weak test, a surviving mutant and a mutant that no longer applies', () => {
    expect(output).toContain('weak test, passed on the stub: "answer > should be weak: it passes whatever answer does"');
    expect(output).toContain('mutant survived every test: "a change no test sees"');
    expect(output).toContain('invalid mutant "no longer applies"');
  });

  it('should show how a stub drifted from its reference API', () => {
    expect(output).toContain("more/drifted: the stub's API differs from the reference's");
    expect(output).toContain('- function drifted(string, ?boolean | undefined) => number');
    expect(output).toContain('+ function drifted(string) => number');
  });

  it('should want the README sections and enough mutants', () => {
    expect(output).toContain('more/drifted: README.md has no "## In production" section');
    expect(output).toContain('more/drifted: 1 mutants, at least 3 wanted');
  });

  it('should end with the tally and fail', () => {
    expect(output.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, \d+ failed$/);
    expect(output).not.toMatch(/\n0 failed$/);
    expect(exitCode).toBe(1);
  });
});
