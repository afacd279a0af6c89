import { toEventTable, type EventInput, type EventTable } from './events';

/** A row that was not used, with its 1-based line number and why. */
export interface RowError {
  line: number;
  reason: string;
}

export interface ParsedEvents {
  events: EventTable;
  errors: RowError[];
}

// Accepted column names, first match wins. Matches the evaluation script, so any file it can
// score we can read.
const TIME_COLUMNS = ['t', 'time', 'occ_date', 'month'];
const LON_COLUMNS = ['lon', 'longitude'];
const LAT_COLUMNS = ['lat', 'latitude'];
const CATEGORY_COLUMNS = ['category', 'offense', 'crime type'];

/**
 * Reads `t,lon,lat,category` rows (or the aliases above) from CSV text. Rows that cannot be used
 * are returned as errors, never guessed at; a missing required column throws, since no row
 * could be read.
 */
export function parseEventsCsv(text: string): ParsedEvents {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const find = (names: string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  const ti = find(TIME_COLUMNS), loni = find(LON_COLUMNS), lati = find(LAT_COLUMNS), ci = find(CATEGORY_COLUMNS);
  const missing = [ti < 0 && 't', loni < 0 && 'lon', lati < 0 && 'lat'].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`the CSV header lacks ${missing.join(', ')} (found: ${header.join(', ') || 'nothing'}); ` +
      'the first line must name the columns, e.g. t,lon,lat,category');
  }
  const rows: EventInput[] = [];
  const errors: RowError[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const f = splitCsvLine(line);
    const reason = rowProblem(f, ti, loni, lati);
    if (reason) { errors.push({ line: n + 1, reason }); continue; }
    rows.push({ t: parseTime(f[ti]!)!, lon: Number(f[loni]), lat: Number(f[lati]), category: ci >= 0 ? (f[ci] ?? '').trim() : '' });
  }
  return { events: toEventTable(rows), errors };
}

function rowProblem(f: string[], ti: number, loni: number, lati: number): string | undefined {
  const lonText = (f[loni] ?? '').trim(), latText = (f[lati] ?? '').trim();
  const lon = Number(lonText), lat = Number(latText);
  if (lonText === '' || latText === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) return `lon/lat not numbers: "${lonText}", "${latText}"`;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return `lon/lat out of range: ${lon}, ${lat}`;
  if (lon === 0 && lat === 0) return 'located at 0,0, which means the record was not geocoded';
  if (parseTime(f[ti] ?? '') === undefined) return `time not understood: "${f[ti] ?? ''}" (use ISO 8601, e.g. 2016-08-15T13:00:00Z)`;
  return undefined;
}

/**
 * Times in the formats the protocol's data uses. A time without a zone is taken as UTC, as the
 * evaluation script does. Anything else is refused rather than handed to Date.parse, whose
 * reading of forms like 1/2/2010 depends on the machine's locale and zone.
 */
export function parseTime(raw: string): number | undefined {
  const s = raw.trim();
  let iso: string | undefined;
  if (/^\d{8}$/.test(s)) iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}T00:00:00Z`;
  else if (/^\d{4}-\d{2}$/.test(s)) iso = `${s}-01T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = `${s}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s)) {
    iso = s.replace(' ', 'T');
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += 'Z';
  }
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/** RFC 4180 fields of one line: quotes, doubled quotes inside quotes, commas inside quotes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A short account of unusable rows for a command's stderr: how many, and the first few with reasons. */
export function describeRowErrors(file: string, errors: readonly RowError[], shown = 5): string {
  if (errors.length === 0) return '';
  const lines = errors.slice(0, shown).map((e) => `  line ${e.line}: ${e.reason}`);
  const more = errors.length > shown ? [`  … and ${errors.length - shown} more`] : [];
  return [`${file}: ${errors.length} row(s) skipped, not used in the forecast:`, ...lines, ...more].join('\n');
}
