import { describe, expect, it } from 'vitest';
import { sensorThingsAdapter } from '../feeds/sensorThings';
import { fixture } from '../feeds/fixtures/sharedData';
import { ingestBatch } from '../ingest/ingest';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';
import { latestSensors } from './events';

const RECEIVED = Date.UTC(2024, 9, 17, 10);

describe('reads of the event log', () => {
  it('lists each SensorThings datastream once, with its latest reading, as the map shows it', () => {
    const store = Store.open(tempDir());
    const ingest = (text: string, at: number) => ingestBatch(store, { id: 'sta', simulated: false }, sensorThingsAdapter.parse(text, { feedId: 'sta', config: {}, receivedAt: at }), at);
    const things = fixture('sensorthings_things.json');
    ingest(things, RECEIVED);
    expect(latestSensors(store.db)).toEqual([
      { externalId: '101/1011', sensorId: '101', name: 'Station Cinq Avenues', lon: 5.3953, lat: 43.3058, observedProperty: 'PM10', value: 24, unit: 'µg/m³', t: Date.UTC(2024, 9, 17, 9), id: 'sta:101/1011', feedId: 'sta' },
    ]);
    // The next hour's reading replaces it; the earlier one stays in the log only.
    ingest(things.replace('"result": 24.0', '"result": 31.0').replace('2024-10-17T08:45:00Z/2024-10-17T09:00:00Z', '2024-10-17T09:45:00Z/2024-10-17T10:00:00Z'), RECEIVED + 3_600_000);
    expect(latestSensors(store.db)).toMatchObject([{ id: 'sta:101/1011', value: 31, t: Date.UTC(2024, 9, 17, 10) }]);
    store.close();
  });
});
