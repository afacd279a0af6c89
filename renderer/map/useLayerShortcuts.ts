import { useEffect } from 'react';
import { mapLayersStore } from '../stores/mapLayers';
import { MAP_LAYERS } from './layers/registry';

/**
 * Map shortcuts: Shift+1…9 toggle the layers in panel order (top first; the plain digits rank units
 * for dispatch), V lists the cameras that see
 * the centre of the map. Ignored while typing or with a dialog open, like the other shortcuts.
 */
export function useLayerShortcuts(seeCentre: () => void) {
  const store = mapLayersStore.useStoreApi();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      // A focused checkbox or slider is not typing: the layer keys still work right after a click in the panel.
      if (target.matches('input:not([type=checkbox]):not([type=range]), textarea, select, [contenteditable="true"]') || document.querySelector('dialog[open]')) return;
      const n = event.shiftKey && /^Digit\d$/.test(event.code) ? Number(event.code.slice(5)) : NaN;
      const panelOrder = [...MAP_LAYERS].reverse();
      if (Number.isInteger(n) && n >= 1 && n <= panelOrder.length) {
        store.getState().actions.toggle(panelOrder[n - 1]!.id);
        event.preventDefault();
      } else if (event.key === 'O' && event.shiftKey) {
        // Coverage: the isochrones of the units available now (plain O is "open incidents only").
        store.getState().actions.toggle('coverage');
        event.preventDefault();
      } else if (event.key === 'v') {
        seeCentre();
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, seeCentre]);
}
