/**
 * `kata serve`: the REST track's server, built from this repository's references and served on
 * an ephemeral loopback port, answers as the README's curl session shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../kata/layout.ts';
import { startTripsServer, type RunningServer } from './commands/serve.ts';

const errors: string[] = [];
let running: RunningServer | undefined;

beforeAll(async () => {
  running = await startTripsServer({ root: repoRoot, out: () => {}, err: (line = '') => errors.push(line) }, { mine: false, port: 0 });
}, 30_000);
afterAll(() => running?.close());

const trip = { origin: 'Lyon', destination: 'Turin', date: '2026-12-24', seats_available: 1 };
const post = (path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${running!.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify(trip),
  });

describe('kata serve', () => {
  it('should serve reads to anyone, with a request id, timing and rate-limit fields', async () => {
    const res = await fetch(`${running!.base}/api/trips`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ trips: [] });
    expect(res.headers.get('x-request-id')).toMatch(/^[\w.-]+$/);
    expect(res.headers.get('server-timing')).toMatch(/^app;dur=/);
    expect(res.headers.get('ratelimit-policy')).toBe('"per-minute";q=60;w=60');
  });

  it('should refuse a write without a token, and take it with the demo token', async () => {
    const refused = await post('/api/trips');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');

    const created = await post('/api/trips', running!.demoToken);
    expect(created.status).toBe(201);
    const { trip_id } = (await created.json()) as { trip_id: string };
    expect((await fetch(`${running!.base}/api/trips/${trip_id}`)).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('should create a trip once for a POST retried with the same Idempotency-Key', async () => {
    const first = await post('/api/trips', running!.demoToken, { 'idempotency-key': 'retry-me' });
    const retry = await post('/api/trips', running!.demoToken, { 'idempotency-key': 'retry-me' });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
  });
});
