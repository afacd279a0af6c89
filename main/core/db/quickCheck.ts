import type { FeedRecord } from '../../../common/domain/feedRecord';
import { INCIDENT_STATUSES } from '../../../common/domain/incident';
import { OCCUPANCIES, UNIT_TYPES } from '../../../common/domain/unit';

/**
 * Hand-written checks for the two high-rate kinds, equivalent to (never looser than) their zod
 * schemas in common/domain. True means zod would accept the record unchanged, so ingest skips it;
 * false sends the record to zod, which decides and words the reason. Zod costs about a third of
 * the pipeline's CPU on position streams (bench/ingest.mjs); this check, a few percent.
 * main/core/db/quickCheck.test.ts holds it to the schemas.
 */
export function quickCheck(r: FeedRecord): boolean {
  if (r.kind === 'unit') return unitOk(r as unknown as Record<string, unknown>);
  if (r.kind === 'incident') return incidentOk(r as unknown as Record<string, unknown>);
  return false;
}

const UNIT_KEYS = new Set(['kind', 'unitId', 'callsign', 'unitType', 'lon', 'lat', 'heading', 'speed', 't', 'status', 'routeId', 'expiresAt', 'sourceType', 'occupancy', 'team', 'teamRole', 'battery', 'client']);
const INCIDENT_KEYS = new Set(['kind', 'externalId', 'category', 'priority', 'status', 'title', 'description', 'address', 'lon', 'lat', 'occurredAt', 'closedAt', 'sourceUpdatedAt']);
const UNIT_TYPE_SET = new Set<unknown>(UNIT_TYPES);
const OCCUPANCY_SET = new Set<unknown>(OCCUPANCIES);
const STATUS_SET = new Set<unknown>(INCIDENT_STATUSES);

const str = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
const optStr = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
const num = (v: unknown, min: number, max: number) => typeof v === 'number' && v >= min && v <= max; // NaN fails both comparisons
const epoch = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const optEpoch = (v: unknown) => v === undefined || epoch(v);

function onlyKeys(r: Record<string, unknown>, allowed: Set<string>): boolean {
  for (const k in r) if (!allowed.has(k)) return false;
  return true;
}

function unitOk(r: Record<string, unknown>): boolean {
  return (
    str(r.unitId, 1, 200) &&
    optStr(r.callsign, 100) &&
    UNIT_TYPE_SET.has(r.unitType) &&
    num(r.lon, -180, 180) &&
    num(r.lat, -90, 90) &&
    (r.heading === undefined || (typeof r.heading === 'number' && r.heading >= 0 && r.heading < 360)) &&
    (r.speed === undefined || num(r.speed, 0, 1000)) &&
    epoch(r.t) &&
    optStr(r.status, 64) &&
    optStr(r.routeId, 100) &&
    optEpoch(r.expiresAt) &&
    optStr(r.sourceType, 100) &&
    (r.occupancy === undefined || OCCUPANCY_SET.has(r.occupancy)) &&
    optStr(r.team, 50) &&
    optStr(r.teamRole, 50) &&
    (r.battery === undefined || (typeof r.battery === 'number' && Number.isInteger(r.battery) && r.battery >= 0 && r.battery <= 100)) &&
    optStr(r.client, 100) &&
    onlyKeys(r, UNIT_KEYS)
  );
}

function incidentOk(r: Record<string, unknown>): boolean {
  return (
    str(r.externalId, 1, 200) &&
    str(r.category, 1, 64) &&
    typeof r.priority === 'number' && Number.isInteger(r.priority) && r.priority >= 1 && r.priority <= 4 &&
    STATUS_SET.has(r.status) &&
    str(r.title, 0, 300) &&
    optStr(r.description, 4000) &&
    optStr(r.address, 300) &&
    num(r.lon, -180, 180) &&
    num(r.lat, -90, 90) &&
    epoch(r.occurredAt) &&
    optEpoch(r.closedAt) &&
    optEpoch(r.sourceUpdatedAt) &&
    onlyKeys(r, INCIDENT_KEYS)
  );
}
