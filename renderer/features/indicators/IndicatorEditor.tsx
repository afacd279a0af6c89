import { useEffect, useRef, useState } from 'react';
import { INCIDENT_CATEGORIES } from '../../../common/domain/incident';
import { INDICATOR_WINDOWS, type Indicator, type Threshold } from '../../../common/domain/indicator';
import { SIGNAL_KINDS } from '../../../common/domain/signal';
import { useCan, useClient } from '../../app/ClientContext';
import { categoryLabel, useT } from '../../i18n/index';
import { indicatorsStore, useIndicators } from '../../stores/indicators';
import { Markdown } from './markdown';

const blank = (n: number): Indicator => ({ id: `indicator-${n}`, label: '', category: '*', window: 'hour', threshold: { kind: 'multiple', factor: 3, minCount: 5 }, sheet: '' });

/** Top-bar button (T) for supervisors and admins: indicators, thresholds and reflex sheets. */
export function IndicatorsButton() {
  const t = useT();
  const can = useCan('indicators.save');
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <button type="button" className="topbar-button" data-shortcut="shift+t" title={`${t('indicators.edit')} (Shift+T)`} aria-label={t('indicators.edit')} onClick={() => setOpen(true)}>
        {t('indicators.button')}
      </button>
      {open && <IndicatorEditor onClose={() => setOpen(false)} />}
    </>
  );
}

function IndicatorEditor({ onClose }: { onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const saved = useIndicators((s) => s.indicators);
  const { setIndicators } = indicatorsStore.useStoreApi().getState().actions;
  const [draft, setDraft] = useState<Indicator[]>(saved);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const update = (i: number, patch: Partial<Indicator>) => setDraft((d) => d.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const setThreshold = (i: number, threshold: Threshold) => update(i, { threshold });
  const save = async () => {
    try {
      setIndicators(await client.call('indicators.save', { indicators: draft }));
      setError(null);
      setDone(true);
    } catch (e) {
      setError((e as Error).message);
      setDone(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog indicator-editor" aria-labelledby="indicator-editor-heading" onClose={onClose}>
      <h2 id="indicator-editor-heading">{t('indicators.edit')}</h2>
      {draft.length === 0 && <p className="muted">{t('indicators.none')}</p>}
      {draft.map((ind, i) => (
        <fieldset key={i} aria-label={ind.label || ind.id}>
          <legend>{ind.label || ind.id}</legend>
          <label>
            {t('indicators.label')} <input value={ind.label} onChange={(e) => update(i, { label: e.target.value })} />
          </label>
          <label>
            {t('indicators.id')} <input value={ind.id} onChange={(e) => update(i, { id: e.target.value })} />
          </label>
          <label>
            {t('indicators.category')}{' '}
            <select value={ind.category} onChange={(e) => update(i, { category: e.target.value })}>
              <option value="*">{t('indicators.anyCategory')}</option>
              {INCIDENT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(t, c)}
                </option>
              ))}
              {SIGNAL_KINDS.map((k) => (
                <option key={k} value={`signal:${k}`}>
                  {t(`indicators.signal.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('indicators.window')}{' '}
            <select value={ind.window} onChange={(e) => update(i, { window: e.target.value as Indicator['window'] })}>
              {INDICATOR_WINDOWS.map((w) => (
                <option key={w} value={w}>
                  {t(`indicators.window.${w}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('indicators.thresholdKind')}{' '}
            <select
              value={ind.threshold.kind}
              onChange={(e) => setThreshold(i, e.target.value === 'absolute' ? { kind: 'absolute', count: 10 } : { kind: 'multiple', factor: 3, minCount: 5 })}
            >
              <option value="absolute">{t('indicators.absolute')}</option>
              <option value="multiple">{t('indicators.multiple')}</option>
            </select>
          </label>
          {ind.threshold.kind === 'absolute' ? (
            <label>
              {t('indicators.count')} <input type="number" min={1} value={ind.threshold.count} onChange={(e) => setThreshold(i, { kind: 'absolute', count: Number(e.target.value) })} />
            </label>
          ) : (
            <>
              <label>
                {t('indicators.factor')}{' '}
                <input type="number" min={1} step={0.5} value={ind.threshold.factor} onChange={(e) => setThreshold(i, { ...(ind.threshold as Extract<Threshold, { kind: 'multiple' }>), factor: Number(e.target.value) })} />
              </label>
              <label>
                {t('indicators.minCount')}{' '}
                <input type="number" min={1} value={ind.threshold.minCount} onChange={(e) => setThreshold(i, { ...(ind.threshold as Extract<Threshold, { kind: 'multiple' }>), minCount: Number(e.target.value) })} />
              </label>
            </>
          )}
          <label title={t('indicators.plannedFactorHint')}>
            {t('indicators.plannedFactor')}{' '}
            <input type="number" min={1} max={10} step={0.5} value={ind.plannedEventFactor ?? 1} onChange={(e) => update(i, { plannedEventFactor: Number(e.target.value) })} />
          </label>
          <label className="sheet">
            {t('indicators.sheet')} <textarea rows={5} value={ind.sheet} onChange={(e) => update(i, { sheet: e.target.value })} />
          </label>
          {ind.sheet.trim() && (
            <section aria-label={t('indicators.preview')} className="preview">
              <Markdown source={ind.sheet} />
            </section>
          )}
          <button type="button" onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}>
            {t('indicators.remove', { label: ind.label || ind.id })}
          </button>
        </fieldset>
      ))}
      {error && <p role="alert" className="error-text">{error}</p>}
      {done && <p role="status">{t('indicators.saved')}</p>}
      <div className="row">
        <button type="button" onClick={() => setDraft((d) => [...d, blank(d.length + 1)])}>
          {t('indicators.add')}
        </button>
        <button type="button" onClick={() => void save()}>
          {t('indicators.save')}
        </button>
        <form method="dialog">
          <button type="submit">{t('indicators.closeSheet')}</button>
        </form>
      </div>
    </dialog>
  );
}
