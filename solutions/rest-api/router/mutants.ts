import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'a parameter wins over a static segment (the parameter child is tried first)',
    find: `    const child = node.statics.get(segment);
    if (child !== undefined) {
      const found = this.#find(child, segments, depth + 1, method, values);
      if (found !== undefined) return found;
    }
    if (node.param !== undefined && segment !== '') {
      values.push(segment);
      const found = this.#find(node.param, segments, depth + 1, method, values);
      if (found !== undefined) return found;
      values.pop();
    }
    return undefined;`,
    replace: `    if (node.param !== undefined && segment !== '') {
      values.push(segment);
      const found = this.#find(node.param, segments, depth + 1, method, values);
      if (found !== undefined) return found;
      values.pop();
    }
    const child = node.statics.get(segment);
    if (child !== undefined) {
      const found = this.#find(child, segments, depth + 1, method, values);
      if (found !== undefined) return found;
    }
    return undefined;`,
  },
  {
    name: 'no backtracking: once a static child matches the segment, the parameter is never tried',
    find: `    if (child !== undefined) {
      const found = this.#find(child, segments, depth + 1, method, values);
      if (found !== undefined) return found;
    }`,
    replace: `    if (child !== undefined) return this.#find(child, segments, depth + 1, method, values);`,
  },
  {
    name: 'Allow lists the registered methods only, without HEAD and OPTIONS',
    find: `  if (allow.has('GET')) allow.add('HEAD');
  allow.add('OPTIONS');
`,
    replace: '',
  },
  {
    name: 'HEAD returns the body of the GET response',
    find: `return req.method === 'HEAD' ? withoutBody(res) : res;`,
    replace: `return res;`,
  },
  {
    name: 'parameters are not percent-decoded',
    find: `    return pathname.slice(1).split('/').map(decodeURIComponent);`,
    replace: `    return pathname.slice(1).split('/');`,
  },
  {
    name: 'a method that does not match answers 404 instead of 405',
    find: `    return problem(405, { detail: \`\${req.method} is not allowed on \${url.pathname}; use \${allow}.\`, headers: { allow } });`,
    replace: `    return problem(404, { detail: \`No route matches \${url.pathname}.\` });`,
  },
  {
    name: 'malformed percent-encoding escapes as a URIError (a 500)',
    find: `  try {
    return pathname.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }`,
    replace: `  return pathname.slice(1).split('/').map(decodeURIComponent);`,
  },
]);
