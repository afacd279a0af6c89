import { useEffect, useMemo } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { annotationsStore, useAnnotations } from '../../stores/annotations';
import { annotationLayers, draftLayers, drawnOf } from '../../map/layers/annotations';
import { useNow } from '../../ui/useNow';
import { useShapeEditing } from './useShapeEditing';

/**
 * The annotation layers for MapView, and the map clicks that add positions while drawing. Kept
 * here so MapView only spreads the layers it gets.
 */
export function useAnnotationLayers(map: maplibregl.Map | null) {
  const byId = useAnnotations((s) => s.byId);
  const draft = useAnnotations((s) => s.draft);
  const store = annotationsStore.useStoreApi();
  const drafting = draft !== null;
  const editingId = useAnnotations((s) => s.editing?.id ?? null);
  const editLayers = useShapeEditing(map);

  useEffect(() => {
    if (!map || !drafting) return;
    const onClick = (e: maplibregl.MapMouseEvent) => store.getState().actions.addPoint([e.lngLat.lng, e.lngLat.lat]);
    map.on('click', onClick);
    map.getCanvas().style.cursor = 'crosshair';
    return () => {
      map.off('click', onClick);
      map.getCanvas().style.cursor = '';
    };
  }, [map, drafting, store]);

  // Drawings outside their validity are not shown (they stay in the store and the log).
  const minute = Math.floor(useNow(30_000) / 60_000);
  const drawn = useMemo(() => {
    const now = minute * 60_000;
    return Object.values(byId)
      // The annotation being reshaped is drawn by its edit layers instead.
      .filter((a) => a.id !== editingId && (a.validFrom === undefined || a.validFrom <= now + 60_000) && (a.validTo === undefined || now < a.validTo))
      .map(drawnOf);
  }, [byId, minute, editingId]);
  const saved = useMemo(() => annotationLayers(drawn), [drawn]);
  const sketch = useMemo(() => draftLayers(draft), [draft]);
  return useMemo(() => [...saved, ...sketch, ...editLayers], [saved, sketch, editLayers]);
}
