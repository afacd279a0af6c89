import { PlannedEventFields, PLANNED_KINDS, type PlannedKind } from '../../../common/domain/plannedEvent';
import { clipRaw, type ParseError } from '../feeds/adapter';
import { readCsvTable } from '../feeds/csv';
import { readIcs } from './ics';
import { DEFAULT_CITY_ZONE } from './calendarConfig';

export interface ParsedEvent {
  uid: string;
  fields: PlannedEventFields;
  /** A recurring iCalendar event: stored once, expanded over the window asked. */
  series?: { ics: string; until: number | null };
}
export interface CalendarParse {
  events: ParsedEvent[];
  errors: ParseError[];
}

const KIND_WORDS: [RegExp, PlannedKind][] = [
  [/roadwork|travaux|chantier/i, 'roadworks'],
  [/closure|fermeture|road ?closed|route barrée/i, 'closure'],
  [/demonstration|manifestation|protest|rassemblement/i, 'demonstration'],
  [/market|marché/i, 'market'],
  [/match|stade|stadium|football|rugby/i, 'match'],
  [/festival|concert|fête|event|événement|evenement|parade|défilé/i, 'public_event'],
];

export function kindOf(text: string | undefined): PlannedKind {
  if (!text) return 'other';
  const exact = PLANNED_KINDS.find((k) => k === text.trim().toLowerCase());
  if (exact) return exact;
  return KIND_WORDS.find(([re]) => re.test(text))?.[1] ?? 'other';
}

function check(uid: string, raw: string, candidate: unknown, out: CalendarParse, series?: ParsedEvent['series']): void {
  const parsed = PlannedEventFields.safeParse(candidate);
  if (parsed.success) out.events.push({ uid, fields: parsed.data, ...(series ? { series } : {}) });
  else out.errors.push({ raw: clipRaw(raw), reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ') });
}

/**
 * VEVENTs with GEO (lat;lon), read by ical.js (ics.ts): an event without a place cannot be placed
 * on the map and is refused with why. `cityZone` places floating and all-day times.
 */
export function parseIcs(text: string, cityZone = DEFAULT_CITY_ZONE): CalendarParse {
  const out: CalendarParse = { events: [], errors: [] };
  if (!/BEGIN:VCALENDAR/i.test(text)) return { events: [], errors: [{ raw: clipRaw(text), reason: 'not an iCalendar file (no BEGIN:VCALENDAR).' }] };
  const read = readIcs(text, cityZone);
  for (const e of read.errors) out.errors.push({ raw: clipRaw(e.raw), reason: e.reason });
  for (const e of read.events) {
    if (!e.geo) {
      out.errors.push({ raw: clipRaw(e.raw), reason: `event "${e.summary || e.uid}" has no GEO:lat;lon, so it cannot be placed; add GEO to the event.` });
      continue;
    }
    check(e.uid, e.raw, {
      title: e.summary,
      kind: kindOf(e.kind ?? e.categories ?? e.summary),
      start: e.start,
      end: e.end,
      ...(e.attendance ? { attendance: Number(e.attendance) } : {}),
      ...(e.location ? { location: e.location } : {}),
      ...(e.cancelled ? { cancelled: true } : {}),
      place: { type: 'Point', coordinates: [e.geo[1], e.geo[0]] },
    }, out, e.series);
  }
  return out;
}

const csvTime = (v: string | undefined) => (v ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN);

/**
 * CSV with a header: id, title, kind, start, end (ISO or epoch ms), lat, lon, attendance,
 * location, status (`cancelled`). Split by the feeds' CSV reader: quotes, CRLF, `,` or `;`
 * detected from the header line (not both at once: "Marché, place" stays one cell in a `;` file).
 */
export function parseCsv(text: string): CalendarParse {
  const out: CalendarParse = { events: [], errors: [] };
  const [header, ...rows] = readCsvTable(text);
  if (!header) return out;
  if (header.error) return { events: [], errors: [{ raw: clipRaw(header.raw), reason: `header line: ${header.error}` }] };
  const names = header.cells.map((h) => h.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const missing = ['title', 'start', 'end', 'lat', 'lon'].filter((c) => col(c) < 0);
  if (missing.length) return { events: [], errors: [{ raw: clipRaw(header.raw), reason: `the CSV header lacks ${missing.join(', ')} (expected id, title, kind, start, end, lat, lon, attendance, location, status).` }] };
  rows.forEach((r, i) => {
    if (r.error) {
      out.errors.push({ raw: clipRaw(r.raw), reason: `line ${r.line}: ${r.error}` });
      return;
    }
    const get = (name: string) => (col(name) >= 0 ? r.cells[col(name)]?.trim() : undefined) || undefined;
    const attendance = get('attendance');
    check(get('id') ?? `row-${i + 1}`, r.raw, {
      title: get('title') ?? '',
      kind: kindOf(get('kind')),
      start: csvTime(get('start')),
      end: csvTime(get('end')),
      ...(attendance ? { attendance: Number(attendance) } : {}),
      ...(get('location') ? { location: get('location') } : {}),
      ...(/^(cancel+ed|annulé|annule)$/i.test(get('status') ?? '') ? { cancelled: true } : {}),
      place: { type: 'Point', coordinates: [Number(get('lon')), Number(get('lat'))] },
    }, out);
  });
  return out;
}

/** A FeatureCollection of Points or Polygons, with title, kind, start, end, attendance in properties. */
export function parseGeoJson(text: string): CalendarParse {
  const out: CalendarParse = { events: [], errors: [] };
  let json: { features?: { id?: string | number; geometry?: unknown; properties?: Record<string, unknown> }[] };
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { events: [], errors: [{ raw: clipRaw(text), reason: `not JSON (${(error as Error).message}).` }] };
  }
  if (!Array.isArray(json.features)) return { events: [], errors: [{ raw: clipRaw(text), reason: 'expected a GeoJSON FeatureCollection.' }] };
  json.features.forEach((f, i) => {
    const p = f.properties ?? {};
    const time = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN);
    check(String(f.id ?? p.id ?? `feature-${i + 1}`), JSON.stringify(f), {
      title: p.title ?? p.name ?? '',
      kind: kindOf(typeof p.kind === 'string' ? p.kind : undefined),
      start: time(p.start),
      end: time(p.end),
      ...(p.attendance !== undefined ? { attendance: Number(p.attendance) } : {}),
      ...(typeof p.location === 'string' ? { location: p.location } : {}),
      place: f.geometry,
    }, out);
  });
  return out;
}
