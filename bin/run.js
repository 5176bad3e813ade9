#!/usr/bin/env node
// The pre-push hook runs on every push, so its exact invocation skips oclif's
// start-up; every other command line goes through oclif.
const args = process.argv.slice(2);
const isHook = args.length === 4 && args[0] === 'guard' && args[1] === 'pre-push' && !args[2].startsWith('-') && !args[3].startsWith('-');

if (isHook) {
  const { runPrePushHook } = await import('../dist/entry/pre-push-hook.js');
  process.exitCode = await runPrePushHook(args[2], args[3]);
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
