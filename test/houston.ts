import fs from 'node:fs';
import zlib from 'node:zlib';

/** One readable row of the Houston sample (../shared/data/incidents): time in UTC ms, offense, position. */
export interface HoustonRow {
  occurred: number;
  offense: string;
  lon: number;
  lat: number;
}

/**
 * The tests' own reading of the Houston file, independent of Vigie's importer: the ground truth
 * that import, replay and debrief figures are checked against. Only the address fields hold quoted
 * commas, so each line is split with quotes respected; rows without a time or a position are left
 * out, as the importer quarantines them.
 */
export function readHoustonRows(file: string): HoustonRow[] {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const [ti, oi, lo, la] = ['time', 'offense', 'lon', 'lat'].map((c) => header.indexOf(c));
  const rows: HoustonRow[] = [];
  for (const line of lines.slice(1)) {
    const f: string[] = [];
    let field = '';
    let quoted = false;
    for (const c of line) {
      if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) {
        f.push(field);
        field = '';
      } else field += c;
    }
    f.push(field);
    const occurred = Date.parse(`${f[ti!]!.replace(' ', 'T')}Z`);
    const lon = f[lo!] === '' ? NaN : Number(f[lo!]);
    const lat = f[la!] === '' ? NaN : Number(f[la!]);
    if (Number.isFinite(occurred) && Number.isFinite(lon) && Number.isFinite(lat)) rows.push({ occurred, offense: f[oi!]!, lon, lat });
  }
  return rows;
}
