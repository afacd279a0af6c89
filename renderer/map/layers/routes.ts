import { useMemo } from 'react';
import { PathLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { useT } from '../../i18n/index';
import { useDispatch, type DispatchState } from '../../stores/dispatch';
import type { LayerInputs, MapLayerDef } from './types';

const FIRST: [number, number, number, number] = [48, 209, 88, 235];
const NEXT: [number, number, number, number] = [120, 170, 255, 170];
type Route = DispatchState['routes'][number];

/** The roads the first units of the open ranking would take to the incident; the recommended one on top. */
function useRouteLayers({ visible, opacity }: LayerInputs): Layer[] {
  const routes = useDispatch((s) => s.routes);
  // Drawn last on top: the recommended unit's route over the others.
  const data = useMemo(() => [...routes].sort((a, b) => b.rank - a.rank), [routes]);
  return useMemo(
    () => [
      new PathLayer<Route>({
        id: 'routes',
        data,
        visible: visible && data.length > 0,
        opacity,
        getPath: (r) => r.path,
        getColor: (r) => (r.rank === routes[0]?.rank ? FIRST : NEXT),
        getWidth: (r) => (r.rank === routes[0]?.rank ? 6 : 3),
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        pickable: true,
        updateTriggers: { getColor: [routes], getWidth: [routes] },
      }),
    ],
    [data, routes, visible, opacity],
  );
}

export const routesLayerDef: MapLayerDef = {
  id: 'routes',
  label: 'layers.routes',
  useLayers: useRouteLayers,
  useLegend: () => {
    const t = useT();
    return [
      { color: FIRST, label: t('layers.routes.first'), shape: 'line' },
      { color: NEXT, label: t('layers.routes.next'), shape: 'line' },
    ];
  },
  useUpdatedAt: () => null,
  describe: (info) => (info.object as Route | undefined)?.callsign ?? null,
};
