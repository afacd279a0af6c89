import { useEffect, useMemo } from 'react';
import { PolygonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { FORECAST_HORIZONS_H, type ForecastCell } from '../../../common/methods/forecasts';
import { useLayerSetting, useMapLayers } from '../../stores/mapLayers';
import { useT } from '../../i18n/index';
import { useMapClient } from '../mapClient';
import { useClock } from '../../stores/replayClock';
import { useReplayForecasts } from '../../stores/replayForecasts';
import type { RGBA } from './icons';
import type { LayerInputs, MapLayerDef } from './types';

/** The service recomputes every 5 min; asking every minute keeps the map at most a minute behind. */
const POLL_MS = 60_000;

/** Low to high expected incidents: dark violet to hot pink, distinct from priority and severity colours. */
const RAMP: RGBA[] = [
  [72, 40, 120, 255],
  [130, 50, 160, 255],
  [200, 60, 160, 255],
  [255, 110, 170, 255],
];

export function rampColor(share: number): RGBA {
  const i = Math.min(RAMP.length - 1, Math.max(0, Math.floor(share * RAMP.length)));
  return RAMP[i]!;
}

/**
 * How sure the model is about a cell, from 0.15 to 1: how far the top of its 90 % interval lies
 * above its expectation, relatively (r). Solid at r ≤ 0.5 (e.g. 12 expected, at most 18), faint
 * from r = 3 (e.g. 5 expected, up to 20). The interval comes from the fitted distribution of the
 * cell's count (its own swings included), so two cells expecting as many incidents differ when
 * one of them comes in bursts.
 */
export function certainty(cell: Pick<ForecastCell, 'expected' | 'high'>): number {
  if (cell.expected <= 0 || cell.high <= 0) return 0.15;
  const r = (cell.high - cell.expected) / cell.expected;
  return Math.min(1, Math.max(0.15, 1 - (r - 0.5) / 2.5));
}

/** Loads the latest forecast for the chosen horizon while the layer is on; in replay, the one published by then. */
function useForecastData(visible: boolean) {
  const client = useMapClient();
  const horizon = useMapLayers((s) => s.forecastHorizonH);
  const setForecast = useMapLayers((s) => s.actions.setForecast);
  const replaying = useClock((s) => s.mode === 'replay');
  const replayed = useReplayForecasts((s) => s.byHorizon[String(horizon)] ?? null);
  useEffect(() => {
    if (replaying) setForecast(replayed);
  }, [replaying, replayed, setForecast]);
  useEffect(() => {
    if (!visible || replaying) return;
    let live = true;
    const load = () =>
      client
        .call('forecasts.latest', { horizonHours: horizon })
        .then((f) => live && setForecast(f))
        .catch(() => live && setForecast(null));
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, horizon, visible, replaying, setForecast]);
}

function useForecastLayers({ visible, opacity }: LayerInputs): Layer[] {
  useForecastData(visible);
  const forecast = useMapLayers((s) => s.forecast);
  const explain = useMapLayers((s) => s.actions.explainForecast);
  return useMemo(() => {
    const cells = forecast?.cells ?? [];
    const max = cells[0]?.expected ?? 1;
    return [
      new PolygonLayer<ForecastCell>({
        id: 'forecasts',
        data: cells,
        visible,
        opacity,
        pickable: true,
        // Colour says how many, fill density how sure: a high but uncertain cell is a bright outline
        // around a pale fill, a high and certain one a solid square of the same colour.
        stroked: true,
        lineWidthUnits: 'pixels',
        // Legible by default (issue 16): a 2 px outline and a floor on the fill, so an uncertain cell still reads as a cell.
        getLineWidth: 2,
        filled: true,
        getPolygon: (c) => [[c.west, c.south], [c.east, c.south], [c.east, c.north], [c.west, c.north], [c.west, c.south]],
        getFillColor: (c) => {
          const [r, g, b] = rampColor(c.expected / max);
          return [r, g, b, Math.round(50 + 180 * certainty(c))];
        },
        getLineColor: (c) => {
          const [r, g, b] = rampColor(c.expected / max);
          return [r, g, b, 230];
        },
        // A click opens "why is this cell high?" (features/forecasts/ForecastTools.tsx).
        onClick: ({ object }: { object?: ForecastCell }) => {
          if (!object) return false;
          explain({ lon: (object.west + object.east) / 2, lat: (object.south + object.north) / 2 });
          return true;
        },
      }),
    ];
  }, [forecast, visible, opacity, explain]);
}

function useForecastLegend() {
  const t = useT();
  return [
    { color: RAMP[0]!, label: t('layers.forecasts.low'), shape: 'area' as const },
    { color: RAMP[3]!, label: t('layers.forecasts.high'), shape: 'area' as const },
    { color: [255, 110, 170, 70] as RGBA, label: t('layers.forecasts.uncertain'), shape: 'area' as const },
  ];
}

function ForecastControls() {
  const t = useT();
  const horizon = useMapLayers((s) => s.forecastHorizonH);
  const setHorizon = useMapLayers((s) => s.actions.setForecastHorizon);
  const forecast = useMapLayers((s) => s.forecast);
  const { visible } = useLayerSetting('forecasts');
  return (
    <div className="layer-filters">
      <label>
        {t('layers.forecasts.horizon')}
        <select value={horizon} onChange={(e) => setHorizon(Number(e.target.value))}>
          {FORECAST_HORIZONS_H.map((h) => (
            <option key={h} value={h}>
              {h < 48 ? `${h} h` : `${h / 24} ${t('layers.forecasts.days')}`}
            </option>
          ))}
        </select>
      </label>
      {visible && forecast && (
        <p className="muted small">{t('layers.forecasts.basis', { model: forecast.model, n: forecast.basedOn, m: forecast.cellM })}</p>
      )}
    </div>
  );
}

export const forecastsLayerDef: MapLayerDef = {
  id: 'forecasts',
  label: 'layers.forecasts',
  useLayers: useForecastLayers,
  useLegend: useForecastLegend,
  useUpdatedAt: () => useMapLayers((s) => s.forecast?.computedAt ?? null),
  Controls: ForecastControls,
  describe: (info, t) => {
    const c = info.object as ForecastCell | undefined;
    return c ? t('layers.forecasts.cell', { e: c.expected.toFixed(1), low: c.low, high: c.high, rank: c.rank }) : null;
  },
};
