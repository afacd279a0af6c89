import { runBacktest, type BacktestResult, type ModelResult } from '../../core/forecast/backtest';
import { describeRowErrors } from '../../core/forecast/csv';
import { DAY_MS } from '../../core/forecast/model';
import { readEventsFile } from '../../core/forecast/readEvents';
import { BASELINES, MODELS } from '../../core/forecast/registry';
import type { Command } from './command';
import { flag, isoTime, modelNamed, parseFlags, positive, required } from './forecast';

const usage = `vigie backtest --data FILE.csv[.gz] --start ISO --end ISO [--horizon-days 7] [--cell-m 150] [--models a,b,…] [--hindsight] [--json]

Replays the rolling-origin protocol of shared/tools/forecast-eval.mjs in process: a forecast at each
window start from the events before it, judged on the window's events in the top 1% and 5% of the
study area (every cell with an event before --start). The baselines always run; each model is
reported with its ratio to the best baseline.

  --models LIST  comma-separated, from ${MODELS.map((m) => m.name).join(', ')} (default: all)
  --hindsight    also score two references that see the future, to show the headroom
  --json         print the results as JSON instead of a table`;

const backtest: Command = {
  name: 'backtest',
  summary: 'rolling backtest of the forecast models: PAI and hit rate at 1% and 5% of the area',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      data: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, 'horizon-days': { type: 'string' },
      'cell-m': { type: 'string' }, models: { type: 'string' }, hindsight: { type: 'boolean' }, json: { type: 'boolean' },
    });
    const file = required(flag(values, 'data'), '--data');
    const start = isoTime(required(flag(values, 'start'), '--start'), '--start'), end = isoTime(required(flag(values, 'end'), '--end'), '--end');
    const horizonMs = positive(flag(values, 'horizon-days') ?? '7', '--horizon-days') * DAY_MS;
    const cellM = positive(flag(values, 'cell-m') ?? '150', '--cell-m');
    const modelList = flag(values, 'models');
    const asked = modelList ? modelList.split(',').map((s) => s.trim()).filter(Boolean) : MODELS.map((m) => m.name);
    const names = [...BASELINES, ...asked.filter((n) => !BASELINES.includes(n))];
    const models = names.map(modelNamed);

    const { events, errors } = await readEventsFile(file);
    if (errors.length > 0) process.stderr.write(describeRowErrors(file, errors) + '\n');
    const result = runBacktest(events, {
      start, end, horizonMs, cellM, models, hindsight: values.hindsight === true,
      onWindow: values.json ? undefined : (done, total) => process.stderr.write(`window ${done}/${total}\r`),
    });
    process.stdout.write(values.json ? JSON.stringify(toJson(file, result), null, 2) + '\n' : toTable(file, result));
    return 0;
  },
};
export default backtest;

function bestBaseline(result: BacktestResult): number[] {
  const bases = result.results.filter((r) => BASELINES.includes(r.model));
  return [0, 1].map((k) => Math.max(...bases.map((b) => b.accuracy.pai[k]!)));
}

function toJson(file: string, result: BacktestResult) {
  const best = bestBaseline(result);
  const row = (r: ModelResult) => ({
    model: r.model, summary: r.summary,
    hitRate1: r.accuracy.hitRate[0], pai1: r.accuracy.pai[0], hitRate5: r.accuracy.hitRate[1], pai5: r.accuracy.pai[1],
    ratioPai1: r.accuracy.pai[0]! / best[0]!, ratioPai5: r.accuracy.pai[1]! / best[1]!,
    secondsPerCall: r.secondsPerCall, lastParams: r.lastParams,
    ...(r.coverage ? { coverage80: r.coverage.observed[0], coverage95: r.coverage.observed[1], wholeCountCoverage80: r.coverage.wholeCount[0], wholeCountCoverage95: r.coverage.wholeCount[1] } : {}),
  });
  return {
    data: file, events: result.events, areaCells: result.areaCells, cellM: result.grid.cellM, windows: result.windows,
    origin: [result.grid.lon0, result.grid.lat0], results: result.results.map(row), hindsight: result.hindsight.map(row),
  };
}

function toTable(file: string, result: BacktestResult): string {
  const best = bestBaseline(result);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const line = (r: ModelResult) => `${r.model.padEnd(30)} hit@1% ${pct(r.accuracy.hitRate[0]!).padStart(6)}  PAI@1% ${r.accuracy.pai[0]!.toFixed(2).padStart(6)}` +
    `  hit@5% ${pct(r.accuracy.hitRate[1]!).padStart(6)}  PAI@5% ${r.accuracy.pai[1]!.toFixed(2).padStart(6)}` +
    `  ratio ${(r.accuracy.pai[0]! / best[0]!).toFixed(3)} / ${(r.accuracy.pai[1]! / best[1]!).toFixed(3)}  ${r.secondsPerCall.toFixed(2)} s/call` +
    (r.coverage ? `  inside 80%/95% intervals ${pct(r.coverage.observed[0]!)} / ${pct(r.coverage.observed[1]!)}` : '');
  return [
    `data ${file}: ${result.events} events, study area ${result.areaCells} cells of ${result.grid.cellM} m, ${result.windows} windows`,
    ...result.results.map(line),
    ...(result.hindsight.length ? ['-- hindsight (sees the future; headroom, not forecasts)', ...result.hindsight.map(line)] : []),
    'ratio = PAI@1% / PAI@5% divided by the best baseline\'s',
    ...(result.results.some((r) => r.coverage) ? ['inside intervals = share of study-area cells whose window count fell inside their 80% / 95% interval (probability scale; see docs/forecasts.md)'] : []),
  ].join('\n') + '\n';
}
