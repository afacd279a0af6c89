import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import { parsePayload, type ParseContext } from './adapter';
import { capAdapter, type CapConfig } from './cap';
import { csvAdapter, type CsvConfig } from './csv';
import { HttpPollFeed } from './transports/poll';
import { tempDir } from '../../../test/helpers';
import { startRouteServer, type RouteServer } from '../../../test/feedServers';

/**
 * The bytes come from encoders we did not write: Python's codecs (cp1252, iso8859_15, utf-8-sig),
 * the way a French spreadsheet or a legacy CAP server would produce them.
 */
function encode(text: string, codec: string): Buffer {
  return execFileSync('python3', ['-c', `import sys; sys.stdout.buffer.write(sys.stdin.read().encode(${JSON.stringify(codec)}))`], { input: text, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
}
const hasPython = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const NO_PYTHON = hasPython ? '' : ' (skipped: python3 is not installed, it encodes the samples)';

const RECEIVED = Date.UTC(2026, 10, 28, 10);
const INCIDENTS: CsvConfig = { kind: 'incident', separator: ';', columns: { externalId: 'id', occurredAt: 'quand', title: 'titre', lon: 'lon', lat: 'lat' }, constants: { category: 'theft' } };
const CSV = 'id;quand;titre;lon;lat\nA1;2026-11-28T09:00:00Z;Vol près du marché;5.3747;43.2951\nA2;2026-11-28T09:05:00Z;Dégradation — abribus (coût 300 €);5.38;43.30\n';
const ctx = <C>(config: C, extra: Partial<ParseContext<C>> = {}): ParseContext<C> => ({ feedId: 'f', config, receivedAt: RECEIVED, ...extra });
const titles = (records: { kind: string }[]) => records.map((r) => (r as { title?: string }).title);

describe('character encodings', () => {
  it(`reads a Windows-1252 CSV when the feed says "encoding": "windows-1252"${NO_PYTHON}`, ({ skip }) => {
    if (!hasPython) skip();
    const bytes = encode(CSV, 'cp1252');
    expect(bytes.includes(Buffer.from([0xe8]))).toBe(true); // "è" is one byte: really cp1252
    const res = parsePayload(csvAdapter, bytes, ctx(INCIDENTS, { encoding: 'windows-1252' }));
    expect(res.errors).toEqual([]);
    expect(titles(res.records)).toEqual(['Vol près du marché', 'Dégradation — abribus (coût 300 €)']);
  });

  it(`quarantines a Windows-1252 CSV read as UTF-8, with the reason and the exact bytes, never U+FFFD${NO_PYTHON}`, ({ skip }) => {
    if (!hasPython) skip();
    const bytes = encode(CSV, 'cp1252');
    const res = parsePayload(csvAdapter, bytes, ctx(INCIDENTS));
    expect(res.records).toEqual([]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]!.reason).toMatch(/line 2 are not valid utf-8.*"encoding" option \(e\.g\. "windows-1252"/);
    expect(res.errors[0]!.raw).not.toContain('\uFFFD');
    expect(Buffer.from(res.errors[0]!.raw.replace(/^base64:/, ''), 'base64').equals(bytes)).toBe(true);
  });

  it(`reads ISO-8859-15 (the euro sign is 0xA4 there, not in Latin-1)${NO_PYTHON}`, ({ skip }) => {
    if (!hasPython) skip();
    const line = 'id;quand;titre;lon;lat\nE1;2026-11-28T09:00:00Z;Amende 135 € - œuvre dégradée;5.37;43.29\n';
    const bytes = encode(line, 'iso8859_15');
    expect(bytes.includes(Buffer.from([0xa4]))).toBe(true);
    const res = parsePayload(csvAdapter, bytes, ctx(INCIDENTS, { encoding: 'iso-8859-15' }));
    expect(titles(res.records)).toEqual(['Amende 135 € - œuvre dégradée']);
  });

  it(`follows a UTF-8 byte-order mark over the feed's encoding, and the mark does not stick to the first column${NO_PYTHON}`, ({ skip }) => {
    if (!hasPython) skip();
    const bytes = encode(CSV, 'utf-8-sig');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const res = parsePayload(csvAdapter, bytes, ctx(INCIDENTS, { encoding: 'windows-1252' }));
    expect(res.errors).toEqual([]);
    expect(res.records.map((r) => (r as { externalId: string }).externalId)).toEqual(['A1', 'A2']);
    expect(titles(res.records)[0]).toBe('Vol près du marché');
  });

  it(`follows the XML declaration's encoding of a CAP alert${NO_PYTHON}`, ({ skip }) => {
    if (!hasPython) skip();
    const alert = `<?xml version="1.0" encoding="ISO-8859-1"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>PREF13-1</identifier><sender>pref13</sender><sent>2026-11-28T09:00:00+01:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>fr-FR</language><category>Met</category><event>Orages violents</event><urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
<headline>Vigilance orange : orages à Marseille, évitez les déplacements</headline><area><areaDesc>Bouches-du-Rhône</areaDesc></area></info></alert>`;
    const bytes = encode(alert, 'latin-1');
    const res = parsePayload(capAdapter, bytes, ctx<CapConfig>({}));
    expect(res.errors).toEqual([]);
    expect((res.records[0] as { headline: string }).headline).toBe('Vigilance orange : orages à Marseille, évitez les déplacements');
    // The same bytes without the declaration are not UTF-8: quarantined, not mangled.
    const bare = encode(alert.replace(' encoding="ISO-8859-1"', ''), 'latin-1');
    expect(parsePayload(capAdapter, bare, ctx<CapConfig>({})).errors[0]!.reason).toMatch(/not valid utf-8/);
  });

  it('refuses a feed config naming an encoding that does not exist, saying which ones do', () => {
    const parsed = FeedConfig.safeParse({ id: 'f', type: 'csv', path: '/tmp/x', encoding: 'klingon-8' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/windows-1252/);
  });
});

describe('the HTTP charset of a polled feed', () => {
  let server: RouteServer | undefined;
  const stores: Store[] = [];
  afterEach(async () => {
    await server?.close();
    for (const s of stores.splice(0)) s.close();
  });

  it(`decodes the body in the Content-Type charset the server declares, over the feed's own encoding${NO_PYTHON}`, async ({ skip }) => {
    if (!hasPython) skip();
    server = await startRouteServer();
    const bytes = encode(CSV, 'cp1252');
    server.route('/calls.csv', (_req, res) => res.writeHead(200, { 'content-type': 'text/csv; charset=windows-1252' }).end(bytes));
    const store = Store.open(tempDir());
    stores.push(store);
    const config = FeedConfig.parse({ id: 'calls', type: 'csv', url: `${server.base}/calls.csv`, encoding: 'utf-8', options: INCIDENTS });
    await new HttpPollFeed({ store, bus: new EventBus() }, config).pollOnce();
    expect(store.incidents.total()).toBe(2);
    const row = store.db.prepare("SELECT payload FROM events WHERE kind = 'incident.upsert' ORDER BY seq LIMIT 1").pluck().get() as string;
    expect(JSON.parse(row).title).toBe('Vol près du marché');
  });
});
