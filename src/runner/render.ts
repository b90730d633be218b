/** Text for the terminal: progress bars, statuses, and a failing test shown so a learner can act on it. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import pc from 'picocolors';
import type { Kata } from '../kata/catalog.ts';
import { notRunLine, skipReasons, type ModuleOutcome, type TestOutcome } from '../vitest/outcomes.ts';
import type { KataStatus } from './progress.ts';

/** Text from the test runner or the compiler may carry colours: keep them only where colours show. */
export const forTerminal = (text: string): string => (pc.isColorSupported ? text : stripVTControlCharacters(text));

export function progressBar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${pc.green('█'.repeat(filled))}${pc.dim('░'.repeat(width - filled))}`;
}

export function statusLabel(status: KataStatus | undefined): string {
  if (status === undefined) return pc.dim('unknown');
  switch (status.kind) {
    case 'solved':
      return pc.green('solved');
    case 'in-progress':
      return pc.yellow(`${status.passed} of ${status.total} tests`);
    case 'not-started':
      return pc.dim('not started');
  }
}

export const kataHeading = (kata: Kata) =>
  `${pc.bold(kata.meta.title)} ${pc.dim(`(${kata.id}, ${kata.meta.difficulty}, about ${kata.meta.minutes} min)`)}`;

interface StackFrame {
  readonly file: string;
  readonly line: number;
}

/** Frames of a V8 stack that point into `dir`, outermost last. */
function framesIn(stack: string | undefined, dir: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const match of (stack ?? '').matchAll(/(\/[^\s():]+\.ts)(?:\?[^\s:)]*)?:(\d+):\d+/g)) {
    const file = match[1]!;
    if (file.startsWith(dir + path.sep)) frames.push({ file, line: Number(match[2]) });
  }
  return frames;
}

function codeLine({ file, line }: StackFrame): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').split('\n')[line - 1]?.trim();
}

/** A failing test: its name, the error, the expected/received diff, and where it happened. */
export function formatFailure(kata: Kata, test: TestOutcome, root: string): string[] {
  const failure = test.failure;
  const lines = [pc.red(`✗ ${test.name}`)];
  if (failure === undefined) return lines;
  lines.push('', ...forTerminal(failure.message).split('\n').map((l) => `  ${l}`));
  if (failure.diff) lines.push('', ...forTerminal(failure.diff).split('\n').map((l) => `  ${l}`));
  const frames = framesIn(failure.stack, kata.files.exerciseDir);
  const where = frames.find((f) => f.file !== kata.files.test) ?? frames[0];
  const inTest = frames.find((f) => f.file === kata.files.test);
  lines.push('');
  for (const frame of [where, inTest === where ? undefined : inTest]) {
    if (frame === undefined) continue;
    const code = codeLine(frame);
    lines.push(`  ${pc.dim('at')} ${pc.cyan(`${path.relative(root, frame.file)}:${frame.line}`)}${code ? pc.dim(`  ${code}`) : ''}`);
  }
  return lines;
}

/** One line per reason that tests skipped themselves for: `○ 4 tests not run: needs a real Redis server…`. */
export function skippedLines(outcome: ModuleOutcome): string[] {
  return [...skipReasons(outcome.tests)].map(([reason, count]) => pc.yellow(`○ ${notRunLine(count, reason)}`));
}
