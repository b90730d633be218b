/**
 * The catalogue: every kata on disk, in learning-path order. Tracks are ordered by
 * `exercises/tracks.json`; katas within a track by the `order` of their `kata.json`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exercisesDir, kataFiles, repoRoot, type KataFiles } from './layout.ts';

export const difficulties = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof difficulties)[number];

export interface KataMeta {
  readonly title: string;
  /** One line: what the kata teaches. */
  readonly teaches: string;
  readonly difficulty: Difficulty;
  /** Estimated minutes for a first solution. */
  readonly minutes: number;
  /** Position within its track. */
  readonly order: number;
}

export interface Track {
  readonly id: string;
  readonly title: string;
}

export interface Kata {
  /** `<track>/<name>`, e.g. `data-structures/lru-cache`. */
  readonly id: string;
  readonly track: string;
  readonly name: string;
  /** 1-based position in the whole learning path. */
  readonly number: number;
  readonly meta: KataMeta;
  readonly files: KataFiles;
}

export interface Catalog {
  readonly root: string;
  readonly tracks: readonly Track[];
  /** In learning-path order. */
  readonly katas: readonly Kata[];
  /** What is wrong with the metadata, one sentence each; empty when all is well. */
  readonly problems: readonly string[];
}

const KATA_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a parsed `kata.json`; returns the problems found. */
export function validateMeta(value: unknown): { meta?: KataMeta; problems: string[] } {
  if (!isRecord(value)) return { problems: ['is not a JSON object'] };
  const problems: string[] = [];
  const { title, teaches, difficulty, minutes, order } = value;
  if (typeof title !== 'string' || title.trim() === '') problems.push('needs a "title"');
  if (typeof teaches !== 'string' || teaches.trim() === '') problems.push('needs "teaches", one line');
  if (!difficulties.includes(difficulty as Difficulty)) {
    problems.push(`"difficulty" must be one of ${difficulties.join(', ')}, got ${JSON.stringify(difficulty)}`);
  }
  if (!Number.isInteger(minutes) || (minutes as number) <= 0) problems.push('"minutes" must be a positive integer');
  if (!Number.isInteger(order) || (order as number) <= 0) problems.push('"order" must be a positive integer');
  if (problems.length > 0) return { problems };
  return { meta: { title, teaches, difficulty, minutes, order } as KataMeta, problems };
}

function readTracks(root: string, problems: string[]): Track[] {
  const file = path.join(exercisesDir(root), 'tracks.json');
  try {
    const value = readJson(file);
    if (Array.isArray(value) && value.every((t) => isRecord(t) && typeof t.id === 'string' && typeof t.title === 'string')) {
      return value.map((t) => ({ id: t.id as string, title: t.title as string }));
    }
    problems.push('exercises/tracks.json must be an array of { "id", "title" }');
  } catch (err: unknown) {
    problems.push(`exercises/tracks.json cannot be read: ${(err as Error).message}`);
  }
  return [];
}

const subdirectories = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];

/** Reads the catalogue from disk. Never throws for bad metadata: it lists the problems. */
export function loadCatalog(root = repoRoot): Catalog {
  const problems: string[] = [];
  const tracks = readTracks(root, problems);
  const trackIds = new Set(tracks.map((t) => t.id));
  const found: Omit<Kata, 'number'>[] = [];

  for (const track of subdirectories(exercisesDir(root))) {
    if (!trackIds.has(track)) {
      problems.push(`exercises/${track}/ is not a track listed in exercises/tracks.json`);
      continue;
    }
    for (const name of subdirectories(path.join(exercisesDir(root), track))) {
      const id = `${track}/${name}`;
      if (!KATA_NAME.test(name)) {
        problems.push(`${id}: a kata folder is named in kebab-case`);
        continue;
      }
      const files = kataFiles(track, name, root);
      if (!existsSync(files.meta)) {
        problems.push(`${id}: kata.json is missing`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = readJson(files.meta);
      } catch (err: unknown) {
        problems.push(`${id}: kata.json is not valid JSON (${(err as Error).message})`);
        continue;
      }
      const { meta, problems: metaProblems } = validateMeta(parsed);
      problems.push(...metaProblems.map((p) => `${id}: kata.json ${p}`));
      if (meta) found.push({ id, track, name, meta, files });
    }
  }

  const trackIndex = new Map(tracks.map((t, i) => [t.id, i]));
  found.sort((a, b) => trackIndex.get(a.track)! - trackIndex.get(b.track)! || a.meta.order - b.meta.order);
  for (let i = 1; i < found.length; i++) {
    const [prev, kata] = [found[i - 1]!, found[i]!];
    if (prev.track === kata.track && prev.meta.order === kata.meta.order) {
      problems.push(`${prev.id} and ${kata.id} share order ${kata.meta.order} in their track`);
    }
  }
  const katas = found.map((kata, i) => ({ ...kata, number: i + 1 }));
  return { root, tracks, katas, problems };
}
