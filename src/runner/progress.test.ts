import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../test-utils/temp-repo.ts';
import { hashContent, ProgressStore, statusOf } from './progress.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('statusOf', () => {
  it.each([
    { passed: 5, total: 5, kind: 'solved' },
    { passed: 2, total: 5, kind: 'in-progress' },
    { passed: 0, total: 5, kind: 'not-started' },
    { passed: 0, total: 0, kind: 'not-started' },
  ])('should call $passed of $total passing "$kind"', ({ passed, total, kind }) => {
    expect(statusOf({ passed, total }).kind).toBe(kind);
  });
});

describe('ProgressStore', () => {
  it('should remember results by the content they were measured on', () => {
    repo = tempRepo();
    const store = new ProgressStore(repo.root);
    store.update('t/k', { result: { hash: hashContent('v1'), passed: 3, total: 4 } });
    const reopened = new ProgressStore(repo.root);
    expect(reopened.cachedResult('t/k', 'v1')).toEqual({ hash: hashContent('v1'), passed: 3, total: 4 });
    expect(reopened.cachedResult('t/k', 'v2')).toBeUndefined();
    expect(reopened.cachedResult('t/other', 'v1')).toBeUndefined();
  });

  it('should merge updates of one kata', () => {
    repo = tempRepo();
    const store = new ProgressStore(repo.root);
    store.update('t/k', { hintsShown: 2 });
    store.update('t/k', { spoiled: true });
    expect(new ProgressStore(repo.root).get('t/k')).toEqual({ hintsShown: 2, spoiled: true });
  });

  it.each([
    { case: 'not JSON', content: '{ "version": 1, "katas": {' },
    { case: 'another version', content: '{ "version": 7, "katas": {} }' },
    { case: 'a wrong shape', content: '{ "version": 1, "katas": [] }' },
  ])('should set aside a corrupt file ($case) with a warning and start afresh', ({ content }) => {
    repo = tempRepo({ '.kata/progress.json': content });
    const store = new ProgressStore(repo.root);
    expect(store.warning).toMatch(/unreadable.*moved to progress\.json\.corrupt-\d+/);
    expect(store.get('t/k')).toEqual({});
    const kept = readdirSync(path.join(repo.root, '.kata')).find((f) => f.startsWith('progress.json.corrupt-'))!;
    expect(readFileSync(path.join(repo.root, '.kata', kept), 'utf8')).toBe(content);
    store.update('t/k', { hintsShown: 1 });
    expect(new ProgressStore(repo.root).warning).toBeUndefined();
  });

  it('should create nothing on disk until something is recorded', () => {
    repo = tempRepo();
    new ProgressStore(repo.root).get('t/k');
    expect(existsSync(path.join(repo.root, '.kata'))).toBe(false);
  });
});
