import { useEffect, useMemo, useState } from 'react';
import { PathLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Coverage } from '../../../common/domain/dispatch';
import { useClient } from '../../app/ClientContext';
import { useT } from '../../i18n/index';
import type { LayerInputs, MapLayerDef } from './types';
import { appNow, useClock } from '../../stores/replayClock';
import { useNow } from '../../ui/useNow';

/** 5 min green, 10 min amber, 15 min red: the holes are where no colour is. */
const BANDS: [number, number, number, number][] = [[48, 209, 88, 200], [255, 196, 0, 180], [255, 90, 70, 170]];
/** Units move every few seconds: the isochrones follow at most this often. */
const THROTTLE_MS = 5_000;
type Line = Coverage['lines'][number];

let latest: Coverage | null = null;

/** The coverage now, fetched while the layer is shown: on show, when units or assignments change (throttled), each 30 s. */
function useCoverage(visible: boolean): Coverage | null {
  const client = useClient();
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  // In replay, the units available at the replayed instant, recomputed as it moves by a minute.
  const replaying = useClock((s) => s.mode === 'replay');
  const now = useNow(5_000);
  const replayMinute = replaying ? Math.floor(now / 60_000) : null;
  useEffect(() => {
    if (!visible) return;
    let alive = true;
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const load = () => {
      last = Date.now();
      pending = null;
      client.call('dispatch.coverage', replayMinute === null ? {} : { at: Math.round(appNow()) }).then(
        (c) => {
          latest = c;
          if (alive) setCoverage(c);
        },
        () => undefined, // the next move or tick tries again
      );
    };
    const soon = () => {
      if (pending) return;
      pending = setTimeout(load, Math.max(0, last + THROTTLE_MS - Date.now()));
    };
    load();
    const timer = setInterval(soon, 30_000);
    const offs = [client.on('units.changed', soon), client.on('assignment.changed', soon), client.onConnection((s) => s === 'open' && soon())];
    return () => {
      alive = false;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      offs.forEach((off) => off());
    };
  }, [client, visible, replayMinute]);
  return coverage;
}

function useCoverageLayers({ visible, opacity }: LayerInputs): Layer[] {
  const coverage = useCoverage(visible);
  // Slowest band first so the faster ones draw over it.
  const data = useMemo(() => [...(coverage?.lines ?? [])].sort((a, b) => b.band - a.band), [coverage]);
  return useMemo(
    () => [
      new PathLayer<Line>({
        id: 'coverage',
        data,
        visible: visible && data.length > 0,
        opacity,
        getPath: (l) => l.path,
        getColor: (l) => BANDS[l.band] ?? BANDS[2]!,
        getWidth: 4,
        widthUnits: 'pixels',
        widthMinPixels: 2,
        capRounded: true,
      }),
    ],
    [data, visible, opacity],
  );
}

export const coverageLayerDef: MapLayerDef = {
  id: 'coverage',
  label: 'layers.coverage',
  useLayers: useCoverageLayers,
  useLegend: () => {
    const t = useT();
    if (latest && !latest.roads) return [{ color: [127, 142, 163, 255], label: t('layers.coverage.noRoads'), shape: 'line' }];
    return [
      ...[5, 10, 15].map((min, i) => ({ color: BANDS[i]!, label: t('layers.coverage.band', { min }), shape: 'line' as const })),
      ...(latest ? [{ color: [127, 142, 163, 0] as [number, number, number, number], label: t('layers.coverage.units', { n: latest.units }), shape: 'dot' as const }] : []),
    ];
  },
  useUpdatedAt: () => null,
};
