import fs from 'node:fs';
import zlib from 'node:zlib';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { ParseResult } from '../feeds/adapter';
import { csvAdapter, type CsvConfig } from '../feeds/csv';
import { adapterFor } from '../feeds/registry';
import type { Store } from '../store';
import { ingestBatch } from '../ingest/ingest';
import { systemClock } from '../clock';
import { logIsEmpty, recordHistoryImport, setProfileKind, storedProfileKind, type ProfileKind } from '../db/history';
import { describeLifecycle, LifecycleError, openFor, parseLifecycle, type Lifecycle } from './lifecycle';
import { own } from '../../../common/own';

/** The names a column usually has, per field, in the order they are preferred. */
const USUAL_NAMES: Record<string, string[]> = {
  occurredAt: ['time', 't', 'datetime', 'occurred_at', 'occurredat', 'date', 'occ_date', 'month'],
  lon: ['lon', 'longitude', 'lng', 'long'],
  lat: ['lat', 'latitude'],
  category: ['category', 'offense', 'offence', 'type', 'crime type', 'crime_type'],
  externalId: ['id', 'incident_id', 'case_number', 'uid'],
  closedAt: ['closed_at', 'closedat', 'closed', 'close_time'],
};
/** Names people type in --map, for the record fields they mean. */
const MAP_ALIASES: Record<string, string> = { time: 'occurredAt', t: 'occurredAt', id: 'externalId', closed: 'closedAt', lon: 'lon', lat: 'lat', category: 'category', title: 'title', priority: 'priority', status: 'status', address: 'address' };

export class ImportError extends Error {
  override name = 'ImportError';
}

export function readMaybeGzip(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes) : bytes;
}

function splitHeader(line: string): string[] {
  const sep = [',', ';', '\t', '|'].sort((a, b) => line.split(b).length - line.split(a).length)[0]!;
  return line.split(sep).map((h) => h.trim().replace(/^"|"$/g, '').replace(/^\uFEFF/, ''));
}

/**
 * A CSV column mapping for incidents: explicit `--map field=column` first, then the usual names.
 * Only mapped columns are ever read, so whatever else the file carries stays out of the cache.
 */
export function csvIncidentMapping(headerLine: string, firstRow: string | undefined, map: Record<string, string> = {}): CsvConfig {
  const header = splitHeader(headerLine);
  const lower = new Map(header.map((h) => [h.toLowerCase(), h]));
  const columns: Record<string, string> = {};
  for (const [given, column] of Object.entries(map)) {
    const field = own(MAP_ALIASES, given) ?? given;
    if (!header.includes(column)) throw new ImportError(`--map ${given}=${column}: the file has no column "${column}" (columns: ${header.join(', ')})`);
    columns[field] = column;
  }
  for (const [field, names] of Object.entries(USUAL_NAMES)) {
    if (columns[field]) continue;
    const found = names.map((n) => lower.get(n)).find(Boolean);
    if (found) columns[field] = found;
  }
  for (const needed of ['occurredAt', 'lon', 'lat', 'category']) {
    if (!columns[needed]) {
      const alias = Object.entries(MAP_ALIASES).find(([, f]) => f === needed)?.[0] ?? needed;
      throw new ImportError(`no column for ${alias} (looked for ${USUAL_NAMES[needed]!.join(', ')}); name it with --map ${alias}=COLUMN`);
    }
  }
  columns.title ??= columns.category!;
  // Compact dates (Portland's 20160810) need their format; everything else is ISO-like.
  const sample = firstRow ? splitHeader(firstRow)[header.indexOf(columns.occurredAt!)] : undefined;
  const timeFormat = sample && /^\d{8}$/.test(sample) ? 'yyyymmdd' : undefined;
  return {
    kind: 'incident',
    columns,
    constants: { status: 'new', priority: 3 },
    ...(timeFormat ? { timeFormat } : {}),
    // Historical exports rarely carry a zone; documented: they are read as UTC.
    timesAreUtc: true,
  } as CsvConfig;
}

export interface ImportOutcome {
  stored: number;
  quarantined: number;
  files: number;
  /** Items that got a closing time, from the file or from the lifecycle rule. */
  closed: number;
  /** The rule that closed them, as stored with the import and shown in replay ("none": they never close). */
  lifecycle: string;
  /** What the profile is after the import (an empty profile becomes imported history). */
  kind: ProfileKind;
}

export interface ImportOptions {
  type: string;
  feedId?: string;
  map?: Record<string, string>;
  /** How items without a closing time close: "reports:45m" or "BURGLARY=2h,THEFT=1h,*=30m" (lifecycle.ts). */
  lifecycle?: string;
  onProgress?: (done: number, total: number) => void;
  /** The clock stamping the import (tests pass theirs). */
  now?: () => number;
}

/**
 * Loads past days with their original times: each incident's event is dated when it occurred and,
 * when it closed (the file's closing time, else the stated lifecycle rule), a second when it
 * closed, so replay rebuilds the day as it was. The rule is stored with the import (history_imports).
 */
