/**
 * The `kata` command line. Each command returns its exit code: 0 success, 1 a failing result
 * (tests not passing, verification failed), 2 a usage mistake such as an unknown kata.
 * Commands are imported when used: the test runner and the compiler are slow to load, and
 * `hint` or `--help` should not wait for them.
 */
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { loadCatalog } from '../kata/catalog.ts';
import { repoRoot } from '../kata/layout.ts';
import { findKata, type CommandContext } from './context.ts';
import { UsageError } from './errors.ts';

const HELP = `Usage: npm run kata -- <command>   (or: npx kata <command>)

  watch [kata] [--poll]   work through the path: re-runs the tests on every save (npm start)
  list [--track T]        every kata with its status
  run <kata>              run a kata's tests once; exit code 0 when all pass
  hint <kata>             the next hint for a kata
  diff <kata> [--spoil]   your file against the reference (locked until solved)
  reset <kata>            restore the stub; your file is kept under .kata/backups/
  verify [--seed N]       the repository's verification (npm test)
  verify --track T [kata…]  only some katas, e.g. --track redis
  bench [kata…]           benchmarks of the references against well-known libraries
  bench --kata <name>     the same benchmark against your own implementation
  path [--update-readme]  the learning path as a Markdown table
  serve [--mine] [--port N]  the trips API on localhost, from the references or your katas

A kata is named by its name (lru-cache), its id (data-structures/lru-cache), its number
from \`list\`, or a unique prefix (lru).`;

const options = {
  track: { type: 'string' },
  spoil: { type: 'boolean', default: false },
  seed: { type: 'string' },
  kata: { type: 'string' },
  poll: { type: 'boolean', default: false },
  'update-readme': { type: 'boolean', default: false },
  mine: { type: 'boolean', default: false },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function main(argv: readonly string[], context: CommandContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err: unknown) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    context.out(HELP);
    return 0;
  }
  const single = (): string | undefined => {
    if (rest.length > 1) throw new UsageError(`\`${command}\` takes one kata, got: ${rest.join(' ')}`);
    return rest[0];
  };
  switch (command) {
    case undefined:
      context.out(HELP);
      return 2;
    case 'watch': {
      const name = single();
      const { watch } = await import('../runner/watch.ts');
      return watch({ root: context.root, poll: values.poll, ...(name ? { kata: findKata(loadCatalog(context.root), name) } : {}) });
    }
    case 'list':
      return (await import('./commands/list.ts')).list(context, { track: values.track });
    case 'run':
      return (await import('./commands/run.ts')).run(context, single());
    case 'hint':
      return (await import('./commands/hint.ts')).hint(context, single());
    case 'diff':
      return (await import('./commands/diff.ts')).diff(context, single(), { spoil: values.spoil });
    case 'reset':
      return (await import('./commands/reset.ts')).reset(context, single());
    case 'verify':
      return (await import('./commands/verify.ts')).verify(context, rest, { seed: values.seed, track: values.track });
    case 'bench':
      return (await import('./commands/bench.ts')).bench(context, rest, { kata: values.kata });
    case 'path':
      return (await import('./commands/learning-path.ts')).learningPath(context, { updateReadme: values['update-readme'] });
    case 'serve':
      if (rest.length > 0) throw new UsageError(`\`serve\` takes no kata, got: ${rest.join(' ')}`);
      return (await import('./commands/serve.ts')).serveTrips(context, { mine: values.mine, port: values.port });
    default:
      throw new UsageError(`unknown command "${command}".\n\n${HELP}`);
  }
}

/** Runs a command line; a failure becomes a message and an exit code, never a stack trace. */
export async function runCli(argv: readonly string[], context: CommandContext): Promise<number> {
  try {
    return await main(argv, context);
  } catch (err: unknown) {
    if (err instanceof UsageError) {
      context.err(`${pc.red('error:')} ${err.message}`);
      return 2;
    }
    context.err(`${pc.red('error:')} ${(err as Error).message ?? String(err)}`);
    if (process.env.KATA_DEBUG) context.err((err as Error).stack);
    else context.err(pc.dim('(set KATA_DEBUG=1 to see the details)'));
    return 1;
  }
}

/** The context of the `kata` process: this repository (or `KATA_ROOT`), stdout and stderr. */
export const processContext = (): CommandContext => ({
  root: process.env.KATA_ROOT ?? repoRoot,
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line = '') => process.stderr.write(`${line}\n`),
});
