import { createStore } from 'zustand';
import type { Annotation, AnnotationShape, GeofenceAlert } from '../../common/domain/annotation';
import { createStoreContext } from './createStoreContext';

/** What is being drawn: positions clicked so far (a circle: centre, then a point on its edge). */
export interface Draft {
  shape: AnnotationShape;
  points: [number, number][];
}

/** The shape being edited: a working copy of its geometry, and the handle the keyboard moves. */
export interface ShapeEdit {
  id: string;
  /** The version the edit started from: the service refuses the edit if it has moved on. */
  baseVersion: number;
  shape: AnnotationShape;
  label: string;
  coordinates: [number, number][];
  radiusM?: number;
  /** Index into handlesOf(edit). */
  handle: number;
  changed: boolean;
  /** The geometry when the edit started: what undo puts back. */
  before: { coordinates: [number, number][]; radiusM?: number };
}

/** A saved shape edit this window can undo: the geometry before, and the version it produced. */
export interface UndoEntry {
  id: string;
  label: string;
  before: { coordinates: [number, number][]; radiusM?: number };
  version: number;
  seq: number;
}

export interface AnnotationsState {
  byId: Record<string, Annotation>;
  alerts: GeofenceAlert[];
  draft: Draft | null;
  editing: ShapeEdit | null;
  undo: UndoEntry[];
  actions: {
    load(list: Annotation[]): void;
    changed(a: Annotation): void;
    loadAlerts(alerts: GeofenceAlert[]): void;
    alert(a: GeofenceAlert): void;
    startDraft(shape: AnnotationShape): void;
    addPoint(p: [number, number]): void;
    cancelDraft(): void;
    startEdit(a: Annotation): void;
    updateEdit(change: Partial<Pick<ShapeEdit, 'coordinates' | 'radiusM' | 'handle'>>): void;
    endEdit(): void;
    pushUndo(entry: UndoEntry): void;
    popUndo(): UndoEntry | undefined;
  };
}

/** Most points a click can add: a point, text or circle stops taking clicks once it has its own. */
const MAX_POINTS: Record<AnnotationShape, number> = { point: 1, text: 1, circle: 2, line: 1000, polygon: 1000 };

export const annotationsStore = createStoreContext<AnnotationsState>('annotations', () =>
  createStore<AnnotationsState>((set, get) => ({
    byId: {},
    alerts: [],
    draft: null,
    editing: null,
    undo: [],
    actions: {
      load: (list) => set({ byId: Object.fromEntries(list.map((a) => [a.id, a])) }),
      changed: (a) =>
        set((s) => {
          if (s.byId[a.id] && s.byId[a.id]!.seq > a.seq) return s;
          const byId = { ...s.byId };
          if (a.deleted) delete byId[a.id];
          else byId[a.id] = a;
          return { byId };
        }),
      loadAlerts: (alerts) => set({ alerts }),
      alert: (a) => set((s) => (s.alerts.some((x) => x.seq === a.seq) ? s : { alerts: [a, ...s.alerts].slice(0, 50) })),
      startDraft: (shape) => set({ draft: { shape, points: [] } }),
      addPoint: (p) =>
        set((s) => {
          if (!s.draft) return s;
          const points = s.draft.points.length >= MAX_POINTS[s.draft.shape] ? [...s.draft.points.slice(0, -1), p] : [...s.draft.points, p];
          return { draft: { ...s.draft, points } };
        }),
      cancelDraft: () => set({ draft: null }),
      startEdit: (a) =>
        set({
          draft: null,
          editing: {
            id: a.id,
            baseVersion: a.version,
            shape: a.shape,
            label: a.label,
            coordinates: a.coordinates.map(([lon, lat]) => [lon, lat] as [number, number]),
            ...(a.radiusM !== undefined ? { radiusM: a.radiusM } : {}),
            handle: 0,
            changed: false,
            before: { coordinates: a.coordinates.map(([lon, lat]) => [lon, lat] as [number, number]), ...(a.radiusM !== undefined ? { radiusM: a.radiusM } : {}) },
          },
        }),
      updateEdit: (change) =>
        set((s) => (s.editing ? { editing: { ...s.editing, ...change, changed: s.editing.changed || 'coordinates' in change || 'radiusM' in change } } : s)),
      endEdit: () => set({ editing: null }),
      pushUndo: (entry) => set((s) => ({ undo: [...s.undo, entry].slice(-20) })),
      popUndo: () => {
        const entry = get().undo.at(-1);
        if (entry) set((s) => ({ undo: s.undo.slice(0, -1) }));
        return entry;
      },
    },
  })),
);

export const useAnnotations = annotationsStore.useSelector;
