import type { LayerSet } from '../../../common/methods/replay';
import type { CallContext } from '../rpc';
import { lastLayersAt, lastPayloadAt } from '../db/replay';
import type { Store } from '../store';

/**
 * The map's layer set in the event log, so replay shows the layers a supervisor had on at an
 * instant. A view change is not an operational decision and touches no one's data: it is logged
 * as an event (who, when, which layers) but not journaled, like a replay bookmark; the audit
 * journal keeps to actions on incidents, units, annotations and configuration, and consultations.
 */
export const LAYERS_KIND = 'layers.changed';
export const layersEntity = (user: string) => `layers:${user}`;

/** One spelling per set (layer ids sorted, opacities rounded to the slider's step) so equal sets compare equal. */
function canonical(set: LayerSet): LayerSet {
  const visible = [...new Set(set.visible)].sort();
  const opacity = Object.fromEntries(Object.keys(set.opacity).sort().map((id) => [id, Math.round(set.opacity[id]! * 100) / 100]));
  return { visible, opacity };
}

/** Records the caller's layer set at `now`, unless it is the one the caller last recorded. */
export function recordLayers(store: Store, ctx: CallContext, set: LayerSet, now = Date.now()): { recorded: boolean } {
  const layers = canonical(set);
  const entity = layersEntity(ctx.user);
  const last = store.log.lastPayload(entity);
  if (last !== undefined) {
    const { visible, opacity } = JSON.parse(last) as LayerSet;
    if (JSON.stringify({ visible, opacity }) === JSON.stringify(layers)) return { recorded: false };
  }
  store.db.transaction(() => store.log.append({ t: now, source: `user:${ctx.user}`, kind: LAYERS_KIND, entity, payload: { by: ctx.user, role: ctx.role, ...layers } }))();
  return { recorded: true };
}

/**
 * The layer set shown at `at`: the user's own last recorded by then; if they had recorded none,
 * the last anyone recorded on this profile by then (a trainer replaying another supervisor's
 * shift, a sandbox day); null if none at all (the renderer keeps its current set).
 */
export function layersAt(store: Store, at: number, user?: string): LayerSet | null {
  const own = user === undefined ? undefined : lastPayloadAt(store.db, layersEntity(user), LAYERS_KIND, at);
  const payload = own ?? lastLayersAt(store.db, at);
  if (payload === undefined) return null;
  const { visible, opacity } = JSON.parse(payload) as LayerSet;
  return { visible, opacity };
}
