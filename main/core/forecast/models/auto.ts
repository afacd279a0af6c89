import { PartCollector } from '../explain';
import { cellDispersion, fitUncertainty, type InnerWindow } from '../intervals';
import { DAY_MS, type Forecast, type ForecastModel, type ForecastRequest } from '../model';
import { selectByInnerBacktest, type Candidate } from '../selection';
import { countAll, countRecent } from './baselines';
import { hawkes } from './hawkes';
import { kdeCandidates } from './kde';

/** A candidate leaves the best count only if it beats it by more than this on the inner origins. */
export const SELECTION_MARGIN = 0.01;
/**
 * Inner origins: each a forecast from the history before it, judged on the horizon after it.
 * Origins step back half a horizon, so short horizons get more of them (up to 12: the last two
 * days for an 8-hour horizon), else an 8-hour choice would rest on a day of data; 12 keeps one
 * forecast on a big history within seconds.
 */
export function innerOrigins(horizonMs: number): number {
  return Math.min(12, Math.max(6, Math.round((7 * DAY_MS) / (horizonMs / 2))));
}
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

/** Shift horizons (up to 12 h) on hourly data: events at the same time of day can say more. */
const SHIFT_MAX_MS = 12 * 3_600_000;
/** Weight of an event outside the forecast's hours of the day, against 1 inside them. */
const OTHER_HOURS_WEIGHTS = [0, 0.25, 0.5];

/** True when the times carry the hour (not all at midnight, as daily data is stored). */
function hasTimeOfDay(req: ForecastRequest): boolean {
  const { t } = req.history.events;
  let off = 0;
  for (let i = 0; i < t.length; i += Math.max(1, Math.floor(t.length / 500))) if (t[i]! % DAY_MS !== 0) off++;
  return off > 0;
}

/**
 * Time-of-day counts for shift horizons: each past event counts 1 if its hour of day falls in the
 * hours the forecast covers, else `w`. Offered only where the times have hours and the horizon is a
 * shift; the inner backtest keeps one only if it beats the best count.
 */
export function shiftCandidates(req: ForecastRequest): Candidate[] {
  if (req.horizonMs > SHIFT_MAX_MS || !hasTimeOfDay(req)) return [];
  return OTHER_HOURS_WEIGHTS.map((w) => {
    // Each event's weight, and the factor that puts the city total at the all-history rate over the horizon.
    const weigh = ({ history, at, horizonMs }: ForecastRequest) => {
      const { events } = history;
      const from = ((at % DAY_MS) + DAY_MS) % DAY_MS, span = Math.min(horizonMs, DAY_MS);
      const weights = new Float64Array(events.length);
      let total = 0;
      for (let i = 0; i < events.length; i++) {
        const since = ((((events.t[i]! % DAY_MS) + DAY_MS) % DAY_MS) - from + DAY_MS) % DAY_MS;
        total += weights[i] = since < span ? 1 : w;
      }
      const first = events.length ? events.t[0]! : at, rate = events.length / Math.max(at - first, horizonMs);
      return { weights, k: total > 0 ? (rate * horizonMs) / total : 0 };
    };
    return {
      label: `shift count, other hours × ${w}`,
      params: { otherHoursWeight: w },
      score: (r: ForecastRequest) => {
        const { weights, k } = weigh(r);
        const out = new Float64Array(r.history.cellCount);
        for (let i = 0; i < weights.length; i++) out[r.history.cellOf[i]!]! += weights[i]! * k;
        return out;
      },
      explain: (r: ForecastRequest, cell: number) => {
        const { weights, k } = weigh(r);
        const parts = new PartCollector(r.history, r.at);
        for (let i = 0; i < weights.length; i++) if (r.history.cellOf[i] === cell && weights[i]! > 0) parts.add('count', i, true, weights[i]! * k);
        return parts.result([{ name: 'otherHoursWeight', value: w }, { name: 'perEvent', value: k }]);
      },
    };
  });
}

/**
 * The candidates, baselines first: the two counts, the kernel densities (without the one that is
 * the all-history count again), and the self-exciting model where the history allows.
 */
export function autoCandidates(req: ForecastRequest): Candidate[] {
  const kdes = kdeCandidates(req.horizonMs).filter((c) => !(c.params.halfLifeDays === 'none' && c.params.bandwidthCells === 0));
  const out: Candidate[] = [fromModel(countAll), fromModel(countRecent), ...kdes, ...shiftCandidates(req)];
  if (req.history.events.length <= HAWKES_MAX_EVENTS) out.push(fromModel(hawkes));
  return out;
}

/**
 * The default: chosen per city by evidence. The rolling-origin protocol is replayed on the
 * history's own recent windows (never the forecast window) for the two counts, the kernel
 * densities and the self-exciting model; the best count is the reference, and another candidate
 * is used only if it beat that count by more than SELECTION_MARGIN on average over the 1 % and 5 %
 * shares, and lost to it at neither. So on any history the map is
 * at least as good as the better count, up to the noise of the inner windows. The chosen
 * forecast's level and dispersion are then fitted on the same inner windows, for its intervals.
 */
export const auto: ForecastModel = {
  name: 'auto',
  version: '1',
  summary: 'chosen per city: the best of the counts, kernel densities and self-exciting model on the history\'s own recent windows, kept only if it beats the best count by 1 %',
  forecast(req) {
    const candidates = autoCandidates(req);
    const selection = selectByInnerBacktest(req, candidates, { maxOrigins: innerOrigins(req.horizonMs), tolerance: SELECTION_MARGIN, references: 2, keepInner: true, noLossAtAnyShare: true });
    const { chosen, reference, gain } = selection;
    const full = (chosen as Partial<ReturnType<typeof fromModel>>).full?.(req);
    const scores = full?.scores ?? chosen.score(req);
    // The interval fit reuses the inner origins: the chosen candidate's forecast there against what followed.
    const inner: InnerWindow[] = selection.inner.map(({ history, origin, scores: s, observed }) => ({
      scores: s, observed, dispersion: cellDispersion(history, origin, req.horizonMs).dispersion,
    }));
    const uncertainty = fitUncertainty(inner, cellDispersion(req.history, req.at, req.horizonMs).dispersion);
    const bestOther = Math.max(...selection.relative.filter((_, i) => i > 1));
    const family = (c: Candidate) => (c.label.startsWith('kde') ? 'kde' : c.label.startsWith('shift') ? 'shift-count' : c.label);
    // The scores are put at the fitted level (a positive factor: the ranking is unchanged), so they
    // are expected incidents in the horizon, and the distribution is centred on them.
    const level = uncertainty.scale;
    return {
      scores: Float64Array.from(scores, (v) => v * level),
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
        const k = level;
        return { value: e.value * k, parts: e.parts.map((p) => ({ ...p, value: p.value * k })), weights: [...e.weights, { name: 'intervalLevel', value: k }] };
      },
      uncertainty: { ...uncertainty, scale: 1 },
    };
  },
};

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
