/**
 * iCalendar (RFC 5545) through ical.js, a kept library, rather than a reader of our own:
 * RRULE/RDATE/EXDATE and overridden instances (RECURRENCE-ID), DURATION, TZID resolved by the
 * file's VTIMEZONE or else as an IANA zone, floating and all-day times in the city's zone, and
 * STATUS:CANCELLED kept as cancelled. A recurring event is stored once, as its own small
 * VCALENDAR, and expanded over whatever window is asked (expandSeries).
 */
import ICAL from 'ical.js';
import { isIanaZone } from './calendarConfig';

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type IcalEvent = InstanceType<typeof ICAL.Event>;

/** One occurrence, as epoch ms. */
export interface Occurrence {
  start: number;
  end: number;
  cancelled: boolean;
  /** The occurrence's own title and place when an overridden instance changes them. */
  summary?: string;
  geo?: [lat: number, lon: number];
}

/** Beyond this many occurrences a series is cut (a daily event for 10 years is 3,650). */
const MAX_OCCURRENCES = 5_000;

export class IcsError extends Error {}

/** Local wall-clock time in an IANA zone → epoch ms (twice, for the hour DST skips or repeats). */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = wall - offsetMs(wall, zone);
  const second = wall - offsetMs(first, zone);
  return second;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function offsetMs(t: number, zone: string): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - Math.floor(t / 1000) * 1000;
}

/** One calendar's zones: its VTIMEZONEs by TZID, then IANA, then the city's for floating times. */
class Zones {
  private readonly defined = new Map<string, InstanceType<typeof ICAL.Timezone>>();

  constructor(
    calendar: Component,
    private readonly cityZone: string,
  ) {
    for (const vtz of calendar.getAllSubcomponents('vtimezone')) {
      const tzid = vtz.getFirstPropertyValue('tzid');
      if (typeof tzid === 'string') this.defined.set(tzid, new ICAL.Timezone(vtz));
    }
  }

  toMs(time: Time, tzid: string | undefined): number {
    if (time.isDate) return zonedToUtc(time.year, time.month, time.day, 0, 0, 0, this.cityZone);
    if (time.zone === ICAL.Timezone.utcTimezone || time.zone?.tzid === 'UTC') return time.toUnixTime() * 1000;
    const wall = [time.year, time.month, time.day, time.hour, time.minute, time.second] as const;
    if (tzid) {
      const tz = this.defined.get(tzid);
      if (tz) return Date.UTC(wall[0], wall[1] - 1, wall[2], wall[3], wall[4], wall[5]) - tz.utcOffset(time) * 1000;
      // Many producers name an IANA zone and leave the VTIMEZONE out ("TZID=Europe/Paris").
      const iana = tzid.replace(/^\/(mozilla\.org\/[^/]+\/)?/, '');
      if (isIanaZone(iana)) return zonedToUtc(...wall, iana);
      throw new IcsError(`TZID "${tzid}" is neither defined by a VTIMEZONE in the file nor a known time zone (e.g. Europe/Paris)`);
    }
    return zonedToUtc(...wall, this.cityZone);
  }
}

export interface IcsEvent {
  uid: string;
  summary: string;
  location?: string;
  categories?: string;
  kind?: string;
  attendance?: string;
  geo?: [lat: number, lon: number];
  cancelled: boolean;
  /** First occurrence. */
  start: number;
  end: number;
  /** Recurring: the standalone VCALENDAR to expand later, and the end of the last occurrence (null: no end). */
  series?: { ics: string; until: number | null };
  raw: string;
}

export interface IcsRead {
  events: IcsEvent[];
  errors: { raw: string; reason: string }[];
}

/** Reads a whole calendar. A bad VEVENT costs only itself. */
export function readIcs(text: string, cityZone: string): IcsRead {
  let calendar: Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    return { events: [], errors: [{ raw: text, reason: `not an iCalendar file: ${(error as Error).message}` }] };
  }
  if (calendar.name !== 'vcalendar') return { events: [], errors: [{ raw: text, reason: `not an iCalendar file: the root is ${calendar.name.toUpperCase()}, not VCALENDAR` }] };
  const zones = new Zones(calendar, cityZone);
  const vevents = calendar.getAllSubcomponents('vevent');
  const exceptions = new Map<string, Component[]>();
  for (const v of vevents) {
    if (!v.hasProperty('recurrence-id')) continue;
    const uid = String(v.getFirstPropertyValue('uid') ?? '');
    exceptions.set(uid, [...(exceptions.get(uid) ?? []), v]);
  }
  const out: IcsRead = { events: [], errors: [] };
  for (const v of vevents) {
    if (v.hasProperty('recurrence-id')) continue;
    const raw = v.toString();
    try {
      out.events.push(readEvent(calendar, v, exceptions.get(String(v.getFirstPropertyValue('uid') ?? '')) ?? [], zones, raw));
    } catch (error) {
      out.errors.push({ raw, reason: `event "${v.getFirstPropertyValue('summary') ?? v.getFirstPropertyValue('uid') ?? '?'}": ${(error as Error).message}` });
    }
  }
  return out;
}

