import { LABEL_FONT } from './fonts';
import { useMemo } from 'react';
import { TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { LayerInputs, MapLayerDef } from './types';
import type { CityPack } from '../../../common/contract';

interface Label {
  name: string;
  position: [number, number];
}

/** A label point inside each district: the vertex average of its largest ring (good enough for quartiers). */
export function districtLabels(pack: CityPack): Label[] {
  const labels: Label[] = [];
  for (const f of pack.districts.features as { geometry: { type: string; coordinates: number[][][] | number[][][][] }; properties: { name?: string } }[]) {
    const polygons = (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates]) as number[][][][];
    const ring = polygons.map((p) => p[0] ?? []).sort((a, b) => b.length - a.length)[0];
    if (!ring?.length || !f.properties.name) continue;
    let x = 0;
    let y = 0;
    for (const point of ring) {
      x += point[0] ?? 0;
      y += point[1] ?? 0;
    }
    labels.push({ name: f.properties.name, position: [x / ring.length, y / ring.length] });
  }
  return labels;
}

export function districtLabelsLayer(labels: Label[], visible: boolean, opacity = 1) {
  return new TextLayer<Label>({
    id: 'district-labels',
    data: labels,
    visible,
    opacity,
    getPosition: (d) => d.position,
    getText: (d) => d.name,
    getSize: 11,
    getColor: [160, 174, 192, 170],
    characterSet: 'auto',
    fontFamily: LABEL_FONT,
    fontWeight: 600,
    outlineWidth: 2,
    outlineColor: [11, 17, 24, 255],
    fontSettings: { sdf: true },
    billboard: true,
  });
}

function useDistrictLayers({ pack, zoom, visible, opacity }: LayerInputs): Layer[] {
  const labels = useMemo(() => districtLabels(pack), [pack]);
  const show = visible && zoom >= 13;
  return useMemo(() => [districtLabelsLayer(labels, show, opacity)], [labels, show, opacity]);
}

export const districtsLayerDef: MapLayerDef = {
  id: 'districts',
  label: 'layers.districts',
  useLayers: useDistrictLayers,
  useLegend: () => [],
  useUpdatedAt: () => null,
};
