import { describe, expect, it } from 'vitest';
import { parseHints } from './hints.ts';

describe('parseHints', () => {
  it('should split a file into its level-two sections, in order', () => {
    const markdown = '## Nudge\n\nThink about maps.\n\n## Approach\nTwo structures.\n### not a hint\nstill the approach\n';
    expect(parseHints(markdown)).toEqual([
      { title: 'Nudge', body: 'Think about maps.' },
      { title: 'Approach', body: 'Two structures.\n### not a hint\nstill the approach' },
    ]);
  });

  it('should ignore text before the first hint and handle CRLF', () => {
    expect(parseHints('preamble\r\n## Only\r\nbody\r\n')).toEqual([{ title: 'Only', body: 'body' }]);
  });

  it('should find no hints in a file without sections', () => {
    expect(parseHints('just text')).toEqual([]);
  });
});
