import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath } from '../store';
import { exerciseStart } from './exercise';
import { exerciseStartAt, INJECT_FEED, readSandbox } from './sandboxInfo';
import { toCsv } from '../../../common/csv';
import { closedAtLookup, DebriefReader, firstStatusLookup, injectedEntities } from '../db/training';
import { readPayloadObject } from '../db/eventPayloads';
import { LAYERS_KIND } from '../replay/layers';

export interface DebriefRow {
  incident: string;
  title: string;
  category: string;
  priority: number;
  /** 'scenario' for injections (scripted or by the trainer), 'day' for the historical day's own calls. */
  origin: 'scenario' | 'day';
  /** When the call occurred (the day's instant; for an injection, when it was injected). */
  occurredAt: number;
  /** When trainees could first see it, in exercise time: its arrival, or the exercise start for calls of before. */
  shownAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  secondsToAcknowledge: number | null;
  dispatchedAt: number | null;
  secondsToDispatch: number | null;
  units: string;
  overrides: string;
  closedAt: number | null;
  secondsToClose: number | null;
  /** What the real supervisor did, from the source profile: seconds after the call occurred (null: the history does not say). */
  dayAcknowledgedAfterS: number | null;
  dayDispatchedAfterS: number | null;
  dayClosedAfterS: number | null;
}

/** One line of the exercise timeline: an injection, or something a trainee did. */
export interface TimelineEntry {
  /** Exercise time (the day's own instants). */
  t: number;
  /** Seconds since the exercise started. */
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
  /** The exercise clock's start (exercise time). */
  startAt: number;
  /** Wall time of the exercise's first data service, or null before it ran. */
  startedAt: number | null;
  rows: DebriefRow[];
  timeline: TimelineEntry[];
}

/**
 * Trainee actions against the exercise clock, one row per call that reached the exercise, beside
 * what the source profile says the real supervisor did with the same call. Every time in a sandbox
 * is exercise time (the day's own instants: operator actions are stamped on the exercise clock),
 * so a trainee's "acknowledged 95 s after it arrived" and the real day's "acknowledged 95 s after
 * it occurred" are measured the same way. Both databases are opened read-only.
 */
export function buildDebrief(sandboxDir: string): Debrief {
  const info = readSandbox(sandboxDir);
  if (!info) throw new Error(`${sandboxDir} is not a training sandbox (no sandbox.json)`);
  const startedAt = exerciseStart(sandboxDir);
  const startAt = exerciseStartAt(info);
  const db = new Database(databasePath(sandboxDir), { readonly: true, fileMustExist: true });
  const sourceFile = databasePath(info.sourceProfile);
  const source = fs.existsSync(sourceFile) ? new Database(sourceFile, { readonly: true }) : null;
  try {
    const reader = new DebriefReader(db);
    const injected = injectedEntities(db);
    const incidents = reader.incidents();
    const dayStatus = source ? firstStatusLookup(source) : null;
    const dayClosed = source ? closedAtLookup(source) : null;
    const rows = incidents.map((i): DebriefRow => {
      const injection = injected.get(i.id);
      const origin = injection || i.feed_id === INJECT_FEED ? 'scenario' : 'day';
      const shownAt = injection ? injection.t : Math.max(i.occurred_at, startAt);
      const ack = reader.firstAction(i.id, 'incident.acknowledge') ?? reader.firstAction(i.id, 'incident.dispatch');
      const dispatched = reader.firstAction(i.id, 'incident.dispatch');
      const units = reader.assignments(i.id);
      const after = (t: number | null | undefined) => (t === null || t === undefined ? null : Math.round((t - shownAt) / 1000));
      const dayAfter = (t: number | null) => (t === null ? null : Math.round((t - i.occurred_at) / 1000));
      return {
        incident: i.id,
        title: i.title,
        category: i.category,
        priority: i.priority,
        origin,
        occurredAt: i.occurred_at,
        shownAt,
        acknowledgedAt: ack?.t ?? null,
        acknowledgedBy: ack?.by ?? null,
        secondsToAcknowledge: after(ack?.t),
        dispatchedAt: dispatched?.t ?? null,
        secondsToDispatch: after(dispatched?.t),
        units: units.map((u) => u.callsign ?? u.unit_id).join(' '),
        overrides: units.filter((u) => u.override_reason).map((u) => `${u.callsign ?? u.unit_id} instead of ${u.recommended_unit_id ?? '?'}: ${u.override_reason}`).join('; '),
        closedAt: i.closed_at,
        secondsToClose: after(i.closed_at),
        dayAcknowledgedAfterS: origin === 'day' ? dayAfter(dayStatus?.(i.id, ['acknowledged', 'dispatched', 'on_scene', 'closed']) ?? null) : null,
        dayDispatchedAfterS: origin === 'day' ? dayAfter(dayStatus?.(i.id, ['dispatched', 'on_scene']) ?? null) : null,
        dayClosedAfterS: origin === 'day' ? dayAfter(dayClosed?.(i.id) ?? null) : null,
      };
    });
    // Injections (scenario or by the trainer) and every trainee action, in log order.
    const titles = new Map(incidents.map((i) => [i.id, i.title]));
    const logged = reader.timeline([...injected.keys()], INJECT_FEED);
    const firstInjection = new Set<string>();
    const timeline: TimelineEntry[] = [];
    for (const e of logged) {
      // A layer set is a way of looking at the map, not an action (docs/training.md), and is stamped on the wall clock.
      if (e.kind === LAYERS_KIND) continue;
      const payload = readPayloadObject(e.kind, e.payload);
      const isInjection = !e.source.startsWith('user:');
      // An injected entity's later updates are the same injection.
      if (isInjection && firstInjection.has(e.entity)) continue;
      if (isInjection) firstInjection.add(e.entity);
      const detail = isInjection
        ? [String(payload.title ?? payload.callsign ?? payload.event ?? payload.unitId ?? ''), injected.get(e.entity)?.note ?? ''].filter(Boolean).join(' · ')
        : [payload.from && payload.to ? `${String(payload.from)} → ${String(payload.to)}` : '', payload.callsign ? `unit ${String(payload.callsign)}` : '', payload.reason ? `reason: ${String(payload.reason)}` : '', payload.text ? String(payload.text) : '', payload.label ? String(payload.label) : '']
            .filter(Boolean)
            .join(' · ');
      timeline.push({
        t: e.t,
        offsetS: Math.round((e.t - startAt) / 1000),
        who: isInjection ? (injected.get(e.entity)?.origin === 'trainer' ? 'trainer' : 'scenario') : e.source.slice('user:'.length),
        action: isInjection ? `inject ${e.kind.replace('.upsert', '')}` : e.kind,
        target: titles.get(e.entity) ?? e.entity,
        detail,
      });
    }
    return { scenario: info.scenario?.name ?? null, day: info.day, startAt, startedAt, rows, timeline };
  } finally {
    db.close();
    source?.close();
  }
}

