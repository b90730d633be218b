import { describe, expect, it } from 'vitest';
import { json, problem } from './index.ts';

describe('problem', () => {
  it('should answer application/problem+json with the status phrase as title', async () => {
    const response = problem(404, { detail: 'There is no trip 7.' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'There is no trip 7.' });
  });

  it('should carry extensions and headers, and never let an extension overwrite the standard members', async () => {
    const response = problem(422, { extensions: { errors: [{ pointer: '/date', detail: 'bad' }], status: 200 }, headers: { 'x-a': '1' } });
    expect(response.headers.get('x-a')).toBe('1');
    expect(await response.json()).toEqual({ type: 'about:blank', title: 'Unprocessable Content', status: 422, errors: [{ pointer: '/date', detail: 'bad' }] });
  });

  it('should take a type and a title of its own', async () => {
    const body = await problem(409, { type: 'https://example.com/problems/full', title: 'Trip full' }).json();
    expect(body).toMatchObject({ type: 'https://example.com/problems/full', title: 'Trip full', status: 409 });
  });
});

describe('json', () => {
  it('should answer application/json', async () => {
    const response = json(201, { id: 1 }, { location: '/x/1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('location')).toBe('/x/1');
    expect(await response.json()).toEqual({ id: 1 });
  });
});
