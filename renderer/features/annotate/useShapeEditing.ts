import { useEffect, useMemo } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { annotationsStore, useAnnotations, type ShapeEdit } from '../../stores/annotations';
import { circleRing } from '../../../common/geo/local';
import { dragHandle, handlesOf, type Handle } from './shapeEdit';

type LonLat = [number, number];
/** How close (pixels) a press must be to a handle to grab it. */
const GRAB_PX = 12;
/** Arrow keys move the handle this many pixels; with Shift, five times as far. */
const NUDGE_PX = 4;

/**
 * Shape editing on the map: drag a handle (a vertex, the centre that moves the whole shape, a
 * circle's edge), or with the keyboard X picks the next handle and the arrow keys move it.
 * Saving and cancelling belong to the annotate panel.
 */
export function useShapeEditing(map: maplibregl.Map | null) {
  const store = annotationsStore.useStoreApi();
  const editing = useAnnotations((s) => s.editing);
  const active = editing !== null;

  useEffect(() => {
    if (!map || !active) return;
    let dragging: number | null = null;
    const screen = (p: LonLat) => map.project(p);
    const onDown = (e: maplibregl.MapMouseEvent) => {
      const edit = store.getState().editing;
      if (!edit) return;
      const handles = handlesOf(edit);
      let best = -1;
      let bestD = GRAB_PX;
      handles.forEach((h, i) => {
        const p = screen(h.at);
        const d = Math.hypot(p.x - e.point.x, p.y - e.point.y);
        if (d <= bestD) {
          best = i;
          bestD = d;
        }
      });
      if (best < 0) return;
      // Grabbing a handle must not pan the map.
      e.preventDefault();
      dragging = best;
      store.getState().actions.updateEdit({ handle: best });
    };
    const onMove = (e: maplibregl.MapMouseEvent) => {
      const edit = store.getState().editing;
      if (dragging === null || !edit) return;
      store.getState().actions.updateEdit(dragHandle(edit, dragging, [e.lngLat.lng, e.lngLat.lat]));
    };
    const onUp = () => {
      dragging = null;
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.matches('input[type=text], textarea, [contenteditable="true"]') || document.querySelector('dialog[open]')) return;
      const edit = store.getState().editing;
      if (!edit) return;
      const handles = handlesOf(edit);
      const step = event.shiftKey ? NUDGE_PX * 5 : NUDGE_PX;
      const arrows: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      const move = arrows[event.key];
      if (event.key === 'x') {
        store.getState().actions.updateEdit({ handle: (edit.handle + 1) % handles.length });
      } else if (move) {
        const handle = handles[edit.handle];
        if (!handle) return;
        const p = screen(handle.at);
        const to = map.unproject([p.x + move[0], p.y + move[1]]);
        store.getState().actions.updateEdit(dragHandle(edit, edit.handle, [to.lng, to.lat]));
      } else return;
      // Consumed here: the arrows must not also step through the incident list or pan the map.
      event.preventDefault();
      event.stopPropagation();
    };
    map.on('mousedown', onDown);
    map.on('mousemove', onMove);
    map.on('mouseup', onUp);
    window.addEventListener('keydown', onKey, true);
    return () => {
      map.off('mousedown', onDown);
      map.off('mousemove', onMove);
      map.off('mouseup', onUp);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [map, active, store]);

  return useMemo(() => (editing ? editLayers(editing, handlesOf(editing)) : []), [editing]);
}

function editLayers(edit: ShapeEdit, handles: Handle[]) {
  const { shape, coordinates } = edit;
  const ring: LonLat[] | null = shape === 'circle' ? circleRing(coordinates[0]!, edit.radiusM ?? 1) : shape === 'polygon' ? coordinates : null;
  const path: LonLat[] = ring ? [...ring, ring[0]!] : coordinates;
  const handlePoints = handles.map((h, i) => ({ at: h.at, kind: h.kind, selected: i === edit.handle }));
  return [
    ...(ring
      ? [new PolygonLayer<{ ring: LonLat[] }>({ id: 'annotation-edit-area', data: [{ ring }], getPolygon: (d) => d.ring, getFillColor: [255, 255, 255, 40], stroked: false, filled: true })]
      : []),
    new PathLayer<{ path: LonLat[] }>({ id: 'annotation-edit-path', data: [{ path }], getPath: (d) => d.path, getColor: [255, 255, 255, 230], getWidth: 2, widthUnits: 'pixels' }),
    new ScatterplotLayer<(typeof handlePoints)[number]>({
      id: 'annotation-edit-handles',
      data: handlePoints,
      getPosition: (d) => d.at,
      getRadius: (d) => (d.selected ? 8 : 6),
      radiusUnits: 'pixels',
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.selected ? 3 : 1.5),
      getFillColor: (d) => (d.kind === 'move' ? [255, 214, 10, 255] : d.kind === 'radius' ? [77, 163, 255, 255] : [255, 255, 255, 255]),
      getLineColor: (d) => (d.selected ? [77, 163, 255, 255] : [10, 14, 20, 255]),
      updateTriggers: { getRadius: edit.handle, getLineWidth: edit.handle, getLineColor: edit.handle },
    }),
  ];
}
