/**
 * `npm start`: the interactive runner. Watches the current kata's folder, re-runs its tests on
 * every save, and shows progress and the first failure. Single keys drive it on a terminal;
 * without one, output is plain and each input line is read as a key.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import pc from 'picocolors';
import type { Kata } from '../kata/catalog.ts';
import { coloredDiff } from '../cli/diff.ts';
import { TestTimeoutError } from './test-engine.ts';
import { formatFailure, forTerminal, kataHeading, progressBar, skippedLines, statusLabel } from './render.ts';
import { ranCount } from '../vitest/outcomes.ts';
import { Workspace, type KataRun } from './workspace.ts';

export interface WatchOptions {
  readonly root: string;
  /** Start here instead of at the first unsolved kata. */
  readonly kata?: Kata;
  /** Poll the file system instead of relying on file events. */
  readonly poll?: boolean;
  readonly input?: NodeJS.ReadStream;
  readonly output?: NodeJS.WriteStream;
}

const KEYS = `${pc.bold('h')} hint  ${pc.bold('n')} next  ${pc.bold('l')} list  ${pc.bold('s')} compare  ${pc.bold('r')} re-run  ${pc.bold('o')} open  ${pc.bold('q')} quit`;
const DEBOUNCE_MS = 80;

/** File events are unreliable on Windows drives mounted into WSL; poll there. */
function needsPolling(root: string): boolean {
  return process.platform === 'linux' && /microsoft/i.test(os.release()) && root.startsWith('/mnt/');
}

