import { z } from 'zod';
import { ANY_ROLE, PICTURE_ROLES, Role } from '../domain/roles';
import { method } from './method';

const FeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

export const Session = z.object({
  user: z.string(),
  role: Role,
  workstation: z.string(),
  profile: z.string(),
  demo: z.boolean(),
  version: z.string(),
  /** Why the service refuses changes (an invalid machine policy…), or null when it does not. */
  readOnly: z.string().nullable(),
  /** A training sandbox: the historical day it holds and its scenario (absent or null: live data). */
  training: z.object({ day: z.string(), scenario: z.string().nullable() }).nullable().optional(),
  /** What the profile is: live, imported history, or a training sandbox (absent: live). */
  kind: z.enum(['live', 'history', 'training']).optional(),
});
export type Session = z.infer<typeof Session>;

export const CityPack = z.object({
  id: z.string(),
  name: z.string(),
  center: z.tuple([z.number(), z.number()]),
  zoom: z.number(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  land: FeatureCollection,
  districts: FeatureCollection,
  metro: FeatureCollection,
  attribution: z.array(z.string()),
  /** Points of interest (monuments, public buildings), from a built pack. */
  pois: FeatureCollection.optional(),
  /** Transit lines with their official colours. */
  lines: z.array(z.object({ id: z.string(), name: z.string(), longName: z.string(), color: z.string() })).optional(),
  /** Parts of a built pack that were too large for GeoJSON, vector-tiled (read with `map.packBytes`). */
  tiles: z.object({ layers: z.array(z.enum(['stations', 'pois', 'land', 'roads'])), minZoom: z.number(), maxZoom: z.number() }).optional(),
});
export type CityPack = z.infer<typeof CityPack>;

/** Who is connected, and the map they work on. */
export const sessionMethods = {
  'session.whoami': method({
    params: z.object({}).prefault({}),
    result: Session,
    roles: ANY_ROLE,
    summary: 'Who is connected, with which role, on which profile',
  }),
  'map.cityPack': method({
    params: z.object({}).prefault({}),
    result: CityPack,
    roles: PICTURE_ROLES,
    summary: 'The city pack: land, districts, transit, default view',
  }),
} as const;
