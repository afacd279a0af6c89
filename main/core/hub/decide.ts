import { contract, type MethodName } from '../../../common/contract';
import { RpcError } from '../../../common/rpc';
import type { Services } from '../compose';
import type { CallContext, Handlers } from '../rpc';
import { captureEffects, emptyEffects, type Effects, type LoggedEvent, type OpBody, type Rejection, type SyncOp } from './replicate';
import { eventsAfter, lastActorOf, lastEventSeq } from '../db/events';

/** Log entries of the seat's own making, not replicated: each seat raises its own geofence alerts. */
const LOCAL_KINDS = new Set(['geofence.alert']);

/** The version of each annotation: the action that last wrote it (conflicts of two seats editing one). */
export type Versions = Map<string, string>;

/**
 * What the hub's decision uses of the hub's own core: its store and bus (to read the state and
 * capture the effects), the operator actions and annotations whose ids the seat chose, and the
 * composed handlers for every other write.
 */
export type DecideDeps = Pick<Services, 'store' | 'bus' | 'actions' | 'annotations'> & { api: Handlers };

/**
 * The hub's decision on one action: the domain rules first (a closed incident is not closed again,
 * a unit does not take two incidents, an annotation edit must start from its latest version), in
 * words a supervisor understands; then the same core code as a single desk, whose own checks may
 * still refuse it.
 */
export function decide(core: DecideDeps, op: SyncOp, versions: Versions): { accepted: OpBody } | { rejected: Rejection } {
  const conflict = domainConflict(core, op, versions);
  if (conflict) return { rejected: conflict };
  const spec = contract[op.method as MethodName];
  const params = spec.params.safeParse(op.params);
  if (!params.success) return { rejected: reject(core, op, 'refused', `the action's parameters are invalid: ${params.error.issues.map((i) => i.message).join('; ')}`, {}) };
  const ctx: CallContext = { user: op.user, role: op.role, origin: `hub:${op.workstation}` };
  if (!spec.roles.includes(op.role)) return { rejected: reject(core, op, 'refused', `${op.method} is not allowed for the role "${op.role}".`, {}) };
  const before = lastSeq(core);
  try {
    const { effects } = captureEffects(core.bus, () => run(core, op, params.data as Record<string, unknown>, ctx));
    const logged: LoggedEvent[] = eventsAfter(core.store.db, before)
      .filter((e) => !LOCAL_KINDS.has(e.kind))
      .map((e) => ({ t: e.t, source: e.source, kind: e.kind, entity: e.entity, payload: e.payload }));
    return { accepted: { op, effects, events: logged } };
  } catch (error) {
    if (error instanceof RpcError) return { rejected: reject(core, op, 'refused', error.message, {}) };
    throw error;
  }
}

/** After an accepted action: the annotation it wrote now has this version. */
export function recordVersions(body: OpBody, versions: Versions): void {
  for (const a of body.effects.annotations) versions.set(a.id, body.op.uid);
}

function run(core: DecideDeps, op: SyncOp, p: Record<string, unknown>, ctx: CallContext): unknown {
  const s = (k: string) => p[k] as string;
  switch (op.method) {
    case 'dispatch.assign': {
      // The seat saw this unit first in its ranking, or gave its reason; the hub's ranking of the
      // same units may differ by a few seconds of positions, which is not a reason to refuse.
      const reason = (p.reason as string | undefined) ?? `assigned from workstation ${op.workstation}`;
      return core.actions.assign(ctx, s('incidentId'), s('unitId'), reason, op.ids?.assignmentId);
    }
    case 'incidents.create':
      // The seat chose the id: every seat and the hub know the incident by the same one.
      return core.actions.create(ctx, p as never, op.ids?.incidentId);
    case 'annotations.save':
      return core.annotations.save(ctx, p.id as string | undefined, p.fields as never, {
        ...(typeof p.baseVersion === 'number' ? { baseVersion: p.baseVersion } : {}),
        ...(op.ids?.annotationId ? { createId: op.ids.annotationId } : {}),
      });
    default: {
      const handler = core.api[op.method] as (params: unknown, c: CallContext) => unknown;
      return handler(p, ctx);
    }
  }
}

