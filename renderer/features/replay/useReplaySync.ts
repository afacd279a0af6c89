import { useEffect } from 'react';
import type { VigieClient } from '../../../common/rpc';
import type { Unit } from '../../../common/domain/entities';
import type { PictureAt } from '../../../common/methods/replay';
import { incidentsStore } from '../../stores/incidents';
import { pictureStore, TRAIL_MINUTES } from '../../stores/picture';
import { sessionStore } from '../../stores/session';
import { dispatchStore } from '../../stores/dispatch';
import { annotationsStore } from '../../stores/annotations';
import { calendarStore } from '../../stores/calendar';
import { indicatorsStore } from '../../stores/indicators';
import { replayForecastsStore } from '../../stores/replayForecasts';
import { replayLayersStore } from '../../stores/replayLayers';
import { appNow, snapshotOf, useClock, type ClockSnapshot } from '../../stores/replayClock';

/** How often playback refreshes the picture (wall clock); seeks refresh at once. */
const REFRESH_MS = 250;

/**
 * In replay, every store of the picture shows `replay.pictureAt` for the clock's instant instead
 * of live events: incidents, units and trails, CAP alerts, cameras, annotations and geofence
 * alerts, dispatches, the calendar, indicator alerts, the forecasts published by then and the
 * layer set (applied by the map window, map/useLayerReplay.ts). The live
 * syncs ignore pushed events meanwhile and reload on going live. One request at a time: a slow
 * answer is never overtaken by an older one.
 */
export function useReplaySync(client: VigieClient) {
  const incidents = incidentsStore.useStoreApi();
  const picture = pictureStore.useStoreApi();
  const session = sessionStore.useStoreApi();
  const dispatch = dispatchStore.useStoreApi();
  const annotations = annotationsStore.useStoreApi();
  const calendar = calendarStore.useStoreApi();
  const indicators = indicatorsStore.useStoreApi();
  const replayForecasts = replayForecastsStore.useStoreApi();
  const replayLayers = replayLayersStore.useStoreApi();
  useEffect(() => {
    let catalog: Record<string, Unit> = {};
    let inFlight = false;
    let shownAt: number | null = null;
    let stale = true;
    const show = (p: PictureAt) => {
      incidents.getState().actions.showReplay(p.incidents);
      const units: Unit[] = p.units.map((u) => {
        const known = catalog[u.id];
        const [feedId = '', ...rest] = u.id.split(':');
        // A unit no longer in the live catalog still shows where it was, with what the log holds.
        const base: Unit = known ?? { id: u.id, feedId, unitId: rest.join(':') || u.id, unitType: 'vehicle', simulated: false, seq: 0, updatedAt: u.t, lon: u.lon, lat: u.lat, t: u.t };
        // What the unit was then (callsign, type, status word) comes from its identity events in the log.
        const { callsign, status: _now, routeId: _route, ...stable } = base;
        return {
          ...stable,
          ...((u.callsign ?? callsign) !== undefined ? { callsign: u.callsign ?? callsign } : {}),
          ...(u.status !== undefined ? { status: u.status } : {}),
          ...(u.routeId !== undefined ? { routeId: u.routeId } : {}),
          unitType: u.unitType ?? base.unitType,
          lon: u.lon,
          lat: u.lat,
          t: u.t,
          heading: u.heading ?? undefined,
          updatedAt: u.t,
        };
      });
      const pic = picture.getState().actions;
      pic.loadUnits(units, p.trails);
      pic.loadAlerts(p.alerts);
      pic.loadCameras(p.cameras);
      annotations.getState().actions.load(p.annotations);
      annotations.getState().actions.loadAlerts(p.geofenceAlerts);
      dispatch.getState().actions.replaceAll(p.assignments);
      calendar.getState().actions.load(p.calendar.events, p.calendar.clashes);
      indicators.getState().actions.loadAlerts(p.indicatorAlerts);
      replayForecasts.getState().actions.load(p.forecasts);
      replayLayers.getState().actions.load(p.layers);
    };
    const refresh = async () => {
      const clock = useClock.getState();
      if (clock.mode !== 'replay' || inFlight) return;
      const at = Math.round(appNow());
      if (!stale && shownAt !== null && Math.abs(at - shownAt) < 1000) return;
      inFlight = true;
      stale = false;
      try {
        const p = await client.call('replay.pictureAt', { at, trailMinutes: TRAIL_MINUTES });
        if (useClock.getState().mode === 'replay') {
          show(p);
          shownAt = at;
        }
        session.getState().actions.setError(null);
      } catch (error) {
        session.getState().actions.setError((error as Error).message);
      } finally {
        inFlight = false;
      }
    };
    const onEnter = async () => {
      try {
        catalog = Object.fromEntries((await client.call('units.list')).map((u) => [u.id, u]));
      } catch {
        catalog = {};
      }
      stale = true;
      void refresh();
    };
    // Playback refreshes on a timer, which runs only in replay: live costs nothing.
    let timer: ReturnType<typeof setInterval> | null = null;
    const ticking = (on: boolean) => {
      if (on && !timer) timer = setInterval(() => void refresh(), REFRESH_MS);
      if (!on && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
    if (useClock.getState().mode === 'replay') {
      ticking(true);
      void onEnter();
    }
    const unsubscribe = useClock.subscribe((s, prev) => {
      ticking(s.mode === 'replay');
      if (s.mode === 'replay' && prev.mode !== 'replay') void onEnter();
      else if (s.base !== prev.base || s.wallAt !== prev.wallAt) {
        stale = true;
        void refresh();
      }
    });
    return () => {
      unsubscribe();
      ticking(false);
    };
  }, [client, incidents, picture, session, dispatch, annotations, calendar, indicators, replayForecasts, replayLayers]);
}

/** Every window of the desk follows the same clock (same mechanism as the shared selection). */
export function useClockSync() {
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel('vigie-clock');
    let applying = false;
    channel.onmessage = (e: MessageEvent<{ hello: true } | { clock: ClockSnapshot }>) => {
      if ('hello' in e.data) {
        // A window just opened: tell it where the clock is, if it is not simply live.
        if (useClock.getState().mode === 'replay') channel.postMessage({ clock: snapshotOf(useClock.getState()) });
        return;
      }
      applying = true;
      useClock.getState().actions.apply(e.data.clock);
      applying = false;
    };
    const unsubscribe = useClock.subscribe((s, prev) => {
      if (applying) return;
      const a = snapshotOf(s);
      const b = snapshotOf(prev);
      if (JSON.stringify(a) !== JSON.stringify(b)) channel.postMessage({ clock: a });
    });
    channel.postMessage({ hello: true });
    return () => {
      unsubscribe();
      channel.close();
    };
  }, []);
}
