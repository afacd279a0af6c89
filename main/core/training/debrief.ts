import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath } from '../store';
import { exerciseStart, INJECT_FEED, readSandbox } from './sandbox';
import { toCsv } from '../../../common/csv';
import { DebriefReader, firstStatusLookup } from '../db/training';
import { readPayloadObject } from '../db/eventPayloads';

export interface DebriefRow {
  incident: string;
  title: string;
  category: string;
  priority: number;
  /** 'scenario' for injections, 'day' for the historical day's own calls. */
  origin: 'scenario' | 'day';
  /** When trainees could first see it: its injection, or the exercise start for the day's calls. */
  shownAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  secondsToAcknowledge: number | null;
  dispatchedAt: number | null;
  secondsToDispatch: number | null;
  units: string;
  overrides: string;
  closedAt: number | null;
  /** What was done on the real day, from the source profile's log (statuses the feed recorded). */
  dayAcknowledgedAfterS: number | null;
  dayDispatchedAfterS: number | null;
}

/**
 * Trainee actions against the exercise timeline, one row per incident, and against what the source
 * profile's log says was done on the real day. Both databases are opened read-only.
 */
/** One line of the exercise timeline: an injection, or something a trainee did. */
export interface TimelineEntry {
  t: number;
  /** Seconds since the exercise started (null before it started). */
  offsetS: number | null;
  who: 'scenario' | string;
  /** The logged event kind (incident.acknowledge, incident.dispatch, annotation.create…). */
  action: string;
  target: string;
  detail: string;
}

export interface Debrief {
  scenario: string | null;
  day: string;
  startedAt: number | null;
  rows: DebriefRow[];
  timeline: TimelineEntry[];
}

export function buildDebrief(sandboxDir: string): Debrief {
  const info = readSandbox(sandboxDir);
  if (!info) throw new Error(`${sandboxDir} is not a training sandbox (no sandbox.json)`);
  const startedAt = exerciseStart(sandboxDir);
  const db = new Database(databasePath(sandboxDir), { readonly: true, fileMustExist: true });
  const sourceFile = databasePath(info.sourceProfile);
  const source = fs.existsSync(sourceFile) ? new Database(sourceFile, { readonly: true }) : null;
  try {
    const reader = new DebriefReader(db);
    const incidents = reader.incidents();
    const dayStatus = source ? firstStatusLookup(source) : null;
    const rows = incidents.map((i): DebriefRow => {
      const origin = i.feed_id === INJECT_FEED ? 'scenario' : 'day';
      const shownAt = origin === 'scenario' ? i.occurred_at : (startedAt ?? i.occurred_at);
      const ack = reader.firstAction(i.id, 'incident.acknowledge');
      const dispatched = reader.firstAction(i.id, 'incident.dispatch');
      const units = reader.assignments(i.id);
      const after = (t: number | undefined) => (t === undefined ? null : Math.round((t - shownAt) / 1000));
      const dayAfter = (statuses: string[]) => {
        const t = dayStatus?.(i.id, statuses) ?? null;
        return t === null ? null : Math.round((t - i.occurred_at) / 1000);
      };
      return {
        incident: i.id,
        title: i.title,
        category: i.category,
        priority: i.priority,
        origin,
        shownAt,
        acknowledgedAt: ack?.t ?? null,
        acknowledgedBy: ack?.by ?? null,
        secondsToAcknowledge: after(ack?.t),
        dispatchedAt: dispatched?.t ?? null,
        secondsToDispatch: after(dispatched?.t),
        units: units.map((u) => u.callsign ?? u.unit_id).join(' '),
        overrides: units.filter((u) => u.override_reason).map((u) => `${u.callsign ?? u.unit_id} instead of ${u.recommended_unit_id ?? '?'}: ${u.override_reason}`).join('; '),
        closedAt: i.closed_at,
        dayAcknowledgedAfterS: origin === 'day' ? dayAfter(['acknowledged', 'dispatched', 'on_scene', 'closed']) : null,
        dayDispatchedAfterS: origin === 'day' ? dayAfter(['dispatched', 'on_scene']) : null,
      };
    });
    // Injections (scenario or by the trainer) and every trainee action, in log order.
    const titles = new Map(incidents.map((i) => [i.id, i.title]));
    const logged = reader.timeline(INJECT_FEED);
    const firstInjection = new Set<string>();
    const timeline: TimelineEntry[] = [];
    for (const e of logged) {
      const payload = readPayloadObject(e.kind, e.payload);
      const injected = e.source === INJECT_FEED;
      // An injected entity's later updates are the same injection.
      if (injected && firstInjection.has(e.entity)) continue;
      if (injected) firstInjection.add(e.entity);
      const detail = injected
        ? String(payload.title ?? payload.callsign ?? payload.event ?? payload.unitId ?? '')
        : [payload.from && payload.to ? `${String(payload.from)} → ${String(payload.to)}` : '', payload.callsign ? `unit ${String(payload.callsign)}` : '', payload.reason ? `reason: ${String(payload.reason)}` : '', payload.text ? String(payload.text) : '', payload.label ? String(payload.label) : '']
            .filter(Boolean)
            .join(' · ');
      timeline.push({
        t: e.t,
        offsetS: startedAt === null ? null : Math.round((e.t - startedAt) / 1000),
        who: injected ? 'scenario' : e.source.slice('user:'.length),
        action: injected ? `inject ${e.kind.replace('.upsert', '')}` : e.kind,
        target: titles.get(e.entity) ?? e.entity,
        detail,
      });
    }
    return { scenario: info.scenario?.name ?? null, day: info.day, startedAt, rows, timeline };
  } finally {
    db.close();
    source?.close();
  }
}

