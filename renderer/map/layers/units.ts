import { LABEL_FONT } from './fonts';
import { useMemo } from 'react';
import { IconLayer, PathLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { TrailPoint, Unit } from '../../../common/domain/entities';
import { usePicture } from '../../stores/picture';
import { useT } from '../../i18n/index';
import { useNow } from '../../ui/useNow';
import { useReducedMotion } from '../../ui/useReducedMotion';
import { ICON_MAPPING, iconAtlas } from './icons';
import { buildUnitAttributes, UNIT_STATUS_COLORS, unitAlpha, unitColor } from './unitAttributes';
import { own } from '../../../common/own';
import { newestTime, pickedId, type LayerInputs, type MapLayerDef } from './types';
import { declutter, textBox } from './declutter';

/** Callsigns show from this zoom: below it ten thousand labels would only be noise. */
const LABELS_FROM_ZOOM = 12;
/** How often fading units are redrawn. */
const FADE_STEP_MS = 5_000;
/** Moves are eased over most of the demo's 2 s reporting period, so units glide instead of jumping (unless the system asks for reduced motion). */
const MOVE_MS = 1_600;
/** Whose callsign wins where labels collide: units at work first, then those free to send. */
const LABEL_RANK: Record<string, number> = { on_scene: 0, en_route: 1, available: 2 };
const LABEL_SIZE = 13;
const LABEL_OFFSET_Y = 18;

interface Trail {
  id: string;
  status: string | undefined;
  path: [number, number][];
}

function useUnitLayers({ zoom, visible, opacity }: LayerInputs): Layer[] {
  const units = usePicture((s) => s.units);
  const trails = usePicture((s) => s.trails);
  // The person's setting (Settings › Unit trails), the same figure the legend shows.
  const trailMinutes = usePicture((s) => s.trailMinutes);
  const now = useNow(FADE_STEP_MS);
  const minute = Math.floor(now / 60_000);
  // Units past their stale time (CoT `stale`) are gone from the map; those nearing it fade (unitAttributes.ts).
  const fadeStep = Math.floor(now / FADE_STEP_MS) * FADE_STEP_MS;
  const all = useMemo(() => Object.values(units), [units]);
  const list = useMemo(() => all.filter((u) => unitAlpha(u, fadeStep) > 0), [all, fadeStep]);
  const attributes = useMemo(() => buildUnitAttributes(list, fadeStep), [list, fadeStep]);
  const trailPaths = useMemo(() => {
    const since = minute * 60_000 - trailMinutes * 60_000;
    const out: Trail[] = [];
    for (const [id, points] of Object.entries(trails) as [string, TrailPoint[]][]) {
      const unit = units[id];
      if (unit && unitAlpha(unit, fadeStep) === 0) continue;
      const path = points.filter((p) => p.t >= since).map((p) => [p.lon, p.lat] as [number, number]);
      if (path.length >= 2) out.push({ id, status: unit?.status, path });
    }
    return out;
  }, [trails, units, minute, fadeStep, trailMinutes]);
  const showLabels = zoom >= LABELS_FROM_ZOOM;
  const moveMs = useReducedMotion() ? 0 : MOVE_MS;
  // Callsigns that would overlap one already placed are left out (declutter.ts); they come back on zooming in.
  const labelled = useMemo(() => {
    if (!showLabels) return [];
    const ranked = [...list].sort((a, b) => (own(LABEL_RANK, a.status ?? '') ?? 3) - (own(LABEL_RANK, b.status ?? '') ?? 3));
    return declutter(ranked, (u) => [u.lon, u.lat], (u) => textBox(u.callsign ?? u.unitId, LABEL_SIZE, LABEL_OFFSET_Y + LABEL_SIZE / 2), zoom);
  }, [list, showLabels, zoom]);

  return useMemo(() => {
    const layers: Layer[] = [
      new PathLayer<Trail>({
        id: 'unit-trails',
        data: trailPaths,
        visible,
        opacity: opacity * 0.6,
        widthUnits: 'pixels',
        getWidth: 2,
        getPath: (d) => d.path,
        getColor: (d) => unitColor(d.status),
        jointRounded: true,
        capRounded: true,
      }),
      new IconLayer({
        id: 'units',
        data: {
          length: attributes.length,
          ids: attributes.ids,
          attributes: {
            getPosition: { value: attributes.positions, size: 2 },
            getAngle: { value: attributes.angles, size: 1 },
            getColor: { value: attributes.colors, size: 4, normalized: true },
          },
        },
        visible,
        opacity,
        pickable: true,
        iconAtlas: iconAtlas() as unknown as string,
        iconMapping: ICON_MAPPING,
        getIcon: () => 'arrow',
        sizeUnits: 'pixels',
        getSize: 22,
        // No units, no transition: deck.gl keeps redrawing every frame for a transition over empty attributes.
        transitions: attributes.length > 0 && moveMs > 0 ? { getPosition: moveMs, getAngle: moveMs } : {},
      }),
    ];
    if (showLabels) {
      layers.push(
        new TextLayer<Unit>({
          id: 'unit-labels',
          data: labelled,
          visible,
          opacity,
          pickable: true,
          getPosition: (u) => [u.lon, u.lat],
          getText: (u) => u.callsign ?? u.unitId,
          getSize: LABEL_SIZE,
          getColor: (u) => [230, 237, 245, Math.round(255 * unitAlpha(u, fadeStep))],
          getPixelOffset: [0, LABEL_OFFSET_Y],
          getTextAnchor: 'middle',
          getAlignmentBaseline: 'top',
          fontFamily: LABEL_FONT,
          fontWeight: 600,
          outlineWidth: 3,
          outlineColor: [11, 17, 24, 255],
          fontSettings: { sdf: true },
          characterSet: 'auto',
          transitions: labelled.length > 0 && moveMs > 0 ? { getPosition: moveMs } : {},
          updateTriggers: { getColor: fadeStep },
        }),
      );
    }
    return layers;
  }, [trailPaths, attributes, labelled, showLabels, visible, opacity, fadeStep, moveMs]);
}

function useUnitLegend() {
  const t = useT();
  const trailMinutes = usePicture((s) => s.trailMinutes);
  return [
    { color: UNIT_STATUS_COLORS.available!, label: t('layers.units.available'), shape: 'arrow' as const },
    { color: UNIT_STATUS_COLORS.en_route!, label: t('layers.units.enRoute'), shape: 'arrow' as const },
    { color: UNIT_STATUS_COLORS.on_scene!, label: t('layers.units.onScene'), shape: 'arrow' as const },
    { color: [174, 184, 200, 150] as [number, number, number, number], label: t('layers.units.trail', { n: trailMinutes }), shape: 'line' as const },
  ];
}

export const unitsLayerDef: MapLayerDef = {
  id: 'units',
  label: 'layers.units',
  useLayers: useUnitLayers,
  useLegend: useUnitLegend,
  useUpdatedAt: () => usePicture((s) => newestTime(s.units, (u) => u.t)),
  // Units report every few seconds; half a minute of silence means the feed is late.
  staleAfterMs: 30_000,
  fedByFeeds: true,
  feedKind: 'unit',
  describe: (info) => {
    const u = info.object as Unit | undefined;
    return u && 'callsign' in u ? `${u.callsign ?? u.unitId} · ${u.status ?? ''}` : null;
  },
  select: (info) => {
    const id = info.layer?.id === 'units' || info.layer?.id === 'unit-labels' ? pickedId(info) : null;
    return id ? { kind: 'unit', id } : null;
  },
};
