import type { ForecastModel } from './model';
import { auto } from './models/auto';
import { countAll, countRecent } from './models/baselines';
import { hawkes } from './models/hawkes';
import { kde } from './models/kde';
import { stack } from './models/stack';

/** Every model the CLI and the backtest can name. The first two are the protocol's baselines. */
export const MODELS: readonly ForecastModel[] = [countAll, countRecent, kde, hawkes, auto];

/** Experiments the backtest can name but the app never runs (see the issue note). */
export const EXPERIMENTS: readonly ForecastModel[] = [stack];

export const BASELINES = ['count-all', 'count-recent'];

/** Chosen per city by evidence (models/auto.ts): never a fixed method that a count could beat. */
export const DEFAULT_MODEL = 'auto';

export function findModel(name: string): ForecastModel {
  const model = [...MODELS, ...EXPERIMENTS].find((m) => m.name === name);
  if (!model) throw new Error(`unknown model "${name}"; choose one of: ${MODELS.map((m) => m.name).join(', ')}`);
  return model;
}
