/**
 * Forgiving kata names: `lru-cache`, `data-structures/lru-cache`, the number shown by `list`,
 * or a unique prefix such as `lru` all name the same kata.
 */
import type { Kata } from './catalog.ts';

export type Resolution =
  | { readonly kind: 'found'; readonly kata: Kata }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly Kata[] }
  | { readonly kind: 'unknown'; readonly suggestions: readonly Kata[] };

/** Edit distance between `a` and `b` (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function resolveKata(katas: readonly Kata[], query: string): Resolution {
  const wanted = query.trim().toLowerCase().replace(/\/+$/, '').replace(/^exercises\//, '');
  if (/^\d+$/.test(wanted)) {
    const kata = katas.find((k) => k.number === Number(wanted));
    if (kata) return { kind: 'found', kata };
  }
  const exact = katas.find((k) => k.id === wanted || k.name === wanted);
  if (exact) return { kind: 'found', kata: exact };

  const prefixed = katas.filter((k) => k.name.startsWith(wanted) || k.id.startsWith(wanted));
  if (wanted !== '' && prefixed.length === 1) return { kind: 'found', kata: prefixed[0]! };
  if (wanted !== '' && prefixed.length > 1) return { kind: 'ambiguous', candidates: prefixed };

  const scored = katas
    .map((kata) => ({
      kata,
      // A typo in the whole name, or in a prefix of it ("lur" for "lru-cache").
      distance: Math.min(editDistance(wanted, kata.name), editDistance(wanted, kata.name.slice(0, wanted.length)) + 1),
    }))
    .filter(({ kata, distance }) => distance <= Math.max(2, Math.floor(kata.name.length / 3)) || (wanted.length > 2 && kata.name.includes(wanted)))
    .sort((a, b) => a.distance - b.distance);
  return { kind: 'unknown', suggestions: scored.slice(0, 3).map(({ kata }) => kata) };
}
