/**
 * The child process of gate 1: builds one TypeScript program for the whole repository, reports
 * its errors and how each stub's API differs from its reference's, as JSON on stdout.
 */
import path from 'node:path';
import ts from 'typescript';
import { loadCatalog } from '../kata/catalog.ts';
import { compareApis } from './api-shape.ts';
import type { TypecheckResult } from './typecheck.ts';

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

process.stdout.write(JSON.stringify(typecheckNow(process.argv[2] ?? process.cwd())));
