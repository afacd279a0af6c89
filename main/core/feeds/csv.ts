/**
 * CSV of any kind of record, with the column mapping in the feed config: exports from a CAD,
 * open-data files of cameras or incidents, spreadsheets IT drops in a folder. RFC 4180 quoting
 * (separators, quotes and line breaks inside quoted fields), a UTF-8 BOM, and `,` `;` tab or `|`
 * separators, detected from the header line unless configured.
 *
 * Rows without an id column get one from a hash of the row's text, so re-ingesting the same file
 * stores nothing twice; identical rows in one file are numbered (`~2`, `~3`) rather than merged.
 *
 * Only mapped columns are read: whatever else the file holds (names, phone numbers) is never
 * carried. Quarantined rows keep their raw text, which the feed's retention then purges.
 */
import { mediaRefs } from './mediaRefs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CameraFields } from '../../../common/domain/camera';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { IncidentFields } from '../../../common/domain/incident';
import { MarkerFields } from '../../../common/domain/marker';
import { SensorFields } from '../../../common/domain/sensor';
import { UnitFields } from '../../../common/domain/unit';
import { decodeOrQuarantine, clipRaw, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import {
  checkLonLat,
  checkTime,
  clipText,
  fail,
  parseIsoTime,
  PLANNED_AHEAD_MS,
  toNumber,
  toParseError,
  validateRecord,
} from './fieldValues';

const CSV_KINDS = ['incident', 'unit', 'camera', 'sensor', 'marker'] as const;
type CsvKind = (typeof CSV_KINDS)[number];

/**
 * Field names per kind, from the domain schemas: the mapping is checked against them at config
 * load. Alerts are not offered: their areas and lists do not fit in a CSV row.
 */
const FIELDS: Record<CsvKind, readonly string[]> = {
  incident: Object.keys(IncidentFields.shape),
  unit: Object.keys(UnitFields.shape),
  camera: Object.keys(CameraFields.shape),
  sensor: Object.keys(SensorFields.shape),
  marker: Object.keys(MarkerFields.shape),
};

const NUMBER_FIELDS = new Set(['lon', 'lat', 'priority', 'heading', 'speed', 'fieldOfView', 'range']);
const TIME_FIELDS = new Set(['occurredAt', 'closedAt', 't', 'expiresAt', 'sourceUpdatedAt']);
/** How far ahead each time may be: planned times (expiry) further than measured ones. */
const PLANNED_FIELDS = new Set(['expiresAt']);

export const TIME_FORMATS = ['iso', 'epoch_s', 'epoch_ms', 'yyyymmdd', 'dd/mm/yyyy', 'mm/dd/yyyy', 'dd/mm/yy'] as const;

export const CsvConfig = z.object({
  kind: z.enum(CSV_KINDS),
  separator: z.enum([',', ';', '\t', '|']).optional(),
  /** false when the file has no header line: columns are then named by position, "1", "2", … */
  header: z.boolean().optional(),
  /** Record field → column name, or several columns joined with ':' (a composite id). */
  columns: z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(10)])),
  /** Values for fields no column provides, e.g. { "priority": 3, "status": "new" }. */
  constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Per field, source value → record value, e.g. { "category": { "murder": "assault" } }. */
  valueMaps: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))).optional(),
  timeFormat: z.enum(TIME_FORMATS).optional(),
  /** ISO times without an offset, and date-only formats, are read as UTC only when this is set. */
  timesAreUtc: z.boolean().optional(),
  /** "48,85" means 48.85 (French and German exports); needs a separator other than ','. */
  decimalComma: z.boolean().optional(),
}).superRefine((c, ctx) => {
  for (const field of [...Object.keys(c.columns), ...Object.keys(c.constants ?? {})]) {
    if (!FIELDS[c.kind].includes(field)) {
      ctx.addIssue({ code: 'custom', path: ['columns', field], message: `${field} is not a field of ${c.kind} records (${FIELDS[c.kind].join(', ')})` });
    }
  }
  if (c.decimalComma && c.separator === ',') ctx.addIssue({ code: 'custom', path: ['decimalComma'], message: 'needs a separator other than ","' });
});
export type CsvConfig = z.infer<typeof CsvConfig>;

