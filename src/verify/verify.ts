/**
 * `npm test`: the repository's verification. Six gates, reported in order: typecheck (with the
 * stubs' API against their references'), references pass, stubs fail, mutants caught, katas
 * complete, unit tests of src/. Prints a table per kata and ends with `N passed, M failed`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pc from 'picocolors';
import { loadCatalog, type Kata } from '../kata/catalog.ts';
import type { ModuleOutcome } from '../vitest/outcomes.ts';
import { checkCatalog, checkKata } from './completeness.ts';
import { runTests, type KataRuns } from './test-runs.ts';
import { typecheck, type TypecheckResult } from './typecheck.ts';

export const MIN_MUTANTS = 3;
export const DEFAULT_SEED = 20_260_101;

export interface VerifyOptions {
  readonly root: string;
  readonly fcSeed?: number;
  /**
   * Verify only these katas: their gates and the typecheck (which is whole-program anyway);
   * the unit tests of src/ run only in a full verification.
   */
  readonly katas?: readonly Kata[];
  readonly write?: (line: string) => void;
}

export interface VerifyResult {
  readonly passed: number;
  readonly failed: number;
}

/** A failure: the check it fails (a kata id, a file) and one line saying why. */
type Failure = readonly [check: string, line: string];

interface Gate {
  readonly title: string;
  readonly checks: number;
  readonly failures: readonly Failure[];
}

const firstLine = (text: string) => text.split('\n')[0] ?? '';

/** Whether git reports `file` as changed since the last commit (false outside a git checkout). */
function changedSinceCommit(root: string, file: string): boolean {
  try {
    execFileSync('git', ['diff', '--quiet', 'HEAD', '--', file], { cwd: root, stdio: 'ignore' });
    return false;
  } catch (err: unknown) {
    return (err as { status?: number }).status === 1;
  }
}

function typecheckGate(types: TypecheckResult, katas: readonly Kata[]): Gate {
  const failures: Failure[] = types.diagnostics.map((d) => ['typecheck', d]);
  for (const kata of katas) {
    const differences = types.apiDifferences[kata.id];
    if (differences) {
      failures.push([kata.id, `${kata.id}: the stub's API differs from the reference's (- missing, + extra):\n${differences.map((l) => `      ${l}`).join('\n')}`]);
    }
  }
  return { title: "Typecheck of everything; every stub keeps its reference's API", checks: 1 + katas.length, failures };
}

function referenceGate(runs: readonly KataRuns[], unhandled: readonly string[]): Gate {
  const failures: Failure[] = unhandled.map((error) => ['unhandled', `unhandled error in a test run: ${firstLine(error)}`]);
  for (const { kata, reference } of runs) {
    if (reference.loadError !== undefined) failures.push([kata.id, `${kata.id}: the reference does not load: ${reference.loadError}`]);
    else if (reference.tests.length === 0) failures.push([kata.id, `${kata.id}: no tests`]);
    for (const test of reference.tests) {
      if (test.state !== 'passed') {
        failures.push([kata.id, `${kata.id}: "${test.name}" ${test.state}${test.failure ? `: ${firstLine(test.failure.message)}` : ''}`]);
      }
    }
  }
  return { title: 'Every kata passes its tests on the reference', checks: runs.length, failures };
}

function stubGate(root: string, runs: readonly KataRuns[]): Gate {
  const failures: Failure[] = [];
  for (const { kata, stub } of runs) {
    const before = failures.length;
    if (stub.loadError !== undefined) failures.push([kata.id, `${kata.id}: the stub does not load: ${stub.loadError}`]);
    for (const test of stub.tests) {
      if (test.state !== 'failed') failures.push([kata.id, `${kata.id}: weak test, ${test.state} on the stub: "${test.name}"`]);
    }
    if (failures.length > before && changedSinceCommit(root, kata.files.stub)) {
      const file = path.relative(root, kata.files.stub);
      failures.push([kata.id, `${kata.id}: ${file} has uncommitted changes; if it holds your solution, \`npm run kata -- reset ${kata.name}\` restores the stub`]);
    }
  }
  return { title: 'Every test fails on its stub', checks: runs.length, failures };
}

