import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pack from './pack';
import { VigieCore } from '../../core/core';
import { dispatch, type CallContext } from '../../core/rpc';
import { tempDir } from '../../../test/helpers';

const as = (role: CallContext['role'], user = `${role}.user`): CallContext => ({ user, role, origin: 'test' });

/** The header of adresse.data.gouv.fr's adresses-DD.csv (BAN), as published. */
const BAN_HEADER = 'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
const ban = (id: string, numero: string, rep: string, voie: string, cp: string, lon: string, lat: string) =>
  `${id};13201_6950;${numero};${rep};${voie};${cp};13201;Marseille;;;;;${lon};${lat};entrée;;;MARSEILLE;${voie.toUpperCase()};commune;commune;1;`;

function writeInputs(dir: string) {
  const streets = path.join(dir, 'streets.geojson');
  // Two OSM ways of one street, one of another, and a nameless footway (skipped, with its reason).
  fs.writeFileSync(streets, JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { name: 'Rue Paradis', highway: 'secondary' }, geometry: { type: 'LineString', coordinates: [[5.3772, 43.2945], [5.3776, 43.2925]] } },
    { type: 'Feature', properties: { name: 'Rue Paradis', highway: 'secondary' }, geometry: { type: 'LineString', coordinates: [[5.3776, 43.2925], [5.3781, 43.2890]] } },
    { type: 'Feature', properties: { name: 'Boulevard de la Libération' }, geometry: { type: 'MultiLineString', coordinates: [[[5.3900, 43.3010], [5.3960, 43.3030]]] } },
    { type: 'Feature', properties: { highway: 'footway' }, geometry: { type: 'LineString', coordinates: [[5.38, 43.29], [5.381, 43.291]] } },
  ] }));
  const addresses = path.join(dir, 'adresses-13.csv');
  fs.writeFileSync(addresses, [
    BAN_HEADER,
    ban('13201_6950_00012', '12', '', 'Rue Paradis', '13001', '5.377395', '43.293810'),
    ban('13201_6950_00012_bis', '12', 'bis', 'Rue Paradis', '13001', '5.377420', '43.293760'),
    ban('13201_6950_00014', '14', '', 'Rue Paradis', '13001', '5.377450', '43.293690'),
    ban('13204_1234_00003', '3', '', 'Rue des Abeilles', '13004', '5.395100', '43.303300'),
    // No coordinates: not taken, and said so.
    ban('13201_6950_00016', '16', '', 'Rue Paradis', '13001', '', ''),
    // BAN's 99999: a place without a number.
    ban('13201_0001_99999', '99999', '', 'Lieu-dit les Goudes', '13008', '5.35', '43.21'),
  ].join('\r\n') + '\r\n');
  const places = path.join(dir, 'places.geojson');
  fs.writeFileSync(places, JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { name: 'Opéra de Marseille' }, geometry: { type: 'Point', coordinates: [5.3766, 43.2946] } },
  ] }));
  return { streets, addresses, places };
}

