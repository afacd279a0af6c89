/**
 * Open311 GeoReport v2, `GET requests.json` or `requests.xml` (told apart by content): citizen service requests (pothole, graffiti,
 * abandoned vehicle…) become incidents. The cursor is the latest `updated_datetime` seen, for the
 * next poll's `updated_after`; servers treat it as inclusive or not, so a request may come back
 * once more, which the store absorbs (same externalId).
 *
 * Privacy: a control room needs what is wrong and where, not who reported it. The requester's
 * `first_name`, `last_name`, `email`, `phone`, `device_id`, `account_id` and the free-text
 * `description` (citizens describe people in it) are dropped here, and also cut out of the raw text kept for quarantine, so that the
 * quarantine is not a back door for them. `status_notes` is dropped too: it is agency free text
 * that nothing on the control-room screen needs. `media_url` is kept as a reference only (issue
 * 22): the photo is fetched from the feed's own host when a person opens it, cleaned of its
 * metadata first (main/core/media/); it stays out of the quarantine's raw text.
 */
import { z } from 'zod';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { IncidentStatus, Priority, type IncidentStatus as Status } from '../../../common/domain/incident';
import { childrenNamed, childText, parseXml } from './xml';
import { mediaRefs } from './mediaRefs';
import { decodeOrQuarantine, clipRaw, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import { own } from '../../../common/own';
import {
  checkLonLat,
  checkTime,
  clipText,
  describe,
  fail,
  nonEmpty,
  parseIsoTime,
  requireNumber,
  toParseError,
  validateRecord,
} from './fieldValues';

export const Open311Config = z.object({
  /** service_code (or, failing that, service_name) → incident category, e.g. { "4fd3b656…": "traffic_offence" }. */
  categories: z.record(z.string(), z.string().min(1).max(64)).optional(),
  defaultCategory: z.string().min(1).max(64).optional(),
  /** Incident category → priority; citizen reports are routine (4) unless said otherwise. */
  priorities: z.record(z.string(), Priority).optional(),
  defaultPriority: Priority.optional(),
  /** Server status word (lower case) → incident status; added to and overriding the defaults below. */
  statuses: z.record(z.string(), IncidentStatus).optional(),
  /** Some servers write times without an offset; set this only if they are UTC. */
  timesAreUtc: z.boolean().optional(),
});
export type Open311Config = z.infer<typeof Open311Config>;

/** GeoReport v2 defines open and closed; the rest are words real servers use. */
const DEFAULT_STATUSES: Record<string, Status> = {
  open: 'new',
  new: 'new',
  submitted: 'new',
  acknowledged: 'acknowledged',
  in_progress: 'acknowledged',
  'in progress': 'acknowledged',
  assigned: 'acknowledged',
  closed: 'closed',
  completed: 'closed',
  resolved: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
  duplicate: 'closed',
};

const PERSONAL_KEYS = ['first_name', 'last_name', 'email', 'phone', 'device_id', 'account_id', 'description', 'media_url', 'status_notes'];

export const open311Adapter: FeedAdapter<Open311Config> = {
  type: 'open311',
  configSchema: Open311Config,
  parse(raw, ctx): ParseResult {
    const text = decodeOrQuarantine(raw, ctx);
    if (typeof text !== 'string') return text;
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    // GeoReport v2's required format is XML, JSON optional: told apart by content, not by URL.
    const list = body.trimStart().startsWith('<') ? xmlRequestList(body) : jsonRequestList(body);
    if (typeof list === 'string') return { records: [], errors: [{ raw: clipRaw(text), reason: list }] };

    const records: FeedRecord[] = [];
    const errors: ParseError[] = [];
    const seen = new Set<string>();
    let cursor: { ms: number; text: string } | undefined;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      // The cursor moves past a request even if it is quarantined below: it is kept there, not lost.
      const updated = updatedOf(item, ctx.config, ctx.receivedAt);
      if (updated && (!cursor || updated.ms > cursor.ms)) cursor = updated;
      try {
        const record = readRequest(item, ctx.config, ctx.receivedAt);
        if (seen.has(record.externalId)) fail('service_request_id', `'${record.externalId}' appears twice in this batch`);
        seen.add(record.externalId);
        records.push(validateRecord(record));
      } catch (err) {
        const e = toParseError(rawWithoutPersonal(item), err);
        errors.push({ ...e, reason: `request ${i}: ${e.reason}` });
      }
    }
    return { records, errors, ...(cursor ? { cursor: cursor.text } : {}) };
  },
};

function jsonRequestList(text: string): unknown[] | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `not readable as JSON: ${(err as Error).message}`;
  }
  return requestList(json);
}

/**
 * `<service_requests><request><service_request_id>…</request>…</service_requests>` (the spec's
 * XML example), each request read into the same shape as its JSON twin: one string per child
 * element, an empty element as absent. `<errors><error><code/><description/>` is the error form.
 */
