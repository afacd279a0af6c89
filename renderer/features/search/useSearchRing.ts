import { useEffect, useMemo } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { SearchKind } from '../../../common/methods/search';
import { useSearch } from '../../stores/search';

/** How close to fly for each kind of result: a house fills the screen, a district shows whole. */
const ZOOM: Record<SearchKind, number> = { address: 17.5, street: 16, place: 16.5, stop: 16.5, district: 14, camera: 17, unit: 16.5, incident: 16.5 };

/**
 * Flies the map to the search box's pick and rings it; rings too the place of an incident being
 * created by hand, so the call-taker sees where it will be.
 */
export function useSearchRing(map: maplibregl.Map | null): Layer[] {
  const target = useSearch((s) => s.target);
  const placing = useSearch((s) => s.newIncident);
  useEffect(() => {
    if (!map || !target) return;
    map.flyTo({ center: [target.lon, target.lat], zoom: Math.max(map.getZoom(), ZOOM[target.kind]), duration: 700 });
  }, [map, target]);
  return useMemo(() => {
    const rings: { at: [number, number]; color: [number, number, number, number] }[] = [];
    if (target) rings.push({ at: [target.lon, target.lat], color: [255, 214, 10, 255] });
    if (placing && (!target || placing.lon !== target.lon || placing.lat !== target.lat)) rings.push({ at: [placing.lon, placing.lat], color: [255, 149, 0, 255] });
    if (rings.length === 0) return [];
    return [
      new ScatterplotLayer<(typeof rings)[number]>({
        id: 'search-ring',
        data: rings,
        stroked: true,
        filled: true,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getPosition: (d) => d.at,
        getRadius: 20,
        getFillColor: (d) => [d.color[0], d.color[1], d.color[2], 40],
        getLineColor: (d) => d.color,
        getLineWidth: 4,
      }),
    ];
  }, [target, placing]);
}
