import { describe, expect, it } from 'vitest';
import { coloredDiff } from './diff.ts';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('coloredDiff', () => {
  it('should produce a unified diff with both names', () => {
    const lines = strip(coloredDiff('mine.ts', 'reference.ts', 'a\nb\nc\n', 'a\nB\nc\n')).split('\n');
    expect(lines).toEqual(['--- mine.ts', '+++ reference.ts', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c']);
  });
});
