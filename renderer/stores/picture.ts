import { createStore } from 'zustand';
import type { Alert, Camera, TrailPoint, Unit } from '../../common/domain/entities';
import { createStoreContext } from './createStoreContext';
import { appNow } from './replayClock';

/** How much of each unit's trail the renderer keeps until the person's setting is known (the default setting). */
export const TRAIL_MINUTES = 15;

export interface PictureState {
  units: Record<string, Unit>;
  trails: Record<string, TrailPoint[]>;
  cameras: Record<string, Camera>;
  alerts: Record<string, Alert>;
  /** Minutes of trail kept and drawn: the person's `trailMinutes` setting. */
  trailMinutes: number;
  actions: {
    loadUnits(units: Unit[], trails: Record<string, TrailPoint[]>, trailMinutes?: number): void;
    unitsMoved(units: Unit[]): void;
    loadCameras(cameras: Camera[]): void;
    cameraChanged(camera: Camera): void;
    loadAlerts(alerts: Alert[]): void;
    alertChanged(alert: Alert): void;
  };
}

const byId = <T extends { id: string }>(items: T[]) => Object.fromEntries(items.map((i) => [i.id, i]));

/** Units, cameras and alerts: the rest of the live picture, kept in step by pushed events. */
export const pictureStore = createStoreContext<PictureState>('picture', () =>
  createStore<PictureState>((set) => ({
    units: {},
    trails: {},
    cameras: {},
    alerts: {},
    trailMinutes: TRAIL_MINUTES,
    actions: {
      loadUnits: (units, trails, trailMinutes) => set((s) => ({ units: byId(units), trails, trailMinutes: trailMinutes ?? s.trailMinutes })),
      unitsMoved: (moved) =>
        set((s) => {
          const units = { ...s.units };
          const trails = { ...s.trails };
          // The app's now: a training exercise's units move in exercise time.
          const horizon = appNow() - s.trailMinutes * 60_000;
          for (const u of moved) {
            const current = units[u.id];
            if (!current || u.t >= current.t) units[u.id] = u;
            const trail = (trails[u.id] ?? []).filter((p) => p.t >= horizon);
            trails[u.id] = [...trail, { t: u.t, lon: u.lon, lat: u.lat, heading: u.heading ?? null }].sort((a, b) => a.t - b.t);
          }
          return { units, trails };
        }),
      loadCameras: (cameras) => set({ cameras: byId(cameras) }),
      cameraChanged: (camera) => set((s) => ({ cameras: { ...s.cameras, [camera.id]: camera } })),
      loadAlerts: (alerts) => set({ alerts: byId(alerts) }),
      alertChanged: (alert) =>
        set((s) => {
          const alerts = { ...s.alerts };
          if (alert.cancelled || (alert.expires !== undefined && alert.expires <= appNow())) delete alerts[alert.id];
          else alerts[alert.id] = alert;
          return { alerts };
        }),
    },
  })),
);

export const usePicture = pictureStore.useSelector;
