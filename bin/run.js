#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);

// The pre-push hook runs on every push, so its exact invocation skips oclif's
// start-up and loads one bundled module (built by `npm run build` from
// dist/entry/pre-push-hook.js) instead of resolving some seventy; every other
// command line goes through oclif.
const isHook = args.length === 4 && args[0] === 'guard' && args[1] === 'pre-push' && !args[2].startsWith('-') && !args[3].startsWith('-');

// Commands that may read a whole history run with a small young generation and an
// explicit heap limit: with V8's defaults, collection is deferred and a history
// scan peaks far above its live data. The flags only work on the command line, so
// these commands run node once more (a few tens of ms on scans that take seconds).
const HEAP_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=1024'];
const readsHistory = ['scan', 'verify', 'sync-up', 'status'].includes(args[0]) || (args[0] === 'guard' && ['ci', 'range'].includes(args[1]));
const bounded = process.execArgv.some((flag) => flag.startsWith('--max-old-space-size'));

if (isHook) {
  const { runPrePushHook } = await import('../dist/pre-push-hook.bundle.js');
  process.exitCode = await runPrePushHook(args[2], args[3]);
} else if (readsHistory && !bounded) {
  const child = spawnSync(process.execPath, [...HEAP_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  if (child.status === null) {
    // killed (out of memory aborts) or never started: still a failure, with the documented code
    const why = child.signal ? `was stopped by ${child.signal}` : `could not start (${child.error?.message ?? 'unknown error'})`;
    process.stderr.write(`mirror: error: the command ${why}\n`);
  }
  process.exitCode = child.status ?? 70;
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
