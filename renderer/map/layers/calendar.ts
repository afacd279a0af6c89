import { useMemo } from 'react';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { PlannedEvent } from '../../../common/domain/plannedEvent';
import { useT } from '../../i18n/index';
import { useCalendar } from '../../stores/calendar';
import type { LayerInputs, MapLayerDef } from './types';

const WORKS: [number, number, number, number] = [255, 176, 32, 200];
const EVENT: [number, number, number, number] = [191, 90, 242, 200];
const CLASH: [number, number, number, number] = [255, 69, 58, 255];
const isWorks = (e: PlannedEvent) => e.kind === 'roadworks' || e.kind === 'closure';

/** Planned events of the coming week: works amber, events violet, those in a clash outlined red. */
function useCalendarLayers({ visible, opacity }: LayerInputs): Layer[] {
  const events = useCalendar((s) => s.events);
  const clashes = useCalendar((s) => s.clashes);
  const data = useMemo(() => {
    const clashing = new Set(clashes.flatMap((c) => [c.a.id, c.b.id]));
    return { type: 'FeatureCollection', features: events.map((e) => ({ type: 'Feature', geometry: e.place, properties: { ...e, clash: clashing.has(e.id) } })) };
  }, [events, clashes]);
  return useMemo(
    () => [
      new GeoJsonLayer({
        id: 'calendar',
        data: data as never,
        visible: visible && data.features.length > 0,
        opacity,
        filled: true,
        stroked: true,
        pointType: 'circle',
        getPointRadius: 9,
        pointRadiusUnits: 'pixels',
        getFillColor: (f: { properties: PlannedEvent }) => {
          const c = isWorks(f.properties) ? WORKS : EVENT;
          // Cancelled: still on the map (people may come anyway), faint.
          if (f.properties.cancelled) return [c[0], c[1], c[2], 50];
          // An area is tinted, not filled: the streets under roadworks stay readable.
          return f.properties.place.type === 'Polygon' ? [c[0], c[1], c[2], 60] : c;
        },
        getLineColor: (f: { properties: { clash: boolean } & PlannedEvent }) => (f.properties.clash ? CLASH : isWorks(f.properties) ? WORKS : EVENT),
        getLineWidth: (f: { properties: { clash: boolean } }) => (f.properties.clash ? 3 : 1),
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getLineColor: [data], getLineWidth: [data], getFillColor: [data] },
      }),
    ],
    [data, visible, opacity],
  );
}

export const calendarLayerDef: MapLayerDef = {
  id: 'calendar',
  label: 'layers.calendar',
  useLayers: useCalendarLayers,
  useLegend: () => {
    const t = useT();
    return [
      { color: EVENT, label: t('calendar.legend.event'), shape: 'dot' },
      { color: WORKS, label: t('calendar.legend.works'), shape: 'area' },
      { color: CLASH, label: t('calendar.legend.clash'), shape: 'line' },
    ];
  },
  useUpdatedAt: () => null,
  describe: (info) => {
    const p = (info.object as { properties?: PlannedEvent } | undefined)?.properties;
    return p ? `${p.title}${p.attendance ? ` · ${p.attendance}` : ''}${p.cancelled ? ' ✕' : ''}` : null;
  },
};