function xmlRequestList(text: string): unknown[] | string {
  const doc = parseXml(text);
  if (!doc.ok) return `not readable as XML: ${doc.error}`;
  const root = doc.root;
  if (root.name === 'errors' || root.name === 'error') {
    const first = root.name === 'error' ? root : childrenNamed(root, 'error')[0];
    return `the server answered an error: ${first ? `${childText(first, 'code') ?? ''} ${clipText(childText(first, 'description') ?? '', 300)}`.trim() : '(no detail)'}`;
  }
  if (root.name !== 'service_requests') return `root element <${root.name}> is not GeoReport v2 <service_requests>`;
  return childrenNamed(root, 'request').map((request) => {
    const fields: Record<string, string> = {};
    for (const c of request.children) {
      const value = c.text.trim();
      if (value !== '' && !(c.name in fields)) fields[c.name] = value;
    }
    return fields;
  });
}

/** The array of requests, or why the payload is not one. */
function requestList(json: unknown): unknown[] | string {
  const list = Array.isArray(json) ? json : (json as { service_requests?: unknown } | null)?.service_requests;
  if (!Array.isArray(list)) return `expected a JSON array of service requests, got ${describe(json)}`;
  // GeoReport v2 errors come back as [{ code, description }] with an HTTP error status.
  const first = list[0] as { code?: unknown; description?: unknown } | undefined;
  if (list.length > 0 && list.every((x) => x && typeof x === 'object' && 'code' in x && !('service_request_id' in x))) {
    return `the server answered an error: ${String(first?.code)} ${clipText(String(first?.description ?? ''), 300)}`;
  }
  return list;
}

/**
 * The request's updated_datetime when it is usable as a cursor. An absurd one (year 3000) is not:
 * the next polls would ask for nothing and the feed would go silent.
 */
function updatedOf(item: unknown, config: Open311Config, receivedAt: number): { ms: number; text: string } | undefined {
  const text = (item as { updated_datetime?: unknown } | null)?.updated_datetime;
  if (typeof text !== 'string') return undefined;
  try {
    return { ms: checkTime('updated_datetime', parseIsoTime('updated_datetime', text, config.timesAreUtc), receivedAt), text };
  } catch {
    return undefined;
  }
}

function readRequest(item: unknown, config: Open311Config, receivedAt: number): FeedRecord & { kind: 'incident' } {
  if (!item || typeof item !== 'object' || Array.isArray(item)) fail('request', `${describe(item)} is not a service request object`);
  const r = item as Record<string, unknown>;
  const id = nonEmpty(r.service_request_id);
  if (!id) fail('service_request_id', nonEmpty(r.token) ? 'missing: the request has only a token so far; it will come back with an id' : 'missing');
  if (id.length > 200) fail('service_request_id', 'longer than 200 characters');

  const time = (field: string): number | undefined => {
    const v = r[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') fail(field, `${describe(v)} is not a date-time string`);
    return checkTime(field, parseIsoTime(field, v, config.timesAreUtc), receivedAt);
  };
  const updatedMs = time('updated_datetime');

  const statusWord = nonEmpty(r.status)?.toLowerCase();
  if (!statusWord) fail('status', 'missing');
  const status = own(config.statuses ?? {}, statusWord) ?? own(DEFAULT_STATUSES, statusWord);
  if (!status) fail('status', `'${clipText(statusWord, 40)}' is not mapped; add it to "statuses" in the feed config`);

  if (r.lat === undefined && r.long === undefined) {
    fail('lat/long', 'missing: the request has no coordinates (address only); the server must geocode it');
  }
  const lat = requireNumber('lat', r.lat);
  const lon = requireNumber('long', r.long);
  checkLonLat('long', 'lat', lon, lat);

  const occurredAt = time('requested_datetime');
  if (occurredAt === undefined) fail('requested_datetime', 'missing');

  const code = nonEmpty(r.service_code);
  const name = nonEmpty(r.service_name);
  const category = (code && config.categories?.[code]) || (name && config.categories?.[name]) || config.defaultCategory || 'other';
  const priority = config.priorities?.[category] ?? config.defaultPriority ?? 4;
  const address = nonEmpty(r.address);
  const media = mediaRefs(r.media_url);

  return {
    kind: 'incident',
    externalId: id,
    category,
    priority,
    status,
    title: clipText(name ?? code ?? 'Service request', 300),
    ...(address ? { address: clipText(address, 300) } : {}),
    lon,
    lat,
    occurredAt,
    // The spec has no closing time; the last update of a closed request is the best we know.
    ...(status === 'closed' ? { closedAt: updatedMs ?? occurredAt } : {}),
    // The request's own clock for ordering its updates (absent: arrival time stands in).
    ...(updatedMs !== undefined ? { sourceUpdatedAt: updatedMs } : {}),
    ...(media.length > 0 ? { media } : {}),
  };
}

function rawWithoutPersonal(item: unknown): string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return JSON.stringify(item) ?? String(item);
  const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const key of PERSONAL_KEYS) if (key in copy) copy[key] = '[dropped at ingest]';
  return JSON.stringify(copy);
}
