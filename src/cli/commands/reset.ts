import path from 'node:path';
import { Workspace } from '../../runner/workspace.ts';
import { findKata, type CommandContext } from '../context.ts';

/** `reset <kata>`: restores the stub, keeping the learner's file under `.kata/backups/`. */
export async function reset(context: CommandContext, query: string | undefined): Promise<number> {
  const workspace = new Workspace(context.root);
  try {
    const kata = findKata(workspace.catalog, query);
    const file = path.relative(context.root, kata.files.stub);
    let backup: string | undefined;
    try {
      backup = workspace.reset(kata);
    } catch (err: unknown) {
      context.err(`cannot reset ${kata.name}: ${(err as Error).message}`);
      return 1;
    }
    if (backup === undefined) {
      context.out(`${file} already matches the committed version; nothing to reset.`);
    } else {
      context.out(`Restored the stub of ${file}.`);
      context.out(`Your version is saved in ${path.relative(context.root, backup)}.`);
    }
    return 0;
  } finally {
    await workspace.close();
  }
}
