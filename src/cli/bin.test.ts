/**
 * `bin/kata.js` on a clone whose dependencies are not installed yet: one line that says to run
 * `npm install`, and exit code 1, not a stack trace.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../kata/layout.ts';

const clone = mkdtempSync(path.join(tmpdir(), 'kata-no-deps-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe('bin/kata.js before npm install', () => {
  it('should ask for npm install and exit 1', async () => {
    mkdirSync(path.join(clone, 'bin'));
    copyFileSync(path.join(repoRoot, 'bin', 'kata.js'), path.join(clone, 'bin', 'kata.js'));
    copyFileSync(path.join(repoRoot, 'package.json'), path.join(clone, 'package.json'));
    const run = promisify(execFile)(process.execPath, [path.join(clone, 'bin', 'kata.js'), 'list'], { cwd: clone });
    const failure = await run.then(() => undefined, (error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toBe('The kata runner needs its dependencies, which are not installed: run `npm install`, then try again.\n');
  });
});