export function importFiles(store: Store, files: string[], options: ImportOptions): ImportOutcome {
  const now = options.now ?? (() => systemClock.now());
  const feedId = options.feedId ?? `import-${options.type}`;
  const rule = lifecycleOf(options.lifecycle);
  const wasEmpty = logIsEmpty(store.db);
  const totals = { stored: 0, quarantined: 0, files: 0, closed: 0 };
  let closedColumn: string | null = null;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readMaybeGzip(file);
    } catch (error) {
      throw new ImportError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let parsed: ParseResult;
    if (options.type === 'csv') {
      const text = bytes.toString('utf8');
      const [headerLine, firstRow] = text.split(/\r?\n/, 2);
      const config = csvIncidentMapping(headerLine ?? '', firstRow, options.map);
      const closed = config.columns.closedAt;
      closedColumn ??= typeof closed === 'string' ? closed : null;
      parsed = csvAdapter.parse(text, { feedId, config: csvAdapter.configSchema.parse(config), receivedAt: now() });
    } else {
      if (options.map && Object.keys(options.map).length) throw new ImportError('--map applies to CSV files only');
      const adapter = adapterFor(options.type);
      parsed = adapter.parse(bytes, { feedId, config: adapter.configSchema.parse({}), receivedAt: now() });
    }
    const closing = rule ? closedByRule(parsed.records, rule) : parsed.records;
    for (const r of closing) {
      if (r.kind !== 'incident') continue;
      firstAt = Math.min(firstAt ?? r.occurredAt, r.occurredAt);
      lastAt = Math.max(lastAt ?? r.occurredAt, r.occurredAt);
    }
    const { records, closures } = withClosures(closing);
    const chunk = 10_000;
    totals.quarantined += ingestBatch(store, { id: feedId, simulated: false }, { records: [], errors: parsed.errors }, now()).quarantined;
    for (let i = 0; i < records.length; i += chunk) {
      const outcome = ingestBatch(store, { id: feedId, simulated: false }, { records: records.slice(i, i + chunk), errors: [] }, now(), { eventTime: eventTimeOf });
      totals.stored += outcome.stored;
      totals.quarantined += outcome.quarantined;
      options.onProgress?.(Math.min(records.length, i + chunk), records.length);
    }
    // A closed incident went in twice (opened, then closed): count it once.
    totals.stored -= closures;
    totals.closed += closures;
    totals.files++;
  }
  const lifecycle = describeLifecycle(rule, closedColumn);
  recordHistoryImport(store.db, {
    importedAt: now(), feedId, type: options.type, files: files.map((f) => f.split(/[\\/]/).pop()!), lifecycle,
    stored: totals.stored, quarantined: totals.quarantined, closed: totals.closed, firstAt, lastAt,
  });
  // A profile that held nothing is now imported history: it never starts the demo feed (compose.ts).
  let kind = storedProfileKind(store.db);
  if (kind === null && wasEmpty) setProfileKind(store.db, (kind = 'history'));
  return { ...totals, lifecycle, kind: kind ?? 'live' };
}

function lifecycleOf(text: string | undefined): Lifecycle | null {
  try {
    return text ? parseLifecycle(text) : null;
  } catch (error) {
    if (error instanceof LifecycleError) throw new ImportError(error.message);
    throw error;
  }
}

/**
 * Incidents without a closing time get the one the rule gives. A category the rule does not name
 * (and no `*`) stops the import before anything is stored: better than items silently never closing.
 */
function closedByRule(records: FeedRecord[], rule: Lifecycle): FeedRecord[] {
  const unnamed = new Set<string>();
  const out = records.map((r) => {
    if (r.kind !== 'incident' || r.closedAt !== undefined) return r;
    const ms = openFor(rule, r.category);
    if (ms === null) {
      unnamed.add(r.category);
      return r;
    }
    return { ...r, closedAt: r.occurredAt + ms };
  });
  if (unnamed.size) {
    const list = [...unnamed].sort();
    throw new ImportError(`--lifecycle says nothing about ${list.length > 5 ? `${list.slice(0, 5).join(', ')} and ${list.length - 5} more` : list.join(', ')}: add them, or *=DURATION for every other category`);
  }
  return out;
}

/** A record with a closing time becomes two: opened at occurredAt, closed at closedAt. */
function withClosures(records: FeedRecord[]): { records: FeedRecord[]; closures: number } {
  const out: FeedRecord[] = [];
  let closures = 0;
  for (const r of records) {
    if (r.kind === 'incident' && r.closedAt !== undefined) {
      const { closedAt: _closed, ...open } = r;
      out.push({ ...open, status: 'new' }, { ...r, status: 'closed' });
      closures++;
    } else {
      out.push(r);
    }
  }
  return { records: out, closures };
}

function eventTimeOf(record: FeedRecord): number {
  if (record.kind === 'incident') return record.closedAt ?? record.occurredAt;
  // A CAP alert is dated by when it was sent: replay shows it from then on.
  if (record.kind === 'alert') return record.sent;
  return 't' in record && typeof record.t === 'number' ? record.t : Date.now();
}
