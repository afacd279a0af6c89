import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedRecordOf } from '../../../common/domain/feedRecord';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import type { ParseContext, ParseResult } from './adapter';
import { capAdapter, capIndexLinks, LINKS_ONLY, type CapConfig } from './cap';
import { HttpPollFeed } from './transports/poll';
import { fixture } from './fixtures/sharedData';
import { tempDir } from '../../../test/helpers';
import { startRouteServer, type RouteServer } from '../../../test/feedServers';

/**
 * A CAP Atom index whose entries carry the alert inline, as the NWS CAP 1.1 index does
 * (fixtures/nws_cap11_index.atom, written by hand after the published format).
 */
const RECEIVED = Date.UTC(2024, 9, 17, 11, 30);
const ctx = (): ParseContext<CapConfig> => ({ feedId: 'nws', config: {}, receivedAt: RECEIVED });
const alerts = (res: ParseResult): FeedRecordOf<'alert'>[] => res.records.filter((r): r is FeedRecordOf<'alert'> => r.kind === 'alert');
const FIRE_WATCH = 'https://alerts.weather.gov/cap/wwacapget.php?x=TX1260A1B2C3D4.FireWeatherWatch.1260A1B2E5F0TX.EPZRFWEPZ.1a2b3c4d5e6f';

describe('a CAP index whose entries carry the alert inline (NWS CAP 1.1 Atom)', () => {
  it('makes one alert per entry from its cap: fields, and quarantines the entry that is wrong, with the reason', () => {
    const res = capAdapter.parse(fixture('nws_cap11_index.atom'), ctx());
    expect(alerts(res).map((a) => a.event)).toEqual(['Fire Weather Watch', 'Severe Thunderstorm Warning', 'Air Quality Alert']);
    expect(alerts(res)[0]).toEqual({
      kind: 'alert',
      externalId: `index-entry:${FIRE_WATCH}`,
      alertId: `index-entry:${FIRE_WATCH}`,
      msgType: 'Alert',
      status: 'Actual',
      references: [],
      sent: Date.parse('2024-10-17T05:14:00-05:00'),
      effective: Date.parse('2024-10-17T05:14:00-05:00'),
      expires: Date.parse('2024-10-18T22:00:00-05:00'),
      categories: ['Met'],
      event: 'Fire Weather Watch',
      headline: 'Fire Weather Watch issued October 17 at 5:14AM CDT until October 18 at 10:00PM CDT by NWS',
      description: expect.stringMatching(/^\.\.\.CRITICAL FIRE CONDITIONS EXPECTED FRIDAY/),
      severity: 'Moderate',
      urgency: 'Future',
      certainty: 'Possible',
      areaDesc: 'El Paso; Hudspeth',
      // An empty cap:polygon is no polygon: the alert is listed with its area text and codes.
      polygons: [],
      circles: [],
      geocodes: [
        { valueName: 'FIPS6', value: '048141' },
        { valueName: 'FIPS6', value: '048229' },
        { valueName: 'UGC', value: 'TXZ055' },
        { valueName: 'UGC', value: 'TXZ056' },
      ],
    });
    // "lat,lon" in CAP, [lon, lat] on the map.
    expect(alerts(res)[1]!.polygons[0]![0]).toEqual([-97.55, 32.99]);
    expect(res.errors).toEqual([{ raw: expect.stringContaining('Flood Warning'), reason: expect.stringMatching(/severity: 'Catastrophic' is not one of Extreme, Severe/) }]);
    expect(res.ignored).toBeUndefined();
  });

  it('says how many entries of a links-only index it read, rather than a silent zero', () => {
    const res = capAdapter.parse(fixture('cap_index.atom'), { feedId: 'x', config: {}, receivedAt: RECEIVED });
    expect(res).toEqual({ records: [], errors: [], ignored: { [LINKS_ONLY]: 3 } });
  });

  it('`vigie ingest` of the index file stores the alerts and says read, stored, quarantined and what it ignored', async () => {
    const run = promisify(execFile);
    const bin = path.resolve(import.meta.dirname, '../../../test/vigie.mjs');
    const profile = path.join(tempDir(), 'p');
    const fixtures = path.join(import.meta.dirname, 'fixtures');
    const inline = await run(process.execPath, [bin, 'ingest', '--profile', profile, '--type', 'cap', path.join(fixtures, 'nws_cap11_index.atom')]);
    expect(inline.stdout.trim()).toBe('read 4, stored 3, quarantined 1');
    const links = await run(process.execPath, [bin, 'ingest', '--profile', profile, '--type', 'cap', path.join(fixtures, 'cap_index.atom')]);
    expect(links.stdout.trim()).toBe('read 3, stored 0, quarantined 0, ignored: 3 index entries: links only');
  }, 60_000);
});

