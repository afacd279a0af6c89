import { z } from 'zod';
import { INCIDENT_STATUSES, type IncidentFields } from '../../../common/domain/incident';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { decodeOrQuarantine, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import { readFeedTime } from './time';
import { mediaRefs } from './mediaRefs';

/**
 * Which property holds what. Defaults follow the names most city feeds use; a feed with other
 * names maps them in its config (`options.fields`).
 */
const GeoJsonConfig = z
  .object({
    kind: z.literal('incident').default('incident'),
    fields: z
      .object({
        id: z.array(z.string()).default(['id', 'incident_id', 'uid']),
        category: z.array(z.string()).default(['category', 'type', 'offense']),
        priority: z.array(z.string()).default(['priority']),
        status: z.array(z.string()).default(['status', 'state']),
        title: z.array(z.string()).default(['title', 'name', 'label']),
        description: z.array(z.string()).default(['description', 'details']),
        address: z.array(z.string()).default(['address', 'location']),
        time: z.array(z.string()).default(['occurredAt', 'occurred_at', 'time', 't', 'date']),
        closedAt: z.array(z.string()).default(['closedAt', 'closed_at']),
        /** When the source last changed the feature: an older version arriving late loses to it. */
        updated: z.array(z.string()).default(['updated', 'updatedAt', 'updated_at', 'lastUpdate', 'last_update', 'timestamp']),
        /**
         * Photos and videos of the report (an address, a list, or `{ url, type }` objects), kept as
         * references (issue 22). None by default: a feed's media are read only when IT maps them.
         */
        media: z.array(z.string()).default([]),
      })
      .prefault({}),
    /** Feed-specific status words → Vigie statuses, e.g. {"open": "new", "resolved": "closed"}. */
    statusMap: z.record(z.string(), z.enum(INCIDENT_STATUSES)).default({}),
    defaultPriority: z.number().int().min(1).max(4).default(3),
    /** Set only if the feed writes times without an offset and they are UTC (see time.ts). */
    timesAreUtc: z.boolean().default(false),
  })
  .prefault({});
export type GeoJsonConfig = z.infer<typeof GeoJsonConfig>;

type Props = Record<string, unknown>;

function pick(props: Props, names: readonly string[]): unknown {
  for (const n of names) if (props[n] !== undefined && props[n] !== null && props[n] !== '') return props[n];
  return undefined;
}

function toIncident(feature: unknown, config: GeoJsonConfig, receivedAt: number): FeedRecord | string {
  if (typeof feature !== 'object' || feature === null || (feature as { type?: unknown }).type !== 'Feature') {
    return 'not a GeoJSON Feature (expected {"type":"Feature", …})';
  }
  const f = feature as { id?: unknown; geometry?: unknown; properties?: unknown };
  const props = (typeof f.properties === 'object' && f.properties !== null ? f.properties : {}) as Props;
  const g = f.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) return 'geometry: an incident needs a Point geometry';
  const [lon, lat] = g.coordinates as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    return 'geometry.coordinates: longitude and latitude must be numbers';
  }
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return `geometry.coordinates: [${lon}, ${lat}] is outside WGS84 bounds (is the order lon, lat?)`;

  const fields = config.fields;
  const rawId = f.id ?? pick(props, fields.id);
  if (typeof rawId !== 'string' && typeof rawId !== 'number') return `id: missing (looked in feature.id and properties ${fields.id.join(', ')})`;
  const category = pick(props, fields.category);
  if (typeof category !== 'string') return `category: missing or not text (looked in ${fields.category.join(', ')})`;

  const rawStatus = pick(props, fields.status);
  let status: IncidentFields['status'] = 'new';
  if (rawStatus !== undefined) {
    const word = String(rawStatus).toLowerCase().replace(/[\s-]+/g, '_');
    const mapped = config.statusMap[String(rawStatus)] ?? (INCIDENT_STATUSES as readonly string[]).find((s) => s === word);
    if (!mapped) return `status: "${String(rawStatus)}" is not a known status; map it in the feed's options.statusMap`;
    status = mapped as IncidentFields['status'];
  }

  const rawPriority = pick(props, fields.priority);
  const priority = rawPriority === undefined ? config.defaultPriority : Number(rawPriority);
  if (!Number.isInteger(priority) || priority < 1 || priority > 4) return `priority: "${String(rawPriority)}" is not an integer from 1 to 4`;

  const rawTime = pick(props, fields.time);
  const occurredAt = rawTime === undefined ? receivedAt : readFeedTime('time', rawTime, receivedAt, config.timesAreUtc);
  if (typeof occurredAt === 'string') return `${occurredAt} (read from ${fields.time.join(', ')})`;
  const rawClosed = pick(props, fields.closedAt);
  const closedAt = rawClosed === undefined ? null : readFeedTime('closedAt', rawClosed, receivedAt, config.timesAreUtc);
  if (typeof closedAt === 'string') return closedAt;
  const rawUpdated = pick(props, fields.updated);
  const sourceUpdatedAt = rawUpdated === undefined ? null : readFeedTime('updated', rawUpdated, receivedAt, config.timesAreUtc);
  if (typeof sourceUpdatedAt === 'string') return `${sourceUpdatedAt} (read from ${fields.updated.join(', ')})`;

  const title = pick(props, fields.title);
  const description = pick(props, fields.description);
  const address = pick(props, fields.address);
  const media = fields.media.length > 0 ? mediaRefs(pick(props, fields.media)) : [];
  return {
    kind: 'incident',
    externalId: String(rawId),
    category,
    priority,
    status,
    title: typeof title === 'string' ? title.slice(0, 300) : category,
    ...(typeof description === 'string' ? { description: description.slice(0, 4000) } : {}),
    ...(typeof address === 'string' ? { address: address.slice(0, 300) } : {}),
    lon,
    lat,
    occurredAt,
    ...(closedAt !== null ? { closedAt } : {}),
    ...(sourceUpdatedAt !== null ? { sourceUpdatedAt } : {}),
    ...(media.length > 0 ? { media } : {}),
  };
}

