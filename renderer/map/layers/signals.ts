import { useEffect, useMemo, useState } from 'react';
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { SignalAnswer, SignalKind } from '../../../common/domain/signal';
import { useClient } from '../../app/ClientContext';
import { translate, useLocaleStore, useT } from '../../i18n/index';
import { districtLabels } from './districts';
import { gridCellShape, parseGridCell } from '../../../common/geo/gridCell';
import { LABEL_FONT } from './fonts';
import { signalAreas, signalText, type AreaSignal } from './signalAreas';
import type { LayerInputs, MapLayerDef } from './types';

/** The last hour slides: read again each minute even when nothing new was pushed. */
const REFRESH_MS = 60_000;

/**
 * The last hour of aggregated signals (buckets below k come without their count): on show, on each
 * `signals.changed` push (a new batch stored), on reconnection, and each minute.
 */
function useSignalReadings(visible: boolean): SignalAnswer[] {
  const client = useClient();
  const [readings, setReadings] = useState<SignalAnswer[]>([]);
  useEffect(() => {
    if (!visible) return;
    let alive = true;
    const load = () =>
      client.call('signals.readings', {}).then(
        (list) => alive && setReadings(list),
        () => undefined, // a refused or failed read leaves the last picture; the next push or minute tries again
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const offs = [
      client.on('signals.changed', () => void load()),
      client.onConnection((state) => {
        if (state === 'open') void load();
      }),
    ];
    return () => {
      alive = false;
      clearInterval(timer);
      offs.forEach((off) => off());
    };
  }, [client, visible]);
  return readings;
}

type Shaded = { properties: { name: string; share: number; text: string; belowKOnly: boolean } };

/** Districts shaded by their signals (orange to red), each with its counts written on it. */
function useSignalLayers({ pack, visible, opacity }: LayerInputs): Layer[] {
  const locale = useLocaleStore((s) => s.locale);
  const readings = useSignalReadings(visible);
  const districtPlaces = useMemo(() => districtLabels(pack), [pack]);
  // Cell ids of the European statistical grid (what telecom presence counts come in) place themselves.
  const cells = useMemo(() => {
    const shapes = new Map<string, ReturnType<typeof gridCellShape>>();
    for (const r of readings) {
      const cell = shapes.has(r.area) ? null : parseGridCell(r.area);
      if (cell) shapes.set(r.area, gridCellShape(cell));
    }
    return shapes;
  }, [readings]);
  const places = useMemo(() => [...districtPlaces, ...[...cells].map(([name, c]) => ({ name, position: c.center }))], [districtPlaces, cells]);
  const areas = useMemo(() => signalAreas(readings, places), [readings, places]);
  // Rebuilt when the readings or the language change, not on every render: deck.gl redraws on new data.
  const labelled = useMemo(() => areas.map((a) => ({ ...a, text: signalText(a, (kind: SignalKind) => translate(locale, `signals.kind.${kind}`)) })), [areas, locale]);
  const features = useMemo(() => {
    const byName = new Map(labelled.map((a) => [a.area, a]));
    const cellFeatures = [...cells].map(([name, c]) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [c.ring] }, properties: { name } }));
    return [...(pack.districts.features as { properties?: { name?: string } }[]), ...cellFeatures]
      .filter((f) => f.properties?.name !== undefined && byName.has(f.properties.name))
      .map((f) => {
        const a = byName.get(f.properties!.name!)!;
        return { ...f, properties: { ...f.properties, name: a.area, share: a.share, text: a.text, belowKOnly: a.belowKOnly } };
      });
  }, [pack, labelled, cells]);
  return useMemo(
    () => [
      new GeoJsonLayer({
        id: 'signal-heat',
        data: { type: 'FeatureCollection', features } as never,
        visible: visible && features.length > 0,
        opacity,
        filled: true,
        stroked: true,
        // Light enough that the map and the written count stay readable through the busiest area.
        // An area whose every count is below k is grey: "fewer than k" is not a small orange count.
        getFillColor: (f: Shaded) => (f.properties.belowKOnly ? [150, 150, 165, 35] : [255, Math.round(60 + 110 * (1 - f.properties.share)), 40, Math.round(25 + 50 * f.properties.share)]),
        getLineColor: (f: Shaded) => (f.properties.belowKOnly ? [170, 170, 185, 200] : [255, 140, 60, 200]),
        getLineWidth: 1.5,
        lineWidthUnits: 'pixels',
        pickable: true,
        updateTriggers: { getFillColor: [features], getLineColor: [features] },
      }),
      // The count itself, on the area: a shade alone says "more" but not how many.
      new TextLayer<AreaSignal & { text: string }>({
        id: 'signal-counts',
        data: labelled,
        visible: visible && labelled.length > 0,
        opacity,
        getPosition: (a) => a.position,
        getText: (a) => a.text,
        getSize: 13,
        getColor: [255, 236, 214, 255],
        getPixelOffset: [0, 14], // under the district's name, which sits on the same point
        characterSet: 'auto',
        fontFamily: LABEL_FONT,
        fontWeight: 700,
        outlineWidth: 3,
        outlineColor: [40, 12, 4, 255],
        fontSettings: { sdf: true },
        background: true,
        getBackgroundColor: [40, 16, 8, 200],
        backgroundPadding: [4, 2],
        billboard: true,
        updateTriggers: { getText: [labelled] },
      }),
    ],
    [features, labelled, visible, opacity],
  );
}

export const signalsLayerDef: MapLayerDef = {
  id: 'signals',
  label: 'layers.signals',
  useLayers: useSignalLayers,
  useLegend: () => {
    const t = useT();
    return [
      { color: [255, 170, 40, 60], label: t('signals.low'), shape: 'area' },
      { color: [255, 60, 40, 140], label: t('signals.high'), shape: 'area' },
      { color: [150, 150, 165, 90], label: t('signals.belowK'), shape: 'area' },
    ];
  },
  useUpdatedAt: () => null,
  describe: (info, t) => {
    const p = (info.object as { properties?: { name?: string; text?: string }; area?: string; text?: string } | undefined) ?? {};
    const name = p.properties?.name ?? p.area;
    const text = p.properties?.text ?? p.text;
    return name && text ? t('signals.describe', { district: name, counts: text }) : null;
  },
};
