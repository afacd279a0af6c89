import { writeFile } from 'node:fs/promises';
import { describeRowErrors } from '../../core/forecast/csv';
import { toCsv } from '../../../common/csv';
import { eventsBefore } from '../../core/forecast/events';
import { makeGrid } from '../../core/forecast/grid';
import { makeHistory } from '../../core/forecast/history';
import { DAY_MS } from '../../core/forecast/model';
import { readEventsFile } from '../../core/forecast/readEvents';
import { DEFAULT_MODEL, MODELS, findModel } from '../../core/forecast/registry';
import { UsageError, type Command } from './command';

const usage = `vigie forecast --history FILE.csv[.gz] --at ISO --horizon-days H --origin LON,LAT --cell-m M --out SCORES.csv [--model NAME]

Scores every grid cell that holds at least one past incident with the number of incidents expected
in [--at, --at + H days), using only incidents strictly before --at. Area-level only.

  --history FILE   CSV with the header t,lon,lat,category (t in ISO 8601; .gz is read compressed)
  --at ISO         forecast time; later incidents in the file are ignored
  --horizon-days H forecast horizon in days (may be fractional)
  --origin LON,LAT grid origin in degrees; cells follow shared/tools/forecast-eval.mjs:
                   x = floor((lon-LON)*111320*cos(LAT)/M), y = floor((lat-LAT)*110540/M)
  --cell-m M       cell size in metres
  --out FILE       where to write x,y,score rows
  --model NAME     one of ${MODELS.map((m) => m.name).join(', ')} (default ${DEFAULT_MODEL})`;

const forecast: Command = {
  name: 'forecast',
  summary: 'area hotspot forecast from an incident history, written as x,y,score',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      history: { type: 'string' }, at: { type: 'string' }, 'horizon-days': { type: 'string' },
      origin: { type: 'string' }, 'cell-m': { type: 'string' }, out: { type: 'string' }, model: { type: 'string' },
    });
    const get = (name: string) => required(flag(values, name), `--${name}`);
    const historyFile = get('history'), outFile = get('out');
    const at = isoTime(get('at'), '--at');
    const horizonMs = positive(get('horizon-days'), '--horizon-days') * DAY_MS;
    const cellM = positive(get('cell-m'), '--cell-m');
    const [lon0, lat0] = lonLat(get('origin'));
    const model = modelNamed(flag(values, 'model') ?? DEFAULT_MODEL);

    const { events, errors } = await readEventsFile(historyFile);
    if (errors.length > 0) process.stderr.write(describeRowErrors(historyFile, errors) + '\n');
    const past = eventsBefore(events, at);
    if (past.length === 0) {
      process.stderr.write(`${historyFile}: no usable incident before ${new Date(at).toISOString()}; nothing to forecast from. Check --at and the file's times.\n`);
      return 1;
    }
    const grid = makeGrid({ lon0, lat0, cellM });
    const history = makeHistory(past, grid, at);
    const { scores } = model.forecast({ history, at, horizonMs });
    const rows: number[][] = [];
    for (let c = 0; c < history.cellCount; c++) rows.push([history.cellX[c]!, history.cellY[c]!, scores[c]!]);
    await writeFile(outFile, toCsv(['x', 'y', 'score'], rows, '\n'));
    return 0;
  },
};
export default forecast;

// Flag helpers shared with the backtest command. Every failure is a UsageError naming the flag.

/**
 * Parses `--name value`, `--name=value` and `--switch` flags; anything unknown is a UsageError.
 * Not node's parseArgs: it refuses `--origin -122.9,45.3`, and western longitudes are negative.
 */
export function parseFlags(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): { values: Record<string, string | boolean | undefined> } {
  const values: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"; every argument is a --flag`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = options[name];
    if (!spec) throw new UsageError(`unknown flag --${name}; known: ${Object.keys(options).map((k) => `--${k}`).join(', ')}`);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} is a switch and takes no value`);
      values[name] = true;
    } else if (eq >= 0) values[name] = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      values[name] = next;
      i++;
    }
  }
  return { values };
}

/** A string flag's value, or undefined; a switch given where a value was expected is a UsageError. */
export function flag(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = values[name];
  if (typeof v === 'boolean') throw new UsageError(`--${name} needs a value`);
  return v;
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

export function isoTime(value: string, flag: string): number {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(t)) throw new UsageError(`${flag} must be an ISO 8601 time such as 2016-08-15T00:00:00Z, got "${value}"`);
  return t;
}

export function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

function lonLat(value: string): [number, number] {
  const parts = value.split(',').map(Number);
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new UsageError(`--origin must be LON,LAT in degrees, e.g. -95.5,29.5; got "${value}"`);
  return [parts[0]!, parts[1]!];
}

export function modelNamed(name: string) {
  try { return findModel(name); } catch (err) { throw new UsageError((err as Error).message); }
}
