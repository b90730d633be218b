/**
 * Two measurements of the server, each beside a real Redis when there is one to compare with:
 *
 * 1. `redis-benchmark -t set,get -P 16` (pipelines of 16 commands from 50 connections), when the
 *    `redis-benchmark` program is installed: the servers' own throughput, printed as a table.
 *    The real Redis is the one at REDIS_URL, else a `redis-server` on 127.0.0.1:6379 if one
 *    answers there; its keys are redis-benchmark's own `key:__rand_int__`, so point it at a
 *    server whose data does not matter.
 * 2. ioredis pipelines of 100 SETs then 100 GETs of 64-byte values, as an application would
 *    drive them. ioredis costs as much as the servers here.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, bench, describe } from 'vitest';
import { connectRedis, deleteKeysWithPrefix, redisUrl } from '#redis';
import { createServer } from './mini-redis.ts';

const run = promisify(execFile);

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const miniPort = (server.address() as AddressInfo).port;

interface Throughput {
  set: number;
  get: number;
}

/** Requests per second for SET and GET, or undefined when redis-benchmark is missing or fails. */
async function redisBenchmark(host: string, port: number): Promise<Throughput | undefined> {
  try {
    // -P 16: pipelines of 16; -n: requests per test; --csv: "SET","425531.91",…
    const args = ['-h', host, '-p', String(port), '-t', 'set,get', '-P', '16', '-n', '1000000', '--csv'];
    const { stdout } = await run('redis-benchmark', args, { timeout: 60_000 });
    const rps = (test: string) => Number(/"(\w+)","([\d.]+)"/g.exec(stdout.split('\n').find((line) => line.startsWith(`"${test}"`)) ?? '')?.[2]);
    const result = { set: rps('SET'), get: rps('GET') };
    return Number.isFinite(result.set) && Number.isFinite(result.get) ? result : undefined;
  } catch {
    return undefined;
  }
}

/** The real server to compare with: REDIS_URL's, else the default port if a server answers there. */
async function realServer(): Promise<{ host: string; port: number } | undefined> {
  const url = redisUrl();
  if (url !== undefined) {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  }
  const probe = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  try {
    await probe.connect();
    await probe.ping();
    return { host: '127.0.0.1', port: 6379 };
  } catch {
    return undefined;
  } finally {
    probe.disconnect();
  }
}

const format = (rps: number) => Math.round(rps).toLocaleString('en-US');

const mineThroughput = await redisBenchmark('127.0.0.1', miniPort);
if (mineThroughput === undefined) {
  console.log('redis-benchmark is not installed (it comes with Redis): skipping the server throughput table.');
} else {
  const real = await realServer();
  const realThroughput = real === undefined ? undefined : await redisBenchmark(real.host, real.port);
  const rows = [['server', 'SET req/s', 'GET req/s'], ['mini-redis', format(mineThroughput.set), format(mineThroughput.get)]];
  if (realThroughput !== undefined) {
    rows.push(['redis-server', format(realThroughput.set), format(realThroughput.get)]);
    const share = (mine: number, theirs: number) => `${Math.round((mine / theirs) * 100)}%`;
    rows.push(['mini / redis', share(mineThroughput.set, realThroughput.set), share(mineThroughput.get, realThroughput.get)]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   '));
  console.log(['', 'redis-benchmark -t set,get -P 16 -n 1000000', ...lines, ''].join('\n'));
}

const mini = new Redis({ host: '127.0.0.1', port: miniPort });
// The real server's keys carry a prefix of their own, deleted afterwards.
const prefix = `kata:bench:${randomUUID().slice(0, 8)}:`;
const real = redisUrl() === undefined ? undefined : await connectRedis({ keyPrefix: prefix });

const value = 'x'.repeat(64);

async function setThenGet(client: Redis): Promise<void> {
  const pipeline = client.pipeline();
  for (let i = 0; i < 100; i++) pipeline.set(`key:${i}`, value);
  for (let i = 0; i < 100; i++) pipeline.get(`key:${i}`);
  await pipeline.exec();
}

afterAll(async () => {
  mini.disconnect();
  if (real !== undefined) {
    const admin = await connectRedis();
    await deleteKeysWithPrefix(admin, prefix);
    admin.disconnect();
    real.disconnect();
  }
  await new Promise((resolve) => server.close(resolve));
});

describe('ioredis pipelines of 100 SET and 100 GET, 64-byte values', () => {
  bench('mini-redis', () => setThenGet(mini));
  bench.skipIf(real === undefined)('Redis at REDIS_URL', () => setThenGet(real!));
});
