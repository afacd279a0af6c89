import type { FilterSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { CityPack } from '../../common/contract';
import type { Basemap } from '../../common/methods/basemap';

/** Source name of the offline tile file in the style; the pmtiles protocol keys its archive on it. */
export const BASEMAP_KEY = 'vigie-basemap';
/** Source name of the city pack's own PMTiles archive (its parts too large for GeoJSON). */
export const PACK_TILES_KEY = 'vigie-pack';

const SEA = '#0a1520';
const LAND = '#161d26';

/** The city pack's own layers, drawn over any basemap: districts and metro stations (inline GeoJSON). */
function packSources(pack: CityPack): Record<string, SourceSpecification> {
  return {
    ...(pack.tiles ? { [PACK_TILES_KEY]: { type: 'vector', url: `pmtiles://${PACK_TILES_KEY}` } as SourceSpecification } : {}),
    districts: { type: 'geojson', data: pack.districts as GeoJSON.FeatureCollection },
    metro: { type: 'geojson', data: pack.metro as GeoJSON.FeatureCollection },
    pois: { type: 'geojson', data: (pack.pois ?? { type: 'FeatureCollection', features: [] }) as GeoJSON.FeatureCollection },
  };
}

/** The same drawing for a part served as vector tiles: one source-layer per part. */
function tiledPackLayers(pack: CityPack, where: 'land' | 'over'): LayerSpecification[] {
  const layers = pack.tiles?.layers ?? [];
  const source = PACK_TILES_KEY;
  if (where === 'land') return layers.includes('land') ? [{ id: 'pack-land', type: 'fill', source, 'source-layer': 'land', paint: { 'fill-color': LAND } }] : [];
  return [
    ...(layers.includes('stations') ? [{ id: 'pack-stations', type: 'circle', source, 'source-layer': 'stations', minzoom: 11, paint: { 'circle-radius': 2.5, 'circle-color': '#0b1118', 'circle-stroke-color': '#7f8ea3', 'circle-stroke-width': 1.2 } } as LayerSpecification] : []),
    ...(layers.includes('roads') ? packRoadLayers(source) : []),
    ...(layers.includes('pois') ? [{ id: 'pack-pois', type: 'circle', source, 'source-layer': 'pois', minzoom: 13, paint: { 'circle-radius': 2, 'circle-color': '#5d6f86' } } as LayerSpecification] : []),
  ];
}

/** The pack's streets (vigie pack build --roads): major roads brighter, paths faint, names along the line. */
function packRoadLayers(source: string): LayerSpecification[] {
  const kindIs = (...kinds: string[]) => ['in', ['get', 'kind'], ['literal', kinds]] as unknown as FilterSpecification;
  const width = (a: number, b: number) => ['interpolate', ['exponential', 1.6], ['zoom'], 11, a, 17, b] as unknown as number;
  return [
    { id: 'pack-roads-path', type: 'line', source, 'source-layer': 'roads', minzoom: 13, filter: kindIs('path'), paint: { 'line-color': '#2a3542', 'line-width': width(0.3, 2), 'line-dasharray': [2, 2] } },
    { id: 'pack-roads-street', type: 'line', source, 'source-layer': 'roads', filter: kindIs('street'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#34404f', 'line-width': width(0.5, 7) } },
    { id: 'pack-roads-major', type: 'line', source, 'source-layer': 'roads', filter: kindIs('major'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#4a5a6e', 'line-width': width(0.9, 11) } },
    {
      id: 'pack-roads-names', type: 'symbol', source, 'source-layer': 'roads', minzoom: 14, filter: ['all', ['has', 'name'], kindIs('street', 'major')] as unknown as FilterSpecification,
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': LABEL_FONT_STACK, 'text-size': 11, 'text-max-angle': 30 },
      paint: { 'text-color': '#8fa0b4', 'text-halo-color': '#0b1118', 'text-halo-width': 1.4 },
    },
  ];
}

function packLayers(fillDistricts: boolean): LayerSpecification[] {
  return [
    ...(fillDistricts ? [{ id: 'districts-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#1b2430', 'fill-opacity': 0.9 } } as LayerSpecification] : []),
    { id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#33445a', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 15, 1.5] } },
    {
      id: 'metro-stations',
      type: 'circle',
      source: 'metro',
      minzoom: 11,
      paint: { 'circle-radius': 2.5, 'circle-color': '#0b1118', 'circle-stroke-color': '#7f8ea3', 'circle-stroke-width': 1.2 },
    },
    { id: 'pois', type: 'circle', source: 'pois', minzoom: 13, paint: { 'circle-radius': 2, 'circle-color': '#5d6f86' } },
  ];
}

const kind = (...kinds: string[]) => ['in', ['get', 'pmap:kind'], ['literal', kinds]] as unknown as FilterSpecification;

/**
 * Place and street names. The style has no `glyphs` URL, so MapLibre draws each glyph itself
 * (TinySDF on a canvas) in the font the text-font stack names: Noto Sans, which the app bundles
 * from the npm package @fontsource/noto-sans (layers/fonts.ts) — nothing is fetched at run time.
 */
export const LABEL_FONT_STACK = ['Noto Sans'];

function protomapsV2Labels(source: string): LayerSpecification[] {
  const halo = { 'text-halo-color': '#0b1118', 'text-halo-width': 1.4 };
  return [
    {
      id: 'pm-roads-labels', type: 'symbol', source, 'source-layer': 'roads', minzoom: 14, filter: kind('major_road', 'medium_road', 'minor_road'),
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': LABEL_FONT_STACK, 'text-size': 11, 'text-max-angle': 30 },
      paint: { 'text-color': '#7f8ea3', ...halo },
    },
    {
      id: 'pm-places', type: 'symbol', source, 'source-layer': 'places',
      layout: {
        'text-field': ['coalesce', ['get', 'name'], ['get', 'name:fr'], ['get', 'name:en']],
        'text-font': LABEL_FONT_STACK,
        'text-size': ['match', ['get', 'pmap:kind'], 'city', 16, 'neighbourhood', 12, 11],
        'text-max-width': 8,
        'text-letter-spacing': 0.04,
      },
      paint: { 'text-color': ['match', ['get', 'pmap:kind'], 'city', '#c5d0dc', '#9fb0c4'], ...halo },
    },
  ];
}

/**
 * A dark style for vector tiles in the Protomaps v2 schema (earth, natural, land, water, roads,
 * transit, buildings, boundaries), with place and street names on top (protomapsV2Labels).
 */
function protomapsV2Layers(source: string): LayerSpecification[] {
  const road = (id: string, kinds: string[], color: string, width: [number, number], minzoom = 0): LayerSpecification => ({
    id, type: 'line', source, 'source-layer': 'roads', minzoom, filter: kind(...kinds),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': color, 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 10, width[0], 17, width[1]] },
  });
  return [
    { id: 'pm-earth', type: 'fill', source, 'source-layer': 'earth', paint: { 'fill-color': LAND } },
    { id: 'pm-natural', type: 'fill', source, 'source-layer': 'natural', paint: { 'fill-color': '#17241f', 'fill-opacity': 0.7 } },
    { id: 'pm-land', type: 'fill', source, 'source-layer': 'land', paint: { 'fill-color': '#1a222c', 'fill-opacity': 0.6 } },
    { id: 'pm-water', type: 'fill', source, 'source-layer': 'water', paint: { 'fill-color': SEA } },
    { id: 'pm-buildings', type: 'fill', source, 'source-layer': 'buildings', minzoom: 14, paint: { 'fill-color': '#212b37', 'fill-opacity': 0.8 } },
    { id: 'pm-boundaries', type: 'line', source, 'source-layer': 'boundaries', paint: { 'line-color': '#3a4a5e', 'line-dasharray': [3, 2], 'line-width': 1 } },
    { id: 'pm-transit', type: 'line', source, 'source-layer': 'transit', minzoom: 12, paint: { 'line-color': '#3b4250', 'line-width': 1, 'line-dasharray': [2, 2] } },
    road('pm-roads-minor', ['minor_road', 'other'], '#26303c', [0.3, 5], 13),
    road('pm-roads-medium', ['medium_road'], '#2e3a48', [0.5, 8]),
    road('pm-roads-major', ['major_road'], '#3a4758', [0.7, 11]),
    road('pm-roads-highway', ['highway'], '#5a4e36', [1, 14]),
  ];
}

/**
 * The basemap style. Built in: sea, land, districts and metro stations from the city pack, all
 * inline GeoJSON. With an offline PMTiles or MBTiles file: its tiles through the pmtiles:// or
 * mbtiles:// protocol (read by the data service), with the pack's districts and stations on top.
 */
export function basemapStyle(pack: CityPack, basemap: Basemap = { kind: 'builtin' }): StyleSpecification | string {
  if (basemap.kind === 'style') return basemap.url;
  const background: LayerSpecification = { id: 'sea', type: 'background', paint: { 'background-color': SEA } };
  if (basemap.kind === 'builtin') {
    return {
      version: 8,
      sources: { land: { type: 'geojson', data: pack.land as GeoJSON.FeatureCollection }, ...packSources(pack) },
      layers: [background, { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': LAND } }, ...tiledPackLayers(pack, 'land'), ...packLayers(true), ...tiledPackLayers(pack, 'over')],
    };
  }
  const tiles: SourceSpecification =
    basemap.kind === 'pmtiles'
      ? basemap.tileType === 'mvt'
        ? { type: 'vector', url: `pmtiles://${BASEMAP_KEY}` }
        : { type: 'raster', url: `pmtiles://${BASEMAP_KEY}`, tileSize: 256 }
      : basemap.tileType === 'mvt'
        ? { type: 'vector', tiles: ['mbtiles://{z}/{x}/{y}'], minzoom: basemap.minZoom, maxzoom: basemap.maxZoom, bounds: basemap.bounds }
        : { type: 'raster', tiles: ['mbtiles://{z}/{x}/{y}'], minzoom: basemap.minZoom, maxzoom: basemap.maxZoom, bounds: basemap.bounds, tileSize: 256 };
  const tileLayers: LayerSpecification[] =
    basemap.tileType !== 'mvt'
      ? [{ id: 'basemap-raster', type: 'raster', source: BASEMAP_KEY, paint: { 'raster-brightness-max': 0.6, 'raster-saturation': -0.5 } }]
      : basemap.schema === 'protomaps-v2'
        ? protomapsV2Layers(BASEMAP_KEY)
        : [];
  // Names go above the city pack's lines and stations so nothing draws over them.
  const labelLayers = basemap.tileType === 'mvt' && basemap.schema === 'protomaps-v2' ? protomapsV2Labels(BASEMAP_KEY) : [];
  return {
    version: 8,
    sources: { [BASEMAP_KEY]: tiles, ...packSources(pack) },
    layers: [background, ...tileLayers, ...packLayers(false), ...tiledPackLayers(pack, 'over'), ...labelLayers],
  };
}
