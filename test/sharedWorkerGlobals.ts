import { afterAll, expect } from 'vitest';

/**
 * Setup of Vitest's `shared` project (vitest.config.ts), where one worker runs test file after test
 * file with the modules it imported kept: a file that leaves a global behind changes what the next
 * file sees (a `navigator` without `userAgent` once broke exifr's import in the next file, and only
 * when the files happened to share a worker). Each file must leave globalThis as it found it; files
 * that need browser globals or mocks belong to the `isolated` project.
 */
const before = new Set(Object.getOwnPropertyNames(globalThis));
/** Globals a library defines for itself when first imported, the same for every file after it. */
const LIBRARY_GLOBALS = /^__zod_global(Config|Registry)$/;

afterAll(() => {
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name) && !LIBRARY_GLOBALS.test(name));
  expect(added, 'globals this test file left behind (move it to the isolated project in vitest.config.ts, or restore them)').toEqual([]);
});
