import { loadCatalog } from '../../kata/catalog.ts';
import { DEFAULT_SEED, verify as verifyRepository } from '../../verify/verify.ts';
import { findKata, type CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';

/** `verify [--seed N] [--track T] [kata…]`: the repository's verification (what `npm test` runs). */
export async function verify(
  context: CommandContext,
  queries: readonly string[],
  { seed, track }: { seed?: string | undefined; track?: string | undefined },
): Promise<number> {
  const fcSeed = seed === undefined ? DEFAULT_SEED : Number(seed);
  if (!Number.isSafeInteger(fcSeed)) throw new UsageError(`--seed must be an integer, got "${seed}"`);
  const catalog = loadCatalog(context.root);
  if (track !== undefined && !catalog.tracks.some((t) => t.id === track)) {
    throw new UsageError(`no track "${track}". Tracks: ${catalog.tracks.map((t) => t.id).join(', ')}`);
  }
  const named = queries.map((q) => findKata(catalog, q));
  const inTrack = track === undefined ? [] : catalog.katas.filter((k) => k.track === track);
  const katas = named.length > 0 || track !== undefined ? [...new Set([...inTrack, ...named])] : undefined;
  if (katas !== undefined && katas.length === 0) {
    context.out(`The ${track} track has no katas yet: nothing to verify.`);
    return 0;
  }
  const { failed } = await verifyRepository({ root: context.root, fcSeed, ...(katas ? { katas } : {}), write: context.out });
  return failed === 0 ? 0 : 1;
}
