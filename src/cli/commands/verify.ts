import { loadCatalog } from '../../kata/catalog.ts';
import { DEFAULT_SEED, verify as verifyRepository } from '../../verify/verify.ts';
import { findKata, type CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';

/** `verify [--seed N] [kata…]`: the repository's verification (what `npm test` runs). */
export async function verify(context: CommandContext, queries: readonly string[], { seed }: { seed?: string | undefined }): Promise<number> {
  const fcSeed = seed === undefined ? DEFAULT_SEED : Number(seed);
  if (!Number.isSafeInteger(fcSeed)) throw new UsageError(`--seed must be an integer, got "${seed}"`);
  const catalog = loadCatalog(context.root);
  const katas = queries.length > 0 ? queries.map((q) => findKata(catalog, q)) : undefined;
  const { failed } = await verifyRepository({ root: context.root, fcSeed, ...(katas ? { katas } : {}), write: context.out });
  return failed === 0 ? 0 : 1;
}
