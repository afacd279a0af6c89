import type { ComponentType } from 'react';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { CityPack } from '../../../common/contract';
import type { MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/index';
import type { LayerId } from '../../stores/mapLayers';
import type { FeatureRef } from '../../stores/mapSelection';

export interface LayerInputs {
  pack: CityPack;
  zoom: number;
  visible: boolean;
  opacity: number;
}

export interface LegendEntry {
  color: [number, number, number, number?];
  label: string;
  /** 'dot' (point), 'area' (polygon), 'line' (track), 'arrow'. */
  shape?: 'dot' | 'area' | 'line' | 'arrow';
}

/**
 * One kind of layer on the map. A new kind (annotations…) is one file exporting one of these and
 * one line in registry.ts; MapView, the layer panel and the test handle pick it up from there.
 */
export interface MapLayerDef {
  id: LayerId;
  label: MessageKey;
  /** The deck.gl layers, derived in useMemo from store selectors (a hook: called once per render of its host). */
  useLayers(inputs: LayerInputs): Layer[];
  /** Legend entries, translated. */
  useLegend(): LegendEntry[];
  /** Time of the newest data shown, for "updated 12 s ago"; null when there is none or age does not apply. */
  useUpdatedAt(): number | null;
  /** Shown as stale when its newest data is older than this (or its feeds are late). */
  staleAfterMs?: number;
  /** Whether late feeds make this layer stale (layers fed by feeds, not computed ones). */
  fedByFeeds?: boolean;
  /** The entity kind this layer draws (a feed's `kinds`): only late feeds that bring it make the layer stale. */
  feedKind?: string;
  /** Extra controls under the layer's row in the panel (filters, horizon). */
  Controls?: ComponentType;
  /** A one-line description of a picked item, for the hover tooltip. */
  describe?(info: PickingInfo, t: Translate): string | null;
  /** The unit, camera or alert a click on a picked item opens in the details panel. */
  select?(info: PickingInfo): FeatureRef | null;
}

/** The id of what was picked, whether the layer has objects or binary attributes with an `ids` column. */
export function pickedId(info: Pick<PickingInfo, 'object' | 'index' | 'layer'>): string | null {
  const object = info.object as { id?: string } | undefined;
  if (object?.id) return object.id;
  const ids = (info.layer?.props.data as { ids?: string[] } | undefined)?.ids;
  return ids && info.index >= 0 ? (ids[info.index] ?? null) : null;
}

/** The newest time among a store's entities (a layer's data age), or null when it holds none. */
export function newestTime<T>(byId: Record<string, T>, timeOf: (item: T) => number): number | null {
  let newest = 0;
  for (const item of Object.values(byId)) {
    const t = timeOf(item);
    if (t > newest) newest = t;
  }
  return newest || null;
}