const COLUMNS: (keyof DebriefRow)[] = ['incident', 'title', 'category', 'priority', 'origin', 'shownAt', 'acknowledgedAt', 'acknowledgedBy', 'secondsToAcknowledge', 'dispatchedAt', 'secondsToDispatch', 'units', 'overrides', 'closedAt', 'dayAcknowledgedAfterS', 'dayDispatchedAfterS', 'occurredAt', 'secondsToClose', 'dayClosedAfterS'];
const TIME_COLUMNS = new Set<keyof DebriefRow>(['shownAt', 'acknowledgedAt', 'dispatchedAt', 'closedAt', 'occurredAt']);

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
  const injections = d.rows.filter((r) => r.origin === 'scenario');
  // Trainee and real day over the same calls: the day's calls whose history says when.
  const versus = (trainee: (r: DebriefRow) => number | null, real: (r: DebriefRow) => number | null) => {
    const both = day.filter((r) => real(r) !== null);
    return both.length ? `real day: ${seconds(mean(both.map(real)))} (${both.length} calls with a time in the history; trainee on those: ${seconds(mean(both.map(trainee)))})` : 'real day: the history holds no such time';
  };
  const summary: [string, string, string][] = [
    ['Incidents worked', `${acked.length} acknowledged of ${d.rows.length} · ${d.rows.filter((r) => r.dispatchedAt !== null).length} dispatched · ${d.rows.filter((r) => r.closedAt !== null).length} closed`, ''],
    ['Mean time to acknowledge', seconds(mean(d.rows.map((r) => r.secondsToAcknowledge))), versus((r) => r.secondsToAcknowledge, (r) => r.dayAcknowledgedAfterS)],
    ['Mean time to dispatch', seconds(mean(d.rows.map((r) => r.secondsToDispatch))), versus((r) => r.secondsToDispatch, (r) => r.dayDispatchedAfterS)],
    ['Mean time to close', seconds(mean(d.rows.map((r) => r.secondsToClose))), versus((r) => r.secondsToClose, (r) => r.dayClosedAfterS)],
    ['Injections answered', `${injections.filter((r) => r.acknowledgedAt !== null).length} of ${injections.length}`, ''],
    ['Recommendation overridden', String(d.rows.filter((r) => r.overrides).length), ''],
  ];
  const clock = (t: number | null) => (t === null ? '—' : new Date(t).toISOString().slice(11, 19));
  const timeline = d.timeline
    .map((e) => `<tr class="${e.who === 'scenario' || e.who === 'trainer' ? 'inject' : 'action'}"><td>${offset(e.offsetS)}</td><td>${clock(e.t)}</td><td>${escapeHtml(e.who)}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.target)}</td><td>${escapeHtml(e.detail)}</td></tr>`)
    .join('\n');
  const injected = injections
    .map((r) => `<tr class="inject"><td>${clock(r.shownAt)}</td><td>${escapeHtml(r.title)}</td><td>${escapeHtml(r.category)}</td><td>${r.priority}</td><td>${seconds(r.secondsToAcknowledge)}</td><td>${seconds(r.secondsToDispatch)}</td><td>${seconds(r.secondsToClose)}</td><td>${escapeHtml(r.units)}</td></tr>`)
    .join('\n');
  const pair = (trainee: number | null, real: number | null, origin: DebriefRow['origin']) => `<td>${seconds(trainee)}</td><td class="real">${origin === 'day' ? seconds(real) : ''}</td>`;
  const body = d.rows
    .map((r) => `<tr${r.origin === 'scenario' ? ' class="inject"' : ''}><td>${clock(r.occurredAt)}</td><td>${escapeHtml(r.title)}</td><td>${escapeHtml(r.category)}</td><td>${r.priority}</td><td>${r.origin}</td>${pair(r.secondsToAcknowledge, r.dayAcknowledgedAfterS, r.origin)}${pair(r.secondsToDispatch, r.dayDispatchedAfterS, r.origin)}${pair(r.secondsToClose, r.dayClosedAfterS, r.origin)}<td>${escapeHtml(r.units)}</td><td>${escapeHtml(r.overrides)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigie debrief ${escapeHtml(d.day)}</title>
<style>
body{background:#0b1118;color:#e6edf5;font:14px 'DejaVu Sans',sans-serif;margin:24px}
table{border-collapse:collapse;font-size:12px;margin-bottom:16px}td,th{border:1px solid #233244;padding:3px 6px;text-align:left;vertical-align:top}th{background:#162231}
tr.inject td{color:#ffb454}td.real{color:#9fb3c8}h2{font-size:16px;margin:18px 0 6px}
@page{size:A4 landscape;margin:12mm}
@media print{body{background:#fff;color:#000;margin:0;font-size:11px}th{background:#e8e8e8}td,th{border-color:#999}tr{break-inside:avoid}tr.inject td{color:#7a4a00;font-weight:bold}td.real{color:#333}h2{break-after:avoid}table{font-size:9px}}
</style></head>
<body><h1>Training debrief</h1>
<p>Day ${escapeHtml(d.day)} · scenario ${escapeHtml(d.scenario ?? '(none)')} · exercise clock from ${clock(d.startAt)} UTC · run ${d.startedAt ? new Date(d.startedAt).toISOString() : '(not started)'}</p>
<p>Times are exercise times (the day's own instants, UTC). A trainee's time counts from when the call reached the exercise; the real day's from when it occurred, as the imported history records it.</p>
<h2>Summary</h2>
<table><tbody>${summary.map(([k, v, real]) => `<tr><th scope="row">${k}</th><td>${escapeHtml(v)}</td><td>${escapeHtml(real)}</td></tr>`).join('')}</tbody></table>
<h2>Injections answered</h2>
<table><thead><tr><th scope="col">injected at</th><th scope="col">title</th><th scope="col">category</th><th scope="col">P</th><th scope="col">to acknowledge</th><th scope="col">to dispatch</th><th scope="col">to close</th><th scope="col">units</th></tr></thead><tbody>
${injected}
</tbody></table>
<h2>Timeline: injections and trainee actions</h2>
<table><thead><tr><th scope="col">exercise time</th><th scope="col">at</th><th scope="col">who</th><th scope="col">action</th><th scope="col">on</th><th scope="col">detail</th></tr></thead><tbody>
${timeline}
</tbody></table>
<h2>Per call: trainee beside the real day</h2>
<table><thead><tr><th scope="col">occurred</th><th scope="col">title</th><th scope="col">category</th><th scope="col">P</th><th scope="col">origin</th><th scope="col">trainee: to acknowledge</th><th scope="col">real day</th><th scope="col">trainee: to dispatch</th><th scope="col">real day</th><th scope="col">trainee: to close</th><th scope="col">real day</th><th scope="col">units</th><th scope="col">overrides</th></tr></thead><tbody>
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
