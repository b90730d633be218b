import { describe, expect, it } from 'vitest';
import { tempRepo } from '../test-utils/temp-repo.ts';
import { kataFiles } from '../kata/layout.ts';
import type { Kata } from '../kata/catalog.ts';
import { ranCount } from '../vitest/outcomes.ts';
import { formatFailure, progressBar, skippedLines } from './render.ts';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('progressBar', () => {
  it('should fill in proportion', () => {
    expect(strip(progressBar(1, 4, 8))).toBe('██░░░░░░');
    expect(strip(progressBar(0, 0, 4))).toBe('░░░░');
    expect(strip(progressBar(3, 3, 4))).toBe('████');
  });
});

describe('skipped tests', () => {
  it('should not count a test that skipped itself, and say why it did not run', () => {
    const note = 'needs a real Redis server: set REDIS_URL to run it';
    const outcome = {
      moduleId: 'k.test.ts',
      project: 'learner',
      moduleErrors: [],
      tests: [
        { name: 'a', state: 'passed' as const },
        { name: 'b', state: 'skipped' as const, skipNote: note },
        { name: 'c', state: 'skipped' as const, skipNote: note },
      ],
    };
    expect(ranCount(outcome)).toBe(1);
    expect(skippedLines(outcome).map(strip)).toEqual([`○ 2 tests not run: ${note}`]);
  });
});

describe('formatFailure', () => {
  it('should show the message, the diff, and the lines in the kata where it failed', () => {
    const repo = tempRepo({
      'exercises/t/k/k.ts': 'line one\n  throw new Error("TODO");\n',
      'exercises/t/k/k.test.ts': 'a\nb\n  expect(k()).toBe(1);\n',
    });
    try {
      const files = kataFiles('t', 'k', repo.root);
      const kata = { id: 't/k', files } as Kata;
      const stack = [
        'Error: TODO',
        `    at k (${files.stub}:2:9)`,
        `    at ${files.test}?mutant=x:3:10`,
        '    at node_modules/vitest/dist/index.js:1:1',
      ].join('\n');
      const lines = formatFailure(kata, { name: 'k > should answer', state: 'failed', failure: { message: 'TODO', diff: '- 1\n+ 2', stack } }, repo.root).map(strip);
      expect(lines).toEqual([
        '✗ k > should answer',
        '',
        '  TODO',
        '',
        '  - 1',
        '  + 2',
        '',
        '  at exercises/t/k/k.ts:2  throw new Error("TODO");',
        '  at exercises/t/k/k.test.ts:3  expect(k()).toBe(1);',
      ]);
    } finally {
      repo.remove();
    }
  });
});
