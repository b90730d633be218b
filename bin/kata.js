#!/usr/bin/env node
// The `kata` command: the runner is TypeScript, loaded through tsx in this same process.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  // A fresh clone before `npm install`: say what to do rather than print a stack trace.
  console.error('The kata runner needs its dependencies, which are not installed: run `npm install`, then try again.');
  process.exit(1);
}

register();
const { processContext, runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processContext());
// Test workers and file watchers may hold the event loop open; the command is done.
process.exit();
