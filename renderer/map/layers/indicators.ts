import { useMemo } from 'react';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { useT } from '../../i18n/index';
import { useIndicators } from '../../stores/indicators';
import type { LayerInputs, MapLayerDef } from './types';

const RED: [number, number, number, number] = [255, 69, 58, 90];

/** Districts with an indicator alert not yet acknowledged, filled red. */
function useIndicatorLayers({ pack, visible, opacity }: LayerInputs): Layer[] {
  const alerts = useIndicators((s) => s.alerts);
  const names = useMemo(() => [...new Set(alerts.filter((a) => !a.acknowledgedBy).map((a) => a.district))].sort().join('\n'), [alerts]);
  const features = useMemo(() => {
    const wanted = new Set(names.split('\n'));
    return (pack.districts.features as { properties?: { name?: string } }[]).filter((f) => f.properties?.name !== undefined && wanted.has(f.properties.name));
  }, [pack, names]);
  return useMemo(
    () => [
      new GeoJsonLayer({
        id: 'indicator-districts',
        data: { type: 'FeatureCollection', features } as never,
        visible: visible && features.length > 0,
        opacity,
        filled: true,
        stroked: true,
        getFillColor: RED,
        getLineColor: [255, 69, 58, 230],
        lineWidthMinPixels: 2,
        pickable: true,
      }),
    ],
    [features, visible, opacity],
  );
}

export const indicatorsLayerDef: MapLayerDef = {
  id: 'indicators',
  label: 'layers.indicators',
  useLayers: useIndicatorLayers,
  useLegend: () => {
    const t = useT();
    return [{ color: RED, label: t('indicators.legend'), shape: 'area' }];
  },
  useUpdatedAt: () => null,
  describe: (info, t) => {
    const name = (info.object as { properties?: { name?: string } } | undefined)?.properties?.name;
    return name ? t('indicators.districtAlert', { district: name }) : null;
  },
};
