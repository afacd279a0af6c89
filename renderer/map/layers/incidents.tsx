import { LABEL_FONT } from './fonts';
import { useMemo } from 'react';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, type Incident } from '../../../common/domain/incident';
import { useIncidents, visibleIncidents } from '../../stores/incidents';
import { useMapLayers } from '../../stores/mapLayers';
import { useSession } from '../../stores/session';
import { categoryLabel, useT } from '../../i18n/index';
import { useNow } from '../../ui/useNow';
import { buildIncidentAttributes, CATEGORY_GLYPHS, categoryGlyph, clusterIncidents, CLOSED_COLOR, PRIORITY_COLORS, type Cluster } from './incidentAttributes';
import { filterIncidents } from './incidentFilters';
import { newestTime, pickedId, type LayerInputs, type MapLayerDef } from './types';

export { CATEGORY_GLYPHS, PRIORITY_COLORS } from './incidentAttributes';

/** Below this zoom incidents are aggregated into clusters; above it every incident is drawn. */
export const CLUSTER_BELOW_ZOOM = 12;
/** Category symbols show from this zoom, when points no longer overlap much. */
const ICONS_FROM_ZOOM = 14;

/**
 * Priority by label as well as colour (colour-blind safe): open P1 and P2 incidents, and clusters
 * holding one, carry a "P1"/"P2" tag beside their dot.
 */
function priorityTags<D extends { lon: number; lat: number; priority: number }>(id: string, data: D[], visible: boolean, opacity: number, offset: number): Layer {
  return new TextLayer<D>({
    id,
    data,
    visible,
    opacity,
    getPosition: (d) => [d.lon, d.lat],
    getText: (d) => `P${d.priority}`,
    getSize: 12,
    getPixelOffset: [offset, -offset],
    getTextAnchor: 'start',
    getAlignmentBaseline: 'bottom',
    getColor: (d) => (d.priority === 1 ? [255, 255, 255, 255] : [11, 17, 24, 255]),
    background: true,
    getBackgroundColor: (d) => {
      const [r, g, b] = PRIORITY_COLORS[d.priority] ?? PRIORITY_COLORS[2]!;
      return [r, g, b, 255];
    },
    backgroundPadding: [3, 1],
    fontFamily: LABEL_FONT,
    fontWeight: 700,
    characterSet: 'P12',
  });
}

/** The incidents the map shows: the list's filters (open only, search) then the map's (window, category, status, source). */
export function useMapIncidents(): Incident[] {
  const byId = useIncidents((s) => s.byId);
  const openOnly = useIncidents((s) => s.openOnly);
  const search = useIncidents((s) => s.search);
  const filters = useMapLayers((s) => s.filters);
  // The time window slides: re-filter every 30 s even when nothing arrives.
  const now = useNow(filters.window === 'all' ? 3_600_000 : 30_000);
  return useMemo(() => filterIncidents(visibleIncidents({ byId, openOnly, search }), filters, now), [byId, openOnly, search, filters, now]);
}

