import pc from 'picocolors';
import { Workspace } from '../../runner/workspace.ts';
import { progressBar, statusLabel } from '../../runner/render.ts';
import type { CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';

/** `list [--track T]`: every kata of the path with its status. */
export async function list(context: CommandContext, { track }: { track?: string | undefined }): Promise<number> {
  const workspace = new Workspace(context.root);
  try {
    const { catalog } = workspace;
    if (track !== undefined && !catalog.tracks.some((t) => t.id === track)) {
      throw new UsageError(`no track "${track}". Tracks: ${catalog.tracks.map((t) => t.id).join(', ')}`);
    }
    const katas = catalog.katas.filter((k) => track === undefined || k.track === track);
    if (workspace.progress.warning) context.err(pc.yellow(`warning: ${workspace.progress.warning}`));
    const unchecked = katas.length - workspace.cachedStatuses(katas).size;
    if (unchecked > 0) context.err(pc.dim(`Running the tests of ${unchecked} kata${unchecked === 1 ? '' : 's'} whose files changed…`));
    const statuses = await workspace.statuses(katas);
    const solved = katas.filter((k) => statuses.get(k.id)?.kind === 'solved').length;
    context.out(`${progressBar(solved, katas.length)} ${solved} of ${katas.length} katas solved`);
    const nameWidth = Math.max(...katas.map((k) => k.name.length));
    let currentTrack: string | undefined;
    for (const kata of katas) {
      if (kata.track !== currentTrack) {
        currentTrack = kata.track;
        context.out(`\n${pc.bold(catalog.tracks.find((t) => t.id === kata.track)?.title ?? kata.track)}`);
      }
      const status = statuses.get(kata.id);
      const label = statusLabel(status);
      const padding = ' '.repeat(Math.max(0, 16 - stripAnsi(label).length));
      context.out(
        `  ${String(kata.number).padStart(3)}  ${kata.name.padEnd(nameWidth)}  ${label}${padding}  ${kata.meta.difficulty.padEnd(6)}  ${String(kata.meta.minutes).padStart(3)} min`,
      );
    }
    return 0;
  } finally {
    await workspace.close();
  }
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
