#!/usr/bin/env node
// Event → visible on the map: a feed publishes an incident; we time until deck.gl draws it where
// it belongs (a pick at its projected position returns it). Two figures over 50 events:
//   fromArrival: from the moment the data service stored it (its updatedAt) to visible;
//   fromPublish: from the feed publishing it, including the 250 ms poll interval.
//   node bench/event-latency.mjs [--events 50]
import path from 'node:path';
import Database from 'better-sqlite3';
import { register } from 'tsx/esm/api';
import { launchChromium, startServe, percentile } from './browser.mjs';

register();
const { startFeedServer, featureCollection, incidentFeature } = await import('../test/helpers.ts');
const n = Number(process.argv[process.argv.indexOf('--events') + 1] || 50) || 50;

const feed = await startFeedServer(featureCollection([]));
const vigie = await startServe({ config: { feeds: [{ id: 'bench', type: 'geojson', url: feed.url, intervalSeconds: 0.25 }] } });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
await page.goto(vigie.url);
await page.waitForFunction(() => window.vigieMap?.ready === true, null, { timeout: 60_000 });
// Read-only look at the service's cache (WAL lets it read while the service writes).
const db = new Database(path.join(vigie.profileDir, 'vigie.sqlite'), { readonly: true });

const features = [];
const fromArrival = [];
const fromPublish = [];
for (let i = 0; i < n; i++) {
  // A ring of places around the centre, all in view, none on top of another.
  const angle = (i / n) * 2 * Math.PI;
  const lon = 5.3798 + 0.018 * Math.cos(angle) * (0.5 + (i % 5) / 10);
  const lat = 43.2965 + 0.012 * Math.sin(angle) * (0.5 + (i % 5) / 10);
  features.push(incidentFeature(`B-${i}`, { title: `Bench ${i}` }, [lon, lat]));
  const published = Date.now();
  feed.setBody(featureCollection(features));
  const visibleAt = await page.evaluate(
    ([id, x, y]) =>
      new Promise((resolve) => {
        const check = () => {
          const p = window.vigieMap.project(x, y);
          if (window.vigieMap.pickIncident(p.x, p.y) === id) resolve(Date.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
    [`bench:B-${i}`, lon, lat],
  );
  const updatedAt = db.prepare('SELECT updated_at FROM incidents WHERE id = ?').pluck().get(`bench:B-${i}`);
  fromArrival.push(visibleAt - updatedAt);
  fromPublish.push(visibleAt - published);
}
db.close();
await browser.close();
await vigie.stop();
await feed.close();
const stats = (v) => ({ p50: Math.round(percentile(v, 50)), p95: Math.round(percentile(v, 95)), max: Math.round(Math.max(...v)) });
console.log(JSON.stringify({ bench: 'event-to-map', events: n, fromArrivalMs: stats(fromArrival), fromPublishMs: stats(fromPublish) }));
