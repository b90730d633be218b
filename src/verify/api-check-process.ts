/**
 * Child process of gate 1: how each stub's exported API differs from its reference's, as JSON
 * on stdout. The TypeScript program holds only the stubs, the references and what they import,
 * which keeps it small; the full typecheck runs in the native compiler.
 */
import path from 'node:path';
import ts from 'typescript-compiler-api';
import { loadCatalog } from '../kata/catalog.ts';
import { compareApis } from './api-shape.ts';

function apiDifferences(root: string): Record<string, string[]> {
  const configFile = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const katas = loadCatalog(root).katas;
  const program = ts.createProgram({ rootNames: katas.flatMap((k) => [k.files.stub, k.files.solution]), options: parsed?.options ?? {} });
  const differences: Record<string, string[]> = {};
  for (const kata of katas) {
    const lines = compareApis(program, kata.files.solution, kata.files.stub);
    if (lines.length > 0) differences[kata.id] = lines;
  }
  return differences;
}

process.stdout.write(JSON.stringify(apiDifferences(process.argv[2] ?? process.cwd())));
