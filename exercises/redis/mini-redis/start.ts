/**
 * Given complete: starts your server so that real clients can talk to it.
 *
 *   npx tsx exercises/redis/mini-redis/start.ts [port]     (default 6380; Ctrl-C stops it)
 *   redis-cli -p 6380
 *   redis-benchmark -p 6380 -t set,get -P 16 -q
 */
import path from 'node:path';
import { createServer } from './mini-redis.ts';

const DEFAULT_PORT = 6380;

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const text = process.argv[2] ?? String(DEFAULT_PORT);
const port = Number(text);
if (!/^\d+$/.test(text) || port < 1 || port > 65_535) fail(`the port must be a whole number from 1 to 65535, got "${text}"`);

let server;
try {
  server = createServer();
} catch (err: unknown) {
  fail(`your createServer does not work yet: ${(err as Error).message}`);
}
server.on('error', (err: NodeJS.ErrnoException) => {
  fail(err.code === 'EADDRINUSE' ? `port ${port} is taken: give another, e.g. npx tsx ${path.relative(process.cwd(), process.argv[1] ?? 'start.ts')} 6381` : err.message);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`mini-redis is listening on 127.0.0.1:${port}. Try: redis-cli -p ${port}   (Ctrl-C stops it)`);
});
