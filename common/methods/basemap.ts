import { z } from 'zod';
import { PICTURE_ROLES } from '../domain/roles';
import { method } from './method';

const BBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** What the map draws under the city pack: built in, an offline tile file, or an online style. */
export const Basemap = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin') }),
  z.object({
    kind: z.enum(['pmtiles', 'mbtiles']),
    name: z.string(),
    /** `mvt` vector tiles, or a raster image format. */
    tileType: z.enum(['mvt', 'png', 'jpg', 'webp', 'unknown']),
    /** Vector tiles in the Protomaps v2 layer schema (earth, water, roads, …) get the built-in style for it. */
    schema: z.enum(['protomaps-v2', 'unknown']),
    bounds: BBox,
    center: z.tuple([z.number(), z.number()]),
    minZoom: z.number(),
    maxZoom: z.number(),
    /** Plain text, as the data's licence asks to show it. */
    attribution: z.array(z.string()),
  }),
  z.object({ kind: z.literal('style'), url: z.string() }),
]);
export type Basemap = z.infer<typeof Basemap>;

/** The offline basemap file, read by the data service so the renderer needs no file access. */
export const basemapMethods = {
  'map.basemap': method({
    params: z.object({}).prefault({}),
    result: Basemap,
    roles: PICTURE_ROLES,
    summary: 'Which basemap the profile uses',
  }),
  'map.basemapBytes': method({
    params: z.object({ offset: z.number().int().nonnegative(), length: z.number().int().positive().max(16 * 1024 * 1024) }),
    result: z.object({ base64: z.string() }),
    roles: PICTURE_ROLES,
    summary: 'A byte range of the PMTiles basemap file',
  }),
  'map.packBytes': method({
    params: z.object({ offset: z.number().int().nonnegative(), length: z.number().int().positive().max(16 * 1024 * 1024) }),
    result: z.object({ base64: z.string() }),
    roles: PICTURE_ROLES,
    summary: 'A byte range of the city pack’s PMTiles archive (its vector-tiled parts)',
  }),
  'map.basemapTile': method({
    params: z.object({ z: z.number().int().min(0).max(24), x: z.number().int().nonnegative(), y: z.number().int().nonnegative() }),
    result: z.object({ base64: z.string().nullable() }),
    roles: PICTURE_ROLES,
    summary: 'One tile of the MBTiles basemap (XYZ numbering), uncompressed; null where the file has none',
  }),
} as const;
