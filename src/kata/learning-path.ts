/**
 * The learning-path table of README.md, generated from the catalogue so that it cannot drift:
 * the verification compares the block between the markers with this table.
 */
import type { Catalog } from './catalog.ts';

export const PATH_START = '<!-- learning-path:start -->';
export const PATH_END = '<!-- learning-path:end -->';

export function learningPathTable(catalog: Catalog): string {
  const titles = new Map(catalog.tracks.map((t) => [t.id, t.title]));
  const rows = catalog.katas.map((kata, i) => {
    const previous = catalog.katas[i - 1];
    const track = previous?.track === kata.track ? '' : (titles.get(kata.track) ?? kata.track);
    return `| ${kata.number} | ${track} | [${kata.name}](exercises/${kata.id}) | ${kata.meta.teaches} | ${kata.meta.difficulty} | ${kata.meta.minutes} |`;
  });
  return ['| # | track | kata | teaches | difficulty | minutes |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The block currently between the markers of `readme`, or `undefined` without markers. */
export function readLearningPathBlock(readme: string): string | undefined {
  const start = readme.indexOf(PATH_START);
  const end = readme.indexOf(PATH_END);
  if (start === -1 || end < start) return undefined;
  return readme.slice(start + PATH_START.length, end).trim();
}

/** `readme` with the block between the markers replaced by `table`. */
export function writeLearningPathBlock(readme: string, table: string): string | undefined {
  const start = readme.indexOf(PATH_START);
  const end = readme.indexOf(PATH_END);
  if (start === -1 || end < start) return undefined;
  return `${readme.slice(0, start + PATH_START.length)}\n${table}\n${readme.slice(end)}`;
}
