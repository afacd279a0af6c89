import type { AssignmentStatus } from '../../../common/domain/dispatch';
import type { Unit } from '../../../common/domain/entities';
import type { OperatorActions } from '../actions/operatorActions';
import type { EventBus } from '../bus';
import type { Store } from '../store';
import { log } from '../log';

const logger = log('dispatch');

/** A unit feed's status words (French and English CAD exports, CoT, our demo) → its progress on an assignment. */
const WORDS: [RegExp, Exclude<AssignmentStatus, 'assigned'>][] = [
  [/^(ack(nowledged)?|accepted|acquitt[ée]|pris en compte|re[çc]u)$/i, 'acknowledged'],
  [/^(en[ _-]?route|responding|d[ée]part|en chemin|in[ _-]?transit[ _-]?to)$/i, 'en_route'],
  [/^(on[ _-]?scene|sur[ _-]?place|arrived|arriv[ée]e?|stopped[ _-]?at)$/i, 'on_scene'],
  [/^(cleared|lib[ée]r[ée]e?|fin de mission|clear)$/i, 'cleared'],
];
const ORDER: AssignmentStatus[] = ['assigned', 'acknowledged', 'en_route', 'on_scene', 'cleared'];

export function progressFromFeed(word: string | undefined, current: AssignmentStatus): Exclude<AssignmentStatus, 'assigned'> | null {
  if (!word) return null;
  const w = word.trim();
  let status = WORDS.find(([re]) => re.test(w))?.[1] ?? null;
  // "available" means done only once the unit was on scene; before, the feed just has not caught up.
  if (!status && /^(available|disponible|libre|free)$/i.test(w) && current === 'on_scene') status = 'cleared';
  return status && ORDER.indexOf(status) > ORDER.indexOf(current) ? status : null;
}

/**
 * Follows assigned units through their own feed: when a unit's status word says it acknowledged,
 * is en route, on scene or cleared, its assignment moves forward (never back), logged and
 * journaled in the feed's name.
 */
export function followUnitFeeds(store: Store, bus: EventBus, actions: OperatorActions): () => void {
  return bus.subscribe((event, payload) => {
    if (event !== 'units.changed') return;
    for (const unit of (payload as { units: Unit[] }).units) {
      const assignment = store.assignments.activeForUnit(unit.id);
      if (!assignment) continue;
      const next = progressFromFeed(unit.status, assignment.status);
      if (!next) continue;
      try {
        actions.setAssignmentStatus({ user: `feed:${unit.feedId}`, role: 'operator', origin: `feed:${unit.feedId}` }, assignment.id, next);
      } catch (error) {
        logger.error({ reason: (error as Error).message }, `${unit.id} reported "${unit.status}" but its assignment could not follow`);
      }
    }
  });
}
