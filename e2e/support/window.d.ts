import type { VigieClient } from '../../common/rpc';

/** What the page exposes, as the renderer declares it (renderer/map/MapView.tsx, renderer/client/index.ts). */
declare global {
  interface Window {
    vigie?: VigieClient;
    vigieMap?: {
      ready: boolean;
      project(lon: number, lat: number): { x: number; y: number };
      locate(id: string): { x: number; y: number } | null;
      pickIncident(x: number, y: number): string | null;
      flyTo(lon: number, lat: number, zoom?: number): void;
      /** No move in progress and every tile loaded. */
      idle(): boolean;
      pick(x: number, y: number, layerIds?: string[]): { layer: string; id: string | null } | null;
      drawnLayers(): string[];
      labels(layerId: string): string[];
      cameras(): { id: string; name?: string; lon: number; lat: number; heading?: number; fieldOfView?: number; range?: number }[];
      units(): { id: string; callsign?: string; lon: number; lat: number }[];
      annotations(): { id: string; label: string; shape: string; coordinates: [number, number][]; radiusM?: number; version: number }[];
      zoom(): number;
      renderedBasemapLayers(): string[];
      /** The map centre, [lon, lat]. */
      center(): [number, number];
    };
  }
}
