import { useEffect } from 'react';
import type { Alarm, AlarmPolicy } from '../../../common/domain/alarm';
import type { VigieClient } from '../../../common/rpc';
import { translate, useLocaleStore } from '../../i18n/index';
import { alarmsStore, type DeskSound } from '../../stores/alarms';
import { isLive, reloadWhenLive } from '../../stores/replayClock';
import { playTone } from './sound';
import { alarmTitle } from './alarmText';

/** The effective volume: the room's policy, then the person's own setting on top (never louder than the policy). */
export function effectiveVolume(policy: AlarmPolicy | null, desk: DeskSound): number {
  if (!policy || policy.sound.muted || desk.muted) return 0;
  return policy.sound.volume * desk.volume;
}

/**
 * The alarm queue, loaded on each (re)connection and on return to live, kept live by pushed
 * `alarm.changed` events. A new alarm, a burst growing, or an escalation plays its tone and is
 * announced in the live region; nothing here moves the focus.
 */
export function useAlarmSync(client: VigieClient) {
  const store = alarmsStore.useStoreApi();
  useEffect(() => {
    const { actions } = store.getState();
    const load = async () => {
      try {
        const { alarms, policy } = await client.call('alarms.list');
        if (isLive()) actions.load(alarms, policy);
      } catch (error) {
        // An auditor's window has no alarm queue (alarms.list is refused for the role): nothing to show.
        if ((error as { code?: string }).code !== 'forbidden') console.error('[alarms] could not load:', (error as Error).message);
      }
    };
    const onAlarm = (alarm: Alarm) => {
      if (!isLive()) return;
      const state = store.getState();
      const before = state.byId[alarm.id];
      state.actions.upsert(alarm);
      const grew = !before || alarm.count > before.count;
      const escalated = before !== undefined && alarm.level > before.level;
      if (alarm.state !== 'new' && !escalated) return;
      if (!grew && !escalated) return;
      playTone(alarm.kind, alarm.priority, effectiveVolume(state.policy, state.sound), alarm.level);
      if (grew) state.actions.announce(translate(useLocaleStore.getState().locale, 'alarms.announce', { what: `P${alarm.priority} · ${alarmTitle((k, v) => translate(useLocaleStore.getState().locale, k, v), alarm)}` }));
    };
    const offs = [
      client.on('alarm.changed', ({ alarm }) => onAlarm(alarm)),
      ...reloadWhenLive(client, () => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [client, store]);
}
