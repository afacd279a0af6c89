import fs from 'node:fs';
import path from 'node:path';
import { startSimulator } from '../../core/feeds/simulator';
import { findSamples, startSampleReplay, type SampleReplay } from '../../core/feeds/sampleReplay';
import { sharedDataDir } from '../../core/paths';
import { loadDemoPlaces } from '../../core/city/cityPack';
import { parse } from '../args';
import { UsageError, type Command } from './command';
import { waitForSignal } from './serve';

const command: Command = {
  name: 'simulate',
  summary: 'Serve simulated feeds of every standard on loopback (demo, tests, benchmarks)',
  usage: `vigie simulate [--port N] [--host H] [--seed N] [--profile DIR] [--samples] [--samples-dir DIR]

Serves, until Ctrl+C, simulated feeds in Marseille: GeoJSON, Open311, CAP (Atom index),
GTFS-realtime, SensorThings, CSV over HTTP, GeoJSON over Server-Sent Events and Cursor on Target
over WebSocket. Prints the "feeds" of a config.json that reads them all; with --profile DIR,
writes that config.json into the profile (refusing to replace an existing one), so that
\`vigie serve --profile DIR\` shows them.

  --port N       port to listen on (default: any free port)
  --host H       address to bind (default 127.0.0.1)
  --seed N       seed of the simulation (default 7)
  --samples      also replay the real feed samples of ../shared/data/feeds (Open311 Chicago, CAP
                 Amber alert, GTFS-rt King County, SensorThings GOST, CoT iTAK) as live feeds,
                 times shifted to now, over HTTP polling, SSE, WebSocket, and CoT over UDP and TCP
                 (sent to the listeners of the printed config); skipped, with a message, where the
                 folder is absent
  --samples-dir DIR   where the samples are (default ../shared/data/feeds, or $VIGIE_SHARED_DATA/feeds)`,
  async run(argv) {
    const { values } = parse(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      samples: { type: 'boolean' },
      'samples-dir': { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port ${values.port}: expected a port number`);
    const seed = values.seed === undefined ? 7 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed ${values.seed}: expected an integer`);
    const sim = await startSimulator({ port, seed, places: loadDemoPlaces(), ...(values.host ? { host: values.host } : {}) });
    let samples: SampleReplay | null = null;
    if (values.samples || values['samples-dir']) {
      const shared = sharedDataDir();
      const found = findSamples(values['samples-dir'] ? path.resolve(values['samples-dir']) : path.join(shared ?? path.resolve('..', 'shared', 'data'), 'feeds'));
      if ('skipped' in found) console.log(`Real samples: ${found.skipped}.`);
      else samples = await startSampleReplay({ dir: found.dir, ...(values.host ? { host: values.host } : {}) });
    }
    const close = async () => {
      await samples?.close();
      await sim.close();
    };
    const config = { feeds: [...sim.feedConfigs(), ...(samples?.feedConfigs() ?? [])], demo: false };
    if (values.profile) {
      const file = path.join(path.resolve(values.profile), 'config.json');
      if (fs.existsSync(file)) {
        await close();
        throw new UsageError(`${file} exists already; give another --profile, or merge the feeds printed without --profile by hand`);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
      console.log(`Wrote ${file}`);
    } else {
      console.log(JSON.stringify(config, null, 2));
    }
    console.log(`Simulated feeds on ${sim.url} (every record is simulated)`);
    if (samples) console.log(`Real samples replayed on ${samples.url} (times shifted to now)`);
    await waitForSignal();
    await close();
    return 0;
  },
};
export default command;
