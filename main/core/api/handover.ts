import type { handoverMethods } from '../../../common/methods/handover';
import type { Clock } from '../clock';
import type { HandoverRepository, OpenAlarms } from '../db/handover';
import { UserError } from '../userError';
import type { DomainHandlers, Journal } from './handlers';

export interface HandoverDeps {
  handovers: Pick<HandoverRepository, 'openShift' | 'row' | 'lastSigned' | 'addEntry' | 'signOutgoing' | 'signIncoming' | 'toHandover' | 'summary'>;
  alarms: OpenAlarms;
  audit: Journal;
  clock: Pick<Clock, 'now'>;
}

/**
 * The shift handover log. Each supervisor signs as themselves (the user of their own session,
 * never a name typed in): the outgoing one first, which freezes the summary they hand over; then
 * the incoming one, from their own login, which closes the handover and opens the next shift's
 * log. Every entry and signature is journaled.
 */
export function handoverHandlers({ handovers, alarms, audit, clock }: HandoverDeps): DomainHandlers<typeof handoverMethods> {
  const view = (id: number) => {
    const row = handovers.row(id)!;
    return handovers.toHandover(row, () => handovers.summary(row.started_at, clock.now(), alarms));
  };
  return {
    'handover.current': (_params, ctx) => {
      const row = handovers.openShift(clock.now(), ctx.user);
      audit.append({ t: clock.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'handover.current', target: `handover:${row.id}`, origin: ctx.origin });
      const last = handovers.lastSigned();
      return { current: view(row.id), previous: last ? handovers.toHandover(last, () => { throw new Error('a signed handover keeps its summary'); }) : null };
    },
    'handover.addEntry': ({ text }, ctx) => {
      const row = handovers.openShift(clock.now(), ctx.user);
      if (row.outgoing_at !== null) throw new UserError(`the outgoing supervisor (${row.outgoing_user}) has signed this handover; write your entry in the next shift's log once the incoming supervisor has signed.`);
      handovers.addEntry(row.id, clock.now(), ctx.user, text);
      audit.append({ t: clock.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'handover.addEntry', target: `handover:${row.id}`, origin: ctx.origin });
      return view(row.id);
    },
    'handover.sign': ({ id }, ctx) => {
      const row = handovers.row(id);
      if (!row) throw new UserError(`there is no handover ${id}; reopen the handover log (Shift+L) to sign the current one.`);
      const now = clock.now();
      if (row.incoming_at !== null) throw new UserError(`handover ${id} was already signed by ${row.outgoing_user} and ${row.incoming_user}.`);
      if (row.outgoing_at === null) {
        handovers.signOutgoing(id, ctx.user, now, handovers.summary(row.started_at, now, alarms));
        audit.append({ t: now, user: ctx.user, role: ctx.role, kind: 'action', action: 'handover.sign.outgoing', target: `handover:${id}`, origin: ctx.origin });
        return view(id);
      }
      if (row.outgoing_user === ctx.user) {
        throw new UserError(`you (${ctx.user}) signed as the outgoing supervisor; the incoming supervisor signs as themselves: they log in with their own account (on this workstation or theirs) and sign.`);
      }
      handovers.signIncoming(id, ctx.user, now);
      audit.append({ t: now, user: ctx.user, role: ctx.role, kind: 'action', action: 'handover.sign.incoming', target: `handover:${id}`, origin: ctx.origin });
      return view(id);
    },
  };
}
