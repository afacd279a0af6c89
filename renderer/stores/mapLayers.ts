import { createStore } from 'zustand';
import type { AreaForecast } from '../../common/methods/forecasts';
import type { Basemap } from '../../common/methods/basemap';
import type { IncidentStatus } from '../../common/domain/incident';
import type { LayerSet } from '../../common/methods/replay';
import { createStoreContext } from './createStoreContext';

/** Every kind of layer the map knows; the registry (map/layers/registry.ts) gives their order. */
export type LayerId = 'districts' | 'forecasts' | 'alerts' | 'cameras' | 'units' | 'incidents' | (string & {});

export interface LayerSetting {
  visible: boolean;
  /** 0..1 */
  opacity: number;
}

export type TimeWindow = 'all' | '1h' | '6h' | '24h';
export type StatusFilter = 'all' | 'open' | 'closed' | IncidentStatus;

export interface IncidentFilters {
  window: TimeWindow;
  category: string;
  status: StatusFilter;
  source: string;
}

export const WINDOW_MS: Record<TimeWindow, number> = { all: Infinity, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 };

export interface MapLayersState {
  settings: Partial<Record<LayerId, LayerSetting>>;
  filters: IncidentFilters;
  forecastHorizonH: number;
  forecast: AreaForecast | null;
  /** The forecast cell whose explanation is open ("why is this cell high?"), by a point inside it. */
  forecastExplain: { lon: number; lat: number } | null;
  basemap: Basemap | null;
  actions: {
    toggle(id: LayerId): void;
    setVisible(id: LayerId, visible: boolean): void;
    setOpacity(id: LayerId, opacity: number): void;
    setFilters(filters: Partial<IncidentFilters>): void;
    setForecastHorizon(hours: number): void;
    setForecast(forecast: AreaForecast | null): void;
    explainForecast(point: { lon: number; lat: number } | null): void;
    setBasemap(basemap: Basemap): void;
    /** Shows a recorded layer set (replay); layers it does not name keep their setting. */
    applySet(set: LayerSet): void;
    /** Puts back settings kept earlier (the live set, on leaving replay). */
    restore(settings: MapLayersState['settings']): void;
  };
}

const DEFAULT: LayerSetting = { visible: true, opacity: 1 };
const setting = (s: MapLayersState, id: LayerId) => s.settings[id] ?? DEFAULT;

/** What the supervisor chose to see on the map; the layers read it, the layer panel changes it. */
export const mapLayersStore = createStoreContext<MapLayersState>('mapLayers', () =>
  createStore<MapLayersState>((set) => ({
    // Forecasts start hidden: a risk surface is a planning view, not part of the live picture.
    settings: { forecasts: { visible: false, opacity: 0.85 }, alerts: { visible: true, opacity: 0.8 }, coverage: { visible: false, opacity: 0.8 } },
    filters: { window: 'all', category: 'all', status: 'all', source: 'all' },
    forecastHorizonH: 24,
    forecast: null,
    forecastExplain: null,
    basemap: null,
    actions: {
      toggle: (id) => set((s) => ({ settings: { ...s.settings, [id]: { ...setting(s, id), visible: !setting(s, id).visible } } })),
      setVisible: (id, visible) => set((s) => ({ settings: { ...s.settings, [id]: { ...setting(s, id), visible } } })),
      setOpacity: (id, opacity) => set((s) => ({ settings: { ...s.settings, [id]: { ...setting(s, id), opacity: Math.min(1, Math.max(0, opacity)) } } })),
      setFilters: (filters) => set((s) => ({ filters: { ...s.filters, ...filters } })),
      setForecastHorizon: (forecastHorizonH) => set({ forecastHorizonH }),
      setForecast: (forecast) => set({ forecast }),
      explainForecast: (forecastExplain) => set({ forecastExplain }),
      setBasemap: (basemap) => set({ basemap }),
      applySet: (layers) =>
        set((s) => {
          const named = new Set([...layers.visible, ...Object.keys(layers.opacity)]);
          const applied = Object.fromEntries([...named].map((id) => [id, { visible: layers.visible.includes(id), opacity: layers.opacity[id] ?? setting(s, id).opacity }]));
          return { settings: { ...s.settings, ...applied } };
        }),
      restore: (settings) => set({ settings }),
    },
  })),
);

export const useMapLayers = mapLayersStore.useSelector;

/** The layer set the settings show, over the given layers (the registry's): what replay records. */
export function layerSetOf(settings: MapLayersState['settings'], ids: readonly LayerId[]): LayerSet {
  const visible: string[] = [];
  const opacity: Record<string, number> = {};
  for (const id of ids) {
    const { visible: on, opacity: o } = settings[id] ?? DEFAULT;
    if (on) visible.push(id);
    opacity[id] = o;
  }
  return { visible, opacity };
}
export const useLayerSetting = (id: LayerId): LayerSetting => useMapLayers((s) => s.settings[id] ?? DEFAULT);