/** What a record of each kind gets when neither a column nor a constant gives it. */
const DEFAULTS: Record<CsvKind, Record<string, string | number>> = {
  incident: { status: 'new', priority: 4 },
  unit: { unitType: 'unknown' },
  camera: { status: 'unknown' },
  sensor: {},
  marker: { affiliation: 'none', markerType: 'point' },
};
const ID_FIELD: Record<CsvKind, string> = { incident: 'externalId', unit: 'unitId', camera: 'externalId', sensor: 'externalId', marker: 'externalId' };

export const csvAdapter: FeedAdapter<CsvConfig> = {
  type: 'csv',
  configSchema: CsvConfig,
  parse(raw, ctx): ParseResult {
    const text = decodeOrQuarantine(raw, ctx);
    if (typeof text !== 'string') return text;
    try {
      return parseCsvRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, ctx.config, ctx.receivedAt);
    } catch (err) {
      return { records: [], errors: [toParseError(text, err)] };
    }
  },
};

function parseCsvRecords(text: string, config: CsvConfig, receivedAt: number): ParseResult {
  const checked = CsvConfig.safeParse(config);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { records: [], errors: [{ raw: clipRaw(text), reason: `feed config: ${issue?.path.join('.')}: ${issue?.message}` }] };
  }
  const separator = config.separator ?? detectSeparator(text);
  const rows = readRows(text, separator);
  const records: FeedRecord[] = [];
  const errors: ParseError[] = [];
  const first = rows[0];
  if (!first) return { records, errors };

  let names: string[];
  let dataRows: Row[];
  if (config.header === false) {
    const width = Math.max(...rows.map((r) => r.cells.length));
    names = Array.from({ length: width }, (_, i) => String(i + 1));
    dataRows = rows;
  } else {
    if (first.error) return { records, errors: [{ raw: clipRaw(first.raw), reason: `header line: ${first.error}` }] };
    names = first.cells.map((c) => c.trim());
    dataRows = rows.slice(1);
  }
  const index = new Map<string, number>();
  names.forEach((n, i) => { if (!index.has(n)) index.set(n, i); });
  for (const [field, cols] of Object.entries(config.columns)) {
    for (const col of Array.isArray(cols) ? cols : [cols]) {
      if (!index.has(col)) {
        return { records, errors: [{ raw: clipRaw(first.raw), reason: `columns.${field}: no column '${col}' in the header (${names.map((n) => `'${n}'`).join(', ')})${separator === ',' && names.length === 1 ? '; is the separator right?' : ''}` }] };
      }
    }
  }

  const idField = ID_FIELD[config.kind];
  const seenIds = new Map<string, number>();
  const hashCounts = new Map<string, number>();
  for (const row of dataRows) {
    try {
      if (row.error) fail(`line ${row.line}`, row.error);
      const record = readRow(row, index, config, idField, receivedAt, hashCounts);
      const id = String((record as Record<string, unknown>)[idField]);
      // A unit appears once per position report; for every other kind a repeated id is a mistake.
      if (config.kind !== 'unit') {
        const earlier = seenIds.get(id);
        if (earlier !== undefined) fail(idField, `'${clipText(id, 80)}' already used on line ${earlier}`);
        seenIds.set(id, row.line);
      }
      records.push(validateRecord(record));
    } catch (err) {
      const e = toParseError(row.raw, err);
      errors.push({ ...e, reason: e.reason.startsWith('line ') ? e.reason : `line ${row.line}: ${e.reason}` });
    }
  }
  return { records, errors };
}

