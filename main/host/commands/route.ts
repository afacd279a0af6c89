import path from 'node:path';
import { packRouter } from '../../core/routing/packRouter';
import { UsageError, type Command } from './command';
import { parseFlags } from './forecast';

const usage = `vigie route --pack DIR --from LON,LAT --to LON,LAT [--mode vehicle|foot] [--json]

Routes over the road network of a city pack built with "vigie pack build --roads" (the check IT
runs on a pack). Prints the road distance as "N m" and the travel time as "N s", one per line:
the same network, speeds and one-way rules that rank units for dispatch (docs/routing.md).

  --pack DIR     the city pack folder
  --from LON,LAT the start, decimal degrees (WGS84), longitude first
  --to LON,LAT   the end
  --mode M       vehicle (default): drivable roads, one-way streets honoured; foot: every walkable way
  --json         one JSON object: distanceM, timeS, path ([lon, lat] points)

Each end is joined to the nearest road of the mode (500 m at most); that leg counts in the answer.

Example:
  vigie route --pack packs/saint-germain --from 2.0937,48.8983 --to 2.0801,48.8963`;

function point(value: string | boolean | undefined, flag: string): { lon: number; lat: number } {
  if (typeof value !== 'string') throw new UsageError(`--${flag} LON,LAT is required`);
  const [lon, lat, extra] = value.split(',').map((v) => Number(v.trim()));
  if (extra !== undefined || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat!) > 90 || Math.abs(lon!) > 180) {
    throw new UsageError(`--${flag} is "LON,LAT" in decimal degrees, longitude first (e.g. 2.0937,48.8983), not "${value}"`);
  }
  return { lon: lon!, lat: lat! };
}

const route: Command = {
  name: 'route',
  summary: 'road distance and travel time between two points over a city pack\'s road network',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, { pack: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, mode: { type: 'string' }, json: { type: 'boolean' } });
    if (typeof values.pack !== 'string') throw new UsageError('--pack DIR is required');
    const from = point(values.from, 'from'), to = point(values.to, 'to');
    const mode = values.mode ?? 'vehicle';
    if (mode !== 'vehicle' && mode !== 'foot') throw new UsageError(`--mode is vehicle or foot, not "${String(mode)}"`);
    const dir = path.resolve(values.pack);
    const router = packRouter(dir);
    if (!router) {
      process.stderr.write(`vigie route: the city pack ${dir} has no roads; rebuild it with "vigie pack build … --roads ROADS.geojson".\n`);
      return 1;
    }
    const result = router.route(mode, from, to);
    if (!result) {
      const off = [['--from', from], ['--to', to]].filter(([, p]) => !router.snap(mode, (p as typeof from).lon, (p as typeof from).lat)).map(([f]) => f);
      process.stderr.write(off.length
        ? `vigie route: ${off.join(' and ')} ${off.length > 1 ? 'are' : 'is'} more than 500 m from any ${mode === 'foot' ? 'walkable way' : 'drivable road'} of the pack; give a point inside the area the pack covers.\n`
        : `vigie route: no ${mode === 'foot' ? 'walkable' : 'drivable'} way joins these points (one-way streets or a road network in pieces); try --mode foot or check the roads file.\n`);
      return 1;
    }
    if (values.json) process.stdout.write(JSON.stringify({ distanceM: result.distanceM, timeS: result.timeS, path: result.path }) + '\n');
    else process.stdout.write(`${Math.round(result.distanceM)} m\n${Math.round(result.timeS)} s\n`);
    return 0;
  },
};
export default route;
