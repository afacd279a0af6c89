import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test files that replace a module with vi.mock, or give the renderer's modules the browser globals
 * they read when they load (localStorage, navigator): each gets a module registry and globals of its own.
 */
const isolated = [
  'main/electron/securityChecklist.test.ts',
  'main/electron/windowLayoutKeeper.test.ts',
  'renderer/i18n/i18n.test.ts',
  'renderer/i18n/format.test.ts',
  'scripts/docsKeys.test.ts',
];

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
          exclude: ['**/node_modules/**', ...isolated],
          // A worker keeps its imported modules from one test file to the next: importing the core's
          // module graph afresh for each of ~150 files: 202.7 s → 138.6 s here (docs/architecture.md, Tests).
          // Safe because no file here mocks a module or leaves a global behind (checked after each file
          // by test/sharedWorkerGlobals.ts); those run isolated below.
          isolate: false,
          setupFiles: [fileURLToPath(new URL('test/sharedWorkerGlobals.ts', import.meta.url))],
        },
      },
      { extends: true, test: { name: 'isolated', include: isolated, isolate: true } },
    ],
  },
});
