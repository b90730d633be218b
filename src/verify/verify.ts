/**
 * `npm test`: the repository's verification. Six gates, reported in order: typecheck (with the
 * stubs' API against their references'), references pass, stubs fail, mutants caught, katas
 * complete, unit tests of src/. Prints a table per kata and ends with `N passed, M failed`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pc from 'picocolors';
import { loadCatalog, type Kata } from '../kata/catalog.ts';
import { redisUrl } from '../redis/url.ts';
import { notRunLine, skipReasons, skippedWithReason, type ModuleOutcome } from '../vitest/outcomes.ts';
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
  /** What the gate could not check here, and why; not failures. */
  readonly notes?: readonly string[];
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
  const notes: string[] = [];
  for (const { kata, reference } of runs) {
    if (reference.loadError !== undefined) failures.push([kata.id, `${kata.id}: the reference does not load: ${reference.loadError}`]);
    else if (reference.tests.length === 0) failures.push([kata.id, `${kata.id}: no tests`]);
    for (const test of reference.tests) {
      // A test may skip itself with a reason (one that needs a real Redis server, say); a test
      // skipped without one is a test that does not run.
      if (!skippedWithReason(test) && test.state !== 'passed') {
        failures.push([kata.id, `${kata.id}: "${test.name}" ${test.state}${test.failure ? `: ${firstLine(test.failure.message)}` : ''}`]);
      }
    }
    for (const [note, count] of skipReasons(reference.tests)) notes.push(`${kata.id}: ${notRunLine(count, note)}`);
  }
  return { title: 'Every kata passes its tests on the reference', checks: runs.length, failures, notes };
}

function stubGate(root: string, runs: readonly KataRuns[]): Gate {
  const failures: Failure[] = [];
  for (const { kata, stub, reference } of runs) {
    const before = failures.length;
    const notRun = new Set(reference.tests.filter(skippedWithReason).map((t) => t.name));
    if (stub.loadError !== undefined) failures.push([kata.id, `${kata.id}: the stub does not load: ${stub.loadError}`]);
    for (const test of stub.tests) {
      if (test.state !== 'failed' && !notRun.has(test.name)) failures.push([kata.id, `${kata.id}: weak test, ${test.state} on the stub: "${test.name}"`]);
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
  const notes: string[] = [];
  let checks = 0;
  for (const { kata, mutants, mutantsFileProblem } of runs) {
    const notRun = mutants.filter((m) => m.status === 'not run');
    if (notRun.length > 0) notes.push(`${kata.id}: ${notRun.length} mutant${notRun.length === 1 ? '' : 's'} not run: ${notRun[0]!.detail}`);
    checks += 1 + mutants.length - notRun.length;
    if (mutantsFileProblem) failures.push([kata.id, `${kata.id}: ${mutantsFileProblem}`]);
    else if (mutants.length < MIN_MUTANTS) failures.push([kata.id, `${kata.id}: ${mutants.length} mutants, at least ${MIN_MUTANTS} wanted`]);
    for (const mutant of mutants) {
      const check = `${kata.id}: ${mutant.name}`;
      if (mutant.status === 'survived') failures.push([check, `${kata.id}: mutant survived every test: "${mutant.name}"`]);
      if (mutant.status === 'invalid') failures.push([check, `${kata.id}: invalid mutant "${mutant.name}": ${mutant.detail}`]);
    }
  }
  return { title: 'Every mutant is caught by a test', checks, failures, notes };
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
  const rows = runs.map(({ kata, reference, stub, mutants, durationMs }) => {
    // Tests that skipped themselves on the reference (they need a real Redis server, say) are not counted.
    const notRun = new Set(reference.tests.filter(skippedWithReason).map((t) => t.name));
    const stubTests = stub.tests.filter((t) => !notRun.has(t.name));
    return [
    kata.id,
    String(reference.tests.length - notRun.size),
    `${stubTests.filter((t) => t.state === 'failed').length}/${stubTests.length}`,
    `${mutants.filter((m) => m.status === 'caught').length}/${mutants.filter((m) => m.status !== 'not run').length}`,
    `${(durationMs / 1000).toFixed(2)} s`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ');
  return [pc.bold(line(header)), ...rows.map(line)];
}

export async function verify({ root, fcSeed = DEFAULT_SEED, katas, write = console.log }: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const selected = katas ?? loadCatalog(root).katas;
  const server = redisUrl();
  write(`Verifying ${selected.length} ${selected.length === 1 ? 'kata' : 'katas'} (fast-check seed ${fcSeed}; Redis: ${server ?? 'the built-in mock'})\n`);
  if (server !== undefined) {
    // A server that is down would fail every Redis kata one by one; say it once instead.
    const { connectRedis } = await import('../redis/connect.ts');
    try {
      (await connectRedis()).disconnect();
    } catch (err: unknown) {
      write(pc.red((err as Error).message));
      write('0 passed, 1 failed');
      return { passed: 0, failed: 1 };
    }
  }

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
  gates.forEach(({ title, checks, failures, notes = [] }, i) => {
    const failedChecks = Math.min(new Set(failures.map(([check]) => check)).size, checks);
    passed += checks - failedChecks;
    failed += failedChecks;
    write(`${i + 1}. ${title}: ${failures.length === 0 ? pc.green('ok') : pc.red(`${failedChecks} failed`)}`);
    for (const [, line] of failures) write(`   ${pc.red('✗')} ${line}`);
    for (const note of notes) write(`   ${pc.yellow('○')} ${note}`);
  });
  write(`\nVerified in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  write(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
