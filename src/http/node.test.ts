import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { json, remoteAddressOf, serve } from './index.ts';
import type { Handler } from './types.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function start(handler: Handler): Promise<string> {
  const server = serve(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serve', () => {
  it('should hand the handler a web Request and write its Response back', async () => {
    const base = await start(async (req) => {
      const body = await req.text();
      return json(201, { method: req.method, path: new URL(req.url).pathname, body, type: req.headers.get('content-type') }, { location: '/things/1' });
    });
    const response = await fetch(`${base}/things?x=1`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/things/1');
    expect(await response.json()).toEqual({ method: 'POST', path: '/things', body: '{"a":1}', type: 'application/json' });
  });

  it('should tell the handler the client address, for the very request it was given', async () => {
    const base = await start(async (req) => json(200, { address: remoteAddressOf(req) ?? null, copy: remoteAddressOf(new Request(req)) ?? null }));
    expect(await (await fetch(`${base}/`)).json()).toEqual({ address: '127.0.0.1', copy: null });
  });

  it('should answer a problem 500, not drop the connection, when the handler throws', async () => {
    const base = await start(async () => {
      throw new Error('secret detail');
    });
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.text()).not.toContain('secret detail');
  });

  it('should send a HEAD answer without a body, and keep repeated cookies apart', async () => {
    const base = await start(async () => {
      const headers = new Headers();
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(null, { status: 204, headers });
    });
    const response = await fetch(base, { method: 'HEAD' });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });
});
