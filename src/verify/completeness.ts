/**
 * Gate 5: every kata has what a learner needs besides the code: a README with the expected
 * sections, at least three hints, valid metadata, and a row in README.md's learning path.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog, Kata } from '../kata/catalog.ts';
import { parseHints } from '../kata/hints.ts';
import { learningPathTable, PATH_END, PATH_START, readLearningPathBlock } from '../kata/learning-path.ts';

/** The `## ` sections a kata README must have, in this order. */
export const README_SECTIONS = ['The idea', 'In production', 'Complexity', 'Interview questions', 'Your task'] as const;
export const MIN_HINTS = 3;
export const MIN_INTERVIEW_QUESTIONS = 3;

function sections(markdown: string): Map<string, string> {
  const result = new Map<string, string>();
  const parts = markdown.split(/^## +/m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const title = (newline === -1 ? part : part.slice(0, newline)).trim();
    result.set(title.toLowerCase(), newline === -1 ? '' : part.slice(newline + 1));
  }
  return result;
}

export function checkReadme(markdown: string): string[] {
  const problems: string[] = [];
  if (!/^# \S/m.test(markdown)) problems.push('README.md has no "# " title');
  const found = sections(markdown);
  const titles = [...found.keys()];
  let previous = -1;
  for (const section of README_SECTIONS) {
    const index = titles.findIndex((t) => t.startsWith(section.toLowerCase()));
    if (index === -1) {
      problems.push(`README.md has no "## ${section}" section`);
      continue;
    }
    if (index < previous) problems.push(`README.md: "## ${section}" is out of order`);
    previous = index;
    if (found.get(titles[index]!)!.trim() === '') problems.push(`README.md: "## ${section}" is empty`);
  }
  const questions = titles.find((t) => t.startsWith('interview questions'));
  if (questions !== undefined) {
    const count = (found.get(questions)!.match(/^### +\S/gm) ?? []).length;
    if (count < MIN_INTERVIEW_QUESTIONS) {
      problems.push(`README.md has ${count} interview questions ("### " headings), at least ${MIN_INTERVIEW_QUESTIONS} wanted`);
    }
  }
  return problems;
}

export function checkHints(markdown: string): string[] {
  const hints = parseHints(markdown);
  const problems: string[] = [];
  if (hints.length < MIN_HINTS) problems.push(`hints.md has ${hints.length} hints ("## " sections), at least ${MIN_HINTS} wanted`);
  for (const hint of hints) if (hint.body === '') problems.push(`hints.md: hint "${hint.title}" is empty`);
  return problems;
}

/** Problems of one kata's files. */
export function checkKata(root: string, kata: Kata): string[] {
  const { files } = kata;
  const problems: string[] = [];
  const required: [string, string][] = [
    [files.stub, 'the stub'],
    [files.test, 'the test file'],
    [files.solution, 'the reference'],
    [files.mutants, 'mutants.ts'],
  ];
  for (const [file, what] of required) {
    if (!existsSync(file)) problems.push(`${what} is missing: ${path.relative(root, file)}`);
  }
  if (existsSync(files.readme)) problems.push(...checkReadme(readFileSync(files.readme, 'utf8')));
  else problems.push('README.md is missing');
  if (existsSync(files.hints)) problems.push(...checkHints(readFileSync(files.hints, 'utf8')));
  else problems.push('hints.md is missing');
  return problems;
}

/** Problems of the catalogue as a whole: metadata, and the learning path in README.md. */
export function checkCatalog(catalog: Catalog): string[] {
  const problems = [...catalog.problems];
  const readmePath = path.join(catalog.root, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const block = readLearningPathBlock(readme);
  if (block === undefined) {
    problems.push(`README.md has no learning-path block between ${PATH_START} and ${PATH_END}`);
  } else if (block !== learningPathTable(catalog)) {
    problems.push('the learning path in README.md is out of date: run `npm run kata -- path --update-readme`');
  }
  return problems;
}
