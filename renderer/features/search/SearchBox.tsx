import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../common/methods/search';
import type { VigieClient } from '../../../common/rpc';
import { useCan } from '../../app/ClientContext';
import { useT } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';
import { incidentsStore } from '../../stores/incidents';
import { mapSelectionStore } from '../../stores/mapSelection';
import { searchStore } from '../../stores/search';
import './search.css';

/** Typing pauses this long before the service is asked: one query per word, not per key. */
const DEBOUNCE_MS = 120;

/**
 * One box for everything placeable (Ctrl+K or /): streets and house numbers of the city pack,
 * places, districts, stops, cameras, units, incidents. ↑/↓ choose, Enter flies there and rings
 * it (and opens the incident, unit or camera), Shift+Enter starts a new incident there, Esc closes.
 */
export function SearchBox({ client }: { client: VigieClient }) {
  const t = useT();
  const canCreate = useCan('incidents.create');
  const search = searchStore.useStoreApi();
  const incidents = incidentsStore.useStoreApi();
  const features = mapSelectionStore.useStoreApi();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState('');

  // Ctrl+K anywhere puts the cursor in the box (/ does too, outside a field: app/useShortcuts.ts).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 'k') return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setHits([]);
      setError(null);
      setSearched('');
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      client
        .call('search.query', { q: text, limit: 10 })
        .then((result) => {
          if (stale) return;
          setHits(result);
          setActive(0);
          setError(null);
          setSearched(text);
        })
        .catch((e: Error) => !stale && setError(e.message));
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q, client]);

  const go = (hit: SearchHit) => {
    search.getState().actions.show(hit);
    if (hit.kind === 'incident') incidents.getState().actions.select(hit.id);
    else if (hit.kind === 'unit' || hit.kind === 'camera') features.getState().actions.select({ kind: hit.kind, id: hit.id });
    setOpen(false);
    input.current?.blur();
  };
  const createAt = (hit: SearchHit) => {
    search.getState().actions.show(hit);
    search.getState().actions.startIncident({ lon: hit.lon, lat: hit.lat, ...(hit.kind === 'address' || hit.kind === 'street' || hit.kind === 'place' || hit.kind === 'stop' ? { address: hit.label } : {}) });
    setOpen(false);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (hits.length === 0 ? 0 : (a + (event.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = hits[active];
      if (!hit) return;
      if (event.shiftKey && canCreate) createAt(hit);
      else go(hit);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (open && q) setOpen(false);
      else input.current?.blur();
    }
  };

  const showList = open && q.trim() !== '';
  return (
    <div className="search-box" role="search">
      <input
        ref={input}
        id="place-search"
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls="place-search-results"
        aria-activedescendant={showList && hits[active] ? `place-search-${active}` : undefined}
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        spellCheck={false}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <div className="search-results">
          {error ? (
            <p className="search-note" role="alert">{t('search.error', { why: error })}</p>
          ) : hits.length === 0 ? (
            searched === q.trim() && <p className="search-note">{t('search.none', { q: searched })}</p>
          ) : (
            <ul id="place-search-results" role="listbox" aria-label={t('search.label')}>
              {hits.map((hit, i) => (
                <li
                  key={`${hit.kind}:${hit.id}`}
                  id={`place-search-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : undefined}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(i)}
                  onClick={(e) => (e.shiftKey && canCreate ? createAt(hit) : go(hit))}
                >
                  <span className={`search-kind kind-${hit.kind}`}>{t(`search.kind.${hit.kind}` as MessageKey)}</span>
                  <span className="search-label">{hit.label}</span>
                  {hit.detail && <span className="search-detail muted">{hit.detail}</span>}
                </li>
              ))}
            </ul>
          )}
          <p className="search-hint muted">{canCreate ? t('search.hint') : t('search.hintReadOnly')}</p>
        </div>
      )}
    </div>
  );
}
