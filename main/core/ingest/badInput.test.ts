import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { adapterFor } from '../feeds/registry';
import { mutations } from '../feeds/fixtures/mutate';
import { createMinimiser } from '../privacy/minimise';
import { PrivacyPolicy } from '../privacy/policy';
import { ingestBatch } from './ingest';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '..', 'feeds', 'fixtures', name), 'utf8');

/** A valid payload of each text standard, and the options that read it. */
const CASES: [string, string, unknown][] = [
  ['geojson', featureCollection([incidentFeature('A', { title: 'Rixe' }), incidentFeature('B'), incidentFeature('C', { status: 'closed', closedAt: '2026-11-28T11:00:00Z' })]), {}],
  ['cap', fixture('cap12_update_polygon.xml'), {}],
  ['open311', fixture('open311_requests.json'), { defaultCategory: 'other' }],
  ['cot', fixture('cot_stream.xml'), {}],
  ['sensorthings', fixture('sensorthings_things.json'), {}],
  ['csv', fixture('incidents_comma.csv'), { kind: 'incident', columns: { externalId: 'id', occurredAt: 'when', category: 'type', priority: 'prio', address: 'where', lon: 'x', lat: 'y' }, constants: { status: 'new' } }],
];

describe('bad input through the whole pipeline', () => {
  it.each(CASES)('%s: 250 damaged payloads are stored or quarantined with a reason; nothing throws, the cache stays sound', (type, valid, options) => {
    const adapter = adapterFor(type);
    const config = adapter.configSchema.parse(options);
    const store = Store.open(tempDir());
    try {
      const feed = { id: type, simulated: false, minimise: createMinimiser(type, PrivacyPolicy.parse({}), Buffer.alloc(32)) };
      const receivedAt = Date.UTC(2026, 10, 28, 12);
      const clean = adapter.parse(valid, { feedId: type, config, receivedAt });
      expect(clean.records.length).toBeGreaterThan(0);
      let quarantined = 0;
      for (const damaged of mutations(valid, 250, 11)) {
        const parsed = adapter.parse(damaged, { feedId: type, config, receivedAt });
        const outcome = ingestBatch(store, feed, parsed, receivedAt);
        // Nothing lost: every record is stored, every error quarantined.
        expect(outcome.stored + outcome.quarantined).toBe(parsed.records.length + parsed.errors.length);
        quarantined += outcome.quarantined;
      }
      expect(quarantined).toBeGreaterThan(50);
      const reasons = store.quarantine.list(1000).map((q) => q.reason);
      expect(reasons.every((r) => r.length > 8 && !/internal adapter error/.test(r))).toBe(true);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });
});
