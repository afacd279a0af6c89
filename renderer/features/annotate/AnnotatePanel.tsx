import { useEffect, useState } from 'react';
import { ANNOTATION_SHAPES, type AnnotationShape } from '../../../common/domain/annotation';
import { useCan, useClient } from '../../app/ClientContext';
import { useT } from '../../i18n/index';
import { useIncidents } from '../../stores/incidents';
import { annotationsStore, useAnnotations } from '../../stores/annotations';
import { handlesOf } from './shapeEdit';
import { metresBetween } from '../../../common/geo/local';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { useReplayReadOnly } from '../replay/readOnly';
import type { Annotation } from '../../../common/domain/annotation';

const COLORS = ['#4da3ff', '#ff9500', '#ff3b30', '#30d158', '#bf5af2', '#ffd60a'];
/** How long a drawing holds (hours; 0: until deleted). */
const VALIDITY_HOURS = [0, 1, 4, 12, 24];
const NEEDS: Record<AnnotationShape, number> = { point: 1, text: 1, circle: 2, line: 2, polygon: 3 };

/**
 * Drawing on the map: choose a shape (E starts a polygon), click the map, then label, colour,
 * geofence and save; Esc cancels. Lists what is drawn, with delete (kept in the log).
 */
export function AnnotatePanel() {
  const t = useT();
  const client = useClient();
  const readOnly = useReplayReadOnly();
  const canDraw = useCan('annotations.save') && !readOnly;
  const byId = useAnnotations((s) => s.byId);
  const draft = useAnnotations((s) => s.draft);
  const { startDraft, cancelDraft, startEdit, endEdit, pushUndo, popUndo } = useAnnotations((s) => s.actions);
  const editing = useAnnotations((s) => s.editing);
  const undoStack = useAnnotations((s) => s.undo);
  const store = annotationsStore.useStoreApi();
  const selectedId = useIncidents((s) => s.selectedId);
  const [label, setLabel] = useState('');
  const [color, setColor] = useState(COLORS[0]!);
  const [geofence, setGeofence] = useState(false);
  const [attach, setAttach] = useState(false);
  const [hours, setHours] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [listOpen, setListOpen] = useState(false);
  const [renaming, setRenaming] = useState<Annotation | null>(null);
  const annotations = Object.values(byId);
  const drafting = draft !== null;
  useEffect(() => {
    if (!drafting) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && cancelDraft();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drafting, cancelDraft]);
  const isEditing = editing !== null;
  useEffect(() => {
    if (!isEditing) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && endEdit();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isEditing, endEdit]);
  if (!canDraw && annotations.length === 0) return null;

  /** Shift+E: the newest annotation first, then each older one in turn. */
  const editNext = () => {
    setError(null);
    const list = [...annotations].reverse();
    const at = editing ? list.findIndex((a) => a.id === editing.id) : -1;
    const next = list[(at + 1) % list.length];
    if (next) startEdit(next);
  };
  const saveShape = async () => {
    const edit = store.getState().editing;
    if (!edit) return;
    if (!edit.changed) return endEdit();
    setError(null);
    try {
      const saved = await client.call('annotations.reshape', {
        id: edit.id,
        baseVersion: edit.baseVersion,
        geometry: { coordinates: edit.coordinates, ...(edit.radiusM !== undefined ? { radiusM: edit.radiusM } : {}) },
      });
      pushUndo({ id: edit.id, label: edit.label || t(`annotate.shape.${edit.shape}`), before: edit.before, version: saved.version, seq: saved.seq });
      endEdit();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const undo = async () => {
    const entry = popUndo();
    if (!entry) return;
    setError(null);
    try {
      await client.call('annotations.reshape', { id: entry.id, baseVersion: entry.version, geometry: entry.before, undoOf: entry.seq });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const handleLabel = () => {
    if (!editing) return '';
    const handles = handlesOf(editing);
    const h = handles[editing.handle];
    if (!h) return '';
    if (h.kind === 'vertex') return t('annotate.edit.vertex', { n: h.index + 1, total: editing.coordinates.length });
    if (h.kind === 'radius') return t('annotate.edit.radius', { m: Math.round(editing.radiusM ?? 0) });
    return t('annotate.edit.whole');
  };

  const ready = draft && draft.points.length >= NEEDS[draft.shape];
  const save = async () => {
    if (!draft) return;
    setError(null);
    const [first, edge] = draft.points;
    try {
      await client.call('annotations.save', {
        fields: {
          shape: draft.shape,
          coordinates: draft.shape === 'circle' ? [first!] : draft.points,
          ...(draft.shape === 'circle' ? { radiusM: Math.max(1, Math.round(metresBetween(first!, edge!))) } : {}),
          label,
          color,
          geofence: geofence && (draft.shape === 'polygon' || draft.shape === 'circle'),
          ...(attach && selectedId ? { incidentId: selectedId } : {}),
          ...(hours > 0 ? { validFrom: Date.now(), validTo: Date.now() + hours * 3_600_000 } : {}),
        },
      });
      cancelDraft();
      setLabel('');
      setGeofence(false);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="annotate-panel" aria-label={t('annotate.title')}>
      {canDraw && !draft && !editing && (
        <div className="annotate-tools" role="toolbar" aria-label={t('annotate.tools')}>
          {ANNOTATION_SHAPES.map((shape) => (
            <button key={shape} type="button" className="action small" data-shortcut={shape === 'polygon' ? 'e' : undefined} title={shape === 'polygon' ? `${t(`annotate.shape.${shape}`)} (E)` : undefined} onClick={() => startDraft(shape)}>
              {t(`annotate.shape.${shape}`)}
            </button>
          ))}
          {annotations.length > 0 && (
            <button type="button" className="action small" data-shortcut="shift+e" title={`${t('annotate.edit.start')} (Shift+E)`} onClick={editNext}>
              {t('annotate.edit.start')}
            </button>
          )}
          {undoStack.length > 0 && (
            <button type="button" className="action small" data-shortcut="y" title={`${t('annotate.edit.undo', { label: undoStack.at(-1)!.label })} (Y)`} onClick={() => void undo()}>
              {t('annotate.edit.undo', { label: undoStack.at(-1)!.label })}
            </button>
          )}
        </div>
      )}
      {canDraw && !draft && !editing && error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {editing && (
        <form
          className="annotate-form"
          aria-label={t('annotate.edit.title', { label: editing.label || t(`annotate.shape.${editing.shape}`) })}
          onSubmit={(e) => {
            e.preventDefault();
            void saveShape();
          }}
        >
          <p className="muted hint" role="status">
            {handleLabel()} — {t('annotate.edit.hint')}
          </p>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-buttons">
            {annotations.length > 1 && (
              <button type="button" className="action small" data-shortcut="shift+e" title="Shift+E" onClick={editNext}>
                {t('annotate.edit.next')}
              </button>
            )}
            <button type="button" className="action small" onClick={endEdit}>
              {t('actions.cancel')}
            </button>
            <button type="submit" className="action small primary" autoFocus>
              {t('annotate.edit.save')}
            </button>
          </div>
        </form>
      )}
      {draft && (
        <form
          className="annotate-form"
          aria-label={t('annotate.drawing', { shape: t(`annotate.shape.${draft.shape}`) })}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <p className="muted hint" role="status">
            {t(ready ? 'annotate.readyHint' : `annotate.hint.${draft.shape}`)} ({draft.points.length})
          </p>
          <label className="field">
            <span>{draft.shape === 'text' ? t('annotate.text') : t('annotate.label')}</span>
            <input type="text" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
          </label>
          <div className="annotate-row">
            <label className="field">
              <span>{t('annotate.color')}</span>
              <select value={color} onChange={(e) => setColor(e.target.value)}>
                {COLORS.map((c) => (
                  <option key={c} value={c}>
                    {t(`annotate.colors.${c.slice(1)}` as 'annotate.colors.4da3ff')}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('annotate.validity')}</span>
              <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
                {VALIDITY_HOURS.map((h) => (
                  <option key={h} value={h}>
                    {h === 0 ? t('annotate.untilDeleted') : t('annotate.hours', { n: h })}
                  </option>
                ))}
              </select>
            </label>
            {(draft.shape === 'polygon' || draft.shape === 'circle') && (
              <label className="checkbox">
                <input type="checkbox" checked={geofence} onChange={(e) => setGeofence(e.target.checked)} />
                {t('annotate.geofence')}
              </label>
            )}
            {selectedId && (
              <label className="checkbox">
                <input type="checkbox" checked={attach} onChange={(e) => setAttach(e.target.checked)} />
                {t('annotate.attach')}
              </label>
            )}
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="button" className="action small" onClick={cancelDraft}>
              {t('actions.cancel')}
            </button>
            <button type="submit" className="action small primary" disabled={!ready}>
              {t('annotate.save')}
            </button>
          </div>
        </form>
      )}
      {annotations.length > 0 && (
        <div className="annotate-list">
          <button type="button" className="linkish" aria-expanded={listOpen} onClick={() => setListOpen(!listOpen)}>
            {t('annotate.list', { n: annotations.length })}
          </button>
          {listOpen && (
            <ul aria-label={t('annotate.listLabel')}>
              {annotations.map((a) => (
                <li key={a.id}>
                  <span className="swatch" style={{ background: a.color }} aria-hidden="true" />
                  {a.label || t(`annotate.shape.${a.shape}`)} <span className="muted">· {t(`annotate.shape.${a.shape}`)}{a.geofence ? ` · ${t('annotate.geofence')}` : ''}</span>
                  {canDraw && (
                    <button type="button" className="action small" aria-label={t('annotate.edit.shapeOf', { label: a.label || a.shape })} onClick={() => startEdit(a)}>
                      ✥
                    </button>
                  )}
                  {canDraw && (
                    <button type="button" className="action small" aria-label={t('annotate.rename', { label: a.label || a.shape })} onClick={() => setRenaming(a)}>
                      ✎
                    </button>
                  )}
                  {canDraw && (
                    <button type="button" className="action small" aria-label={t('annotate.delete', { label: a.label || a.shape })} onClick={() => client.call('annotations.delete', { id: a.id }).catch((err: Error) => setError(err.message))}>
                      ×
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {renaming && (
        <ReasonDialog
          title={t('annotate.rename', { label: renaming.label || renaming.shape })}
          label={t('annotate.label')}
          required
          submitLabel={t('annotate.save')}
          onSubmit={async (newLabel) => {
            const { id, createdBy: _cb, createdAt: _ca, updatedBy: _ub, updatedAt: _ua, deleted: _d, seq: _s, version, ...fields } = renaming;
            await client.call('annotations.save', { id, baseVersion: version, fields: { ...fields, label: newLabel } });
          }}
          onClose={() => setRenaming(null)}
        />
      )}
    </section>
  );
}
