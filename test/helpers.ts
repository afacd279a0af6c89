import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';

/** A fresh profile folder, removed after the test file. */
export function tempDir(prefix = 'vigie-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface FeedServer {
  url: string;
  requests: http.IncomingMessage[];
  setBody(body: string, etag?: string): void;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** A real HTTP feed on loopback that honours If-None-Match, and can be taken down. */
export async function startFeedServer(initial = '{"type":"FeatureCollection","features":[]}'): Promise<FeedServer> {
  let body = initial;
  let etag = '"v1"';
  let down = false;
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    if (down) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
      return;
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/geo+json', etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/incidents.geojson`,
    requests,
    setBody(next, nextEtag) {
      body = next;
      etag = nextEtag ?? `"v${requests.length + 2}"`;
    },
    setDown: (d) => (down = d),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function incidentFeature(id: string, extra: Record<string, unknown> = {}, coordinates: [number, number] = [5.3747, 43.2951]) {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates },
    properties: { category: 'public_order', priority: 2, status: 'new', title: `Incident ${id}`, occurredAt: '2026-11-28T10:00:00Z', ...extra },
  };
}

export function featureCollection(features: unknown[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features });
}
