/**
 * Gate 1: the whole repository typechecks, and every stub exports exactly the reference's API.
 * Both need one TypeScript program, built in a child process so that it runs on the other core
 * while the main process drives the test runs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadCatalog } from '../kata/catalog.ts';
import { compareApis } from './api-shape.ts';

export interface TypecheckResult {
  /** Compiler errors, formatted one per entry. */
  readonly diagnostics: string[];
  /** Per kata id: how the stub's API differs from the reference's (empty entries are omitted). */
  readonly apiDifferences: Record<string, string[]>;
}

/** Builds the program and checks it, in this process. */
export function typecheckNow(root: string): TypecheckResult {
  const configFile = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (parsed === undefined) return { diagnostics: [`cannot read ${configFile}`], apiDifferences: {} };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)].map((d) => ts.formatDiagnostic(d, host).trimEnd());
  const apiDifferences: Record<string, string[]> = {};
  for (const kata of loadCatalog(root).katas) {
    const differences = compareApis(program, kata.files.solution, kata.files.stub);
    if (differences.length > 0) apiDifferences[kata.id] = differences;
  }
  return { diagnostics, apiDifferences };
}

/** Runs {@link typecheckNow} in a child process. */
export function typecheck(root: string): Promise<TypecheckResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, root], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(output) as TypecheckResult);
      } catch {
        reject(new Error(`the typecheck process exited with code ${code} and no result`));
      }
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(typecheckNow(process.argv[2] ?? process.cwd())));
}
