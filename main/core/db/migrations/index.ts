import type { Database } from 'better-sqlite3';
import m0001 from './0001-initial';
import m0002 from './0002-units-cameras-alerts';
import m0003 from './0003-incidents-rtree';
import m0004 from './0004-replay-index';
import m0005 from './0005-operator-actions';
import m0006 from './0006-annotations';
import m0007 from './0007-feed-health-retention';
import m0008 from './0008-hub-sync';
import m0009 from './0009-incident-source-time';
import m0010 from './0010-audit-checkpoint';
import m0011 from './0011-events-kind';
import m0012 from './0012-replay-ranges';
import m0013 from './0013-alarms';
import m0014 from './0014-handover';
import m0015 from './0015-history-lifecycle';
import m0016 from './0016-training-script';
import m0017 from './0017-citizen-media';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Numbered, append-only. Never edit a migration that has shipped: add the next one. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017];

