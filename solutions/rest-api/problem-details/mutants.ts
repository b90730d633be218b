import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'validation stops at the first error',
    find: `  check(schema, value, '', errors);
  return errors;`,
    replace: `  check(schema, value, '', errors);
  return errors.slice(0, 1);`,
  },
  {
    name: 'member names are not escaped in pointers',
    find: `const escapeToken = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');`,
    replace: `const escapeToken = (token: string): string => token;`,
  },
  {
    name: 'escapes / before ~, so "a/b" becomes "a~01b"',
    find: `token.replaceAll('~', '~0').replaceAll('/', '~1')`,
    replace: `token.replaceAll('/', '~1').replaceAll('~', '~0')`,
  },
  {
    name: 'integer accepts 1.5',
    find: `      if (schema.type === 'integer' && !Number.isInteger(value)) return report('must be an integer');
`,
    replace: '',
  },
  {
    name: 'the size limit relies on Content-Length only',
    find: `    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }`,
    replace: `    size += value.byteLength;`,
  },
  {
    name: 'malformed JSON answers 422 instead of 400',
    find: `return fail(400, { detail: 'The request body is not valid JSON.' });`,
    replace: `return fail(422, { detail: 'The request body is not valid JSON.' });`,
  },
  {
    name: 'a missing required member is not reported',
    find: `      for (const name of schema.required ?? []) {
        if (!Object.hasOwn(value, name)) report('is required', \`\${pointer}/\${escapeToken(name)}\`);
      }
`,
    replace: '',
  },
]);
