/**
 * The `kata` command, in a throw-away repository that borrows this one's node_modules. Most
 * commands run in this process through `runCli`; the process itself (exit codes, the test
 * runner starting) is checked by starting it a few times.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../kata/layout.ts';
import { kataJson, tempRepo, tracksJson } from '../test-utils/temp-repo.ts';
import { runCli } from './main.ts';

const STUB = "export function answer(): number {\n  throw new Error('TODO: implement answer');\n}\n";
const SOLVED = 'export function answer(): number {\n  return 42;\n}\n';
const repo = tempRepo({
  'package.json': '{ "type": "module" }',
  'exercises/tracks.json': tracksJson('basics'),
  'exercises/basics/answer/kata.json': kataJson(1, { title: 'The answer' }),
  'exercises/basics/answer/answer.ts': STUB,
  'exercises/basics/answer/answer.test.ts':
    "import { expect, it } from 'vitest';\nimport { answer } from './answer.ts';\n\nit('should answer 42', () => {\n  expect(answer()).toBe(42);\n});\n\nit('should answer a number', () => {\n  expect(typeof answer()).toBe('number');\n});\n",
  'exercises/basics/answer/hints.md': '## Nudge\nSix times seven.\n## Approach\nReturn it.\n## Almost code\nreturn 42\n',
  'solutions/basics/answer/answer.ts': SOLVED,
});
symlinkSync(path.join(repoRoot, 'node_modules'), path.join(repo.root, 'node_modules'), 'dir');
afterAll(() => repo.remove());

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The command in this process. */
async function kata(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { root: repo.root, out: (line = '') => out.push(line), err: (line = '') => err.push(line) });
  return { code, stdout: strip(out.join('\n')), stderr: strip(err.join('\n')) };
}

const exec = promisify(execFile);
/** The command as its own process, as a learner starts it. */
async function kataProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, KATA_ROOT: repo.root, NO_COLOR: '1', FORCE_COLOR: undefined };
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(repoRoot, 'bin/kata.js'), ...argv], { cwd: repo.root, env });
    return { code: 0, stdout, stderr };
  } catch (err: unknown) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('kata', () => {
  it('should print help and exit 0 with --help', async () => {
    const { code, stdout } = await kataProcess('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run kata -- <command>');
  });

  it('should exit 2 with a message and no stack trace for an unknown command', async () => {
    const { code, stderr } = await kataProcess('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('should exit 2 for an unknown option', async () => {
    const { code, stderr } = await kata('list', '--colour');
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--colour'");
  });

  it('should exit 2 and suggest the closest kata for an unknown name', async () => {
    const { code, stderr } = await kata('hint', 'answr');
    expect(code).toBe(2);
    expect(stderr).toContain('no kata named "answr"');
    expect(stderr).toContain('answer (1)');
  });

  it('should reveal hints one at a time', async () => {
    expect((await kata('hint', 'answer')).stdout).toContain('Hint 1 of 3: Nudge');
    expect((await kata('hint', '1')).stdout).toContain('Hint 2 of 3: Approach');
  });

  // One scenario, in order: each `run` starts a test runner, so the scenario starts two, and
  // the other commands use the statuses those runs recorded.
  it('should run a kata, keep its reference locked until solved, and list it as solved', async () => {
    const failing = await kataProcess('run', 'answer');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('TODO: implement answer');
    expect(failing.stdout).toContain('at exercises/basics/answer/answer.ts:2');
    expect(failing.stdout).toContain('0 of 2 tests pass.');

    const locked = await kata('diff', 'answer');
    expect(locked.code).toBe(1);
    expect(locked.stdout).toContain('stays locked until your tests pass');
    expect((await kata('list')).stdout).toMatch(/1 +answer +not started/);

    repo.write('exercises/basics/answer/answer.ts', SOLVED);
    const solved = await kataProcess('run', 'answer');
    expect(solved.code).toBe(0);
    expect(solved.stdout).toContain('2 of 2 tests pass. Solved!');
    expect((await kata('list')).stdout).toMatch(/1 +answer +solved/);
    const unlocked = await kata('diff', 'answer');
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain('Your file is identical to the reference.');
    repo.write('exercises/basics/answer/answer.ts', STUB);
  }, 30_000);

  it('should show the reference before solving with --spoil', async () => {
    const spoiled = await kata('diff', 'answer', '--spoil');
    expect(spoiled.code).toBe(0);
    expect(spoiled.stdout).toContain('+  return 42;');
  });

  it('should not lose work on reset outside git, and say why it cannot reset', async () => {
    repo.write('exercises/basics/answer/answer.ts', SOLVED);
    const { code, stderr } = await kata('reset', 'answer');
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read the committed stub');
    expect(readFileSync(path.join(repo.root, 'exercises/basics/answer/answer.ts'), 'utf8')).toBe(SOLVED);
    expect(existsSync(path.join(repo.root, '.kata/backups'))).toBe(false);
    repo.write('exercises/basics/answer/answer.ts', STUB);
  });

  it('should print the learning path', async () => {
    const { code, stdout } = await kata('path');
    expect(code).toBe(0);
    expect(stdout).toContain('| 1 | BASICS | [answer](exercises/basics/answer) |');
  });
});
