import type { Migration } from './index';

/**
 * Placeholder: version 3 belongs to a migration on another branch (issue 3/4). When the branches
 * meet, that migration replaces this file and its line in index.ts; nothing is created here.
 */
const migration: Migration = {
  version: 3,
  name: 'reserved',
  up() {},
};
export default migration;
