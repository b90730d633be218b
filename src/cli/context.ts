/** What every command gets: the repository root, output, and the kata a name refers to. */
import pc from 'picocolors';
import type { Catalog, Kata } from '../kata/catalog.ts';
import { resolveKata } from '../kata/resolve.ts';
import { UsageError } from './errors.ts';

export interface CommandContext {
  readonly root: string;
  readonly out: (line?: string) => void;
  readonly err: (line?: string) => void;
}

/** The kata `query` names. @throws {UsageError} naming the closest matches when it names none or several. */
export function findKata(catalog: Catalog, query: string | undefined): Kata {
  if (query === undefined || query.trim() === '') throw new UsageError('which kata? Give a name or number from `npm run kata -- list`.');
  const resolution = resolveKata(catalog.katas, query);
  switch (resolution.kind) {
    case 'found':
      return resolution.kata;
    case 'ambiguous':
      throw new UsageError(`"${query}" matches several katas: ${resolution.candidates.map((k) => k.name).join(', ')}`);
    case 'unknown': {
      const suggestions = resolution.suggestions.map((k) => `  ${pc.bold(k.name)} ${pc.dim(`(${k.number})`)}`);
      throw new UsageError(
        [`no kata named "${query}".`, ...(suggestions.length > 0 ? ['Did you mean:', ...suggestions] : []), 'All katas: npm run kata -- list'].join('\n'),
      );
    }
  }
}
