import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../common/domain/indicator';
import { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import { districtsFrom } from '../indicators/districts';
import { IndicatorService } from '../indicators/indicators';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';
import { entityEvents } from './events';
import { EventPayloadError, readEventPayload } from './eventPayloads';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const rixes: Indicator = { id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 5 }, sheet: '# Rixes' };

describe('the event log payload reader', () => {
  it('reads back the indicator set a supervisor saved; a damaged one stops with its kind and what to do, not with an undefined list', () => {
    const store = Store.open(tempDir());
    const service = new IndicatorService(store, new EventBus(), () => districtsFrom({ features: [] }), [rixes]);
    service.save(supervisor, [{ ...rixes, id: 'vols', category: 'theft' }]);
    expect(service.list().map((i) => i.id)).toEqual(['vols']);
    // A payload without its list, as a hand-edited or half-restored cache would hold it.
    store.transaction(() => store.log.append({ t: Date.now(), source: 'user:x', kind: 'indicators.config', entity: 'indicators', payload: { by: 'x', role: 'supervisor' } }))();
    expect(() => service.list()).toThrow(EventPayloadError);
    expect(() => service.list()).toThrow(/"indicators\.config" event has no "indicators".*vigie doctor/);
    store.close();
  });

  it('reads as objects exactly the payloads that SQLite\'s own JSON parser calls objects', () => {
    const store = Store.open(tempDir());
    const payloads = ['{"a":1}', ' {"x": "é", "n": [1, {"b": null}]} ', '[1,2]', 'null', '"text"', '12', '{broken', '', '{"a":1}}'];
    // Raw rows on purpose: EventLog.append would never write most of these.
    const insert = store.db.prepare("INSERT INTO events (seq, uid, hlc, t, source, kind, entity, payload) VALUES (?, ?, '0', 0, 'test', 'incident.note', ?, ?)");
    payloads.forEach((p, i) => insert.run(i + 1, `t:${i}`, `e${i}`, p));
    for (const [i, p] of payloads.entries()) {
      const sqliteSaysObject = store.db.prepare("SELECT CASE WHEN json_valid(?) THEN json_type(?) = 'object' ELSE 0 END").pluck().get(p, p) === 1;
      let ours: boolean;
      try {
        ours = entityEvents(store.db, `e${i}`).length === 1;
      } catch (error) {
        expect(error).toBeInstanceOf(EventPayloadError);
        ours = false;
      }
      expect({ payload: p, object: ours }).toEqual({ payload: p, object: sqliteSaysObject });
    }
    store.close();
  });

  it('gives an incident\'s history with each operator action\'s payload as it was written', () => {
    const store = Store.open(tempDir());
    store.transaction(() => store.log.append({ t: 1, source: 'user:jdupont', kind: 'incident.note', entity: 'city:1', payload: { by: 'jdupont', role: 'supervisor', text: 'Témoin sur place' } }))();
    const history = entityEvents(store.db, 'city:1');
    expect(history).toMatchObject([{ seq: 1, t: 1, kind: 'incident.note', source: 'user:jdupont', payload: { by: 'jdupont', text: 'Témoin sur place' } }]);
    store.close();
  });

  it('checks the fields its readers rely on, per kind', () => {
    expect(readEventPayload('indicator.ack', '{"by":"jdupont","role":"supervisor","seq":3}').by).toBe('jdupont');
    expect(() => readEventPayload('indicator.ack', '{"role":"supervisor","seq":3}')).toThrow(/"indicator\.ack" event has no "by"/);
    expect(() => readEventPayload('signal.bucket', '{"kind":"crowd","area":"Noailles","start":0,"minutes":15,"count":12}')).toThrow(/has no "k"/);
    // Feed records: a privacy policy may have dropped any field, so none is required.
    expect(readEventPayload('incident.upsert', '{}')).toEqual({});
  });
});
