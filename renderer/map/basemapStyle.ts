import type { StyleSpecification } from 'maplibre-gl';
import type { CityPack } from '../../common/contract';

/**
 * The offline basemap: sea, land, districts and metro stations from the city pack, all inline
 * GeoJSON. No glyphs, sprites or tiles are fetched: labels are drawn by deck.gl.
 */
export function basemapStyle(pack: CityPack): StyleSpecification {
  return {
    version: 8,
    sources: {
      land: { type: 'geojson', data: pack.land as GeoJSON.FeatureCollection },
      districts: { type: 'geojson', data: pack.districts as GeoJSON.FeatureCollection },
      metro: { type: 'geojson', data: pack.metro as GeoJSON.FeatureCollection },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#0a1520' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#161d26' } },
      { id: 'districts-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#1b2430', 'fill-opacity': 0.9 } },
      { id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#33445a', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 15, 1.5] } },
      {
        id: 'metro-stations',
        type: 'circle',
        source: 'metro',
        minzoom: 11,
        paint: { 'circle-radius': 2.5, 'circle-color': '#0b1118', 'circle-stroke-color': '#7f8ea3', 'circle-stroke-width': 1.2 },
      },
    ],
  };
}