function readEvent(calendar: Component, v: Component, overrides: Component[], zones: Zones, raw: string): IcsEvent {
  const event = new ICAL.Event(v);
  for (const o of overrides) event.relateException(new ICAL.Event(o));
  const text = (name: string) => {
    const value = v.getFirstPropertyValue(name);
    return value === null || value === undefined ? undefined : String(value);
  };
  if (!v.hasProperty('dtstart')) throw new IcsError('has no DTSTART');
  const uid = text('uid') ?? `${text('summary')}@${v.getFirstProperty('dtstart')!.toICALString()}`;
  const base = {
    uid,
    summary: text('summary') ?? '',
    ...(text('location') ? { location: text('location')! } : {}),
    ...(categoriesOf(v) ? { categories: categoriesOf(v)! } : {}),
    ...(text('x-vigie-kind') ? { kind: text('x-vigie-kind')! } : {}),
    ...(text('x-vigie-attendance') ?? text('x-attendance') ? { attendance: (text('x-vigie-attendance') ?? text('x-attendance'))! } : {}),
    ...(geoOf(v) ? { geo: geoOf(v)! } : {}),
    cancelled: isCancelled(v),
    raw,
  };
  if (!event.isRecurring()) {
    const o = occurrenceOf(event, event.startDate, zones);
    return { ...base, start: o.start, end: o.end };
  }
  // The series, standalone: its zones, itself and its overridden instances.
  const series = new ICAL.Component(['vcalendar', [], []]);
  series.addPropertyWithValue('version', '2.0');
  series.addPropertyWithValue('prodid', '-//Vigie//calendar series//EN');
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) series.addSubcomponent(new ICAL.Component(vtz.toJSON()));
  series.addSubcomponent(new ICAL.Component(v.toJSON()));
  for (const o of overrides) series.addSubcomponent(new ICAL.Component(o.toJSON()));
  // A rule with COUNT or UNTIL (and RDATEs) ends: expanded whole, bounded, to know when.
  const finite = v.getAllProperties('rrule').every((p) => {
    const recur = p.getFirstValue() as InstanceType<typeof ICAL.Recur>;
    return recur.count !== null && recur.count !== undefined ? true : !!recur.until;
  });
  const all = expand(event, zones, -Infinity, Infinity, finite ? MAX_OCCURRENCES : 1);
  const first = all.occurrences[0];
  if (!first) throw new IcsError('its recurrence rule and exceptions leave no occurrence');
  const last = all.occurrences[all.occurrences.length - 1]!;
  return { ...base, start: first.start, end: first.end, series: { ics: series.toString(), until: finite && all.complete ? last.end : null } };
}

function categoriesOf(v: Component): string | undefined {
  const values = v.getAllProperties('categories').flatMap((p) => p.getValues().map(String));
  return values.length ? values.join(',') : undefined;
}

function geoOf(v: Component): [number, number] | undefined {
  const geo = v.getFirstPropertyValue('geo') as unknown;
  if (Array.isArray(geo) && geo.length === 2 && geo.every((n) => Number.isFinite(Number(n)))) return [Number(geo[0]), Number(geo[1])];
  return undefined;
}

function isCancelled(v: Component): boolean {
  return String(v.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

function tzidOf(c: Component, name: string): string | undefined {
  const tzid = c.getFirstProperty(name)?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : undefined;
}

function occurrenceOf(event: IcalEvent, time: Time, zones: Zones): Occurrence {
  const details = event.getOccurrenceDetails(time);
  const item = details.item;
  const c = item.component;
  const start = zones.toMs(details.startDate, tzidOf(c, 'dtstart'));
  // DTEND in its own zone; with DURATION (or nothing) ical.js derives the end from the start.
  const end = c.hasProperty('dtend') ? zones.toMs(details.endDate, tzidOf(c, 'dtend')) : start + durationMs(item, details.startDate, details.endDate);
  const o: Occurrence = { start, end, cancelled: isCancelled(c) };
  if (item !== event) {
    const summary = c.getFirstPropertyValue('summary');
    if (summary !== null && summary !== undefined) o.summary = String(summary);
    const geo = geoOf(c);
    if (geo) o.geo = geo;
  }
  return o;
}

/** DURATION, or RFC 5545's defaults: a day for an all-day event, nothing for a timed one. */
function durationMs(item: IcalEvent, start: Time, end: Time): number {
  if (item.component.hasProperty('duration')) return item.duration.toSeconds() * 1000;
  if (start.isDate) return 86_400_000;
  return Math.max(0, end.toUnixTime() - start.toUnixTime()) * 1000;
}

function expand(event: IcalEvent, zones: Zones, from: number, to: number, max = MAX_OCCURRENCES): { occurrences: Occurrence[]; complete: boolean } {
  const it = event.iterator();
  const occurrences: Occurrence[] = [];
  for (let n = 0; n < MAX_OCCURRENCES * 4; n++) {
    const next = it.next();
    if (!next) return { occurrences, complete: true };
    const o = occurrenceOf(event, next, zones);
    if (o.start >= to) return { occurrences, complete: false };
    if (o.end > from) occurrences.push(o);
    if (occurrences.length >= max) return { occurrences, complete: false };
  }
  return { occurrences, complete: false };
}

/** The occurrences of a stored series overlapping [from, to). */
export function expandSeries(ics: string, cityZone: string, from: number, to: number): Occurrence[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const zones = new Zones(calendar, cityZone);
  const vevents = calendar.getAllSubcomponents('vevent');
  const master = vevents.find((v) => !v.hasProperty('recurrence-id'));
  if (!master) return [];
  const event = new ICAL.Event(master);
  for (const o of vevents) if (o !== master) event.relateException(new ICAL.Event(o));
  return expand(event, zones, from, to).occurrences;
}
