import { cellDispersion, fitUncertainty, type InnerWindow } from '../intervals';
import type { Forecast, ForecastModel, ForecastRequest } from '../model';
import { selectByInnerBacktest, type Candidate } from '../selection';
import { countAll, countRecent } from './baselines';
import { hawkes } from './hawkes';
import { kdeCandidates } from './kde';

/** A candidate leaves the best count only if it beats it by more than this on the inner origins. */
export const SELECTION_MARGIN = 0.01;
/** Inner origins: each a forecast from the history before it, judged on the horizon after it. */
const INNER_ORIGINS = 6;
/**
 * The self-exciting model is tried only on histories it can be fitted on inside the time budget
 * (one forecast on 100,000 events in under 10 s here): its EM fit is the costliest candidate.
 */
export const HAWKES_MAX_EVENTS = 20_000;

function fromModel(model: ForecastModel, label = model.name): Candidate & { full(req: ForecastRequest): Forecast } {
  return {
    label, params: {},
    score: (req) => model.forecast(req).scores,
    explain: (req, cell) => model.forecast(req).explain!(cell),
    full: (req) => model.forecast(req),
  };
}

/**
 * The candidates, baselines first: the two counts, the kernel densities (without the one that is
 * the all-history count again), and the self-exciting model where the history allows.
 */
export function autoCandidates(req: ForecastRequest): Candidate[] {
  const kdes = kdeCandidates(req.horizonMs).filter((c) => !(c.params.halfLifeDays === 'none' && c.params.bandwidthCells === 0));
  const out: Candidate[] = [fromModel(countAll), fromModel(countRecent), ...kdes];
  if (req.history.events.length <= HAWKES_MAX_EVENTS) out.push(fromModel(hawkes));
  return out;
}

/**
 * The default: chosen per city by evidence. The rolling-origin protocol is replayed on the
 * history's own recent windows (never the forecast window) for the two counts, the kernel
 * densities and the self-exciting model; the best count is the reference, and another candidate
 * is used only if it beat that count by more than SELECTION_MARGIN. So on any history the map is
 * at least as good as the better count, up to the noise of the inner windows. The chosen
 * forecast's level and dispersion are then fitted on the same inner windows, for its intervals.
 */
export const auto: ForecastModel = {
  name: 'auto',
  version: '1',
  summary: 'chosen per city: the best of the counts, kernel densities and self-exciting model on the history\'s own recent windows, kept only if it beats the best count by 1 %',
  forecast(req) {
    const candidates = autoCandidates(req);
    const selection = selectByInnerBacktest(req, candidates, { maxOrigins: INNER_ORIGINS, tolerance: SELECTION_MARGIN, references: 2, keepInner: true });
    const { chosen, reference, gain } = selection;
    const full = (chosen as Partial<ReturnType<typeof fromModel>>).full?.(req);
    const scores = full?.scores ?? chosen.score(req);
    // The interval fit reuses the inner origins: the chosen candidate's forecast there against what followed.
    const inner: InnerWindow[] = selection.inner.map(({ history, origin, scores: s, observed }) => ({
      scores: s, observed, dispersion: cellDispersion(history, origin, req.horizonMs).dispersion,
    }));
    const uncertainty = fitUncertainty(inner, cellDispersion(req.history, req.at, req.horizonMs).dispersion);
    const bestOther = Math.max(...selection.relative.filter((_, i) => i > 1));
    const family = (c: Candidate) => (c.label.startsWith('kde') ? 'kde' : c.label);
    return {
      scores,
      // Numbers and model names only: the card translates the names, and shows which won and by how much.
      params: {
        chosen: family(chosen),
        ...chosen.params,
        ...(full?.params ?? {}),
        reference: reference.label,
        gainOverBestCountPct: round((gain - 1) * 100),
        bestAlternativePct: round((bestOther - 1) * 100),
        marginPct: SELECTION_MARGIN * 100,
        innerOrigins: selection.origins,
        ...uncertainty.params,
      },
      explain: (cell) => {
        // The map shows the expected count at the fitted level, so the parts are put at that level too: they still add up to it.
        const e = full?.explain ? full.explain(cell) : chosen.explain!(req, cell);
        const k = uncertainty.scale;
        return { value: e.value * k, parts: e.parts.map((p) => ({ ...p, value: p.value * k })), weights: [...e.weights, { name: 'intervalLevel', value: k }] };
      },
      uncertainty,
    };
  },
};

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