/**
 * Splits a payload into features: a FeatureCollection, a single Feature, or newline-delimited
 * features. `raw` is the feature's own text, kept for quarantine: a function, because serialising
 * every feature of a collection again just in case cost a fifth of the parse (bench/ingest.mjs).
 */
function features(text: string): { items: { value: unknown; raw: () => string }[]; errors: ParseError[] } {
  const trimmed = text.trim();
  if (trimmed === '') return { items: [], errors: [] };
  try {
    const doc = JSON.parse(trimmed) as { type?: unknown; features?: unknown };
    if (doc?.type === 'FeatureCollection') {
      if (!Array.isArray(doc.features)) return { items: [], errors: [{ raw: trimmed, reason: 'FeatureCollection without a features array' }] };
      return { items: doc.features.map((value) => ({ value, raw: () => JSON.stringify(value) })), errors: [] };
    }
    return { items: [{ value: doc, raw: () => trimmed }], errors: [] };
  } catch {
    // Not one JSON document: newline-delimited GeoJSON, one feature per line, each judged on its own.
  }
  const items: { value: unknown; raw: () => string }[] = [];
  const errors: ParseError[] = [];
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      items.push({ value: JSON.parse(line), raw: () => line });
    } catch (e) {
      errors.push({ raw: line, reason: `not valid JSON: ${(e as Error).message}` });
    }
  }
  return { items, errors };
}

export const geojsonAdapter: FeedAdapter<GeoJsonConfig> = {
  type: 'geojson',
  configSchema: GeoJsonConfig,
  parse(raw, ctx): ParseResult {
    const text = decodeOrQuarantine(raw, ctx);
    if (typeof text !== 'string') return text;
    const { items, errors } = features(text);
    const records: FeedRecord[] = [];
    for (const item of items) {
      const result = toIncident(item.value, ctx.config, ctx.receivedAt);
      if (typeof result === 'string') errors.push({ raw: item.raw(), reason: result });
      else records.push(result);
    }
    return { records, errors };
  },
};
