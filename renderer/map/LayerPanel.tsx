import { useState } from 'react';
import { useLayerSetting, useMapLayers } from '../stores/mapLayers';
import { useSession } from '../stores/session';
import { useT, type Translate } from '../i18n/index';
import { useNow } from '../ui/useNow';
import { MAP_LAYERS } from './layers/registry';
import type { LegendEntry, MapLayerDef } from './layers/types';

export function ago(t: Translate, ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('time.ago.s', { n: s });
  if (s < 3600) return t('time.ago.m', { n: Math.round(s / 60) });
  if (s < 86_400) return t('time.ago.h', { n: Math.round(s / 3600) });
  return t('time.ago.d', { n: Math.round(s / 86_400) });
}

/** Layer toggles, opacity, legend, data age and filters; top of the list is top of the map. */
export function LayerPanel() {
  const t = useT();
  const [open, setOpen] = useState(true);
  return (
    <section className="layer-panel panel" role="region" aria-label={t('layers.panel')}>
      <header>
        <h2>{t('layers.panel')}</h2>
        <button type="button" className="icon-button" aria-expanded={open} aria-label={open ? t('layers.collapse') : t('layers.expand')} onClick={() => setOpen(!open)}>
          {open ? '–' : '+'}
        </button>
      </header>
      {open && (
        <div className="layer-rows">
          {[...MAP_LAYERS].reverse().map((def, i) => (
            <LayerRow key={def.id} def={def} shortcut={i + 1} />
          ))}
        </div>
      )}
    </section>
  );
}

function LayerRow({ def, shortcut }: { def: MapLayerDef; shortcut: number }) {
  const t = useT();
  const { visible, opacity } = useLayerSetting(def.id);
  const actions = useMapLayers((s) => s.actions);
  const legend = def.useLegend();
  const updatedAt = def.useUpdatedAt();
  const now = useNow(1000);
  // Only this layer's own feeds: one failing camera feed must not mark the incidents stale.
  const feedsLate = useSession((s) => Object.values(s.feeds).some((f) => (f.state === 'stale' || f.state === 'failing') && (def.feedKind === undefined || (f.kinds ?? []).includes(def.feedKind))));
  const stale = visible && updatedAt !== null && ((def.fedByFeeds === true && feedsLate) || (def.staleAfterMs !== undefined && now - updatedAt > def.staleAfterMs));
  const name = t(def.label);
  const Controls = def.Controls;
  return (
    // A group per layer (not a list item): its controls are named together, "Incidents" and so on.
    <div role="group" aria-label={name} className={`layer-row${visible ? '' : ' off'}`}>
      <div className="layer-head">
        <label title={`${name} (${shortcut})`}>
          <input type="checkbox" checked={visible} onChange={() => actions.toggle(def.id)} />
          {name}
        </label>
        {stale && <span className="badge stale">{t('layers.stale')}</span>}
      </div>
      {visible && (
        <>
          <label className="opacity">
            <span className="muted small">{t('layers.opacity')}</span>
            <input type="range" min={0} max={100} step={5} value={Math.round(opacity * 100)} aria-label={t('layers.opacityOf', { layer: name })} onChange={(e) => actions.setOpacity(def.id, Number(e.target.value) / 100)} />
          </label>
          {updatedAt !== null && <p className="muted small layer-age">{t('layers.updated', { ago: ago(t, now - updatedAt) })}</p>}
          {legend.length > 0 && <Legend entries={legend} name={name} />}
          {Controls && <Controls />}
        </>
      )}
    </div>
  );
}

function Legend({ entries, name }: { entries: LegendEntry[]; name: string }) {
  const t = useT();
  return (
    <ul className="legend" aria-label={t('layers.legendOf', { layer: name })}>
      {entries.map((e) => (
        <li key={e.label}>
          <span className={`swatch ${e.shape ?? 'dot'}`} style={{ background: `rgba(${e.color[0]}, ${e.color[1]}, ${e.color[2]}, ${(e.color[3] ?? 255) / 255})` }} aria-hidden="true" />
          {e.label}
        </li>
      ))}
    </ul>
  );
}