function mutantGate(runs: readonly KataRuns[]): Gate {
  const failures: Failure[] = [];
  let checks = 0;
  for (const { kata, mutants, mutantsFileProblem } of runs) {
    checks += 1 + mutants.length;
    if (mutantsFileProblem) failures.push([kata.id, `${kata.id}: ${mutantsFileProblem}`]);
    else if (mutants.length < MIN_MUTANTS) failures.push([kata.id, `${kata.id}: ${mutants.length} mutants, at least ${MIN_MUTANTS} wanted`]);
    for (const mutant of mutants) {
      const check = `${kata.id}: ${mutant.name}`;
      if (mutant.status === 'survived') failures.push([check, `${kata.id}: mutant survived every test: "${mutant.name}"`]);
      if (mutant.status === 'invalid') failures.push([check, `${kata.id}: invalid mutant "${mutant.name}": ${mutant.detail}`]);
    }
  }
  return { title: 'Every mutant is caught by a test', checks, failures };
}

function completenessGate(root: string, katas: readonly Kata[]): Gate {
  const catalog = loadCatalog(root);
  const failures: Failure[] = [
    ...checkCatalog(catalog).map((problem): Failure => ['catalog', problem]),
    ...katas.flatMap((kata) => checkKata(root, kata).map((problem): Failure => [kata.id, `${kata.id}: ${problem}`])),
  ];
  return { title: 'Every kata has README, hints and metadata, and is in the learning path', checks: 1 + katas.length, failures };
}

function srcGate(root: string, outcomes: readonly ModuleOutcome[]): Gate {
  const failures: Failure[] = [];
  for (const outcome of outcomes) {
    const file = path.relative(root, outcome.moduleId);
    for (const error of outcome.moduleErrors) failures.push([file, `${file}: ${firstLine(error.message)}`]);
    for (const test of outcome.tests) {
      if (test.state === 'failed') failures.push([file, `${file}: "${test.name}": ${firstLine(test.failure?.message ?? '')}`]);
    }
  }
  if (outcomes.length === 0) failures.push(['src', 'no unit tests found under src/']);
  return { title: 'Unit tests of src/ pass', checks: Math.max(outcomes.length, 1), failures };
}

function kataTable(runs: readonly KataRuns[]): string[] {
  const header = ['kata', 'tests', 'failing on stub', 'mutants caught', 'time'];
  const rows = runs.map(({ kata, reference, stub, mutants, durationMs }) => [
    kata.id,
    String(reference.tests.length),
    `${stub.tests.filter((t) => t.state === 'failed').length}/${stub.tests.length}`,
    `${mutants.filter((m) => m.status === 'caught').length}/${mutants.length}`,
    `${(durationMs / 1000).toFixed(2)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ');
  return [pc.bold(line(header)), ...rows.map(line)];
}

export async function verify({ root, fcSeed = DEFAULT_SEED, katas, write = console.log }: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const selected = katas ?? loadCatalog(root).katas;
  write(`Verifying ${selected.length} katas (fast-check seed ${fcSeed})\n`);

  const [types, runs] = await Promise.all([typecheck(root), runTests(root, selected, { fcSeed, src: katas === undefined })]);
  const gates = [
    typecheckGate(types, selected),
    referenceGate(runs.katas, runs.unhandled),
    stubGate(root, runs.katas),
    mutantGate(runs.katas),
    completenessGate(root, selected),
    ...(katas === undefined ? [srcGate(root, runs.src)] : []),
  ];

  for (const line of kataTable(runs.katas)) write(line);
  write('');
  let passed = 0;
  let failed = 0;
  gates.forEach(({ title, checks, failures }, i) => {
    const failedChecks = Math.min(new Set(failures.map(([check]) => check)).size, checks);
    passed += checks - failedChecks;
    failed += failedChecks;
    write(`${i + 1}. ${title}: ${failures.length === 0 ? pc.green('ok') : pc.red(`${failedChecks} failed`)}`);
    for (const [, line] of failures) write(`   ${pc.red('✗')} ${line}`);
  });
  write(`\nVerified in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  write(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