function useIncidentLayers({ zoom, visible, opacity }: LayerInputs): Layer[] {
  const incidents = useMapIncidents();
  const selectedId = useIncidents((s) => s.selectedId);
  const select = useIncidents((s) => s.actions.select);
  const byId = useIncidents((s) => s.byId);
  // Typed arrays rebuilt only when the filtered list changes, never on a restyle or a pan.
  const attributes = useMemo(() => buildIncidentAttributes(incidents), [incidents]);
  const clusterZoom = zoom < CLUSTER_BELOW_ZOOM ? Math.floor(zoom) : null;
  const clusters = useMemo(() => (clusterZoom === null ? null : clusterIncidents(attributes, clusterZoom)), [attributes, clusterZoom]);
  const showIcons = zoom >= ICONS_FROM_ZOOM && incidents.length <= 20_000;
  const selected = selectedId ? byId[selectedId] : undefined;
  const urgent = useMemo(() => incidents.filter((i) => i.priority <= 2 && i.status !== 'closed'), [incidents]);

  return useMemo(() => {
    const layers: Layer[] = [];
    if (clusters) {
      layers.push(priorityTags('incident-cluster-priority-tags', clusters.filter((c) => c.priority <= 2), visible, opacity, 14));
      layers.push(
        new ScatterplotLayer<Cluster>({
          id: 'incident-clusters',
          data: clusters,
          visible,
          opacity,
          pickable: true,
          stroked: true,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getPosition: (c) => [c.lon, c.lat],
          getRadius: (c) => Math.min(26, 7 + 4 * Math.log2(c.count)),
          getFillColor: (c) => { const [r, g, b] = PRIORITY_COLORS[c.priority] ?? PRIORITY_COLORS[3]!; return [r, g, b, 200]; },
          getLineColor: [10, 14, 20, 255],
          getLineWidth: 2,
        }),
        new TextLayer<Cluster>({
          id: 'incident-cluster-counts',
          data: clusters,
          visible,
          opacity,
          getPosition: (c) => [c.lon, c.lat],
          getText: (c) => String(c.count),
          getSize: 12,
          getColor: [11, 17, 24, 255],
          fontFamily: LABEL_FONT,
          fontWeight: 700,
          characterSet: '0123456789',
        }),
      );
    } else {
      layers.push(
        new ScatterplotLayer({
          id: 'incidents',
          // Binary data: deck.gl uploads the typed arrays as they are. `ids` rides along for picking.
          data: {
            length: attributes.length,
            ids: attributes.ids,
            attributes: {
              getPosition: { value: attributes.positions, size: 2 },
              getFillColor: { value: attributes.colors, size: 4, normalized: true },
              getRadius: { value: attributes.radii, size: 1 },
            },
          },
          visible,
          opacity,
          pickable: true,
          stroked: true,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getLineColor: [10, 14, 20, 220],
          getLineWidth: 1.5,
          onClick: (info: PickingInfo) => {
            const id = pickedId(info);
            if (id) select(id);
          },
        }),
      );
      layers.push(priorityTags('incident-priority-tags', urgent, visible, opacity, 9));
      if (showIcons) {
        layers.push(
          new TextLayer<Incident>({
            id: 'incident-icons',
            data: incidents,
            visible,
            opacity,
            getPosition: (d) => [d.lon, d.lat],
            getText: (d) => categoryGlyph(d.category),
            getSize: 11,
            getColor: [11, 17, 24, 255],
            fontFamily: LABEL_FONT,
            fontWeight: 700,
            characterSet: Object.values(CATEGORY_GLYPHS).join(''),
          }),
        );
      }
    }
    if (selected) {
      // The selection is its own one-point layer: selecting never rebuilds the big layer's attributes.
      layers.push(
        new ScatterplotLayer<Incident>({
          id: 'incident-selected',
          data: [selected],
          visible,
          stroked: true,
          filled: false,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getPosition: (d) => [d.lon, d.lat],
          getRadius: 12,
          getLineColor: [255, 255, 255, 255],
          getLineWidth: 3,
        }),
      );
    }
    return layers;
  }, [clusters, attributes, incidents, urgent, showIcons, selected, visible, opacity, select]);
}

function useIncidentLegend() {
  const t = useT();
  return [
    { color: PRIORITY_COLORS[1]!, label: t('layers.incidents.p1') },
    { color: PRIORITY_COLORS[2]!, label: t('layers.incidents.p2') },
    { color: PRIORITY_COLORS[3]!, label: t('layers.incidents.p3') },
    { color: PRIORITY_COLORS[4]!, label: t('layers.incidents.p4') },
    { color: CLOSED_COLOR, label: t('layers.incidents.closed') },
  ];
}

/** Filters of the incidents layer, in the layer panel. */
function IncidentFiltersControls() {
  const t = useT();
  const filters = useMapLayers((s) => s.filters);
  const setFilters = useMapLayers((s) => s.actions.setFilters);
  const feeds = useSession((s) => s.feeds);
  return (
    <div className="layer-filters">
      <label>
        {t('layers.filter.window')}
        <select value={filters.window} onChange={(e) => setFilters({ window: e.target.value as typeof filters.window })}>
          <option value="all">{t('layers.filter.all')}</option>
          <option value="1h">1 h</option>
          <option value="6h">6 h</option>
          <option value="24h">24 h</option>
        </select>
      </label>
      <label>
        {t('layers.filter.category')}
        <select value={filters.category} onChange={(e) => setFilters({ category: e.target.value })}>
          <option value="all">{t('layers.filter.all')}</option>
          {INCIDENT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryGlyph(c)} {categoryLabel(t, c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('layers.filter.status')}
        <select value={filters.status} onChange={(e) => setFilters({ status: e.target.value as typeof filters.status })}>
          <option value="all">{t('layers.filter.all')}</option>
          <option value="open">{t('layers.filter.open')}</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('layers.filter.source')}
        <select value={filters.source} onChange={(e) => setFilters({ source: e.target.value })}>
          <option value="all">{t('layers.filter.all')}</option>
          {Object.values(feeds).map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export const incidentsLayerDef: MapLayerDef = {
  id: 'incidents',
  label: 'layers.incidents',
  useLayers: useIncidentLayers,
  useLegend: useIncidentLegend,
  useUpdatedAt: () => useIncidents((s) => newestTime(s.byId, (i) => i.updatedAt)),
  fedByFeeds: true,
  feedKind: 'incident',
  Controls: IncidentFiltersControls,
  describe: (info) => {
    if (info.layer?.id === 'incident-clusters') return `${(info.object as Cluster).count}`;
    return null;
  },
};
