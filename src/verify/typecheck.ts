/**
 * Gate 1: the whole repository typechecks, and every stub exports exactly the reference's API.
 * Both need one TypeScript program, built in a child process so that it runs on the other core
 * while this process drives the test runs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TypecheckResult {
  /** Compiler errors, formatted one per entry. */
  readonly diagnostics: string[];
  /** Per kata id: how the stub's API differs from the reference's (katas without differences are absent). */
  readonly apiDifferences: Record<string, string[]>;
}

export function typecheck(root: string): Promise<TypecheckResult> {
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'typecheck-process.ts');
  return new Promise((resolve, reject) => {
    const typechecker = spawn(process.execPath, ['--import', 'tsx', child, root], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    typechecker.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    typechecker.on('error', reject);
    typechecker.on('close', (code) => {
      try {
        resolve(JSON.parse(output) as TypecheckResult);
      } catch {
        reject(new Error(`the typecheck process exited with code ${code} and no result`));
      }
    });
  });
}
