import pc from 'picocolors';
import { Workspace } from '../../runner/workspace.ts';
import { findKata, type CommandContext } from '../context.ts';

/** `hint <kata>`: the next hint, from a nudge to near-pseudo-code. */
export async function hint(context: CommandContext, query: string | undefined): Promise<number> {
  const workspace = new Workspace(context.root);
  try {
    const kata = findKata(workspace.catalog, query);
    const next = workspace.nextHint(kata);
    if (next === undefined) {
      context.out(`${kata.id} has no hints.`);
      return 0;
    }
    context.out(pc.bold(`Hint ${next.level} of ${next.of}: ${next.hint.title}`));
    context.out(`\n${next.hint.body}\n`);
    context.out(pc.dim(next.level < next.of ? 'Run the command again for the next hint.' : 'That was the last hint.'));
    return 0;
  } finally {
    await workspace.close();
  }
}
