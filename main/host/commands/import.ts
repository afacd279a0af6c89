import path from 'node:path';
import { importFiles, ImportError } from '../../core/history/importer';
import { Store } from '../../core/store';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const TYPES = ['csv', 'geojson', 'cap', 'gtfs-rt', 'cot'];

const command: Command = {
  name: 'import',
  summary: 'Load past days (CSV, GeoJSON, CAP, GTFS-rt, CoT; gzip or not) with their original times, for replay',
  usage: `vigie import --profile DIR --type <${TYPES.join('|')}> [--map field=column,…] [--lifecycle RULE] [--feed ID] FILE…

  --type TYPE   the files' standard
  --map         CSV only: which column holds what, e.g. --map time=time,lon=lon,lat=lat,category=offense
                (fields: time, lon, lat, category, id, title, closed, priority, status, address).
                Without it, columns are recognised by their usual names (time/t/date/occ_date,
                lon/longitude, lat/latitude, category/offense/type). Times without a zone are UTC.
  --lifecycle   how items close when the file has no closing time (--map closedAt=COLUMN):
                reports:45m                      every item is open 45 minutes after it occurred
                "BURGLARY=2h,THEFT=1h,*=30m"    per category (any case); * for every other one
                (durations: 90s, 30m, 2h, 1h30m, 1d). Stored with the import and shown in replay;
                without either, imported items never close.
  --feed ID     the source these records belong to (default: import-TYPE)
Rows that cannot be read are quarantined with the reason, never dropped. Prints "stored N, quarantined M" and the lifecycle rule. An empty profile becomes imported
history: served, it never starts the demo feed and opens on its data.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, type: { type: 'string' }, map: { type: 'string' }, feed: { type: 'string' }, lifecycle: { type: 'string' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.type || !TYPES.includes(values.type)) throw new UsageError(`--type must be one of ${TYPES.join(', ')}`);
    if (positionals.length === 0) throw new UsageError('give at least one FILE');
    const map: Record<string, string> = {};
    for (const pair of values.map ? values.map.split(',') : []) {
      const [field, column] = pair.split('=');
      if (!field || !column) throw new UsageError(`--map ${pair}: expected field=column`);
      map[field.trim()] = column.trim();
    }
    const store = Store.open(path.resolve(values.profile ?? defaultProfileDir()));
    try {
      const showProgress = process.stderr.isTTY;
      const outcome = importFiles(store, positionals, {
        type: values.type,
        map,
        ...(values.feed ? { feedId: values.feed } : {}),
        ...(values.lifecycle ? { lifecycle: values.lifecycle } : {}),
        onProgress: (done, total) => showProgress && process.stderr.write(`\r${done} / ${total} records`),
      });
      if (showProgress) process.stderr.write('\n');
      console.log(`stored ${outcome.stored}, quarantined ${outcome.quarantined}`);
      console.log(
        outcome.lifecycle === 'none'
          ? 'lifecycle: none (imported items never close in replay; give --map closedAt=COLUMN or --lifecycle to close them)'
          : `lifecycle: ${outcome.lifecycle} (${outcome.closed} closed)`,
      );
      console.log(`profile: ${outcome.kind}`);
      return 0;
    } catch (error) {
      if (error instanceof ImportError) throw new UsageError(error.message);
      throw error;
    } finally {
      store.close();
    }
  },
};
export default command;