describe('polling an index with inline entries', () => {
  let server: RouteServer | undefined;
  const stores: Store[] = [];
  afterEach(async () => {
    await server?.close();
    for (const s of stores.splice(0)) s.close();
  });

  const STORM = 'TX1260A1C0FFEE.SevereThunderstormWarning.1260A1C1BEEFTX.FWDSVRFWD.9f8e7d6c5b4a';
  const fullAlert = `<?xml version = '1.0' encoding = 'UTF-8' standalone = 'yes'?>
<alert xmlns = 'urn:oasis:names:tc:emergency:cap:1.1'>
<identifier>NOAA-NWS-ALERTS-${STORM}</identifier><sender>w-nws.webmaster@noaa.gov</sender><sent>2024-10-17T06:05:00-05:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>Severe Thunderstorm Warning</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
<expires>2024-10-17T06:45:00-05:00</expires><senderName>NWS Fort Worth (North Central Texas)</senderName>
<headline>Severe Thunderstorm Warning issued October 17 at 6:05AM CDT until October 17 at 6:45AM CDT by NWS Fort Worth</headline>
<instruction>FOR YOUR PROTECTION MOVE TO AN INTERIOR ROOM ON THE LOWEST FLOOR OF A BUILDING.</instruction>
<area><areaDesc>Tarrant</areaDesc><polygon>32.99,-97.55 32.99,-97.20 32.73,-97.20 32.73,-97.55 32.99,-97.55</polygon></area></info></alert>`;

  it('lists the entry from its inline fields while the full alert cannot be fetched, then replaces it with the full alert', async () => {
    server = await startRouteServer();
    const storm = fixture('nws_cap11_index.atom').split('<entry>')[2]!.split('</entry>')[0]!.replace(/https:\/\/alerts\.weather\.gov\/cap\/wwacapget\.php/g, '/cap/wwacapget.php');
    const index = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.1"><id>x</id><entry>${storm}</entry></feed>`;
    let status = 503;
    server.route('/index.atom', (_req, res) => res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(index));
    server.route('/cap/wwacapget.php', (_req, res) => (status === 200 ? res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(fullAlert) : res.writeHead(status).end('busy')));
    const store = Store.open(tempDir());
    stores.push(store);
    const feed = new HttpPollFeed({ store, bus: new EventBus() }, FeedConfig.parse({ id: 'nws', type: 'cap', url: `${server.base}/index.atom`, intervalSeconds: 1, timeoutSeconds: 1 }));
    const current = () => store.alerts.list(RECEIVED - 20 * 60_000).map((a) => ({ alertId: a.alertId, instruction: a.instruction }));

    await feed.pollOnce();
    expect(current()).toEqual([{ alertId: `index-entry:/cap/wwacapget.php?x=${STORM}`, instruction: undefined }]);
    expect(feed.status().lastError).toMatch(/could not be fetched .*retried on the next poll/);

    status = 200;
    await feed.pollOnce();
    expect(current()).toEqual([{ alertId: `NOAA-NWS-ALERTS-${STORM}`, instruction: expect.stringMatching(/INTERIOR ROOM/) }]);
    // Polled again, the index does not bring its stand-in back over the full alert.
    await feed.pollOnce();
    expect(current()).toEqual([{ alertId: `NOAA-NWS-ALERTS-${STORM}`, instruction: expect.stringMatching(/INTERIOR ROOM/) }]);
    expect(capIndexLinks(index)?.[0]?.standIn).toBe(`index-entry:/cap/wwacapget.php?x=${STORM}`);
  });
});
