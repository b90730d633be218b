import path from 'node:path';
import pc from 'picocolors';
import { Workspace } from '../../runner/workspace.ts';
import { findKata, type CommandContext } from '../context.ts';
import { coloredDiff } from '../diff.ts';

/** `diff <kata> [--spoil]`: the learner's file against the reference, once solved. */
export async function diff(context: CommandContext, query: string | undefined, { spoil }: { spoil: boolean }): Promise<number> {
  const workspace = new Workspace(context.root);
  try {
    const kata = findKata(workspace.catalog, query);
    if (!spoil && !workspace.progress.get(kata.id).spoiled && !(await workspace.isSolved(kata))) {
      context.out(`The reference of ${kata.name} stays locked until your tests pass.`);
      context.out(pc.dim(`To look anyway: npm run kata -- diff ${kata.name} --spoil`));
      return 1;
    }
    if (spoil) workspace.progress.update(kata.id, { spoiled: true });
    const yours = path.relative(context.root, kata.files.stub);
    const reference = path.relative(context.root, kata.files.solution);
    const [mine, theirs] = [workspace.learnerCode(kata), workspace.reference(kata)];
    context.out(mine === theirs ? 'Your file is identical to the reference.' : coloredDiff(yours, reference, mine, theirs));
    return 0;
  } finally {
    await workspace.close();
  }
}
