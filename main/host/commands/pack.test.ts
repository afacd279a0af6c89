import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pack from './pack';
import { tempDir } from '../../../test/helpers';

describe('vigie pack build', () => {
  it('writes a pack folder from GeoJSON inputs, with every --attribution kept', async () => {
    const dir = tempDir();
    const pois = path.join(dir, 'pois.geojson');
    fs.writeFileSync(pois, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [5.3712, 43.2839] }, properties: { name: 'Notre-Dame de la Garde', owner: 'dropped' } }] }));
    const out = path.join(dir, 'pack');
    expect(await pack.run(['build', '--out', out, '--name', 'Mini Ville', '--pois', pois, '--attribution', 'A', '--attribution=B'])).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ id: 'mini-ville', name: 'Mini Ville', attribution: ['A', 'B'], counts: { pois: 1 } });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'pois.geojson'), 'utf8')).features[0].properties).toEqual({ name: 'Notre-Dame de la Garde' });
  });

  it('explains usage errors', async () => {
    await expect(pack.run(['build'])).rejects.toThrow(/--out DIR is required/);
    await expect(pack.run(['make'])).rejects.toThrow(/unknown pack command "make"/);
  });
});
