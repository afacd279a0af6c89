import type { Database } from 'better-sqlite3';
import m0001 from './0001-initial';
import m0002 from './0002-units-cameras-alerts';
import m0003 from './0003-incidents-rtree';
import m0004 from './0004-replay-index';
import m0005 from './0005-operator-actions';
import m0006 from './0006-annotations';
import m0007 from './0007-feed-health-retention';
import m0011 from './0011-incident-source-time';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Numbered, append-only. Never edit a migration that has shipped: add the next one. */
/**
 * 8–10 are reserved for branches merged alongside this one (issue 3 holds 11). Integrator: replace
 * these stand-ins with the real migrations at merge; until then they do nothing.
 */
const reserved = (version: number): Migration => ({ version, name: `reserved-${version}`, up() {} });

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, reserved(8), reserved(9), reserved(10), m0011];