function domainConflict(core: DecideDeps, op: SyncOp, versions: Versions): Rejection | null {
  const p = op.params;
  const { store } = core;
  if (op.method === 'incidents.close' || op.method === 'incidents.merge') {
    const id = p.id as string;
    const incident = store.incidents.get(id);
    if (incident?.status === 'closed') {
      const by = lastActor(core, id, ['incident.close', 'incident.merge']);
      return reject(core, op, 'already_closed', `${incident.title} (${id}) was already closed by ${by} on another workstation.`, { incidentId: id, title: incident.title, by });
    }
  }
  if (op.method === 'dispatch.assign') {
    const unitId = p.unitId as string;
    const taken = store.assignments.activeForUnit(unitId);
    if (taken && taken.incidentId !== p.incidentId) {
      const title = store.incidents.get(taken.incidentId)?.title ?? taken.incidentId;
      const callsign = taken.callsign ?? unitId;
      return reject(core, op, 'unit_taken', `${callsign} was assigned to ${title} by ${taken.assignedBy} on another workstation first (a unit cannot take two incidents).`, { unitId, callsign, incidentId: taken.incidentId, title, by: taken.assignedBy });
    }
  }
  if ((op.method === 'annotations.save' && typeof p.id === 'string') || op.method === 'annotations.reshape' || op.method === 'annotations.delete') {
    const id = p.id as string;
    const current = store.annotations.get(id);
    const version = versions.get(id) ?? null;
    if (current && version !== (op.base ?? null)) {
      const label = current.label || id;
      return reject(core, op, 'annotation_edited', `The annotation "${label}" was changed by ${current.updatedBy} on another workstation since this edit began; their version is kept.`, { annotationId: id, label, by: current.updatedBy });
    }
  }
  return null;
}

function reject(core: DecideDeps, op: SyncOp, code: Rejection['code'], message: string, details: Record<string, string>): Rejection {
  return { uid: op.uid, method: op.method, code, message, details, state: stateOf(core, op), ...(op.method === 'dispatch.assign' && op.ids?.assignmentId ? { drop: { assignmentId: op.ids.assignmentId } } : {}) };
}

/** The hub's current state of what an action touched. */
function stateOf(core: DecideDeps, op: SyncOp): Effects {
  const effects = emptyEffects();
  const { store } = core;
  const incidentIds = new Set<string>();
  const p = op.params;
  if (op.method.startsWith('incidents.') && typeof p.id === 'string') incidentIds.add(p.id);
  if (op.method === 'incidents.create' && op.ids?.incidentId) incidentIds.add(op.ids.incidentId);
  if (op.method === 'incidents.merge' && typeof p.into === 'string') incidentIds.add(p.into);
  if (op.method === 'dispatch.assign' && typeof p.incidentId === 'string') incidentIds.add(p.incidentId);
  if (op.method === 'dispatch.setStatus' && typeof p.assignmentId === 'string') {
    const a = store.assignments.get(p.assignmentId);
    if (a) incidentIds.add(a.incidentId);
  }
  for (const id of incidentIds) {
    const incident = store.incidents.get(id);
    if (incident) effects.incidents.push(incident);
    effects.assignments.push(...store.assignments.forIncident(id));
  }
  if (op.method === 'dispatch.assign' && typeof p.unitId === 'string') {
    const taken = store.assignments.activeForUnit(p.unitId);
    if (taken && !effects.assignments.some((a) => a.id === taken.id)) effects.assignments.push(taken);
  }
  if (op.method.startsWith('annotations.')) {
    const id = (p.id as string | undefined) ?? op.ids?.annotationId;
    const annotation = id ? store.annotations.get(id) : null;
    if (annotation) effects.annotations.push(annotation);
  }
  return effects;
}

function lastActor(core: DecideDeps, entity: string, kinds: string[]): string {
  return lastActorOf(core.store.db, entity, kinds) ?? 'someone';
}

function lastSeq(core: DecideDeps): number {
  return lastEventSeq(core.store.db);
}
