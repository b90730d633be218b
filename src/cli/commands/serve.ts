import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pc from 'picocolors';
import { runnerImport } from 'vite';
import { serve, type Handler } from '../../http/index.ts';
import { exercisesDir } from '../../kata/layout.ts';
import { kataSources } from '../../vitest/kata-plugin.ts';
import type { CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';

/** What `exercises/rest-api/server.ts` exports: the REST track's katas put together. */
interface ServerModule {
  createTripsApp(options: { secret: string; onError?: (error: unknown) => void }): { handler: Handler; demoToken: string };
}

const DEFAULT_PORT = 3000;

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`the port must be a whole number from 0 to 65535, got "${text}"`);
  return port;
}

export interface RunningServer {
  readonly base: string;
  readonly demoToken: string;
  close(): Promise<void>;
}

/**
 * Builds the trips app from the references (or the learner's katas with `mine`) and serves it
 * on 127.0.0.1:`port`. `undefined` when the learner's katas cannot build it yet (said on stderr).
 */
export async function startTripsServer(context: CommandContext, { mine, port }: { mine: boolean; port: number }): Promise<RunningServer | undefined> {
  const file = path.join(exercisesDir(context.root), 'rest-api', 'server.ts');
  const target = mine ? 'exercises' : 'solutions';
  const { module } = await runnerImport<ServerModule>(file, {
    configFile: false,
    root: context.root,
    logLevel: 'error',
    plugins: [kataSources({ root: context.root, target })],
  });

  // A fresh secret per run unless one is given: tokens from an earlier run stop working.
  const secret = process.env.JWT_SECRET ?? randomBytes(32).toString('hex');
  let app: ReturnType<ServerModule['createTripsApp']>;
  try {
    app = module.createTripsApp({ secret, onError: (error) => context.err(pc.red(String((error as Error)?.stack ?? error))) });
  } catch (err: unknown) {
    if (!mine) throw err;
    context.err(`${pc.red('Your REST katas cannot run the server yet:')} ${(err as Error).message}`);
    context.err('It needs trips-api, middleware, jwt-auth, rate-limit-headers, idempotency-keys and the rate limiter. `npm run serve` runs the references.');
    return undefined;
  }

  const server = serve(app.handler);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is taken; choose another with PORT=3001 npm run serve`);
    throw err;
  }
  const address = server.address();
  return {
    base: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`,
    demoToken: app.demoToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * `serve [--mine] [--port N]`: the trips API with its middleware on a real HTTP server on
 * localhost, built from the references, or with `--mine` from the learner's own katas. Runs
 * until Ctrl-C.
 */
export async function serveTrips(context: CommandContext, { mine, port }: { mine: boolean; port: string | undefined }): Promise<number> {
  const running = await startTripsServer(context, { mine, port: parsePort(port ?? process.env.PORT) });
  if (running === undefined) return 1;
  const { base } = running;
  context.out(`The trips API (${mine ? 'your katas' : 'the references'}) is listening on ${pc.bold(base)}. Ctrl-C stops it.`);
  context.out();
  context.out(`A token for writes (role planner, valid one hour):\n  TOKEN=${running.demoToken}`);
  context.out();
  context.out(pc.dim('Try:'));
  context.out(`  curl -i ${base}/api/trips`);
  context.out(`  curl -i -X POST ${base}/api/trips -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`);
  context.out(`       -d '{"origin":"Lyon","destination":"Turin","date":"2026-12-24","seats_available":3}'`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  context.out('Stopped.');
  return 0;
}