function readRow(
  row: Row, index: Map<string, number>, config: CsvConfig, idField: string, receivedAt: number, hashCounts: Map<string, number>,
): Record<string, unknown> {
  const record: Record<string, unknown> = { kind: config.kind, ...DEFAULTS[config.kind], ...(config.constants ?? {}) };
  for (const [field, cols] of Object.entries(config.columns)) {
    const parts: string[] = [];
    for (const col of Array.isArray(cols) ? cols : [cols]) {
      const i = index.get(col) as number;
      if (i >= row.cells.length) fail(field, `column '${col}' missing in this row (${row.cells.length} of ${index.size} columns)`);
      parts.push((row.cells[i] as string).trim());
    }
    let cell = parts.join(':');
    if (parts.every((p) => p === '')) continue; // empty cell: the field is absent, defaults stay
    const map = config.valueMaps?.[field];
    const mapped = map ? (map[cell] ?? map[cell.toLowerCase()]) : undefined;
    if (mapped !== undefined) {
      record[field] = mapped;
      continue;
    }
    cell = clipText(cell, 4000);
    record[field] = convert(field, cell, config, receivedAt);
  }
  if (record[idField] === undefined) {
    // No id in the file: the row's own text is its identity.
    const hash = createHash('sha1').update(row.raw).digest('hex').slice(0, 16);
    const n = (hashCounts.get(hash) ?? 0) + 1;
    hashCounts.set(hash, n);
    record[idField] = n === 1 ? hash : `${hash}~${n}`;
  }
  if (config.kind === 'sensor' && record.sensorId === undefined) record.sensorId = record.externalId;
  if (config.kind === 'incident' && record.title === undefined && typeof record.category === 'string') record.title = record.category;
  // A file of cameras or positions without times describes them as of its arrival.
  if ((config.kind === 'camera' || config.kind === 'unit' || config.kind === 'marker' || config.kind === 'sensor') && record.t === undefined) {
    record.t = receivedAt;
  }
  if (typeof record.lon === 'number' && typeof record.lat === 'number') checkLonLat('lon', 'lat', record.lon, record.lat);
  return record;
}

function convert(field: string, cell: string, config: CsvConfig, receivedAt: number): unknown {
  if (NUMBER_FIELDS.has(field)) {
    const n = toNumber(cell, config.decimalComma);
    if (n === undefined) fail(field, `'${clipText(cell, 40)}' is not a number`);
    return n;
  }
  if (TIME_FIELDS.has(field)) {
    return checkTime(field, readTime(field, cell, config), receivedAt, PLANNED_FIELDS.has(field) ? PLANNED_AHEAD_MS : undefined);
  }
  if (field === 'value') return toNumber(cell, config.decimalComma) ?? cell;
  // Photo and video addresses (issue 22), several in one cell separated by spaces, commas or |.
  if (field === 'media') return mediaRefs(cell);
  return cell;
}

