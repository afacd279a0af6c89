import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';

/** CAP 1.2 §3.2.2 value lists. CAP 1.1's "Very Likely" is folded into Likely by the adapter, as 1.2 did. */
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;

export const AlertSeverity = z.enum(CAP_SEVERITIES);
export const AlertUrgency = z.enum(CAP_URGENCIES);
export const AlertCertainty = z.enum(CAP_CERTAINTIES);
export const AlertMsgType = z.enum(CAP_MSG_TYPES);
export const AlertStatus = z.enum(CAP_STATUSES);

/**
 * Prefix of the id of an alert made from a CAP index entry's inline fields; the full alert,
 * once fetched, references it and so replaces it.
 */
export const INDEX_ENTRY_PREFIX = 'index-entry:';

/** One closed ring, [lon, lat] pairs (GeoJSON order, although CAP writes "lat,lon"). */
export const AlertRing = z.array(z.tuple([Lon, Lat])).min(4).max(10_000);
export const AlertCircle = z.object({ lon: Lon, lat: Lat, radiusM: z.number().nonnegative().max(20_000_000) });
/** A CAP geocode, e.g. { valueName: 'SAME', value: '006037' } or an INSEE code. */
export const AlertGeocode = z.object({ valueName: z.string().max(100), value: z.string().max(100) });

export const AlertTranslation = z.object({
  /** BCP 47 language tag as the source writes it (`fr`, `en-GB`). */
  language: z.string().max(35),
  headline: z.string().max(300).optional(),
  description: z.string().max(4000).optional(),
});
export type AlertTranslation = z.infer<typeof AlertTranslation>;

/** GTFS-realtime Alert.Cause and Alert.Effect, lower case. */
export const TRANSIT_CAUSES = [
  'unknown_cause', 'other_cause', 'technical_problem', 'strike', 'demonstration', 'accident', 'holiday', 'weather', 'maintenance',
  'construction', 'police_activity', 'medical_emergency', 'special_event',
] as const;
export const TRANSIT_EFFECTS = [
  'no_service', 'reduced_service', 'significant_delays', 'detour', 'additional_service', 'modified_service', 'other_effect',
  'unknown_effect', 'stop_moved', 'no_effect', 'accessibility_issue',
] as const;
export const TransitAlertDetails = z.object({
  cause: z.enum(TRANSIT_CAUSES),
  effect: z.enum(TRANSIT_EFFECTS),
  /** When the alert applies; an open end is absent. Empty: for as long as the alert is in the feed. */
  activePeriods: z.array(z.object({ start: EpochMs.optional(), end: EpochMs.optional() })).max(100),
  /** Informed entities: route ids and stop ids of the agency's GTFS. */
  routes: z.array(z.string().max(100)).max(500),
  stops: z.array(z.string().max(100)).max(1000),
  /** Of those stops, the ones the city pack does not place (so the alert is listed, not drawn, for them). */
  unplacedStops: z.array(z.string().max(100)).max(1000),
});
export type TransitAlertDetails = z.infer<typeof TransitAlertDetails>;

/**
 * One CAP area of one `info` block. An area with neither polygons nor circles is kept
 * with its areaDesc and geocodes: the alert is listed, not drawn.
 */
export const AlertFields = z.object({
  /** `<identifier>` plus `#info/area` indexes when the message holds several areas. */
  externalId: z.string().min(1).max(300),
  /** The CAP `<identifier>`: what `references` of later Update/Cancel messages point at. */
  alertId: z.string().min(1).max(200),
  msgType: AlertMsgType,
  status: AlertStatus,
  /** Identifiers of the earlier messages an Update or Cancel replaces (sender and sent are not kept). */
  references: z.array(z.string().min(1).max(200)).max(500),
  sent: EpochMs,
  effective: EpochMs.optional(),
  onset: EpochMs.optional(),
  expires: EpochMs.optional(),
  language: z.string().max(35).optional(),
  categories: z.array(z.string().max(20)).max(12),
  event: z.string().max(300),
  headline: z.string().max(300).optional(),
  /** Public alert text, written to be broadcast; clipped. */
  description: z.string().max(4000).optional(),
  instruction: z.string().max(4000).optional(),
  /** The issuing organisation as it names itself (`senderName`), not the sender's address. */
  issuer: z.string().max(300).optional(),
  severity: AlertSeverity,
  urgency: AlertUrgency,
  certainty: AlertCertainty,
  areaDesc: z.string().max(1000),
  polygons: z.array(AlertRing).max(100),
  circles: z.array(AlertCircle).max(100),
  geocodes: z.array(AlertGeocode).max(1000),
  /** The headline and description in other languages (GTFS-rt TranslatedString): the UI shows its own language where present. */
  translations: z.array(AlertTranslation).max(50).optional(),
  /** What a GTFS-realtime service alert says beyond CAP's fields. */
  transit: TransitAlertDetails.optional(),
});
export type AlertFields = z.infer<typeof AlertFields>;
