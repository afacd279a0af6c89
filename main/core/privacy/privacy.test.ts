import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { minimisersFor } from './keys';
import { FeedScheduler } from '../feeds/scheduler';
import { HttpPollFeed } from '../feeds/transports/poll';
import { Store } from '../store';
import { open311Adapter } from '../feeds/open311';
import { ingestBatch } from '../ingest/ingest';
import { createMinimiser, scrubText } from './minimise';
import { PrivacyPolicy } from './policy';
import { pictureAt } from '../replay/stateAt';
import { purgeHistory } from './purge';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';

const stores: Store[] = [];
let server: FeedServer | null = null;
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  await server?.close();
  server = null;
});
function open(dir = tempDir()) {
  const store = Store.open(dir);
  stores.push(store);
  return store;
}

const KEY = Buffer.alloc(32, 7);

describe('minimisation at ingest', () => {
  it('takes e-mail addresses, phone numbers and licence plates out of free text', () => {
    expect(scrubText('Témoin: jean.dupont@example.fr, tel 06 12 34 56 78, véhicule AB-123-CD')).toBe('Témoin: [e-mail], tel [phone], véhicule [plate]');
    expect(scrubText('Call +33 4 91 00 00 00 about plate 1234 AB 13')).toBe('Call [phone] about plate [plate]');
    expect(scrubText('Rixe sur la voie publique, 3 personnes')).toBe('Rixe sur la voie publique, 3 personnes');
  });

  it('stores incidents from a feed with the policy applied: fields dropped, ids pseudonymised, text scrubbed', async () => {
    const dir = tempDir();
    const store = open(dir);
    server = await startFeedServer(
      featureCollection([incidentFeature('REF-77', { title: 'Rixe', description: 'Appel de Mme X, 06 12 34 56 78', address: '3 rue de la République' })]),
    );
    const config = FeedConfig.parse({
      id: 'cad',
      type: 'geojson',
      url: server.url,
      privacy: { purpose: 'Dispatch of municipal police', retentionDays: 30, fields: { address: 'drop', 'incident.externalId': 'pseudonymise' } },
    });
    const feed = new HttpPollFeed({ store, bus: new EventBus(), minimiserFor: minimisersFor(dir) }, config);
    await feed.pollOnce();
    const [incident] = store.incidents.list({ limit: 10 });
    expect(incident!.externalId).toMatch(/^ps-[0-9a-f]{16}$/);
    expect(incident!.address).toBeUndefined();
    expect(incident!.description).toBe('Appel de Mme X, [phone]');
    // Nothing of the original survives in the log either.
    const log = store.db.prepare('SELECT payload FROM events').pluck().all().join('\n');
    expect(log).not.toMatch(/REF-77|06 12 34|République/);
    // The same source id maps to the same pseudonym: a re-delivery updates, never duplicates.
    await feed.pollOnce();
    server.setBody(featureCollection([incidentFeature('REF-77', { title: 'Rixe', status: 'closed', closedAt: '2026-11-28T11:00:00Z' })]));
    await feed.pollOnce();
    expect(store.incidents.total()).toBe(1);
    expect(store.incidents.list({ limit: 1 })[0]!.status).toBe('closed');
    expect(fs.statSync(path.join(dir, 'secrets', 'pseudonym.key')).mode & 0o777).toBe(0o600);
    expect(feed.status()).toMatchObject({ purpose: 'Dispatch of municipal police', retentionDays: 30 });
  });

  it('keeps pseudonyms stable across restarts and distinct across feeds', () => {
    const dir = tempDir();
    const a = minimisersFor(dir)(FeedConfig.parse({ id: 'a', type: 'cot', transport: 'udp', listen: { port: 0 }, privacy: { fields: { unitId: 'pseudonymise' } } }));
    const a2 = minimisersFor(dir)(FeedConfig.parse({ id: 'a', type: 'cot', transport: 'udp', listen: { port: 0 }, privacy: { fields: { unitId: 'pseudonymise' } } }));
    const b = minimisersFor(dir)(FeedConfig.parse({ id: 'b', type: 'cot', transport: 'udp', listen: { port: 0 }, privacy: { fields: { unitId: 'pseudonymise' } } }));
    const unit = { kind: 'unit' as const, unitId: 'TRACKER-12', unitType: 'person' as const, lon: 5, lat: 43, t: 1 };
    expect((a(unit) as typeof unit).unitId).toBe((a2(unit) as typeof unit).unitId);
    expect((a(unit) as typeof unit).unitId).not.toBe((b(unit) as typeof unit).unitId);
  });

  it('refuses a policy that drops a field a record cannot do without, naming it', () => {
    const policy = PrivacyPolicy.parse({ fields: { lat: 'drop', nickname: 'drop' } });
    expect(() => createMinimiser('f', policy, KEY)).toThrow(/privacy.fields.lat: incident.lat is required and cannot be dropped.*privacy.fields.nickname: no record kind has a field "nickname"/);
  });

  it('never stores the personal fields of an Open311 request', () => {
    const store = open();
    const raw = JSON.stringify([{ service_request_id: 'R1', status: 'open', service_code: 'X', requested_datetime: '2026-11-28T10:00:00+01:00', lat: 43.3, long: 5.37, first_name: 'Marie', last_name: 'Exemple', email: 'marie@example.org', phone: '+33 6 00 00 00 00', description: 'Marie Exemple, marie@example.org' }]);
    const parsed = open311Adapter.parse(raw, { feedId: 'o', config: { defaultCategory: 'other' }, receivedAt: Date.now() });
    ingestBatch(store, { id: 'o', simulated: false, minimise: createMinimiser('o', PrivacyPolicy.parse({}), KEY) }, parsed, Date.now());
    expect(store.incidents.total()).toBe(1);
    const everything = [store.db.prepare('SELECT payload FROM events').pluck().all(), store.db.prepare('SELECT * FROM incidents').all()].flat().map((x) => JSON.stringify(x)).join('\n');
    expect(everything).not.toMatch(/Marie|Exemple|marie@example|\+33/);
  });
});

