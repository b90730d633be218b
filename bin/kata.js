#!/usr/bin/env node
// The `kata` command: the runner is TypeScript, loaded through tsx in this same process.
import { register } from 'tsx/esm/api';

register();
const { processContext, runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processContext());
// Test workers and file watchers may hold the event loop open; the command is done.
process.exit();
