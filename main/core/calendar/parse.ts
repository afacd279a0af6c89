import { PlannedEventFields, PLANNED_KINDS, type PlannedKind } from '../../../common/domain/plannedEvent';
import { clipRaw, type ParseError } from '../feeds/adapter';

export interface ParsedEvent {
  uid: string;
  fields: PlannedEventFields;
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

function check(uid: string, raw: string, candidate: unknown, out: CalendarParse): void {
  const parsed = PlannedEventFields.safeParse(candidate);
  if (parsed.success) out.events.push({ uid, fields: parsed.data });
  else out.errors.push({ raw: clipRaw(raw), reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ') });
}

/** iCalendar date-time: UTC with Z; with TZID or floating, the workstation's local time (the control room's). */
function icsTime(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(value.trim());
  if (!m) return NaN;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7).map((x) => x ?? '0') as string[];
  const args = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  return m[7] ? Date.UTC(...args) : new Date(...args).getTime();
}

const unescapeText = (v: string) => v.replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');

/** VEVENTs with GEO (lat;lon): an event without a place cannot be placed on the map and is refused with why. */
export function parseIcs(text: string): CalendarParse {
  const out: CalendarParse = { events: [], errors: [] };
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n[ \t]/g, '').split('\n');
  if (!lines.some((l) => l.trim() === 'BEGIN:VCALENDAR')) return { events: [], errors: [{ raw: clipRaw(text), reason: 'not an iCalendar file (no BEGIN:VCALENDAR).' }] };
  let current: Map<string, string> | null = null;
  let rawLines: string[] = [];
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') {
      current = new Map();
      rawLines = [line];
      continue;
    }
    if (!current) continue;
    rawLines.push(line);
    if (line === 'END:VEVENT') {
      const raw = rawLines.join('\n');
      const uid = current.get('UID') ?? `${current.get('SUMMARY')}@${current.get('DTSTART')}`;
      const geo = current.get('GEO')?.split(/[;,]/).map(Number);
      if (!geo || geo.length !== 2 || geo.some((n) => !Number.isFinite(n))) {
        out.errors.push({ raw: clipRaw(raw), reason: `event "${current.get('SUMMARY') ?? uid}" has no GEO:lat;lon, so it cannot be placed; add GEO to the event.` });
      } else {
        const attendance = current.get('X-VIGIE-ATTENDANCE') ?? current.get('X-ATTENDANCE');
        check(uid, raw, {
          title: unescapeText(current.get('SUMMARY') ?? ''),
          kind: kindOf(current.get('X-VIGIE-KIND') ?? current.get('CATEGORIES') ?? current.get('SUMMARY')),
          start: icsTime(current.get('DTSTART') ?? ''),
          end: icsTime(current.get('DTEND') ?? current.get('DTSTART') ?? ''),
          ...(attendance ? { attendance: Number(attendance) } : {}),
          ...(current.get('LOCATION') ? { location: unescapeText(current.get('LOCATION')!) } : {}),
          place: { type: 'Point', coordinates: [geo[1], geo[0]] },
        }, out);
      }
      current = null;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).split(';')[0]!.toUpperCase();
    if (!current.has(name)) current.set(name, line.slice(colon + 1));
  }
  return out;
}

const csvTime = (v: string | undefined) => (v ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN);

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endRow = () => {
    row.push(cell);
    if (row.some((x) => x.trim() !== '')) rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else cell += c;
  }
  endRow();
  return rows;
}

/** CSV with a header: id, title, kind, start, end (ISO or epoch ms), lat, lon, attendance, location. */
export function parseCsv(text: string): CalendarParse {
  const out: CalendarParse = { events: [], errors: [] };
  const [header, ...rows] = csvRows(text);
  if (!header) return out;
  const col = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const missing = ['title', 'start', 'end', 'lat', 'lon'].filter((c) => col(c) < 0);
  if (missing.length) return { events: [], errors: [{ raw: clipRaw(header.join(',')), reason: `the CSV header lacks ${missing.join(', ')} (expected id, title, kind, start, end, lat, lon, attendance, location).` }] };
  rows.forEach((r, i) => {
    const get = (name: string) => (col(name) >= 0 ? r[col(name)]?.trim() : undefined) || undefined;
    const attendance = get('attendance');
    check(get('id') ?? `row-${i + 1}`, r.join(','), {
      title: get('title') ?? '',
      kind: kindOf(get('kind')),
      start: csvTime(get('start')),
      end: csvTime(get('end')),
      ...(attendance ? { attendance: Number(attendance) } : {}),
      ...(get('location') ? { location: get('location') } : {}),
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