describe('the retention purge', () => {
  it('deletes what is older than each feed\'s retention, quarantine included, and records that it did', () => {
    const store = open();
    const day = 86_400_000;
    const now = Date.UTC(2026, 10, 28);
    const old = now - 40 * day;
    const feed = { id: 'short', simulated: false };
    ingestBatch(store, feed, { records: [{ kind: 'incident', externalId: 'OLD', category: 'noise', priority: 4, status: 'closed', title: 'old', lon: 5.37, lat: 43.3, occurredAt: old, closedAt: old }], errors: [{ raw: 'bad', reason: 'bad' }] }, old);
    ingestBatch(store, feed, { records: [{ kind: 'incident', externalId: 'NEW', category: 'noise', priority: 4, status: 'new', title: 'new', lon: 5.37, lat: 43.3, occurredAt: now - day }], errors: [] }, now - day);
    ingestBatch(store, { id: 'long', simulated: false }, { records: [{ kind: 'unit', unitId: 'U', unitType: 'vehicle', lon: 5.37, lat: 43.3, t: old }], errors: [] }, old);
    const scheduler = new FeedScheduler(
      { store, bus: new EventBus() },
      [FeedConfig.parse({ id: 'short', type: 'geojson', url: 'http://127.0.0.1:9/x', privacy: { retentionDays: 30, purpose: 'tests' } }), FeedConfig.parse({ id: 'long', type: 'cot', transport: 'udp', listen: { port: 0 }, privacy: { retentionDays: 90 } })],
      { defaultRetentionDays: 365 },
    );
    const reports = scheduler.purge(now);
    expect(reports).toEqual([{ feedId: 'short', cutoff: now - 30 * day, deleted: expect.objectContaining({ incidents: 1, events: 1, quarantine: 1 }) }]);
    expect(store.incidents.get('short:OLD')).toBeNull();
    expect(store.incidents.get('short:NEW')).not.toBeNull();
    expect(store.units.list()).toHaveLength(1);
    expect(store.quarantine.count()).toBe(0);
    expect(purgeHistory(store)).toEqual([expect.objectContaining({ feedId: 'short', purpose: 'tests', deleted: expect.objectContaining({ incidents: 1 }) })]);
    expect(store.db.prepare("SELECT count(*) FROM events WHERE kind = 'retention.purged'").pluck().get()).toBe(1);
    // Nothing left to purge: nothing recorded.
    expect(scheduler.purge(now)).toEqual([]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps a historical day imported for replay: retention counts from when data reached the cache', () => {
    const store = open();
    const occurred = Date.UTC(2010, 4, 1, 10);
    const now = Date.now();
    ingestBatch(store, { id: 'import-csv', simulated: false }, { records: [{ kind: 'incident', externalId: 'H', category: 'theft', priority: 3, status: 'new', title: 'h', lon: -95.4, lat: 29.7, occurredAt: occurred }], errors: [] }, now, { eventTime: () => occurred });
    const scheduler = new FeedScheduler({ store, bus: new EventBus() }, [], { defaultRetentionDays: 365 });
    expect(scheduler.purge(now)).toEqual([]);
    expect(pictureAt(store, occurred + 60_000).incidents.map((i) => i.externalId)).toEqual(['H']);
  });
});
