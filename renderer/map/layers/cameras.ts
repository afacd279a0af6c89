import { useMemo } from 'react';
import { IconLayer, PolygonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Camera } from '../../../common/domain/entities';
import { conePolygon, hasCone } from '../../../common/geo/viewCone';
import { usePicture } from '../../stores/picture';
import { useT } from '../../i18n/index';
import { ICON_MAPPING, iconAtlas, type RGBA } from './icons';
import { newestTime, type LayerInputs, type MapLayerDef } from './types';

export const CAMERA_STATUS_COLORS: Record<Camera['status'], RGBA> = {
  online: [48, 209, 88, 255],
  offline: [142, 142, 147, 255],
  fault: [255, 69, 58, 255],
  maintenance: [255, 214, 10, 255],
  unknown: [100, 116, 139, 255],
};

interface Cone {
  id: string;
  camera: Camera;
  ring: [number, number][];
}

/** Cones appear from this zoom: below it they are specks that hide the incidents. */
const CONES_FROM_ZOOM = 13;

function useCameraLayers({ zoom, visible, opacity }: LayerInputs): Layer[] {
  const cameras = usePicture((s) => s.cameras);
  const list = useMemo(() => Object.values(cameras), [cameras]);
  const cones = useMemo(() => list.filter(hasCone).map((c) => ({ id: c.id, camera: c, ring: conePolygon(c) })), [list]);
  const showCones = zoom >= CONES_FROM_ZOOM;
  return useMemo(
    () => [
      new PolygonLayer<Cone>({
        id: 'camera-cones',
        data: cones,
        visible: visible && showCones,
        opacity,
        pickable: true,
        stroked: true,
        filled: true,
        lineWidthUnits: 'pixels',
        getPolygon: (d) => d.ring,
        getFillColor: (d) => { const [r, g, b] = CAMERA_STATUS_COLORS[d.camera.status]; return [r, g, b, 46]; },
        getLineColor: (d) => { const [r, g, b] = CAMERA_STATUS_COLORS[d.camera.status]; return [r, g, b, 150]; },
        getLineWidth: 1,
      }),
      new IconLayer<Camera>({
        id: 'cameras',
        data: list,
        visible,
        opacity,
        pickable: true,
        iconAtlas: iconAtlas() as unknown as string,
        iconMapping: ICON_MAPPING,
        getIcon: () => 'camera',
        sizeUnits: 'pixels',
        getSize: 14,
        getPosition: (c) => [c.lon, c.lat],
        getColor: (c) => CAMERA_STATUS_COLORS[c.status],
      }),
    ],
    [cones, list, visible, showCones, opacity],
  );
}

function useCameraLegend() {
  const t = useT();
  return (['online', 'offline', 'fault', 'maintenance'] as const).map((s) => ({ color: CAMERA_STATUS_COLORS[s], label: t(`layers.cameras.${s}`), shape: 'area' as const }));
}

export const camerasLayerDef: MapLayerDef = {
  id: 'cameras',
  label: 'layers.cameras',
  useLayers: useCameraLayers,
  useLegend: useCameraLegend,
  useUpdatedAt: () => usePicture((s) => newestTime(s.cameras, (c) => c.t)),
  fedByFeeds: true,
  feedKind: 'camera',
  describe: (info, t) => {
    const c = (info.layer?.id === 'camera-cones' ? (info.object as Cone | undefined)?.camera : (info.object as Camera | undefined));
    return c ? `${c.name ?? c.externalId} · ${t(`layers.cameras.${c.status === 'unknown' ? 'offline' : c.status}`)}` : null;
  },
  select: (info) => {
    const c = info.layer?.id === 'camera-cones' ? (info.object as Cone | undefined)?.camera : info.layer?.id === 'cameras' ? (info.object as Camera | undefined) : undefined;
    return c ? { kind: 'camera', id: c.id } : null;
  },
};
