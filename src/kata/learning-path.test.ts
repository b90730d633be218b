import { afterEach, describe, expect, it } from 'vitest';
import { kataJson, tempRepo, tracksJson, type TempRepo } from '../test-utils/temp-repo.ts';
import { loadCatalog } from './catalog.ts';
import { learningPathTable, PATH_END, PATH_START, readLearningPathBlock, writeLearningPathBlock } from './learning-path.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('learningPathTable', () => {
  it('should list every kata with its track shown once', () => {
    repo = tempRepo({
      'exercises/tracks.json': tracksJson('first', 'second'),
      'exercises/first/a/kata.json': kataJson(1, { teaches: 'teaches a', minutes: 20 }),
      'exercises/first/b/kata.json': kataJson(2, { difficulty: 'hard' }),
      'exercises/second/c/kata.json': kataJson(1),
    });
    expect(learningPathTable(loadCatalog(repo.root)).split('\n')).toEqual([
      '| # | track | kata | teaches | difficulty | minutes |',
      '|---|---|---|---|---|---|',
      '| 1 | FIRST | [a](exercises/first/a) | teaches a | easy | 20 |',
      '| 2 |  | [b](exercises/first/b) | something | hard | 10 |',
      '| 3 | SECOND | [c](exercises/second/c) | something | easy | 10 |',
    ]);
  });
});

describe('the README block', () => {
  const readme = `# Title\n\n${PATH_START}\nold table\n${PATH_END}\n\nMore.\n`;

  it('should read the block between the markers', () => {
    expect(readLearningPathBlock(readme)).toBe('old table');
    expect(readLearningPathBlock('# no markers')).toBeUndefined();
  });

  it('should replace the block and keep the rest', () => {
    const updated = writeLearningPathBlock(readme, 'new table')!;
    expect(readLearningPathBlock(updated)).toBe('new table');
    expect(updated.startsWith('# Title\n')).toBe(true);
    expect(updated.endsWith('\n\nMore.\n')).toBe(true);
    expect(writeLearningPathBlock('# no markers', 'x')).toBeUndefined();
  });
});
