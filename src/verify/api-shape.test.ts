import ts from 'typescript-compiler-api';
import { afterAll, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../test-utils/temp-repo.ts';
import { compareApis } from './api-shape.ts';


const reference = `
export type Entry = { member: string; score: number };
export interface Options { capacity: number; clock?: { now(): number } }
export class Box<T> {
  #items: T[] = [];
  constructor(options: Options) { void options; }
  get size(): number { return this.#items.length; }
  put(item: T, _count?: number): this { this.#items.push(item); return this; }
  static of<T>(item: T): Box<T> { return new Box<T>({ capacity: 1 }).put(item); }
  #secret(): void {}
}
export function make(entries: Entry[], ...rest: string[]): Map<string, number> { void entries; void rest; return new Map(); }
export const LIMIT = 10;
`;

const cleanStub = reference
  .replace('#items: T[] = [];', '')
  .replace('#secret(): void {}', '')
  .replace(/\{ this\.#items\.push\(item\); return this; \}/, "{ throw new Error('TODO'); }")
  .replace('{ return this.#items.length; }', "{ throw new Error('TODO'); }")
  .replace('put(item: T, _count?: number)', 'put(_item: T, _howMany?: number)');
const missingAndExtra = `${reference.replace('get size(): number { return this.#items.length; }', '')}\nexport const EXTRA = 1;`;
const changed = reference
  .replace('put(item: T, _count?: number): this', 'put(item: T, _count: number): this')
  .replace('capacity: number; clock?', 'capacity: string; clock?')
  .replace('...rest: string[]', '...rest: number[]');

// One program for every case: building one costs about a second.
const repo: TempRepo = tempRepo({ 'reference.ts': reference, 'clean.ts': cleanStub, 'missing.ts': missingAndExtra, 'changed.ts': changed });
const file = (name: string) => `${repo.root}/${name}.ts`;
const program = ts.createProgram({
  rootNames: ['reference', 'clean', 'missing', 'changed'].map(file),
  options: { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, types: [] },
});
const compare = (stub: string) => compareApis(program, file('reference'), file(stub));
afterAll(() => repo.remove());

describe('compareApis', () => {
  it('should find no difference in a stub with other parameter names and no private members', () => {
    expect(compare('clean')).toEqual([]);
  });

  it('should report a missing method and an extra export', () => {
    expect(compare('missing')).toEqual(['- class Box get size: number', '+ const EXTRA: 1']);
  });

  it('should report a changed signature, optionality and type member', () => {
    const differences = compare('changed');
    expect(differences).toContain('- class Box method put: (T, ?number | undefined) => Box<T>');
    expect(differences).toContain('+ class Box method put: (T, number) => Box<T>');
    expect(differences).toContain('- type Options capacity: number');
    expect(differences).toContain('+ type Options capacity: string');
    expect(differences).toContain('+ function make(Entry[], ...number[]) => Map<string, number>');
  });
});
