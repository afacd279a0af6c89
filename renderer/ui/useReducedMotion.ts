import { useSyncExternalStore } from 'react';

const QUERY = '(prefers-reduced-motion: reduce)';

function subscribe(onChange: () => void): () => void {
  const list = window.matchMedia(QUERY);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

/**
 * Whether the person (or IT, for a remote-desktop seat) asked the system for less motion. The map
 * then moves units in one step instead of gliding, as the alarm rows stop flashing (alarms.css) and
 * MapLibre jumps instead of flying: nothing that moves on its own, and no frame drawn for nothing.
 */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches);
}