export async function watch({ root, kata: startAt, poll, input = process.stdin, output = process.stdout }: WatchOptions): Promise<number> {
  const workspace = new Workspace(root);
  const interactive = input.isTTY === true && output.isTTY === true;
  let polling = poll ?? needsPolling(root);
  const write = (text: string) => output.write(`${text}\n`);

  let kata: Kata | undefined;
  let lastRun: KataRun | undefined;
  let runProblem: string | undefined;
  let panel: string[] = [];
  let pending: 'skip' | 'spoil' | undefined;
  let running = false;
  let rerun = false;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const render = (): void => {
    if (kata === undefined) return;
    const { catalog } = workspace;
    const solvedCount = [...workspace.cachedStatuses().values()].filter((s) => s.kind === 'solved').length;
    const lines: string[] = [];
    lines.push(`${pc.dim(`Kata ${kata.number} of ${catalog.katas.length}`)}  ${kataHeading(kata)}`);
    lines.push(pc.dim(`Read ${path.relative(root, kata.files.readme)}`));
    lines.push(pc.dim(`Edit ${path.relative(root, kata.files.stub)}: the tests re-run on every save.`));
    lines.push('');
    const passed = lastRun?.outcome.tests.filter((t) => t.state === 'passed').length ?? 0;
    const total = lastRun === undefined ? 0 : ranCount(lastRun.outcome);
    lines.push(`kata  ${progressBar(passed, total)}  ${running ? pc.dim('running…') : `${passed} of ${total} tests pass`}`);
    lines.push(`path  ${progressBar(solvedCount, catalog.katas.length)}  ${solvedCount} of ${catalog.katas.length} katas solved`);
    lines.push('');
    if (runProblem) {
      lines.push(pc.red(runProblem));
    } else if (lastRun) {
      const { outcome, status } = lastRun;
      for (const error of outcome.moduleErrors) lines.push(`${pc.red('The tests could not run:')} ${forTerminal(error.message)}`);
      if (outcome.moduleErrors.length === 0) lines.push(...skippedLines(outcome));
      const failure = outcome.tests.find((t) => t.state === 'failed');
      if (status.kind === 'solved') {
        lines.push(pc.green(pc.bold(`✓ Solved! All ${total} tests pass.`)));
        const next = catalog.katas[kata.number];
        lines.push(`Press ${pc.bold('s')} to compare with the reference${next ? `, ${pc.bold('n')} for the next kata: ${next.meta.title}` : ''}.`);
      } else if (failure) {
        lines.push(...formatFailure(kata, failure, root));
      }
    }
    if (panel.length > 0) lines.push('', ...panel);
    lines.push('', KEYS);
    if (interactive) output.write('\u001b[2J\u001b[3J\u001b[H');
    else write(pc.dim('─'.repeat(60)));
    write(lines.join('\n'));
  };

  const runTests = async (): Promise<void> => {
    if (kata === undefined) return;
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    // A terminal shows "running…" in place; plain output prints only results.
    if (interactive) render();
    try {
      const [result] = await workspace.run([kata]);
      lastRun = result;
      runProblem = result === undefined ? 'The tests did not run.' : undefined;
    } catch (err: unknown) {
      lastRun = undefined;
      runProblem =
        err instanceof TestTimeoutError ? `${err.message}: is there an endless loop in your code? Save a fix to run again.` : `The tests could not run: ${(err as Error).message}`;
    } finally {
      running = false;
    }
    if (rerun) {
      rerun = false;
      return runTests();
    }
    render();
  };

  const startWatching = async (dir: string): Promise<void> => {
    await watcher?.close();
    watcher = watchFiles(dir, { ignoreInitial: true, usePolling: polling, interval: 250 });
    watcher.on('all', (_event, file) => {
      if (!file.endsWith('.ts')) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void runTests(), DEBOUNCE_MS);
    });
    watcher.on('error', () => {
      if (polling) return;
      polling = true;
      panel = [pc.yellow('File events failed here; watching by polling instead.')];
      void startWatching(dir);
    });
  };

  const openKata = async (next: Kata): Promise<void> => {
    kata = next;
    lastRun = undefined;
    runProblem = undefined;
    panel = [];
    pending = undefined;
    await startWatching(next.files.exerciseDir);
    await runTests();
  };

  const goToNext = async (): Promise<void> => {
    if (kata === undefined) return;
    const next = workspace.catalog.katas[kata.number];
    if (next === undefined) {
      panel = [pc.green('That was the last kata of the path.')];
      render();
      return;
    }
    await openKata(next);
  };

  const showList = (): void => {
    const statuses = workspace.cachedStatuses();
    panel = workspace.catalog.katas.map((k) => {
      const marker = k.id === kata?.id ? pc.bold('›') : ' ';
      return `${marker} ${String(k.number).padStart(3)}  ${k.id.padEnd(40)} ${statuses.has(k.id) ? statusLabel(statuses.get(k.id)) : pc.dim('not checked yet')}`;
    });
    render();
  };

  const showReference = (): void => {
    if (kata === undefined) return;
    const [yours, reference] = [workspace.learnerCode(kata), workspace.reference(kata)];
    panel =
      yours === reference
        ? ['Your file is identical to the reference.']
        : coloredDiff(path.relative(root, kata.files.stub), path.relative(root, kata.files.solution), yours, reference).split('\n');
    render();
  };

  const openEditor = (): void => {
    if (kata === undefined) return;
    const editor = process.env.VISUAL ?? process.env.EDITOR;
    if (!editor) {
      panel = [`Set $EDITOR to open files from here. The file to edit is ${path.relative(root, kata.files.stub)}.`];
      render();
      return;
    }
    if (interactive) input.setRawMode(false);
    const result = spawnSync(`${editor} ${JSON.stringify(kata.files.stub)}`, { shell: true, stdio: 'inherit' });
    if (interactive) input.setRawMode(true);
    panel = result.status === 0 ? [] : [pc.yellow(`${editor} exited with ${result.status ?? result.signal}.`)];
    render();
  };

  const onKey = async (key: string): Promise<void> => {
    if (kata === undefined) return;
    if (pending !== undefined) {
      const answer = pending;
      pending = undefined;
      panel = [];
      if (key === 'y' && answer === 'skip') return goToNext();
      if (key === 'y' && answer === 'spoil') {
        workspace.progress.update(kata.id, { spoiled: true });
        return showReference();
      }
      render();
      return;
    }
    switch (key) {
      case 'h': {
        const next = workspace.nextHint(kata);
        panel = next ? [pc.bold(`Hint ${next.level} of ${next.of}: ${next.hint.title}`), '', next.hint.body] : ['This kata has no hints.'];
        render();
        return;
      }
      case 'n':
        if (lastRun?.status.kind === 'solved') return goToNext();
        pending = 'skip';
        panel = [pc.yellow(`${kata.meta.title} is not solved yet. Skip to the next kata anyway? (y/N)`)];
        render();
        return;
      case 'l':
        return showList();
      case 's':
        if (lastRun?.status.kind === 'solved' || workspace.progress.get(kata.id).spoiled) return showReference();
        pending = 'spoil';
        panel = [pc.yellow('The reference shows a full solution. Look before solving it yourself? (y/N)')];
        render();
        return;
      case 'r':
        panel = [];
        return runTests();
      case 'o':
        return openEditor();
      case 'q':
        finish(0);
        return;
      default:
        if (key.trim() !== '') {
          panel = [`Unknown key "${key}".`];
          render();
        }
    }
  };

  const onSignal = () => finish(130);
  process.once('SIGINT', onSignal);
  let lines: readline.Interface | undefined;
  if (interactive) {
    readline.emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      if (key?.ctrl && key.name === 'c') finish(130);
      else void onKey((text ?? key?.name ?? '').toLowerCase());
    });
  } else {
    lines = readline.createInterface({ input });
    lines.on('line', (line) => void onKey(line.trim().toLowerCase().slice(0, 1)));
  }

  try {
    if (workspace.progress.warning) write(pc.yellow(`warning: ${workspace.progress.warning}`));
    write(pc.dim('Checking your progress…'));
    const first = startAt ?? (await workspace.firstUnsolved());
    if (first === undefined) {
      write(pc.green(pc.bold(`Every kata of the path is solved (${workspace.catalog.katas.length} of ${workspace.catalog.katas.length}). Well done!`)));
      return 0;
    }
    await openKata(first);
    return await finished;
  } finally {
    process.off('SIGINT', onSignal);
    clearTimeout(debounce);
    if (interactive) input.setRawMode(false);
    lines?.close();
    input.pause();
    await watcher?.close();
    await workspace.close();
  }
}
