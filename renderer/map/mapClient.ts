import { createContext, useContext } from 'react';
import type { VigieClient } from '../../common/rpc';

/** The contract client, for map parts that load their own data (basemap tiles, forecasts). */
export const MapClientContext = createContext<VigieClient | null>(null);

export function useMapClient(): VigieClient {
  const client = useContext(MapClientContext);
  if (!client) throw new Error('map used outside MapArea');
  return client;
}
