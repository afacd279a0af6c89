import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import type { Incident } from '../../../common/domain/incident';

type RGBA = [number, number, number, number];

/** Priority colours: red for life at risk down to a quiet blue for routine; chosen to read on the dark basemap. */
export const PRIORITY_COLORS: Record<number, RGBA> = {
  1: [255, 59, 48, 255],
  2: [255, 149, 0, 255],
  3: [255, 214, 10, 255],
  4: [90, 200, 250, 255],
};
const CLOSED: RGBA = [142, 142, 147, 150];

export function incidentColor(incident: Incident): RGBA {
  return incident.status === 'closed' ? CLOSED : (PRIORITY_COLORS[incident.priority] ?? PRIORITY_COLORS[3]!);
}

/**
 * The incidents layer, derived from the visible list. The caller memoises `incidents` on the
 * store's version, so deck.gl rebuilds attributes only when an incident changed; selection only
 * restyles, through updateTriggers.
 */
export function incidentsLayer(incidents: Incident[], selectedId: string | null, onSelect: (id: string) => void) {
  return new ScatterplotLayer<Incident>({
    id: 'incidents',
    data: incidents,
    pickable: true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => [d.lon, d.lat],
    getRadius: (d) => (d.id === selectedId ? 11 : d.priority <= 2 ? 8 : 6),
    getFillColor: incidentColor,
    getLineColor: (d) => (d.id === selectedId ? [255, 255, 255, 255] : [10, 14, 20, 220]),
    getLineWidth: (d) => (d.id === selectedId ? 3 : 1.5),
    onClick: (info: PickingInfo<Incident>) => {
      if (info.object) onSelect(info.object.id);
    },
    updateTriggers: {
      getRadius: selectedId,
      getLineColor: selectedId,
      getLineWidth: selectedId,
    },
  });
}
