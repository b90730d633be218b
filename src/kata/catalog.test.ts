import { afterEach, describe, expect, it } from 'vitest';
import { kataJson, tempRepo, tracksJson, type TempRepo } from '../test-utils/temp-repo.ts';
import { loadCatalog, validateMeta } from './catalog.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('loadCatalog', () => {
  it('should order katas by track, then by their order in the track, and number them', () => {
    repo = tempRepo({
      'exercises/tracks.json': tracksJson('first', 'second'),
      'exercises/second/alpha/kata.json': kataJson(1),
      'exercises/first/zeta/kata.json': kataJson(2),
      'exercises/first/beta/kata.json': kataJson(1),
    });
    const catalog = loadCatalog(repo.root);
    expect(catalog.problems).toEqual([]);
    expect(catalog.katas.map((k) => [k.number, k.id])).toEqual([
      [1, 'first/beta'],
      [2, 'first/zeta'],
      [3, 'second/alpha'],
    ]);
    expect(catalog.katas[0]!.files.stub).toBe(`${repo.root}/exercises/first/beta/beta.ts`);
    expect(catalog.katas[0]!.files.solution).toBe(`${repo.root}/solutions/first/beta/beta.ts`);
  });

  it('should list every metadata problem instead of throwing', () => {
    repo = tempRepo({
      'exercises/tracks.json': tracksJson('first'),
      'exercises/first/no-meta/README.md': '# x',
      'exercises/first/broken/kata.json': '{ not json',
      'exercises/first/bad/kata.json': kataJson(1, { difficulty: 'brutal' }),
      'exercises/first/one/kata.json': kataJson(2),
      'exercises/first/two/kata.json': kataJson(2),
      'exercises/first/Not_Kebab/kata.json': kataJson(3),
      'exercises/stray/thing/kata.json': kataJson(1),
    });
    const { problems, katas } = loadCatalog(repo.root);
    expect(katas.map((k) => k.id)).toEqual(['first/one', 'first/two']);
    expect(problems).toEqual(
      expect.arrayContaining([
        'first/no-meta: kata.json is missing',
        expect.stringMatching(/^first\/broken: kata.json is not valid JSON/),
        expect.stringMatching(/^first\/bad: kata.json "difficulty" must be one of easy, medium, hard/),
        'first/one and first/two share order 2 in their track',
        'first/Not_Kebab: a kata folder is named in kebab-case',
        'exercises/stray/ is not a track listed in exercises/tracks.json',
      ]),
    );
  });

  it('should report a missing tracks.json', () => {
    repo = tempRepo({ 'exercises/first/one/kata.json': kataJson(1) });
    expect(loadCatalog(repo.root).problems[0]).toMatch(/tracks.json cannot be read/);
  });
});

describe('validateMeta', () => {
  it('should accept complete metadata', () => {
    expect(validateMeta(JSON.parse(kataJson(3)))).toEqual({
      meta: { title: 'A kata', teaches: 'something', difficulty: 'easy', minutes: 10, order: 3 },
      problems: [],
    });
  });

  it.each([
    { field: 'title', value: '' },
    { field: 'teaches', value: 42 },
    { field: 'minutes', value: 0 },
    { field: 'order', value: 1.5 },
  ])('should reject a bad $field', ({ field, value }) => {
    const { meta, problems } = validateMeta({ ...JSON.parse(kataJson(1)), [field]: value });
    expect(meta).toBeUndefined();
    expect(problems.join()).toContain(field);
  });

  it('should reject what is not an object', () => {
    expect(validateMeta([1, 2]).problems).toEqual(['is not a JSON object']);
  });
});
