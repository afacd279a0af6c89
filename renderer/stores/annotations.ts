import { createStore } from 'zustand';
import type { Annotation, AnnotationShape, GeofenceAlert } from '../../common/domain/annotation';
import { createStoreContext } from './createStoreContext';

/** What is being drawn: positions clicked so far (a circle: centre, then a point on its edge). */
export interface Draft {
  shape: AnnotationShape;
  points: [number, number][];
}

export interface AnnotationsState {
  byId: Record<string, Annotation>;
  alerts: GeofenceAlert[];
  draft: Draft | null;
  actions: {
    load(list: Annotation[]): void;
    changed(a: Annotation): void;
    loadAlerts(alerts: GeofenceAlert[]): void;
    alert(a: GeofenceAlert): void;
    startDraft(shape: AnnotationShape): void;
    addPoint(p: [number, number]): void;
    cancelDraft(): void;
  };
}

/** Most points a click can add: a point, text or circle stops taking clicks once it has its own. */
const MAX_POINTS: Record<AnnotationShape, number> = { point: 1, text: 1, circle: 2, line: 1000, polygon: 1000 };

export const annotationsStore = createStoreContext<AnnotationsState>('annotations', () =>
  createStore<AnnotationsState>((set) => ({
    byId: {},
    alerts: [],
    draft: null,
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
    },
  })),
);

export const useAnnotations = annotationsStore.useSelector;
