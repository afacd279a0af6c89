import { buildCityPack } from '../../core/city/packBuild';
import { UsageError, type Command } from './command';
import { parseFlags } from './forecast';

const usage = `vigie pack build --out DIR [--name NAME] [--id ID] [--districts F.geojson] [--district-name-field FIELD]
                 [--stations GTFS_DIR|F.geojson] [--pois F.geojson] [--land F.geojson] [--attribution TEXT]…
                 [--tiles auto|always|never] [--streets F] [--addresses F.csv] [--places F.geojson]
                 [--roads F.geojson]

Builds a city pack: DIR/manifest.json (name, default view, bounds, transit lines with their
colours, attribution) and one GeoJSON file per part. Only geometry and names are kept.
Point a profile at it with "cityPack": "DIR" in config.json.

  --districts F    polygons of districts (name from --district-name-field, else name/nom/nom_qua)
  --stations X     a GTFS folder (stops.txt, routes.txt) or GeoJSON points
  --pois F         GeoJSON points of interest
  --land F         GeoJSON polygons drawn as land (the coastline)
  --attribution T  a credit the data requires on screen (repeat for several)
  --tiles MODE     auto (default): stations, POIs or land of 5,000 features or 4 MB and more are
                   vector-tiled into DIR/pack.pmtiles (zoom up to 14) instead of GeoJSON;
                   always: tile every one of them; never: GeoJSON only
  --streets F      for the search box: GeoJSON lines or points with a name (segments of one name
                   are one street), or a street index JSON ([{ name, quartier, centroid }])
  --addresses F    for the search box: house numbers, a BAN-style CSV (adresses-DD.csv of
                   adresse.data.gouv.fr, ";" or ","): numero, rep, nom_voie, code_postal,
                   nom_commune, lon, lat. Rows without a number or coordinates are listed,
                   with the reason, in DIR/search-skipped.json
  --places F       for the search box: GeoJSON points with a name (places, points of interest)
  --roads F        GeoJSON road lines with OSM tags (highway, oneway, maxspeed, name), as OSMnx,
                   osmium or ogr2ogr export them: the streets are drawn with their names (tiled) and
                   a routing graph (DIR/roads.graph) gives dispatch its drive times over the roads
                   and "vigie route" its answers; see docs/routing.md

Example (Marseille, from ../shared/data/marseille):
  vigie pack build --out packs/marseille --name Marseille --districts quartiers_111.geojson \\
    --district-name-field nom_qua --stations rtm_metro_gtfs --pois monuments.geojson \\
    --land commune_outline_dissolved.geojson --streets streets_index_osm.json \\
    [--addresses adresses-13.csv] --attribution "Ville de Marseille" \\
    --attribution "Métropole Aix-Marseille-Provence" --attribution "© OpenStreetMap contributors"`;

const pack: Command = {
  name: 'pack',
  summary: 'build a city pack (districts, stations, points of interest, default view) from GeoJSON/GTFS',
  subcommands: ['build'],
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'build') throw new UsageError(sub ? `unknown pack command "${sub}"; the one pack command is "build"` : 'say what to do: vigie pack build …');
    // --attribution may repeat: collect its values before the common flag parser sees them.
    const attribution: string[] = [];
    const others: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--attribution') {
        const v = rest[++i];
        if (v === undefined) throw new UsageError('--attribution needs a value');
        attribution.push(v);
      } else if (a.startsWith('--attribution=')) attribution.push(a.slice('--attribution='.length));
      else others.push(a);
    }
    const { values } = parseFlags(others, {
      out: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, districts: { type: 'string' },
      'district-name-field': { type: 'string' }, stations: { type: 'string' }, pois: { type: 'string' }, land: { type: 'string' }, tiles: { type: 'string' },
      streets: { type: 'string' }, roads: { type: 'string' }, addresses: { type: 'string' }, places: { type: 'string' },
    });
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const out = str('out');
    if (!out) throw new UsageError('--out DIR is required');
    const name = str('name') ?? 'City';
    const tiles = str('tiles') ?? 'auto';
    if (tiles !== 'auto' && tiles !== 'always' && tiles !== 'never') throw new UsageError(`--tiles is auto, always or never, not "${tiles}"`);
    const opt = (k: string, key: string) => (str(k) ? { [key]: str(k) } : {});
    try {
      const manifest = buildCityPack({
        out, name, id: str('id') ?? name.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-'), attribution, tiles,
        ...opt('districts', 'districts'), ...opt('district-name-field', 'districtNameField'), ...opt('stations', 'stations'), ...opt('pois', 'pois'), ...opt('land', 'land'), ...opt('roads', 'roads'),
        ...opt('streets', 'streets'), ...opt('addresses', 'addresses'), ...opt('places', 'places'),
      });
      const tiled = manifest.tiles ? ` Vector-tiled (${manifest.tiles.layers.join(', ')}): ${manifest.tiles.count} tiles, zoom ${manifest.tiles.minZoom}–${manifest.tiles.maxZoom}, in ${manifest.tiles.file}.` : '';
      const r = manifest.roads;
      const roads = r ? ` Roads: ${r.nodes} junctions, ${r.edges.vehicle} drivable and ${r.edges.foot} walkable directed edges in ${r.graph} (${r.bytes} bytes)${r.skipped ? `, ${r.skipped} features that are not roads skipped` : ''}.` : '';
      const s = manifest.search;
      const searchLine = s ? ` Search: ${s.streets} streets, ${s.addresses} addresses, ${s.places} places${s.skipped ? `; ${s.skipped} rows skipped, each with its reason in ${out}/search-skipped.json` : ''}.` : '';
      process.stdout.write(`City pack "${manifest.name}" written to ${out}: ${manifest.counts.districts} districts, ${manifest.counts.stations} stations, ${manifest.lines.length} lines, ${manifest.counts.pois} points of interest.${tiled}${roads}${searchLine}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`vigie pack build: ${(error as Error).message}\n`);
      return 1;
    }
  },
};
export default pack;