describe('the city pack carries the search index (vigie pack build --streets --addresses --places)', () => {
  it('builds from OSM-style street lines, a BAN address CSV and places; reports and keeps the rows it could not take', async () => {
    const dir = tempDir();
    const inputs = writeInputs(dir);
    const out = path.join(dir, 'pack');
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await pack.run(['build', '--out', out, '--name', 'Mini Marseille', '--streets', inputs.streets, '--addresses', inputs.addresses, '--places', inputs.places]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    // Rue Paradis (two ways, one street), the boulevard, and Rue des Abeilles known only from its addresses.
    expect(written.join('')).toMatch(/Search: 3 streets, 4 addresses, 1 places; 2 rows skipped/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.search).toEqual({ file: 'search.json', streets: 3, addresses: 4, places: 1, skipped: 2 });
    const skipped = JSON.parse(fs.readFileSync(path.join(out, 'search-skipped.json'), 'utf8')) as { file: string; line: number; reason: string }[];
    expect(skipped).toEqual([
      { file: inputs.streets, line: 4, reason: 'feature without a name' },
      { file: inputs.addresses, line: 6, reason: 'no usable lon/lat ("", "")' },
    ]);
    // A pack of search data alone still gets a view around its places.
    expect(manifest.bounds[0]).toBeCloseTo(5.3766, 3);
  });

  it('refuses an address file that is not BAN-style, naming the missing columns', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'street,number,x,y\nRue Paradis,12,5.37,43.29\n');
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await pack.run(['build', '--out', path.join(dir, 'p'), '--addresses', bad])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/no numero, nom_voie, lon, lat columns; give a BAN-style CSV/);
  });

  it('finds a house number with its suffix, the street without one, and an incident created there; an incident search is journaled', async () => {
    const profile = tempDir();
    const inputs = writeInputs(profile);
    expect(await quiet(() => pack.run(['build', '--out', path.join(profile, 'pack'), '--name', 'Mini', '--streets', inputs.streets, '--addresses', inputs.addresses, '--places', inputs.places]))).toBe(0);
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ cityPack: 'pack' }));
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    try {
      const call = async (method: string, params: unknown, ctx: CallContext) => {
        const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, ctx, core.dispatchHooks)) as { ok: true; result: unknown } | { ok: false; error: { message: string } };
        if (!reply.ok) throw new Error(reply.error.message);
        return reply.result as never;
      };
      const search = (q: string) => call('search.query', { q }, as('operator')) as Promise<{ kind: string; label: string; detail?: string; lon: number; lat: number; id: string }[]>;
      // Typed the way a call-taker types it.
      expect((await search('12 bis r paradis'))[0]).toMatchObject({ kind: 'address', label: '12 bis Rue Paradis', lon: 5.37742, lat: 43.29376 });
      const twelve = await search('rue paradis 12');
      expect(twelve.map((h) => h.label).slice(0, 3)).toEqual(['12 Rue Paradis', '12 bis Rue Paradis', 'Rue Paradis']);
      // Without a number, the street itself (not its 3 addresses), placed on its own line.
      const street = await search('RUE PARADIS');
      expect(street.map((h) => h.kind)).toEqual(['street']);
      expect(street[0]!.lon).toBeGreaterThanOrEqual(5.3772);
      expect(street[0]!.lon).toBeLessThanOrEqual(5.3781);
      expect((await search('bd liberation'))[0]).toMatchObject({ kind: 'street', label: 'Boulevard de la Libération' });
      expect((await search('abeilles 13004'))[0]).toMatchObject({ kind: 'street', label: 'Rue des Abeilles', detail: '13004 Marseille' });
      expect((await search('opera'))[0]).toMatchObject({ kind: 'place', label: 'Opéra de Marseille' });
      expect(core.store.audit.list({ limit: 50 }).filter((e) => e.action === 'incident.search')).toEqual([]);

      // A call-taker creates the incident at the address found.
      const at = (await search('12 bis r paradis'))[0]!;
      const created = await call('incidents.create', { category: 'assault', priority: 2, title: 'Rixe devant le 12 bis', notes: 'Appel 17, deux individus', lon: at.lon, lat: at.lat, address: at.label }, as('operator', 'amartin')) as { id: string; status: string; feedId: string };
      expect(created).toMatchObject({ status: 'new', feedId: 'manual', title: 'Rixe devant le 12 bis', description: 'Appel 17, deux individus', address: '12 bis Rue Paradis', lon: 5.37742, lat: 43.29376, priority: 2 });
      expect(created.id).toMatch(/^manual:M-\d{4}-[2-9A-Z]{4}$/);
      // Same log, same journal as any action; listed like a feed's incident.
      const history = await call('incidents.history', { id: created.id }, as('supervisor')) as { kind: string; source: string }[];
      expect(history.map((h) => [h.kind, h.source])).toEqual([['incident.upsert', 'user:amartin']]);
      expect(core.store.audit.list({ limit: 50 }).map((e) => [e.user, e.kind, e.action, e.target])).toContainEqual(['amartin', 'action', 'incident.create', created.id]);
      expect(((await call('incidents.list', {}, as('operator'))) as { id: string }[]).map((i) => i.id)).toContain(created.id);

      // Found by its words or its reference; finding it is a consultation.
      const found = await search('rixe paradis');
      expect(found[0]).toMatchObject({ kind: 'incident', id: created.id });
      expect((await search(created.id.slice('manual:'.length)))[0]).toMatchObject({ kind: 'incident', id: created.id });
      expect(core.store.audit.list({ limit: 50 }).filter((e) => e.action === 'incident.search').map((e) => [e.user, e.kind, e.target])).toContainEqual(['operator.user', 'consultation', created.id]);

      // An auditor may not create one; a bad category is refused with the field named.
      await expect(call('incidents.create', { category: 'assault', priority: 2, title: 'Test', lon: 5.37, lat: 43.29 }, as('auditor'))).rejects.toThrow();
      await expect(call('incidents.create', { category: 'alien', priority: 2, title: 'Test', lon: 5.37, lat: 43.29 }, as('operator'))).rejects.toThrow(/category/);
    } finally {
      await core.close();
    }
  });
});

async function quiet<T>(run: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await run();
  } finally {
    process.stdout.write = write;
  }
}
