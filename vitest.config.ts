import { defineConfig } from 'vitest/config';

/** Test files that replace a module with vi.mock: they get a module registry of their own. */
const mocking = ['main/electron/securityChecklist.test.ts', 'main/electron/windowLayoutKeeper.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: spreading SQLite files and loopback servers over more workers only adds contention.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['common/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...mocking],
          // A worker keeps its imported modules from one test file to the next: importing the core's
          // module graph afresh for each of ~150 files: 202.7 s → 138.6 s here (docs/architecture.md, Tests).
          // Safe because no file here mocks a module or patches a global; those run isolated below.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: mocking, isolate: true } },
    ],
  },
});
