import * as maplibregl from 'maplibre-gl';
import { PMTiles, Protocol, type RangeResponse, type Source } from 'pmtiles';
import type { VigieClient } from '../../common/rpc';
import { BASEMAP_KEY, PACK_TILES_KEY } from './basemapStyle';

function fromBase64(base64: string): ArrayBuffer {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** The PMTiles archive read through the contract: the renderer never opens files or URLs itself. */
class ContractSource implements Source {
  constructor(
    private readonly client: VigieClient,
    private readonly key: string,
    private readonly method: 'map.basemapBytes' | 'map.packBytes',
  ) {}
  getKey() {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const { base64 } = await this.client.call(this.method, { offset, length });
    return { data: fromBase64(base64) };
  }
}

let registered: VigieClient | null = null;

/** Registers pmtiles:// and mbtiles:// once per client; both are served by the data service. */
export function registerBasemapProtocols(client: VigieClient): void {
  if (registered === client) return;
  registered = client;
  const protocol = new Protocol();
  protocol.add(new PMTiles(new ContractSource(client, BASEMAP_KEY, 'map.basemapBytes')));
  // The city pack's vector-tiled parts (large station, POI or land files), when it has some.
  protocol.add(new PMTiles(new ContractSource(client, PACK_TILES_KEY, 'map.packBytes')));
  maplibregl.removeProtocol('pmtiles');
  maplibregl.addProtocol('pmtiles', protocol.tile);
  maplibregl.removeProtocol('mbtiles');
  maplibregl.addProtocol('mbtiles', async (params) => {
    const match = /^mbtiles:\/\/(\d+)\/(\d+)\/(\d+)/.exec(params.url);
    if (!match) throw new Error(`not an mbtiles tile address: ${params.url}`);
    const { base64 } = await client.call('map.basemapTile', { z: Number(match[1]), x: Number(match[2]), y: Number(match[3]) });
    return { data: base64 ? fromBase64(base64) : new ArrayBuffer(0) };
  });
}
