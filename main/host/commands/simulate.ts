import fs from 'node:fs';
import path from 'node:path';
import { startSimulator } from '../../core/feeds/simulator';
import { loadDemoPlaces } from '../../core/city/cityPack';
import { parse } from '../args';
import { UsageError, type Command } from './command';
import { waitForSignal } from './serve';

const command: Command = {
  name: 'simulate',
  summary: 'Serve simulated feeds of every standard on loopback (demo, tests, benchmarks)',
  usage: `vigie simulate [--port N] [--host H] [--seed N] [--profile DIR]

Serves, until Ctrl+C, simulated feeds in Marseille: GeoJSON, Open311, CAP (Atom index),
GTFS-realtime, SensorThings, CSV over HTTP, GeoJSON over Server-Sent Events and Cursor on Target
over WebSocket. Prints the "feeds" of a config.json that reads them all; with --profile DIR,
writes that config.json into the profile (refusing to replace an existing one), so that
\`vigie serve --profile DIR\` shows them.

  --port N       port to listen on (default: any free port)
  --host H       address to bind (default 127.0.0.1)
  --seed N       seed of the simulation (default 7)`,
  async run(argv) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, profile: { type: 'string' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port ${values.port}: expected a port number`);
    const seed = values.seed === undefined ? 7 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed ${values.seed}: expected an integer`);
    const sim = await startSimulator({ port, seed, places: loadDemoPlaces(), ...(values.host ? { host: values.host } : {}) });
    const config = { feeds: sim.feedConfigs(), demo: false };
    if (values.profile) {
      const file = path.join(path.resolve(values.profile), 'config.json');
      if (fs.existsSync(file)) {
        await sim.close();
        throw new UsageError(`${file} exists already; give another --profile, or merge the feeds printed without --profile by hand`);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
      console.log(`Wrote ${file}`);
    } else {
      console.log(JSON.stringify(config, null, 2));
    }
    console.log(`Simulated feeds on ${sim.url} (every record is simulated)`);
    await waitForSignal();
    await sim.close();
    return 0;
  },
};
export default command;
