import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../../kata/catalog.ts';
import { learningPathTable, writeLearningPathBlock } from '../../kata/learning-path.ts';
import type { CommandContext } from '../context.ts';

/** `path [--update-readme]`: the learning-path table, printed or written into README.md. */
export function learningPath(context: CommandContext, { updateReadme }: { updateReadme: boolean }): number {
  const catalog = loadCatalog(context.root);
  for (const problem of catalog.problems) context.err(`warning: ${problem}`);
  const table = learningPathTable(catalog);
  if (!updateReadme) {
    context.out(table);
    return 0;
  }
  const readmePath = path.join(context.root, 'README.md');
  const updated = writeLearningPathBlock(readFileSync(readmePath, 'utf8'), table);
  if (updated === undefined) {
    context.err('README.md has no learning-path markers to write between.');
    return 1;
  }
  writeFileSync(readmePath, updated);
  context.out(`Updated the learning path in README.md (${catalog.katas.length} kata${catalog.katas.length === 1 ? '' : 's'}).`);
  return 0;
}
