import crypto from 'node:crypto';
import { pollText } from '../feeds/pollText';
import type { Clash, PlannedEvent, PlannedEventFields } from '../../../common/domain/plannedEvent';
import { RpcError } from '../../../common/rpc';
import type { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import type { Store } from '../store';
import { shapeDistanceM } from '../../../common/geo/distance';
import { parseCsv, parseGeoJson, parseIcs, type CalendarParse, type ParsedEvent } from './parse';
import { expandSeries } from './ics';
import { DEFAULT_CITY_ZONE, type CalendarConfig } from './calendarConfig';
import { calendarEntry, standingCalendarEntries } from '../db/calendarEvents';


export type CalendarFormat = 'ics' | 'csv' | 'geojson';
const PARSERS: Record<CalendarFormat, (text: string, cityZone: string) => CalendarParse> = { ics: parseIcs, csv: parseCsv, geojson: parseGeoJson };
const DAY = 24 * 3_600_000;
/** Between a series' id and an occurrence's start in the occurrence's id. */
const OCCURRENCE = '#';
const WORKS = new Set(['roadworks', 'closure']);

/**
 * The events calendar: entries are `calendar.event` events (a re-imported UID replaces its entry;
 * `calendar.delete` removes it), so the calendar replays with the rest. Clashes are computed, not
 * stored: they follow every edit and the configured distance.
 */
export class CalendarService {
  constructor(
    private readonly store: Store,
    private readonly config: Omit<CalendarConfig, 'timeZone'> & { timeZone?: string },
    private readonly bus?: EventBus,
  ) {}

  /** `ctx` null: a polled feed, which the event log records; the journal is for what people do. */
  import(ctx: CallContext | null, format: CalendarFormat, body: string, feedId?: string): { stored: number; refused: { reason: string }[] } {
    const { events, errors } = PARSERS[format](body, this.config.timeZone ?? DEFAULT_CITY_ZONE);
    const by = ctx?.user ?? `feed:${feedId}`;
    this.tx(() => {
      for (const e of events) this.append(by, `${feedId ?? format}:${e.uid}`, format, e.fields, e.series);
      for (const e of errors) this.store.quarantine.add(feedId ?? `calendar-${format}`, Date.now(), e.reason, e.raw);
      if (ctx) this.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'calendar.import', target: `${format}:${events.length}`, origin: ctx.origin });
    });
    return { stored: events.length, refused: errors.map((e) => ({ reason: e.reason })) };
  }

  save(ctx: CallContext, requested: string | undefined, fields: PlannedEventFields): PlannedEvent {
    // An occurrence of a series is edited as its series (which then stops recurring).
    const id = requested === undefined ? undefined : (this.seriesOf(requested) ?? requested);
    if (id && !this.get(id)) throw new RpcError('not_found', `No planned event ${id} to edit.`);
    const eventId = id ?? `manual:${crypto.randomUUID()}`;
    let saved!: PlannedEvent;
    this.tx(() => {
      saved = this.append(ctx.user, eventId, id ? this.get(id)!.source : 'manual', fields);
      this.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: id ? 'calendar.edit' : 'calendar.create', target: eventId, origin: ctx.origin });
    });
    return saved;
  }

  delete(ctx: CallContext, requested: string): void {
    const id = this.seriesOf(requested) ?? requested;
    if (!this.get(id)) throw new RpcError('not_found', `No planned event ${id} to delete.`);
    this.tx(() => {
      this.store.log.append({ t: Date.now(), source: `user:${ctx.user}`, kind: 'calendar.delete', entity: `planned:${id}`, payload: { by: ctx.user, id } });
      this.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'calendar.delete', target: id, origin: ctx.origin });
    });
  }

  /** Entries overlapping [from, to), soonest first; a recurring entry as its occurrences in the window. */
  list(from: number, to: number): PlannedEvent[] {
    const out: PlannedEvent[] = [];
    for (const { event, series } of standingCalendarEntries(this.store.db)) {
      if (!series) {
        if (event.start < to && event.end > from) out.push(event);
        continue;
      }
      if (event.start >= to || (series.until !== null && series.until <= from)) continue;
      for (const o of expandSeries(series.ics, this.config.timeZone ?? DEFAULT_CITY_ZONE, from, to)) {
        out.push({
          ...event,
          id: `${event.id}${OCCURRENCE}${o.start}`,
          seriesId: event.id,
          start: o.start,
          end: o.end,
          ...(o.summary !== undefined ? { title: o.summary } : {}),
          ...(o.geo ? { place: { type: 'Point', coordinates: [o.geo[1], o.geo[0]] } } : {}),
          ...(o.cancelled || event.cancelled ? { cancelled: true } : {}),
        });
      }
    }
    return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  }

  get(id: string): PlannedEvent | null {
    return calendarEntry(this.store.db, id);
  }

  /** The series of an occurrence id (`<series>#<start ms>`), when that series exists. */
  private seriesOf(id: string): string | undefined {
    const m = /^(.*)#\d+$/.exec(id);
    return m && !this.get(id) && this.get(m[1]!) ? m[1] : undefined;
  }

  /** Pairs overlapping in time in the coming `days`, within the clash distance (or on works), with the reason. */
  clashes(now: number, days: number): Clash[] {
    return findClashes(this.list(now, now + days * DAY), this.config.clashDistanceM);
  }

  /** Polls the configured agendas; a failure is logged and tried again at the next interval. */
  start(): void {
    for (const feed of this.config.feeds) {
      this.timers.push(pollText(`calendar ${feed.id}`, feed.url, feed.intervalSeconds, (text) => this.import(null, feed.format, text, feed.id)));
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private timers: NodeJS.Timeout[] = [];

  private append(by: string, id: string, source: string, fields: PlannedEventFields, series?: ParsedEvent['series']): PlannedEvent {
    const event: PlannedEvent = { id, source, ...fields };
    this.store.log.append({ t: Date.now(), source: by.startsWith('feed:') ? by.slice(5) : `user:${by}`, kind: 'calendar.event', entity: `planned:${id}`, payload: { by, event, ...(series ? { series } : {}) } });
    return event;
  }

  private tx(body: () => void): void {
    this.store.transaction(body)();
    this.bus?.emit('calendar.changed', { at: Date.now() });
  }
}

/**
 * Pairs of `events` overlapping in time within `clashDistanceM` of each other, or an event on
 * roadworks or a closure, with the reason; soonest first. Pure: the live calendar and replay share it.
 */
export function findClashes(events: readonly PlannedEvent[], clashDistanceM: number): Clash[] {
  const out: Clash[] = [];
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      const [a, b] = [events[i]!, events[j]!];
      // A cancelled event is shown, struck through, but brings no one: it clashes with nothing.
      if (a.cancelled || b.cancelled) continue;
      const from = Math.max(a.start, b.start);
      const to = Math.min(a.end, b.end);
      if (from >= to) continue;
      const works = WORKS.has(a.kind) !== WORKS.has(b.kind);
      // Two works sites side by side are the roads department's business, not a clash.
      if (WORKS.has(a.kind) && WORKS.has(b.kind)) continue;
      const distanceM = shapeDistanceM(a.place, b.place);
      if (distanceM > clashDistanceM) continue;
      out.push({ a, b, reason: works ? 'works' : 'nearby', distanceM: Math.round(distanceM), from, to });
    }
  }
  return out.sort((x, y) => x.from - y.from);
}
