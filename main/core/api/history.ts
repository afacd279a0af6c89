import type { historyMethods } from '../../../common/methods/history';
import type { ProfileKind } from '../db/history';
import type { Store } from '../store';
import { replayCounts } from '../replay/counts';
import type { DomainHandlers } from './handlers';

export interface HistoryDeps {
  store: Pick<Store, 'incidents'>;
  /** The profile's kind (a sandbox is training whatever its file says). */
  kind: () => ProfileKind;
  imports: () => { importedAt: number; type: string; files: string[]; lifecycle: string; stored: number; closed: number; firstAt: number | null; lastAt: number | null }[];
  extent: () => { bbox: [number, number, number, number]; count: number } | null;
  /** The city pack's bounds [west, south, east, north]. */
  packBounds: () => [number, number, number, number];
}

export function historyHandlers({ store, kind, imports, extent, packBounds }: HistoryDeps): DomainHandlers<typeof historyMethods> {
  return {
    'history.about': () => ({
      kind: kind(),
      imports: imports().map(({ importedAt, type, files, lifecycle, stored, closed, firstAt, lastAt }) => ({ importedAt, type, files, lifecycle, stored, closed, firstAt, lastAt })),
    }),
    'map.dataExtent': () => {
      const data = extent();
      if (!data) return { bbox: null, count: 0, packFits: false };
      const [w, s, e, n] = packBounds();
      const [dw, ds, de, dn] = data.bbox;
      return { bbox: data.bbox, count: data.count, packFits: dw >= w && de <= e && ds >= s && dn <= n };
    },
    'replay.counts': ({ at, dayStart }) => replayCounts(store, at, dayStart),
  };
}
