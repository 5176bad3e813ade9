import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // oclif writes straight to process.stdout; vitest must not swallow it.
    disableConsoleIntercept: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one on this 2-core machine. The real-git cases spend
    // much of their time waiting on git processes, so two workers keep both cores busy.
    maxWorkers: 2,
  },
});
