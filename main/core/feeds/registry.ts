import type { FeedAdapter } from './adapter';
import { capAdapter } from './cap';
import { cotAdapter } from './cot';
import { csvAdapter } from './csv';
import { geojsonAdapter } from './geojson';
import { gtfsRealtimeAdapter } from './gtfsRealtime';
import { open311Adapter } from './open311';
import { sensorThingsAdapter } from './sensorThings';
import { own } from '../../../common/own';

/** Every feed standard Vigie reads. A new standard: one file, one line here. */
export const ADAPTERS: Record<string, FeedAdapter<unknown>> = Object.fromEntries(
  [geojsonAdapter, capAdapter, open311Adapter, gtfsRealtimeAdapter, cotAdapter, sensorThingsAdapter, csvAdapter].map((a) => [a.type, a as FeedAdapter<unknown>]),
);

export function adapterFor(type: string): FeedAdapter<unknown> {
  const adapter = own(ADAPTERS, type);
  if (!adapter) throw new Error(`Unknown feed type "${type}". Known types: ${Object.keys(ADAPTERS).sort().join(', ')}.`);
  return adapter;
}
