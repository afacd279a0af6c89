import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';

/** What kind of thing moves; only used for the symbol on the map. */
export const UNIT_TYPES = ['vehicle', 'person', 'aircraft', 'vessel', 'transit', 'unknown'] as const;
export const UnitType = z.enum(UNIT_TYPES);
export type UnitType = z.infer<typeof UnitType>;

/** GTFS-realtime VehiclePosition.OccupancyStatus, in order, lower case. */
export const OCCUPANCIES = [
  'empty', 'many_seats_available', 'few_seats_available', 'standing_room_only', 'crushed_standing_room_only', 'full',
  'not_accepting_passengers', 'no_data_available', 'not_boardable',
] as const;

/** Degrees clockwise from true north. */
export const Heading = z.number().min(0).lt(360);

/** One position report of a unit (patrol car, ambulance, bus, team member). */
export const UnitFields = z.object({
  /** Stable id of the unit within its feed (GTFS vehicle id, CoT uid, …). */
  unitId: z.string().min(1).max(200),
  /** What the radio and the screen call it; an operational name, not a person's. */
  callsign: z.string().max(100).optional(),
  unitType: UnitType,
  lon: Lon,
  lat: Lat,
  heading: Heading.optional(),
  /** Metres per second. */
  speed: z.number().min(0).max(1000).optional(),
  /** When the position was measured. */
  t: EpochMs,
  /** The source's own status word (e.g. GTFS `in_transit_to`, a CAD status), free but short. */
  status: z.string().max(64).optional(),
  /** Transit route or line the unit serves, where the source has one. */
  routeId: z.string().max(100).optional(),
  /** After this the position must not be shown as current (CoT `stale`). */
  expiresAt: EpochMs.optional(),
  /** The source's type code (CoT type, …), kept for symbology. */
  sourceType: z.string().max(100).optional(),
  /** How full a transit vehicle is (GTFS-rt OccupancyStatus, lower case: `standing_room_only`, …). */
  occupancy: z.enum(OCCUPANCIES).optional(),
  /** The team a TAK user belongs to (CoT `__group` name, e.g. `Cyan`) and their role in it (`Team Lead`). */
  team: z.string().max(50).optional(),
  teamRole: z.string().max(50).optional(),
  /** Battery of the reporting device, percent (TAK `status@battery`): a team about to go silent. */
  battery: z.number().int().min(0).max(100).optional(),
  /** The reporting software (TAK `takv`: platform and version, e.g. `ATAK-CIV 5.1`), not the device model. */
  client: z.string().max(100).optional(),
});
export type UnitFields = z.infer<typeof UnitFields>;
