import pc from 'picocolors';
import { TestTimeoutError } from '../../runner/test-engine.ts';
import { formatFailure, forTerminal, kataHeading, skippedLines } from '../../runner/render.ts';
import { Workspace } from '../../runner/workspace.ts';
import { passedCount, ranCount } from '../../vitest/outcomes.ts';
import { findKata, type CommandContext } from '../context.ts';

/** `run <kata>`: the kata's tests once; exit code 0 when all pass, 1 otherwise. */
export async function run(context: CommandContext, query: string | undefined): Promise<number> {
  const workspace = new Workspace(context.root);
  try {
    const kata = findKata(workspace.catalog, query);
    context.out(kataHeading(kata));
    let result;
    try {
      [result] = await workspace.run([kata]);
    } catch (err: unknown) {
      if (!(err instanceof TestTimeoutError)) throw err;
      context.out(pc.red(`\n${err.message}: is there an endless loop in your code?`));
      return 1;
    }
    if (result === undefined) {
      context.out(pc.red('the tests did not run'));
      return 1;
    }
    const { outcome, status } = result;
    for (const error of outcome.moduleErrors) context.out(`\n${pc.red('The tests could not run:')} ${forTerminal(error.message)}`);
    context.out('');
    // When the file or a hook failed, every test shows as not run: the error above says it all.
    if (outcome.moduleErrors.length === 0) for (const test of outcome.tests) context.out(mark(test.state, test.name));
    const firstFailure = outcome.tests.find((t) => t.state === 'failed');
    if (firstFailure) context.out(['', 'First failure:', '', ...formatFailure(kata, firstFailure, context.root)].join('\n'));
    context.out(`\n${passedCount(outcome)} of ${ranCount(outcome)} tests pass.${status.kind === 'solved' ? pc.green(' Solved!') : ''}`);
    if (outcome.moduleErrors.length === 0) for (const line of skippedLines(outcome)) context.out(line);
    return status.kind === 'solved' ? 0 : 1;
  } finally {
    await workspace.close();
  }
}

function mark(state: string, name: string): string {
  if (state === 'passed') return `${pc.green('✓')} ${pc.dim(name)}`;
  if (state === 'skipped') return `${pc.yellow('○')} ${pc.dim(name)}`;
  return `${pc.red('✗')} ${name}`;
}
