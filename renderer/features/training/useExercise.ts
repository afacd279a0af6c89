import { createContext, useContext, useEffect, useState } from 'react';
import type { VigieClient } from '../../../common/rpc';
import { useClock } from '../../stores/replayClock';

/**
 * A training sandbox's exercise clock in this window: asked once (and again on reconnection), then
 * followed through `training.clock` pushes (pause, resume, speed). The server's `wallAt` is
 * replaced by the instant the window received it, so a browser whose clock differs from the
 * server's still shows the exercise instant the server does (to within the message's latency).
 */
export function useExerciseSync(client: VigieClient, inSandbox: boolean): void {
  useEffect(() => {
    const { setExercise } = useClock.getState().actions;
    if (!inSandbox) {
      setExercise(null);
      return;
    }
    const load = async () => {
      try {
        const reply = await client.call('training.clock', {});
        setExercise(reply ? { ...reply.clock, wallAt: Date.now() } : null);
      } catch (error) {
        console.error('[training] could not read the exercise clock:', (error as Error).message);
      }
    };
    void load();
    const offs = [
      client.on('training.clock', ({ clock }) => setExercise({ ...clock, wallAt: Date.now() })),
      client.onConnection((state) => {
        if (state === 'open') void load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, inSandbox]);
}

/** Which incidents were injected: known to the trainer's window only (the trainees' role cannot ask). */
export const InjectedContext = createContext<ReadonlySet<string>>(new Set());
export const useInjected = () => useContext(InjectedContext);

/** The trainer's list of injected entities, refreshed when incidents arrive (an injection is one). */
export function useInjections(client: VigieClient, trainer: boolean): ReadonlySet<string> {
  const [injected, setInjected] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!trainer) return;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const load = async () => {
      try {
        const list = await client.call('training.injections', {});
        setInjected(new Set(list.map((i) => i.entity)));
      } catch (error) {
        console.error('[training] could not read the injections:', (error as Error).message);
      }
    };
    // Several incidents of one batch: one request.
    const soon = () => {
      if (pending === null) pending = setTimeout(() => {
        pending = null;
        void load();
      }, 200);
    };
    void load();
    const offs = [client.on('incident.changed', soon), client.on('incidents.changed', soon), client.on('units.changed', soon)];
    return () => {
      offs.forEach((off) => off());
      if (pending !== null) clearTimeout(pending);
    };
  }, [client, trainer]);
  return injected;
}
