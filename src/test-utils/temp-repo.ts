/** Throw-away repositories on disk for the runner's own tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempRepo {
  readonly root: string;
  write(file: string, content: string): void;
  remove(): void;
}

/** A temporary folder holding `files` (relative path -> content). */
export function tempRepo(files: Record<string, string> = {}): TempRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kata-test-'));
  const write = (file: string, content: string) => {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  };
  for (const [file, content] of Object.entries(files)) write(file, content);
  return { root, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export const tracksJson = (...ids: string[]) => JSON.stringify(ids.map((id) => ({ id, title: id.toUpperCase() })));

export const kataJson = (order: number, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ title: 'A kata', teaches: 'something', difficulty: 'easy', minutes: 10, order, ...overrides });
