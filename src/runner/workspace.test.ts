import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kataJson, tempRepo, tracksJson, type TempRepo } from '../test-utils/temp-repo.ts';
import { Workspace } from './workspace.ts';

const STUB = "export function answer(): number {\n  throw new Error('TODO: implement answer');\n}\n";
const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });

let repo: TempRepo | undefined;
let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.close();
  repo?.remove();
});

function committedRepo(): TempRepo {
  const created = tempRepo({
    'exercises/tracks.json': tracksJson('t'),
    'exercises/t/answer/kata.json': kataJson(1),
    'exercises/t/answer/answer.ts': STUB,
    'exercises/t/answer/hints.md': '## Nudge\nThink.\n## Approach\nReturn it.\n## Almost code\nreturn 42\n',
  });
  git(created.root, 'init', '-q');
  git(created.root, 'add', '-A');
  git(created.root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'stub');
  return created;
}

describe('Workspace#reset', () => {
  it('should restore the committed stub and keep the learner file as a backup', () => {
    repo = committedRepo();
    workspace = new Workspace(repo.root);
    const kata = workspace.catalog.katas[0]!;
    repo.write('exercises/t/answer/answer.ts', 'export function answer(): number {\n  return 42;\n}\n');
    const backup = workspace.reset(kata, new Date('2026-01-02T03:04:05.678Z'))!;
    expect(readFileSync(kata.files.stub, 'utf8')).toBe(STUB);
    expect(path.relative(repo.root, backup)).toBe('.kata/backups/t/answer/2026-01-02T03-04-05-678Z-answer.ts');
    expect(readFileSync(backup, 'utf8')).toContain('return 42;');
  });

  it('should do nothing, and back up nothing, when the file is the committed stub', () => {
    repo = committedRepo();
    workspace = new Workspace(repo.root);
    expect(workspace.reset(workspace.catalog.katas[0]!)).toBeUndefined();
    expect(readdirSync(repo.root)).not.toContain('.kata');
  });

  it('should explain when there is no git history to restore from', () => {
    repo = tempRepo({ 'exercises/tracks.json': tracksJson('t'), 'exercises/t/answer/kata.json': kataJson(1), 'exercises/t/answer/answer.ts': STUB });
    workspace = new Workspace(repo.root);
    expect(() => workspace!.reset(workspace!.catalog.katas[0]!)).toThrow(/cannot read the committed stub/);
  });
});

describe('Workspace#nextHint', () => {
  it('should reveal hints one at a time and remember the level', () => {
    repo = committedRepo();
    workspace = new Workspace(repo.root);
    const kata = workspace.catalog.katas[0]!;
    expect(workspace.nextHint(kata)).toMatchObject({ level: 1, of: 3, hint: { title: 'Nudge' } });
    expect(new Workspace(repo.root).nextHint(kata)).toMatchObject({ level: 2, hint: { title: 'Approach' } });
    expect(workspace.nextHint(kata)).toMatchObject({ level: 3 });
    expect(workspace.nextHint(kata)).toMatchObject({ level: 3, hint: { title: 'Almost code' } });
  });
});
