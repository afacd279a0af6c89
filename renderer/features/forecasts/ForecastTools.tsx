import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as maplibregl from 'maplibre-gl';
import './forecasts.css';
import type { CellExplanation, ExplanationPart, ForecastCell, ModelCard } from '../../../common/methods/forecasts';
import { useCan } from '../../app/ClientContext';
import { categoryLabel, formatTime, useFormat, useT, type Translate } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';
import { useLayerSetting, useMapLayers } from '../../stores/mapLayers';
import { useMapClient } from '../../map/mapClient';

/**
 * The forecast layer's evidence: the model card (Shift+M) and "why is this cell high?" (Z, or a
 * click on a cell). Shown while the forecasts layer is on. Everything shown is computed by the
 * service (forecasts.modelCard / forecasts.explain): the UI formats, it never recomputes.
 */
export function ForecastTools({ getMap }: { getMap(): maplibregl.Map | null }) {
  const t = useT();
  const { visible } = useLayerSetting('forecasts');
  const forecast = useMapLayers((s) => s.forecast);
  const target = useMapLayers((s) => s.forecastExplain);
  const explain = useMapLayers((s) => s.actions.explainForecast);
  const [cardOpen, setCardOpen] = useState(false);

  const whyAtCentre = useCallback(() => {
    const cells = forecast?.cells ?? [];
    if (cells.length === 0) return;
    const map = getMap();
    const centre = map?.getCenter();
    const bounds = map?.getBounds();
    const inside = (c: ForecastCell, lon: number, lat: number) => lon >= c.west && lon < c.east && lat >= c.south && lat < c.north;
    // The cell under the centre of the map; else the highest-ranked cell in view; else the first.
    const cell =
      (centre && cells.find((c) => inside(c, centre.lng, centre.lat))) ||
      (bounds && cells.find((c) => bounds.contains([(c.west + c.east) / 2, (c.south + c.north) / 2]))) ||
      cells[0]!;
    explain({ lon: (cell.west + cell.east) / 2, lat: (cell.south + cell.north) / 2 });
  }, [forecast, getMap, explain]);

  if (!visible) return null;
  return (
    <>
      <div className="forecast-tools" role="group" aria-label={t('forecast.tools')}>
        <strong>{t('forecast.tools')}</strong>
        <button type="button" data-shortcut="shift+m" title={`${t('forecast.cardButton')} (Shift+M)`} onClick={() => setCardOpen(true)}>
          {t('forecast.cardButton')} <kbd>⇧M</kbd>
        </button>
        <button type="button" data-shortcut="z" title={`${t('forecast.whyButton')} (Z) — ${t('forecast.clickHint')}`} disabled={!forecast?.cells.length} onClick={whyAtCentre}>
          {t('forecast.whyButton')} <kbd>Z</kbd>
        </button>
      </div>
      {cardOpen && <ModelCardDialog onClose={() => setCardOpen(false)} />}
      {target && <ExplainDialog key={`${target.lon},${target.lat}`} point={target} getMap={getMap} onClose={() => explain(null)} />}
    </>
  );
}

/** The model card's figures: the shared formatter (renderer/i18n/format.ts) in the card's shorthand. */
function useCardFormat() {
  const format = useFormat();
  return {
    locale: format.locale,
    num: (v: number, digits = 2, min = 0) => format.number(v, { digits, minDigits: min }),
    pct: (v: number) => format.percent(v),
    date: (ms: number) => format.date(ms, 'date'),
  };
}

/** A model's one-line summary in the reader's language when the model is one Vigie ships; else as the service sent it. */
function modelSummary(t: Translate, model: string, summary: string): string {
  const key = `forecast.model.${model}` as MessageKey;
  const translated = t(key);
  return translated === key ? summary : translated;
}

function weightValue(t: Translate, value: number | string, num: (v: number) => string): string {
  if (typeof value === 'number') return num(value);
  return value === 'none' ? t('forecast.value.none') : value;
}

function weightName(t: Translate, name: string): string {
  const key = `forecast.weight.${name}` as MessageKey;
  const translated = t(key);
  return translated === key ? name : translated;
}

function ModelCardDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const f = useCardFormat();
  const client = useMapClient();
  const horizon = useMapLayers((s) => s.forecastHorizonH);
  const canCheck = useCan('forecasts.runCheck');
  const ref = useRef<HTMLDialogElement>(null);
  const [card, setCard] = useState<ModelCard | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('forecasts.modelCard', { horizonHours: horizon }).then(setCard, (e: Error) => setError(e.message));
  }, [client, horizon]);
  useEffect(() => {
    ref.current?.showModal();
    load();
  }, [load]);
  // While a check runs, follow it.
  useEffect(() => {
    if (!card?.checkRunning) return;
    const timer = setInterval(load, 1500);
    return () => clearInterval(timer);
  }, [card?.checkRunning, load]);

  const runCheck = () => {
    if (!canCheck || card?.checkRunning) return;
    setCard((c) => (c ? { ...c, checkRunning: true } : c));
    client.call('forecasts.runCheck', { horizonHours: horizon }).then(load, (e: Error) => setError(e.message));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.shiftKey && e.key === 'Y') {
      e.preventDefault();
      runCheck();
    }
  };

  const check = card?.check;
  const worse = check?.districts.filter((d) => d.worseThanBaseline) ?? [];
  return (
    <dialog ref={ref} className="dialog forecast-card" aria-labelledby="forecast-card-heading" onClose={onClose} onKeyDown={onKeyDown}>
      <h2 id="forecast-card-heading">{t('forecast.card.title')}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {!card ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <>
          <dl className="card-facts">
            <dt>{t('forecast.card.model')}</dt>
            <dd>
              <strong>{card.model}</strong> · {t('forecast.card.version', { v: card.modelVersion })}
              <div className="muted">{modelSummary(t, card.model, card.summary)}</div>
            </dd>
            <dt>{t('forecast.card.horizon')}</dt>
            <dd>{card.horizonHours} h</dd>
            <dt>{t('forecast.card.cells')}</dt>
            <dd>{t('forecast.card.cellsValue', { m: card.cellM })}</dd>
            <dt>{t('forecast.card.training')}</dt>
            <dd>{card.trainingFrom !== null && card.trainingTo !== null ? t('forecast.card.trainingValue', { from: formatTime(f.locale, card.trainingFrom), to: formatTime(f.locale, card.trainingTo), n: card.basedOn }) : t('forecast.card.noTraining')}</dd>
            <dt>{t('forecast.card.computed')}</dt>
            <dd>{formatTime(f.locale, card.computedAt)}</dd>
            <dt>{t('forecast.card.params')}</dt>
            <dd>
              {card.params.length === 0 ? (
                t('forecast.card.noParams')
              ) : (
                <ul className="plain">
                  {card.params.map((p) => (
                    <li key={p.name}>
                      {weightName(t, p.name)}: <strong>{weightValue(t, p.value, (v) => f.num(v))}</strong>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('forecast.card.data')}</dt>
            <dd>{t('forecast.card.dataValue', { categories: card.categories.map((c) => `${categoryLabel(t, c.name)} (${c.incidents})`).join(', ') || '—' })}</dd>
            <dt>{t('forecast.card.use')}</dt>
            <dd>{t('forecast.card.useValue', { m: card.cellM })}</dd>
            <dt>{t('forecast.card.limits')}</dt>
            <dd>{t('forecast.card.limitsValue')}</dd>
          </dl>

          <section aria-labelledby="forecast-check-heading">
            <h3 id="forecast-check-heading">{t('forecast.card.check')}</h3>
            {card.checkRunning && <p className="muted" role="status">{t('forecast.card.checkRunning')}</p>}
            {!check ? (
              <p className="muted">{card.checkNote ?? t('forecast.card.noCheck')}</p>
            ) : (
              <>
                <p className="muted">
                  {t('forecast.card.checkWhen', { when: formatTime(f.locale, check.ranAt), from: f.date(check.from), to: f.date(check.to), windows: check.windows, h: check.horizonHours, n: check.incidents })}
                </p>
                <table className="check-scores">
                  <thead>
                    <tr>
                      <th />
                      {[1, 5].map((p) => (
                        <th key={p} colSpan={2} scope="colgroup">{t('forecast.card.share', { p })}</th>
                      ))}
                    </tr>
                    <tr>
                      <th />
                      {[0, 1].map((k) => [<th key={`p${k}`}>{t('forecast.card.pai')}</th>, <th key={`h${k}`}>{t('forecast.card.hitRate')}</th>])}
                    </tr>
                  </thead>
                  <tbody>
                    {[check.model, ...check.baselines].map((s, i) => (
                      <tr key={s.model} className={i === 0 ? 'model' : undefined}>
                        <th scope="row">{s.model}</th>
                        {[0, 1].map((k) => [<td key={`p${k}`}>{f.num(s.pai[k]!)}</td>, <td key={`h${k}`}>{f.pct(s.hitRate[k]!)}</td>])}
                      </tr>
                    ))}
                    <tr className="ratio">
                      <th scope="row">{t('forecast.card.ratio', { best: [...new Set(check.bestBaseline)].join(' / ') })}</th>
                      {[0, 1].map((k) => (
                        <td key={k} colSpan={2} className={check.ratio[k]! < 1 ? 'bad' : 'ok'} data-testid={`ratio-${k}`}>
                          {f.num(check.ratio[k]!, 3, 3)}
                        </td>
                      ))}
                    </tr>
                  </tbody>
                </table>

                {check.coverage && (
                  <p className="muted" data-testid="coverage">
                    {t('forecast.card.coverage', {
                      cells: check.coverage.cells, o80: f.pct(check.coverage.observed[0]!), o95: f.pct(check.coverage.observed[1]!),
                      w80: f.pct(check.coverage.wholeCount[0]!), w95: f.pct(check.coverage.wholeCount[1]!),
                    })}
                    {/* More than 5 points from nominal: the ranges are not to be trusted as stated. */}
                    {check.coverage.levels.some((l, k) => Math.abs(check.coverage!.observed[k]! - l) > 0.05) && <span className="warn"> {t('forecast.card.coverageOff')}</span>}
                  </p>
                )}

                <h3>{t('forecast.card.districts')}</h3>
                {check.districts.every((d) => d.name === '') ? (
                  <p className="muted">{t('forecast.card.noDistricts')}</p>
                ) : (
                  <>
                    <p className={worse.length > 0 ? 'warn' : 'muted'}>{t('forecast.card.worseCount', { n: worse.length, d: check.districts.filter((d) => d.name !== '').length })}</p>
                    <p className="muted small">{t('forecast.card.districtsHint')}</p>
                    <div className="district-table-wrap">
                      <table className="district-check">
                        <thead>
                          <tr>
                            <th className="name">{t('forecast.card.district')}</th>
                            <th>{t('forecast.card.incidents')}</th>
                            <th>{t('forecast.card.incidentShare')}</th>
                            <th>{t('forecast.card.flaggedShare')}</th>
                            <th>{t('forecast.card.modelHits')}</th>
                            <th>{t('forecast.card.baselineHits')}</th>
                            <th />
                          </tr>
                        </thead>
                        <tbody>
                          {check.districts.map((d) => (
                            <tr key={d.name} className={d.worseThanBaseline || d.overFlagged ? 'flagged' : undefined}>
                              <th scope="row">{d.name || t('forecast.card.outside')}</th>
                              <td>{d.incidents}</td>
                              <td>{f.pct(d.incidentShare)}</td>
                              <td>{f.pct(d.flaggedShare)}</td>
                              <td>{d.modelHits}</td>
                              <td>{d.baselineHits}</td>
                              <td>
                                {d.worseThanBaseline && <span className="flag bad">{t('forecast.card.worse')}</span>}
                                {d.overFlagged && <span className="flag warn">{t('forecast.card.overFlagged')}</span>}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </>
                )}
              </>
            )}
          </section>
        </>
      )}
      <div className="row">
        {canCheck && (
          <button type="button" onClick={runCheck} disabled={!card || card.checkRunning} title={`${t('forecast.card.runCheck')} (Shift+Y)`}>
            {t('forecast.card.runCheck')} <kbd>⇧Y</kbd>
          </button>
        )}
        <button type="button" onClick={() => ref.current?.close()}>
          {t('settings.close')}
        </button>
      </div>
    </dialog>
  );
}

function partLabel(t: Translate, p: ExplanationPart): string {
  const bits = [`${t(`forecast.why.kind.${p.kind}` as MessageKey)} · ${categoryLabel(t, p.category)}`];
  if (p.ageFromDays !== null) bits.push(p.ageToDays === null ? t('forecast.why.ageOpen', { from: p.ageFromDays }) : t('forecast.why.age', { from: p.ageFromDays, to: p.ageToDays }));
  if (p.ring !== null) bits.push(t(p.ring === 0 ? 'forecast.why.ring0' : 'forecast.why.ring1'));
  return bits.join(', ');
}

function ExplainDialog({ point, getMap, onClose }: { point: { lon: number; lat: number }; getMap(): maplibregl.Map | null; onClose(): void }) {
  const t = useT();
  const f = useCardFormat();
  const client = useMapClient();
  const horizon = useMapLayers((s) => s.forecastHorizonH);
  const cells = useMapLayers((s) => s.forecast?.cells ?? []);
  const explain = useMapLayers((s) => s.actions.explainForecast);
  const ref = useRef<HTMLDialogElement>(null);
  const [result, setResult] = useState<CellExplanation | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
    client.call('forecasts.explain', { horizonHours: horizon, lon: point.lon, lat: point.lat }).then(setResult, (e: Error) => setError(e.message));
  }, [client, horizon, point]);

  const step = (delta: number) => {
    const rank = result?.cell.rank;
    if (!rank) return;
    const next = cells.find((c) => c.rank === rank + delta);
    if (!next) return;
    const lon = (next.west + next.east) / 2, lat = (next.south + next.north) / 2;
    getMap()?.easeTo({ center: [lon, lat], duration: 300 });
    explain({ lon, lat });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowLeft') step(-1);
    else if (e.key === 'ArrowRight') step(1);
    else return;
    e.preventDefault();
  };

  const max = result ? Math.max(...result.parts.map((p) => p.value), 1e-12) : 1;
  return (
    <dialog ref={ref} className="dialog forecast-why" aria-labelledby="forecast-why-heading" onClose={onClose} onKeyDown={onKeyDown}>
      <h2 id="forecast-why-heading">{t('forecast.why.title')}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {result === undefined && !error && <p className="muted">{t('app.loading')}</p>}
      {result === null && <p className="muted">{t('forecast.why.none')}</p>}
      {result && (
        <>
          <p className="why-summary">
            {t('forecast.why.summary', { e: f.num(result.cell.expected), h: result.horizonHours, low: result.cell.low, high: result.cell.high, rank: result.cell.rank ?? t('forecast.why.unranked') })}
            <span className="muted"> · {result.model} v{result.modelVersion} · {formatTime(f.locale, result.computedAt)}</span>
          </p>
          <h3>{t('forecast.why.parts')}</h3>
          <table className="why-parts">
            <tbody>
              {result.parts.map((p, i) => (
                <tr key={i} className={`kind-${p.kind}`}>
                  <th scope="row">
                    {partLabel(t, p)}
                    {p.kind !== 'background' && <span className="muted"> · {t('forecast.why.events', { n: p.events })}</span>}
                  </th>
                  <td className="bar-cell" aria-hidden="true">
                    <span className="bar" style={{ width: `${Math.max(1, (100 * p.value) / max)}%` }} />
                  </td>
                  <td className="num">{f.num(p.value, 3)}</td>
                  <td className="num muted">{f.pct(p.value / result.value)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('forecast.why.total')}</th>
                <td />
                <td className="num" data-testid="why-total">{f.num(result.parts.reduce((s, p) => s + p.value, 0), 3)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
          <h3>{t('forecast.why.weights')}</h3>
          <ul className="plain why-weights">
            {result.weights.map((w) => (
              <li key={w.name}>
                {weightName(t, w.name)}: <strong>{weightValue(t, w.value, (v) => f.num(v, 3))}</strong>
              </li>
            ))}
          </ul>
          <h3>{t('forecast.why.baselines')}</h3>
          <ul className="plain">
            {result.baselines.map((b) => (
              <li key={b.model}>
                {b.model}: <strong>{f.num(b.value, 3)}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="row">
        <button type="button" onClick={() => step(-1)} disabled={!result?.cell.rank || result.cell.rank <= 1}>
          ← {t('forecast.why.prev')}
        </button>
        <button type="button" onClick={() => step(1)} disabled={!result?.cell.rank || !cells.some((c) => c.rank === result.cell.rank! + 1)}>
          {t('forecast.why.next')} →
        </button>
        <span className="muted small">{t('forecast.why.keys')}</span>
        <button type="button" onClick={() => ref.current?.close()}>
          {t('settings.close')}
        </button>
      </div>
    </dialog>
  );
}
