#!/usr/bin/env node
// The `kata` command: the runner is TypeScript, loaded through tsx in this same process.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
