/**
 * Gate 1: the whole repository typechecks, and every stub exports exactly its reference's API.
 * The typecheck runs in the native TypeScript compiler; the API comparison needs the compiler's
 * JavaScript API and runs in a child process. Both run beside the test runs.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TypecheckResult {
  /** Compiler errors, one per entry. */
  readonly diagnostics: string[];
  /** Per kata id: how the stub's API differs from the reference's (katas without differences are absent). */
  readonly apiDifferences: Record<string, string[]>;
}

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

async function compile(root: string): Promise<string[]> {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const { code, stdout } = await run([tsc, '--noEmit', '--pretty', 'false', '-p', path.join(root, 'tsconfig.json')], root);
  const diagnostics = stdout.split('\n').filter((line) => line.trim() !== '');
  if (code !== 0 && diagnostics.length === 0) diagnostics.push(`the TypeScript compiler exited with code ${code}`);
  // Continuation lines (indented) belong to the diagnostic before them.
  return diagnostics.reduce<string[]>((all, line) => (/^\s/.test(line) && all.length > 0 ? [...all.slice(0, -1), `${all.at(-1)}\n${line}`] : [...all, line]), []);
}

async function compareStubApis(root: string): Promise<Record<string, string[]>> {
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'api-check-process.ts');
  const { code, stdout } = await run(['--import', 'tsx', child, root], root);
  try {
    return JSON.parse(stdout) as Record<string, string[]>;
  } catch {
    throw new Error(`the API comparison exited with code ${code} and no result`);
  }
}

export async function typecheck(root: string): Promise<TypecheckResult> {
  const [diagnostics, apiDifferences] = await Promise.all([compile(root), compareStubApis(root)]);
  return { diagnostics, apiDifferences };
}