const COLUMNS: (keyof DebriefRow)[] = ['incident', 'title', 'category', 'priority', 'origin', 'shownAt', 'acknowledgedAt', 'acknowledgedBy', 'secondsToAcknowledge', 'dispatchedAt', 'secondsToDispatch', 'units', 'overrides', 'closedAt', 'dayAcknowledgedAfterS', 'dayDispatchedAfterS'];
const TIME_COLUMNS = new Set<keyof DebriefRow>(['shownAt', 'acknowledgedAt', 'dispatchedAt', 'closedAt']);

function cell(row: DebriefRow, key: keyof DebriefRow): string {
  const v = row[key];
  if (v === null) return '';
  return TIME_COLUMNS.has(key) ? new Date(v as number).toISOString() : String(v);
}

/** RFC 4180 CSV, every formula-like cell kept as text (common/csv.ts). */
export function debriefCsv(rows: DebriefRow[]): string {
  return toCsv(COLUMNS, rows.map((r) => COLUMNS.map((k) => cell(r, k))));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const mean = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.round(known.reduce((a, v) => a + v, 0) / known.length) : null;
};
const seconds = (v: number | null) => (v === null ? '—' : v < 120 ? `${v} s` : `${Math.floor(v / 60)} min ${v % 60} s`);
const offset = (v: number | null) => (v === null ? '—' : `${v < 0 ? '−' : ''}${String(Math.floor(Math.abs(v) / 60)).padStart(2, '0')}:${String(Math.abs(v) % 60).padStart(2, '0')}`);

/**
 * A self-contained HTML report (no script, no external resource): dark like the app on screen,
 * black on white when printed (A4 landscape), so "Print → Save as PDF" in any browser, or
 * Chromium's `--print-to-pdf`, makes the PDF.
 */
export function debriefHtml(d: Debrief): string {
  const acked = d.rows.filter((r) => r.secondsToAcknowledge !== null);
  const day = d.rows.filter((r) => r.origin === 'day');
  const summary: [string, string, string][] = [
    ['Incidents worked', `${acked.length} acknowledged of ${d.rows.length} · ${d.rows.filter((r) => r.dispatchedAt !== null).length} dispatched`, ''],
    ['Mean time to acknowledge', seconds(mean(d.rows.map((r) => r.secondsToAcknowledge))), day.length ? `real day: ${seconds(mean(day.map((r) => r.dayAcknowledgedAfterS)))}` : ''],
    ['Mean time to dispatch', seconds(mean(d.rows.map((r) => r.secondsToDispatch))), day.length ? `real day: ${seconds(mean(day.map((r) => r.dayDispatchedAfterS)))}` : ''],
    ['Scenario injections answered', `${d.rows.filter((r) => r.origin === 'scenario' && r.acknowledgedAt !== null).length} of ${d.rows.filter((r) => r.origin === 'scenario').length}`, ''],
    ['Recommendation overridden', String(d.rows.filter((r) => r.overrides).length), ''],
  ];
  const timeline = d.timeline
    .map((e) => `<tr class="${e.who === 'scenario' ? 'inject' : 'action'}"><td>${offset(e.offsetS)}</td><td>${escapeHtml(new Date(e.t).toISOString().slice(11, 19))}</td><td>${escapeHtml(e.who)}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.target)}</td><td>${escapeHtml(e.detail)}</td></tr>`)
    .join('\n');
  const body = d.rows.map((r) => `<tr>${COLUMNS.map((k) => `<td>${escapeHtml(cell(r, k))}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigie debrief ${escapeHtml(d.day)}</title>
<style>
body{background:#0b1118;color:#e6edf5;font:14px 'DejaVu Sans',sans-serif;margin:24px}
table{border-collapse:collapse;font-size:12px;margin-bottom:16px}td,th{border:1px solid #233244;padding:3px 6px;text-align:left;vertical-align:top}th{background:#162231}
tr.inject td{color:#ffb454}h2{font-size:16px;margin:18px 0 6px}
@page{size:A4 landscape;margin:12mm}
@media print{body{background:#fff;color:#000;margin:0;font-size:11px}th{background:#e8e8e8}td,th{border-color:#999}tr{break-inside:avoid}tr.inject td{color:#7a4a00;font-weight:bold}h2{break-after:avoid}table{font-size:9px}}
</style></head>
<body><h1>Training debrief</h1>
<p>Day ${escapeHtml(d.day)} · scenario ${escapeHtml(d.scenario ?? '(none)')} · exercise started ${d.startedAt ? new Date(d.startedAt).toISOString() : '(not started)'}</p>
<h2>Summary</h2>
<table><tbody>${summary.map(([k, v, real]) => `<tr><th scope="row">${k}</th><td>${escapeHtml(v)}</td><td>${escapeHtml(real)}</td></tr>`).join('')}</tbody></table>
<h2>Timeline: injections and trainee actions</h2>
<table><thead><tr><th scope="col">exercise time</th><th scope="col">UTC</th><th scope="col">who</th><th scope="col">action</th><th scope="col">on</th><th scope="col">detail</th></tr></thead><tbody>
${timeline}
</tbody></table>
<h2>Per incident</h2>
<table><thead><tr>${COLUMNS.map((k) => `<th scope="col">${k}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}

/** Writes debrief.html and debrief.csv into `outDir`; returns their paths. */
export function writeDebrief(sandboxDir: string, outDir: string): { html: string; csv: string; rows: number } {
  const d = buildDebrief(sandboxDir);
  fs.mkdirSync(outDir, { recursive: true });
  const html = path.join(outDir, 'debrief.html');
  const csv = path.join(outDir, 'debrief.csv');
  fs.writeFileSync(html, debriefHtml(d));
  fs.writeFileSync(csv, debriefCsv(d.rows));
  return { html, csv, rows: d.rows.length };
}
