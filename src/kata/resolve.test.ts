import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Kata } from './catalog.ts';
import { editDistance, resolveKata } from './resolve.ts';

const kata = (number: number, id: string): Kata => {
  const [track, name] = id.split('/') as [string, string];
  return { id, track, name, number, meta: { title: name, teaches: '', difficulty: 'easy', minutes: 1, order: number }, files: {} as Kata['files'] };
};
const katas = [
  kata(1, 'data-structures/lru-cache'),
  kata(2, 'data-structures/lfu-cache'),
  kata(3, 'data-structures/skip-list'),
  kata(4, 'system-design/rate-limiter'),
];
const found = (query: string) => {
  const result = resolveKata(katas, query);
  return result.kind === 'found' ? result.kata.id : result.kind;
};

describe('resolveKata', () => {
  it.each([
    { query: 'lru-cache', id: 'data-structures/lru-cache' },
    { query: 'data-structures/skip-list', id: 'data-structures/skip-list' },
    { query: '4', id: 'system-design/rate-limiter' },
    { query: 'lru', id: 'data-structures/lru-cache' },
    { query: 'RATE', id: 'system-design/rate-limiter' },
    { query: 'exercises/data-structures/lfu-cache/', id: 'data-structures/lfu-cache' },
  ])('should find $id from "$query"', ({ query, id }) => {
    expect(found(query)).toBe(id);
  });

  it('should report an ambiguous prefix with its candidates', () => {
    const result = resolveKata(katas, 'l');
    expect(result.kind).toBe('ambiguous');
    expect(result.kind === 'ambiguous' && result.candidates.map((k) => k.name)).toEqual(['lru-cache', 'lfu-cache']);
  });

  it('should suggest the closest names for a typo', () => {
    const result = resolveKata(katas, 'lur');
    expect(result.kind).toBe('unknown');
    expect(result.kind === 'unknown' && result.suggestions[0]?.name).toBe('lru-cache');
  });

  it('should suggest nothing for a name far from every kata', () => {
    expect(resolveKata(katas, 'kubernetes-operator')).toEqual({ kind: 'unknown', suggestions: [] });
  });

  it('should not treat a number outside the path as a kata', () => {
    expect(found('99')).toBe('unknown');
  });
});

describe('editDistance', () => {
  it('should count insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('lru', 'lru')).toBe(0);
  });

  it('should be symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
      }),
    );
  });
});