function readTime(field: string, cell: string, config: CsvConfig): number {
  const format = config.timeFormat ?? 'iso';
  const asNumber = (): number => {
    const n = toNumber(cell);
    if (n === undefined) fail(field, `'${clipText(cell, 40)}' is not a number of ${format === 'epoch_s' ? 'seconds' : 'milliseconds'}`);
    return n;
  };
  switch (format) {
    case 'iso':
      return parseIsoTime(field, cell, config.timesAreUtc);
    case 'epoch_s':
      return asNumber() * 1000;
    case 'epoch_ms':
      return asNumber();
    default: {
      // Date-only and day/month formats carry no zone: read as UTC only when the feed says so.
      if (!config.timesAreUtc) fail(field, `the ${format} format has no UTC offset; set timesAreUtc in the feed config if the file is in UTC`);
      const m = format === 'yyyymmdd'
        ? /^(\d{4})(\d{2})(\d{2})$/.exec(cell)
        : /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(cell);
      if (!m) fail(field, `'${clipText(cell, 40)}' is not a date in the ${format} format`);
      let y: number, mo: number, d: number;
      if (format === 'yyyymmdd') [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      else if (format === 'mm/dd/yyyy') [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      else [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      // Two-digit years (dd/mm/yy, or a short year in the other slash formats): 70–99 → 19xx.
      if (format !== 'yyyymmdd' && m[3]?.length === 2) y += y < 70 ? 2000 : 1900;
      const h = Number(m[4] ?? 0), mi = Number(m[5] ?? 0), s = Number(m[6] ?? 0);
      const ms = Date.UTC(y, mo - 1, d, h, mi, s);
      const back = new Date(ms);
      if (mo < 1 || mo > 12 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) fail(field, `'${clipText(cell, 40)}' is not a real date`);
      return ms;
    }
  }
}

// --- reading rows -----------------------------------------------------------------------------

/**
 * The rows of a CSV text, header first, split as the feed reader splits them (quotes, doubled
 * quotes, CRLF, the separator detected from the header line unless given). For other readers of
 * CSV (the events calendar), so there is one CSV reader.
 */
export function readCsvTable(text: string, separator?: ',' | ';' | '\t' | '|'): Row[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return readRows(body, separator ?? detectSeparator(body));
}

export interface Row {
  cells: string[];
  /** The row's text as received, for quarantine and for ids made from it. */
  raw: string;
  /** 1-based line where the row starts. */
  line: number;
  error?: string;
}

function detectSeparator(text: string): ',' | ';' | '\t' | '|' {
  const firstLine = text.slice(0, Math.min(text.length, 64 * 1024)).split(/\r\n|\n|\r/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best: ',' | ';' | '\t' | '|' = ',';
  let bestCount = 0;
  for (const sep of [',', ';', '\t', '|'] as const) {
    const count = unquoted.split(sep).length - 1;
    if (count > bestCount) [best, bestCount] = [sep, count];
  }
  return best;
}

/**
 * RFC 4180 rows. A quote opens a quoted field only at the start of a field; elsewhere it is a
 * plain character, as spreadsheets write it. An unterminated quote makes the rest of the file one
 * bad row, since no later line break can be trusted to end it.
 */
function readRows(text: string, sep: string): Row[] {
  const rows: Row[] = [];
  const n = text.length;
  const sepCode = sep.charCodeAt(0);
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = i;
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let error: string | undefined;
    let atFieldStart = true;
    for (;;) {
      if (i >= n) {
        cells.push(cell);
        break;
      }
      const c = text.charCodeAt(i);
      if (atFieldStart && c === 0x22 /* " */) {
        const close = findClosingQuote(text, i + 1);
        if (close < 0) {
          error = `quoted field opened on line ${line} is never closed`;
          cells.push(cell + text.slice(i + 1));
          i = n;
          break;
        }
        const body = text.slice(i + 1, close);
        for (let k = body.indexOf('\n'); k >= 0; k = body.indexOf('\n', k + 1)) line++;
        cell += body.replace(/""/g, '"');
        i = close + 1;
        atFieldStart = false;
        continue;
      }
      if (c === sepCode) {
        cells.push(cell);
        cell = '';
        atFieldStart = true;
        i++;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        cells.push(cell);
        i += c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
        line++;
        break;
      }
      // Copy a run of plain characters at once.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === sepCode || d === 0x0a || d === 0x0d) break;
        j++;
      }
      cell += text.slice(i, j);
      i = j;
      atFieldStart = false;
    }
    const raw = text.slice(start, i).replace(/\r?\n$|\r$/, '');
    if (cells.length === 1 && cells[0] === '' && !error) continue; // blank line
    rows.push({ cells, raw, line: startLine, ...(error ? { error } : {}) });
  }
  return rows;
}

/** Index of the quote that closes a quoted field starting at `from`, skipping doubled quotes. */
function findClosingQuote(text: string, from: number): number {
  let k = text.indexOf('"', from);
  while (k >= 0 && text.charCodeAt(k + 1) === 0x22) k = text.indexOf('"', k + 2);
  return k;
}
