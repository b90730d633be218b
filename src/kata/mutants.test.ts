import { describe, expect, it } from 'vitest';
import { applyMutant, MutantMismatchError } from './mutants.ts';

describe('applyMutant', () => {
  const source = 'if (a < b) return a;\nreturn b;\n';

  it('should replace the one occurrence of the find text', () => {
    expect(applyMutant(source, { name: 'flip', find: 'a < b', replace: 'a <= b' })).toBe('if (a <= b) return a;\nreturn b;\n');
  });

  it('should reject a find text that is not in the source', () => {
    expect(() => applyMutant(source, { name: 'gone', find: 'a > b', replace: 'x' })).toThrow(MutantMismatchError);
  });

  it('should reject a find text that occurs more than once', () => {
    expect(() => applyMutant(source, { name: 'twice', find: 'return', replace: 'yield' })).toThrow(/more than once/);
  });

  it('should reject an empty find text and a replacement equal to it', () => {
    expect(() => applyMutant(source, { name: 'empty', find: '', replace: 'x' })).toThrow(MutantMismatchError);
    expect(() => applyMutant(source, { name: 'same', find: 'a < b', replace: 'a < b' })).toThrow(/same text/);
  });
});
