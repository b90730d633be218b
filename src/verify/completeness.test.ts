import { describe, expect, it } from 'vitest';
import { checkHints, checkReadme } from './completeness.ts';

const question = (n: number) => `### Question ${n}?\nAn answer.\n`;
const readme = (sections: Record<string, string>) =>
  `# A kata\n\n> One line.\n\n${Object.entries(sections)
    .map(([title, body]) => `## ${title}\n\n${body}\n`)
    .join('\n')}`;
const complete = {
  'The idea': 'Words.',
  'In production': 'Redis.',
  Complexity: 'O(1).',
  'Interview questions': [1, 2, 3].map(question).join('\n'),
  'Your task': 'Implement it.',
};

describe('checkReadme', () => {
  it('should accept a README with every section in order', () => {
    expect(checkReadme(readme(complete))).toEqual([]);
  });

  it('should name a missing section', () => {
    const { Complexity: _, ...rest } = complete;
    expect(checkReadme(readme(rest))).toEqual(['README.md has no "## Complexity" section']);
  });

  it('should notice sections out of order and empty ones', () => {
    const { 'Your task': task, ...rest } = complete;
    expect(checkReadme(readme({ 'Your task': task, ...rest }))).toContain('README.md: "## Your task" is out of order');
    expect(checkReadme(readme({ ...complete, 'The idea': '' }))).toContain('README.md: "## The idea" is empty');
  });

  it('should count the interview questions', () => {
    const problems = checkReadme(readme({ ...complete, 'Interview questions': question(1) }));
    expect(problems).toEqual(['README.md has 1 interview questions ("### " headings), at least 3 wanted']);
  });

  it('should want a title', () => {
    expect(checkReadme(readme(complete).replace('# A kata', 'A kata'))).toContain('README.md has no "# " title');
  });
});

describe('checkHints', () => {
  it('should want at least three hints, none empty', () => {
    expect(checkHints('## One\na\n## Two\nb\n## Three\nc\n')).toEqual([]);
    expect(checkHints('## One\na\n## Two\n\n')).toEqual([
      'hints.md has 2 hints ("## " sections), at least 3 wanted',
      'hints.md: hint "Two" is empty',
    ]);
  });
});
