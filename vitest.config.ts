import { defineConfig } from 'vitest/config';
import { scaled } from './test/helpers/time';

// Kept apart from vite.config.ts: the crx plugin must not run under Vitest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // The fast-check properties take ~1 s idle and were 9 s beside the browser tests on a
          // busy machine: Vitest's 5 s default is too tight for them.
          testTimeout: scaled(15_000),
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts', 'test/compliance/**/*.test.ts'],
          environment: 'node',
          // Limits only: on a loaded machine they stretch (test/helpers/time.ts).
          testTimeout: scaled(60_000),
          hookTimeout: scaled(90_000),
          // One Chromium at a time: the machine has 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
