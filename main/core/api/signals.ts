import type { signalMethods } from '../../../common/methods/signals';
import type { SignalService } from '../signals/signals';
import type { Journal } from './handlers';
import type { DomainHandlers } from './handlers';

/** The map layer refreshes each minute: one journal line per window per quarter hour says who looked, without drowning the journal. */
const JOURNAL_EVERY_MS = 15 * 60_000;

export interface SignalDeps {
  signals: Pick<SignalService, 'answers' | 'ingest'>;
  audit: Journal;
}

export function signalHandlers({ signals, audit }: SignalDeps): DomainHandlers<typeof signalMethods> {
  const journaled = new Map<string, number>();
  return {
    'signals.readings': ({ from, to }, ctx) => {
      const now = Date.now();
      const until = to ?? now;
      const key = `${ctx.origin}\n${ctx.user}`;
      if (to !== undefined || from !== undefined || now - (journaled.get(key) ?? 0) >= JOURNAL_EVERY_MS) {
        journaled.set(key, now);
        audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'signals.readings', target: 'areas', origin: ctx.origin });
      }
      return signals.answers(from ?? until - 3_600_000, until);
    },
    'signals.import': ({ feedId, body }, ctx) => {
      const outcome = signals.ingest(feedId, body);
      audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'signals.import', target: feedId, origin: ctx.origin });
      return outcome;
    },
  };
}
