/**
 * Common Alerting Protocol 1.1 and 1.2 (OASIS). Reads a single `<alert>`, alerts embedded in a
 * wrapper (Atom/RSS entries, EDXL-DE), and, through capIndexLinks, the links of an Atom/RSS index
 * whose entries only point at alerts: the transport fetches those and hands each to parse.
 *
 * One record per (info, area): an area is what the map draws. Privacy: `sender` (often a mailbox)
 * and `contact` (often a named officer and a phone number) are not carried; `senderName`, the
 * issuing organisation, is kept as `issuer`. Description and instruction are public alert text
 * written to be broadcast, so they are kept (clipped); the feed's field policy may still drop them.
 */
import { z } from 'zod';
import {
  AlertCertainty,
  AlertMsgType,
  AlertSeverity,
  AlertStatus,
  AlertUrgency,
  INDEX_ENTRY_PREFIX,
  type AlertFields,
} from '../../../common/domain/alert';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { asText, decodeOrQuarantine, clipRaw, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import {
  checkLonLat,
  checkTime,
  clipText,
  fail,
  parseIsoTime,
  PLANNED_AHEAD_MS,
  toParseError,
  validateRecord,
} from './fieldValues';
import { child, childrenNamed, childText, descendantsNamed, parseXml, type XmlElement } from './xml';

export const CapConfig = z.object({
  /**
   * Language prefixes in order of preference (e.g. ["fr", "en"]). When set, an alert keeps only
   * its `info` blocks in the first listed language it has; an alert in none of them keeps all.
   * Unset: every `info` block is kept (one record per language).
   */
  languages: z.array(z.string().min(1).max(35)).max(20).optional(),
});
export type CapConfig = z.infer<typeof CapConfig>;

/** More than this many alerts in one wrapper document is not a feed but an attack or an accident. */
const MAX_ALERTS_PER_DOCUMENT = 10_000;
const MAX_AREAS = 100;

export const capAdapter: FeedAdapter<CapConfig> = {
  type: 'cap',
  configSchema: CapConfig,
  parse(raw, ctx): ParseResult {
    const text = decodeOrQuarantine(raw, ctx);
    if (typeof text !== 'string') return text;
    try {
      const doc = parseXml(text);
      if (!doc.ok) return { records: [], errors: [{ raw: clipRaw(text), reason: `not readable as XML: ${doc.error}` }] };
      const root = doc.root;
      const alerts = root.name === 'alert' ? [root] : descendantsNamed(root, 'alert', MAX_ALERTS_PER_DOCUMENT + 1);
      if (alerts.length > MAX_ALERTS_PER_DOCUMENT) {
        return { records: [], errors: [{ raw: clipRaw(text), reason: `more than ${MAX_ALERTS_PER_DOCUMENT} alerts in one document; split the feed` }] };
      }
      if (alerts.length === 0 && !isIndex(root)) {
        return { records: [], errors: [{ raw: clipRaw(text), reason: `root element <${root.name}> is neither a CAP <alert> nor an Atom/RSS index` }] };
      }
      const records: FeedRecord[] = [];
      const errors: ParseError[] = [];
      for (const alert of alerts) readAlert(text, alert, ctx.config, ctx.receivedAt, records, errors);
      if (alerts.length > 0 || !isIndex(root)) return { records, errors };
      // An index of links: entries carrying the alert's fields inline (the NWS CAP 1.1 Atom
      // format) stand in for their alert until it is fetched; the others are counted, not lost.
      let linksOnly = 0;
      for (const entry of indexEntries(root)) {
        if (!hasInlineCap(entry)) {
          linksOnly++;
          continue;
        }
        tryPush(text.slice(entry.start, entry.end), records, errors, () => readInlineEntry(entry, ctx.receivedAt));
      }
      return { records, errors, ...(linksOnly > 0 ? { ignored: { [LINKS_ONLY]: linksOnly } } : {}) };
    } catch (err) {
      return { records: [], errors: [toParseError(text, err)] };
    }
  },
};

/** The summary's word for index entries that only link to their alert. */
export const LINKS_ONLY = 'index entries: links only';

export interface CapIndexEntry {
  /** Absolute http(s) URL, or a relative one for the transport to resolve against the index URL. */
  url: string;
  /** Entry id (Atom `id`, RSS `guid`), to skip entries already fetched. */
  id?: string;
  /** Atom `updated` / RSS `pubDate`, epoch ms, when readable. */
  updated?: number;
  /** The id of the stand-in alert parse() made from the entry's inline CAP fields, if it has them. */
  standIn?: string;
}

/**
 * The alert links of an Atom or RSS index, for the transport to fetch. Undefined when the document
 * is not an index (a bare alert, or unreadable). Links of any scheme other than http(s) are
 * dropped: an index must never make us open file: or other local URLs.
 */
export function capIndexLinks(raw: string | Uint8Array, declared: { charset?: string | undefined; encoding?: string | undefined } = {}): CapIndexEntry[] | undefined {
  let text: string;
  try {
    text = asText(raw, declared);
  } catch {
    return undefined; // the index itself was quarantined with the reason when it was parsed
  }
  const doc = parseXml(text);
  if (!doc.ok || !isIndex(doc.root)) return undefined;
  const out: CapIndexEntry[] = [];
  for (const entry of indexEntries(doc.root)) {
    const url = entryUrl(entry);
    if (!url) continue;
    const id = entryId(entry);
    const updated = readLooseTime(childText(entry, 'updated') ?? childText(entry, 'published') ?? childText(entry, 'pubDate'));
    out.push({ url, ...(id ? { id } : {}), ...(updated !== undefined ? { updated } : {}), ...(hasInlineCap(entry) ? { standIn: INDEX_ENTRY_PREFIX + (id ?? url) } : {}) });
  }
  return out;
}

function indexEntries(root: XmlElement): XmlElement[] {
  return root.name === 'feed' ? childrenNamed(root, 'entry') : descendantsNamed(root, 'item');
}

function entryUrl(entry: XmlElement): string | undefined {
  return entry.name === 'entry' ? atomLink(entry) : rssLink(entry);
}

function entryId(entry: XmlElement): string | undefined {
  return childText(entry, 'id') ?? childText(entry, 'guid');
}

/** An entry carries the alert inline when it has CAP's own fields (prefixes are stripped by the reader). */
function hasInlineCap(entry: XmlElement): boolean {
  return child(entry, 'event') !== undefined && (child(entry, 'severity') !== undefined || child(entry, 'urgency') !== undefined);
}

/**
 * The stand-in alert of an index entry (NWS CAP 1.1 Atom: `cap:event`, `cap:effective`,
 * `cap:expires`, `cap:status`, `cap:msgType`, `cap:category`, `cap:urgency`, `cap:severity`,
 * `cap:certainty`, `cap:areaDesc`, `cap:polygon`, `cap:geocode`). Its id is the entry's, prefixed,
 * so that the full alert, when the transport fetches it, replaces it (poll.ts adds the reference).
 * The entry's author (often a mailbox) is not carried.
 */
function readInlineEntry(entry: XmlElement, receivedAt: number): AlertFields {
  const id = entryId(entry) ?? entryUrl(entry);
  if (!id) fail('id', 'the entry has neither an id nor a link');
  const alertId = INDEX_ENTRY_PREFIX + id;
  if (alertId.length > 200) fail('id', 'longer than 200 characters');
  const time = (name: string, ahead?: number): number | undefined => {
    const t = childText(entry, name);
    return t === undefined ? undefined : checkTime(name, parseIsoTime(name, t), receivedAt, ahead);
  };
  const loose = (name: string): string | undefined => {
    const t = childText(entry, name);
    return t === undefined ? undefined : t;
  };
  const sent = time('published') ?? time('updated') ?? readLooseTime(loose('pubDate')) ?? time('effective', PLANNED_AHEAD_MS) ?? receivedAt;
  const polygonText = childText(entry, 'polygon');
  const fields: AlertFields = {
    externalId: alertId,
    alertId,
    msgType: childText(entry, 'msgType') ? oneOf('msgType', childText(entry, 'msgType'), AlertMsgType.options) : 'Alert',
    status: childText(entry, 'status') ? oneOf('status', childText(entry, 'status'), AlertStatus.options) : 'Actual',
    // An index entry's "Update" names no earlier message we could look up: it replaces nothing.
    references: [],
    sent,
    effective: time('effective', PLANNED_AHEAD_MS),
    onset: time('onset', PLANNED_AHEAD_MS),
    expires: time('expires', PLANNED_AHEAD_MS),
    categories: childrenNamed(entry, 'category').map((c) => c.text.trim()).filter((c) => c !== '').slice(0, 12).map((c) => clipText(c, 20)),
    event: clipText(childText(entry, 'event') ?? '', 300),
    headline: childText(entry, 'title') === undefined ? undefined : clipText(childText(entry, 'title')!, 300),
    description: childText(entry, 'summary') === undefined ? undefined : clipText(childText(entry, 'summary')!, 4000),
    urgency: childText(entry, 'urgency') ? oneOf('urgency', childText(entry, 'urgency'), AlertUrgency.options) : 'Unknown',
    severity: childText(entry, 'severity') ? oneOf('severity', childText(entry, 'severity'), AlertSeverity.options) : 'Unknown',
    certainty: childText(entry, 'certainty') ? oneOf('certainty', childText(entry, 'certainty'), AlertCertainty.options) : 'Unknown',
    areaDesc: clipText(childText(entry, 'areaDesc') ?? '', 1000),
    polygons: polygonText ? [readPolygon(polygonText, 'polygon')] : [],
    circles: [],
    geocodes: readInlineGeocodes(entry),
  };
  for (const key of Object.keys(fields) as (keyof AlertFields)[]) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/**
 * NWS writes one `cap:geocode` holding valueName/value pairs side by side, each value listing
 * several codes separated by spaces (`FIPS6` "048141 048229", `UGC` "TXZ055 TXZ056"): one
 * geocode per code, so each can be matched to a shape.
 */
function readInlineGeocodes(entry: XmlElement): AlertFields['geocodes'] {
  const out: AlertFields['geocodes'] = [];
  for (const geocode of childrenNamed(entry, 'geocode')) {
    let name: string | undefined;
    for (const c of geocode.children) {
      if (c.name === 'valueName') name = c.text.trim();
      else if (c.name === 'value' && name) {
        for (const value of c.text.trim().split(/\s+/).filter((v) => v !== '')) out.push({ valueName: clipText(name, 100), value: clipText(value, 100) });
      }
    }
  }
  if (out.length > 1000) fail('geocode', `${out.length} codes, more than 1000`);
  return out;
}

function isIndex(root: XmlElement): boolean {
  return root.name === 'feed' || root.name === 'rss' || root.name === 'RDF';
}

/** Prefers a link typed as CAP, then the alternate link, then an http(s) entry id. */
function atomLink(entry: XmlElement): string | undefined {
  const links = childrenNamed(entry, 'link').filter((l) => safeUrl(l.attrs.href));
  const cap = links.find((l) => /cap/i.test(l.attrs.type ?? ''));
  const alternate = links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
  const chosen = cap ?? alternate ?? links[0];
  if (chosen) return chosen.attrs.href?.trim();
  const id = childText(entry, 'id');
  return id && /^https?:\/\//i.test(id) ? id : undefined;
}

function rssLink(item: XmlElement): string | undefined {
  const enclosure = childrenNamed(item, 'enclosure').find((e) => /cap|xml/i.test(e.attrs.type ?? '') && safeUrl(e.attrs.url));
  if (enclosure) return enclosure.attrs.url?.trim();
  const link = childText(item, 'link');
  if (link && safeUrl(link)) return link;
  const guid = childText(item, 'guid');
  return guid && /^https?:\/\//i.test(guid) ? guid : undefined;
}

function safeUrl(url: string | undefined): boolean {
  if (!url || url.trim() === '') return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1];
  return scheme === undefined || /^https?$/i.test(scheme);
}

/** Index dates are informative only (RFC 822 in RSS), so an unreadable one is simply absent. */
function readLooseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

// ---------------------------------------------------------------------------------------------

interface AlertHead {
  alertId: string;
  msgType: AlertFields['msgType'];
  status: AlertFields['status'];
  references: string[];
  sent: number;
}

function readAlert(text: string, alert: XmlElement, config: CapConfig, receivedAt: number, records: FeedRecord[], errors: ParseError[]): void {
  const alertRaw = text.slice(alert.start, alert.end);
  let head: AlertHead;
  try {
    head = readHead(alert, receivedAt);
  } catch (err) {
    errors.push(toParseError(alertRaw, err));
    return;
  }
  const infos = chooseInfos(childrenNamed(alert, 'info'), config.languages);
  const single = infos.length === 0 || (infos.length === 1 && childrenNamed(infos[0] as XmlElement, 'area').length <= 1);
  if (infos.length === 0) {
    // Cancel messages often carry no info: the record still has to reach the projection.
    tryPush(alertRaw, records, errors, () => ({
      ...head, externalId: head.alertId, categories: [], event: '', severity: 'Unknown', urgency: 'Unknown', certainty: 'Unknown',
      areaDesc: '', polygons: [], circles: [], geocodes: [],
    }));
    return;
  }
  infos.forEach((info) => {
    const infoIndex = childrenNamed(alert, 'info').indexOf(info);
    const at = `info[${infoIndex}]`;
    let fields: InfoFields;
    try {
      fields = readInfo(info, at, receivedAt);
    } catch (err) {
      errors.push(toParseError(text.slice(info.start, info.end), err));
      return;
    }
    const areas = childrenNamed(info, 'area');
    if (areas.length > MAX_AREAS) {
      errors.push({ raw: clipRaw(text.slice(info.start, info.end)), reason: `${at}.area: ${areas.length} areas, more than ${MAX_AREAS}` });
      return;
    }
    if (areas.length === 0) {
      tryPush(text.slice(info.start, info.end), records, errors, () => ({
        ...head, ...fields, externalId: single ? head.alertId : `${head.alertId}#${infoIndex}.0`,
        areaDesc: '', polygons: [], circles: [], geocodes: [],
      }));
      return;
    }
    areas.forEach((area, areaIndex) => {
      tryPush(text.slice(area.start, area.end), records, errors, () => ({
        ...head, ...fields, ...readArea(area, `${at}.area[${areaIndex}]`),
        externalId: single ? head.alertId : `${head.alertId}#${infoIndex}.${areaIndex}`,
      }));
    });
  });
}

function tryPush(raw: string, records: FeedRecord[], errors: ParseError[], build: () => Omit<AlertFields, never>): void {
  try {
    records.push(validateRecord({ kind: 'alert', ...build() }));
  } catch (err) {
    errors.push(toParseError(raw, err));
  }
}

function readHead(alert: XmlElement, receivedAt: number): AlertHead {
  const alertId = childText(alert, 'identifier');
  if (!alertId) fail('identifier', 'missing');
  if (alertId.length > 200) fail('identifier', 'longer than 200 characters');
  const sentText = childText(alert, 'sent');
  if (!sentText) fail('sent', 'missing');
  const sent = checkTime('sent', parseIsoTime('sent', sentText), receivedAt);
  const status = oneOf('status', childText(alert, 'status'), AlertStatus.options);
  const msgType = oneOf('msgType', childText(alert, 'msgType'), AlertMsgType.options);
  const references = readReferences(childText(alert, 'references'));
  return { alertId, msgType, status, references, sent };
}

/** `references` is a space-separated list of "sender,identifier,sent"; we keep the identifiers. */
function readReferences(text: string | undefined): string[] {
  if (!text) return [];
  const ids: string[] = [];
  for (const triple of text.split(/\s+/)) {
    const parts = triple.split(',');
    const id = parts[1]?.trim();
    if (parts.length < 3 || !id) fail('references', `'${clipText(triple, 80)}' is not "sender,identifier,sent"`);
    if (id.length > 200) fail('references', 'an identifier is longer than 200 characters');
    ids.push(id);
  }
  if (ids.length > 500) fail('references', `${ids.length} references, more than 500`);
  return ids;
}

/** CAP values are case-sensitive in the schema; real feeds vary case, so match without it. */
function oneOf<T extends string>(field: string, value: string | undefined, options: readonly T[]): T {
  if (value === undefined) fail(field, `missing (one of ${options.join(', ')})`);
  const normalised = value === 'Very Likely' ? 'Likely' : value; // CAP 1.0/1.1 value, merged into Likely by 1.2
  const found = options.find((o) => o.toLowerCase() === normalised.toLowerCase());
  if (!found) fail(field, `'${clipText(value, 60)}' is not one of ${options.join(', ')}`);
  return found;
}

function chooseInfos(infos: XmlElement[], languages: string[] | undefined): XmlElement[] {
  if (!languages?.length) return infos;
  for (const wanted of languages) {
    const prefix = wanted.toLowerCase();
    // CAP: a missing language means en-US.
    const matching = infos.filter((i) => (childText(i, 'language') ?? 'en-US').toLowerCase().startsWith(prefix));
    if (matching.length) return matching;
  }
  return infos;
}

type InfoFields = Pick<AlertFields,
  'language' | 'categories' | 'event' | 'headline' | 'description' | 'instruction' | 'issuer' |
  'severity' | 'urgency' | 'certainty' | 'effective' | 'onset' | 'expires'>;

function readInfo(info: XmlElement, at: string, receivedAt: number): InfoFields {
  const optionalTime = (name: string): number | undefined => {
    const t = childText(info, name);
    return t === undefined ? undefined : checkTime(`${at}.${name}`, parseIsoTime(`${at}.${name}`, t), receivedAt, PLANNED_AHEAD_MS);
  };
  const optionalText = (name: string, max: number): string | undefined => {
    const t = childText(info, name);
    return t === undefined ? undefined : clipText(t, max);
  };
  const fields: InfoFields = {
    language: optionalText('language', 35) ?? 'en-US',
    categories: childrenNamed(info, 'category').map((c) => c.text.trim()).filter((c) => c !== '').slice(0, 12).map((c) => clipText(c, 20)),
    event: clipText(childText(info, 'event') ?? '', 300),
    headline: optionalText('headline', 300),
    description: optionalText('description', 4000),
    instruction: optionalText('instruction', 4000),
    issuer: optionalText('senderName', 300),
    urgency: oneOf(`${at}.urgency`, childText(info, 'urgency'), AlertUrgency.options),
    severity: oneOf(`${at}.severity`, childText(info, 'severity'), AlertSeverity.options),
    certainty: oneOf(`${at}.certainty`, childText(info, 'certainty'), AlertCertainty.options),
    effective: optionalTime('effective'),
    onset: optionalTime('onset'),
    expires: optionalTime('expires'),
  };
  // Absent optional fields are left out rather than set to undefined: records stay plain JSON.
  for (const key of Object.keys(fields) as (keyof InfoFields)[]) if (fields[key] === undefined) delete fields[key];
  return fields;
}

type AreaFields = Pick<AlertFields, 'areaDesc' | 'polygons' | 'circles' | 'geocodes'>;

function readArea(area: XmlElement, at: string): AreaFields {
  const polygons = childrenNamed(area, 'polygon').map((p, i) => readPolygon(p.text, `${at}.polygon[${i}]`));
  const circles = childrenNamed(area, 'circle').map((c, i) => readCircle(c.text, `${at}.circle[${i}]`));
  if (polygons.length > 100) fail(`${at}.polygon`, `${polygons.length} polygons, more than 100`);
  if (circles.length > 100) fail(`${at}.circle`, `${circles.length} circles, more than 100`);
  const geocodes = childrenNamed(area, 'geocode').map((g, i) => {
    const valueName = childText(g, 'valueName');
    const value = childText(g, 'value');
    if (!valueName || !value) fail(`${at}.geocode[${i}]`, 'needs both valueName and value');
    return { valueName: clipText(valueName, 100), value: clipText(value, 100) };
  });
  return { areaDesc: clipText(childText(area, 'areaDesc') ?? '', 1000), polygons, circles, geocodes };
}

/** "lat,lon lat,lon …" → closed ring of [lon, lat]. */
function readPolygon(text: string, field: string): [number, number][] {
  const pairs = text.trim().split(/\s+/).filter((p) => p !== '');
  if (pairs.length > 10_000) fail(field, `${pairs.length} points, more than 10000`);
  const ring = pairs.map((pair, i) => readLatLon(pair, `${field} point ${i + 1}`));
  const first = ring[0];
  const last = ring[ring.length - 1];
  // CAP requires the ring closed; some producers omit the closing point, and its meaning is clear.
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
  if (ring.length < 4) fail(field, `needs at least 3 distinct points, has ${Math.max(0, ring.length - 1)}`);
  return ring;
}

/** "lat,lon radius" with the radius in kilometres. */
function readCircle(text: string, field: string): { lon: number; lat: number; radiusM: number } {
  const [centre, radius, extra] = text.trim().split(/\s+/);
  if (!centre || radius === undefined || extra !== undefined) fail(field, `'${clipText(text.trim(), 60)}' is not "lat,lon radius"`);
  const [lon, lat] = readLatLon(centre, `${field} centre`);
  const km = Number(radius);
  if (!Number.isFinite(km) || km < 0 || km > 20_000) fail(field, `radius '${clipText(radius, 30)}' is not a distance in km`);
  return { lon, lat, radiusM: km * 1000 };
}

function readLatLon(pair: string, field: string): [number, number] {
  const parts = pair.split(',');
  const lat = parts.length === 2 ? Number(parts[0]) : NaN;
  const lon = parts.length === 2 ? Number(parts[1]) : NaN;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || parts[0]?.trim() === '' || parts[1]?.trim() === '') {
    fail(field, `'${clipText(pair, 60)}' is not "lat,lon"`);
  }
  checkLonLat(`${field} lon`, `${field} lat`, lon, lat);
  return [lon, lat];
}
