import { useEffect, useMemo, useState } from 'react';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { SignalReading } from '../../../common/domain/signal';
import { useClient } from '../../app/ClientContext';
import { useT } from '../../i18n/index';
import type { LayerInputs, MapLayerDef } from './types';

const REFRESH_MS = 60_000;

/** The last hour of aggregated signals (already without buckets below k), refreshed each minute while shown. */
function useSignalReadings(visible: boolean): { readings: SignalReading[]; at: number | null } {
  const client = useClient();
  const [state, setState] = useState<{ readings: SignalReading[]; at: number | null }>({ readings: [], at: null });
  useEffect(() => {
    if (!visible) return;
    let alive = true;
    const load = () =>
      client.call('signals.readings', {}).then(
        (readings) => alive && setState({ readings, at: Date.now() }),
        () => undefined,
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [client, visible]);
  return state;
}

/** Districts shaded by the aggregated count in them over the last hour (all kinds summed), orange to red. */
function useSignalLayers({ pack, visible, opacity }: LayerInputs): Layer[] {
  const { readings } = useSignalReadings(visible);
  const features = useMemo(() => {
    const sums = new Map<string, number>();
    for (const r of readings) sums.set(r.area, (sums.get(r.area) ?? 0) + r.count);
    const max = Math.max(1, ...sums.values());
    return (pack.districts.features as { properties?: { name?: string } }[])
      .filter((f) => f.properties?.name !== undefined && sums.has(f.properties.name))
      .map((f) => ({ ...f, properties: { ...f.properties, count: sums.get(f.properties!.name!)!, share: sums.get(f.properties!.name!)! / max } }));
  }, [pack, readings]);
  return useMemo(
    () => [
      new GeoJsonLayer({
        id: 'signal-heat',
        data: { type: 'FeatureCollection', features } as never,
        visible: visible && features.length > 0,
        opacity,
        filled: true,
        stroked: false,
        getFillColor: (f: { properties: { share: number } }) => [255, Math.round(170 * (1 - f.properties.share)), 40, Math.round(40 + 100 * f.properties.share)],
        pickable: true,
        updateTriggers: { getFillColor: [features] },
      }),
    ],
    [features, visible, opacity],
  );
}

export const signalsLayerDef: MapLayerDef = {
  id: 'signals',
  label: 'layers.signals',
  useLayers: useSignalLayers,
  useLegend: () => {
    const t = useT();
    return [
      { color: [255, 170, 40, 40], label: t('signals.low'), shape: 'area' },
      { color: [255, 0, 40, 140], label: t('signals.high'), shape: 'area' },
    ];
  },
  useUpdatedAt: () => null,
  describe: (info, t) => {
    const p = (info.object as { properties?: { name?: string; count?: number } } | undefined)?.properties;
    return p?.name && p.count !== undefined ? t('signals.describe', { district: p.name, count: p.count }) : null;
  },
};
