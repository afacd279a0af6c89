import type { FeedAdapter } from './adapter';
import { geojsonAdapter } from './geojson';

/** Every feed standard Vigie reads. A new standard: one file, one line here. */
export const ADAPTERS: Record<string, FeedAdapter<unknown>> = {
  [geojsonAdapter.type]: geojsonAdapter,
};

export function adapterFor(type: string): FeedAdapter<unknown> {
  const adapter = ADAPTERS[type];
  if (!adapter) throw new Error(`Unknown feed type "${type}". Known types: ${Object.keys(ADAPTERS).sort().join(', ')}.`);
  return adapter;
}
