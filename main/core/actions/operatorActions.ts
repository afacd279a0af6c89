import crypto from 'node:crypto';
import { withoutMediaAddresses } from '../media/exportPolicy';
import type { Assignment, AssignmentStatus, RecommendationList } from '../../../common/domain/dispatch';
import type { Incident, IncidentFields } from '../../../common/domain/incident';
import type { Unit } from '../../../common/domain/entities';
import type { Attachment, HistoryEntry } from '../../../common/methods/actions';
import type { ParsedParams } from '../../../common/contract';
import { incidentId } from '../db/incidents';
import { RpcError } from '../../../common/rpc';
import type { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import { straightLineEta, type EtaModel } from '../dispatch/eta';
import { rankUnits } from '../dispatch/rank';
import type { Store } from '../store';
import { entityEvents } from '../db/events';
import { systemClock, type Clock } from '../clock';

/**
 * Operator actions on incidents and units. Each is one transaction: an event in the log (who,
 * when, from, to, why), the projection, and the audit journal; then a push to every window.
 *
 * Operator versus feed: the first lifecycle action an operator takes on an incident makes its
 * status, priority and closing the operator's (`operatorOwned`). Later feed updates still change
 * the description, place and category, and still go to the log, but they no longer move the
 * status, priority or closing: a supervisor's close is never silently undone by a feed that still
 * says "new". What the feed says instead is kept (`feedStatus`, `feedPriority`) and shown next to
 * the operator's decision, so the difference is visible and a supervisor can act on it.
 */
export class OperatorActions {
  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    readonly etaModel: EtaModel = straightLineEta,
    /** When incidents are acknowledged, dispatched, closed: a training sandbox's exercise clock (the journal keeps the wall clock). */
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * An incident placed by hand (a call-taker, a radio report). It is written as a feed's incident
   * is (an `incident.upsert` in the log, from `user:<name>`, the same projection), so that replay,
   * alarms, dispatch and the hub treat it the same; the journal records who created it.
   * `id`: given when the hub replays a workstation's creation, so every seat has the same id.
   */
  create(ctx: CallContext, params: ParsedParams<'incidents.create'>, id?: string): Incident {
    const externalId = id?.startsWith(`${MANUAL_FEED}:`) ? id.slice(MANUAL_FEED.length + 1) : newReference();
    const fullId = incidentId(MANUAL_FEED, externalId);
    const now = this.clock.now();
    const fields: IncidentFields = {
      externalId,
      category: params.category,
      priority: params.priority,
      status: 'new',
      title: params.title,
      ...(params.notes ? { description: params.notes } : {}),
      ...(params.address ? { address: params.address } : {}),
      lon: params.lon,
      lat: params.lat,
      occurredAt: now,
    };
    let created!: Incident;
    this.store.transaction(() => {
      if (this.store.incidents.get(fullId)) throw conflict(`${fullId} already exists.`);
      const event = this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: 'incident.upsert', entity: fullId, payload: fields });
      created = this.store.incidents.upsert({ ...fields, id: fullId, feedId: MANUAL_FEED, simulated: false, updatedAt: now, seq: event.seq }, now, true).incident;
      this.store.audit.append({ t: systemClock.now(), user: ctx.user, role: ctx.role, kind: 'action', action: 'incident.create', target: fullId, origin: ctx.origin });
    })();
    this.bus.emit('incident.changed', { incident: created });
    return created;
  }

  acknowledge(ctx: CallContext, id: string): Incident {
    return this.transition(ctx, id, 'acknowledge', (i, now) => {
      if (i.status !== 'new') throw conflict(`${id} is already ${i.status}; only a new incident can be acknowledged.`);
      return { ...i, status: 'acknowledged', acknowledgedAt: now };
    });
  }

  markOnScene(ctx: CallContext, id: string): Incident {
    return this.transition(ctx, id, 'on_scene', (i, now) => {
      if (i.status !== 'dispatched') throw conflict(`${id} is ${i.status}; a unit can be on scene only once one is dispatched.`);
      return { ...i, status: 'on_scene', onSceneAt: i.onSceneAt ?? now };
    });
  }

  close(ctx: CallContext, id: string, reason?: string): Incident {
    const closed = this.transition(ctx, id, 'close', (i, now) => {
      if (i.status === 'closed') throw conflict(`${id} is already closed.`);
      this.clearUnits(ctx, i.id, now);
      return { ...i, status: 'closed', closedAt: now };
    }, { reason });
    return closed;
  }

  reopen(ctx: CallContext, id: string, reason: string): Incident {
    return this.transition(ctx, id, 'reopen', (i) => {
      if (i.status !== 'closed') throw conflict(`${id} is ${i.status}, not closed: there is nothing to reopen.`);
      const { closedAt: _c, mergedInto: _m, ...rest } = i;
      return { ...rest, status: 'acknowledged' };
    }, { reason });
  }

  merge(ctx: CallContext, id: string, into: string, reason?: string): Incident {
    if (id === into) throw new RpcError('bad_request', 'An incident cannot be merged into itself.');
    const target = this.store.incidents.get(into);
    if (!target) throw new RpcError('not_found', `No incident ${into} to merge into.`);
    if (target.status === 'closed') throw conflict(`${into} is closed; merge into an open incident, or reopen it first.`);
    return this.transition(ctx, id, 'merge', (i, now) => {
      if (i.status === 'closed') throw conflict(`${id} is already closed.`);
      this.clearUnits(ctx, i.id, now);
      return { ...i, status: 'closed', closedAt: now, mergedInto: into };
    }, { reason, into });
  }

  setPriority(ctx: CallContext, id: string, priority: number, reason: string): Incident {
    return this.transition(ctx, id, 'priority', (i) => {
      if (i.priority === priority) throw conflict(`${id} already has priority ${priority}.`);
      return { ...i, priority };
    }, { reason, fromPriority: this.store.incidents.get(id)?.priority, toPriority: priority });
  }

  addNote(ctx: CallContext, id: string, text: string): HistoryEntry {
    return this.annotate(ctx, id, 'note', { text });
  }

  attach(ctx: CallContext, id: string, attachment: Attachment): HistoryEntry {
    if (attachment.kind === 'camera' && !this.store.cameras.get(attachment.cameraId)) {
      throw new RpcError('not_found', `No camera ${attachment.cameraId} in the cache; attach a camera the map shows.`);
    }
    return this.annotate(ctx, id, 'attach', { attachment });
  }

  /** The incident's story from the log (a consultation, journaled). */
  history(ctx: CallContext, id: string): HistoryEntry[] {
    if (!this.store.incidents.get(id)) throw new RpcError('not_found', `No incident ${id}.`);
    // Opening is the consultation; reloading the story of the incident already open in that window is not a new one.
    if (this.lastOpened.get(ctx.origin) !== id) {
      this.store.audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'incident.open', target: id, origin: ctx.origin });
      this.lastOpened.set(ctx.origin, id);
    }
    // A report's photo addresses stay in the service (issue 22): windows learn of media through media.list.
    return entityEvents(this.store.db, id).map((r) => ({ seq: r.seq, t: r.t, kind: r.kind, source: r.source, payload: withoutMediaAddresses(r.payload) }));
  }

  /** `then`: rank the units of a replayed instant (their positions, states and dispatches then) instead of today's. */
  recommend(_ctx: CallContext, incidentId: string, then?: { units: readonly Unit[]; active: readonly Assignment[]; at: number }): RecommendationList {
    const incident = this.requireIncident(incidentId);
    if (then) return rankUnits(incident, then.units, then.active, this.etaModel, then.at);
    return rankUnits(incident, this.store.units.list(), this.store.assignments.active(), this.etaModel, this.clock.now());
  }

  /** `assignmentId`: given when the hub replays a workstation's assignment, so every seat has the same id. */
  assign(ctx: CallContext, incidentId: string, unitId: string, reason?: string, assignmentId: string = crypto.randomUUID()): Assignment {
    const ranking = this.recommend(ctx, incidentId);
    const chosen = ranking.units.find((u) => u.unitId === unitId);
    if (!chosen) throw new RpcError('not_found', `No unit ${unitId} that can be dispatched.`);
    if (chosen.tooFar) {
      throw conflict(`${chosen.callsign} is ${Math.round(chosen.distanceM / 1000)} km away, beyond where a unit of its kind can plausibly come from; check its position feed, or choose another unit.`);
    }
    if (!chosen.assignable) {
      throw conflict(
        chosen.availability === 'assigned'
          ? `${chosen.callsign} is already assigned to ${chosen.assignedIncidentId}; clear it there first (a unit cannot take two incidents).`
          : `${chosen.callsign} has not reported its position for over 10 minutes; confirm it by radio before assigning it.`,
      );
    }
    const top = ranking.units[0]!;
    const override = top.unitId !== unitId;
    if (override && !reason?.trim()) {
      throw new RpcError('bad_request', `${chosen.callsign} is not the recommended unit (${top.callsign} is first): give a reason for the choice.`);
    }
    let assignment!: Assignment;
    this.transition(ctx, incidentId, 'dispatch', (i, now) => {
      if (i.status === 'closed') throw conflict(`${incidentId} is closed; reopen it before dispatching a unit.`);
      const dispatched = i.status === 'new' || i.status === 'acknowledged';
      return {
        ...i,
        status: dispatched ? 'dispatched' : i.status,
        acknowledgedAt: i.acknowledgedAt ?? now,
        dispatchedAt: i.dispatchedAt ?? now,
      };
    }, {
      assignmentId,
      unitId,
      callsign: chosen.callsign,
      rank: chosen.rank,
      etaS: chosen.etaS,
      distanceM: chosen.distanceM,
      recommendedUnitId: top.unitId,
      model: ranking.model,
      ...(override ? { override: true, reason: reason!.trim() } : {}),
    }, (seq, now) => {
      assignment = this.store.assignments.save({
        id: assignmentId,
        incidentId,
        unitId,
        callsign: chosen.callsign,
        status: 'assigned',
        assignedAt: now,
        assignedBy: ctx.user,
        recommendedUnitId: top.unitId,
        ...(override ? { overrideReason: reason!.trim() } : {}),
        rank: chosen.rank,
        seq,
      });
    });
    this.bus.emit('assignment.changed', { assignment });
    return assignment;
  }

  /** A unit's progress, by hand (operator) or from its feed (`ctx.user` is then the feed). */
  setAssignmentStatus(ctx: CallContext, assignmentId: string, status: Exclude<AssignmentStatus, 'assigned'>): Assignment {
    const current = this.store.assignments.get(assignmentId);
    if (!current) throw new RpcError('not_found', `No assignment ${assignmentId}.`);
    const order: AssignmentStatus[] = ['assigned', 'acknowledged', 'en_route', 'on_scene', 'cleared'];
    if (order.indexOf(status) <= order.indexOf(current.status)) {
      throw conflict(`${current.callsign ?? current.unitId} is already ${current.status.replace('_', ' ')}; progress only goes forward.`);
    }
    let updated!: Assignment;
    this.transition(ctx, current.incidentId, `unit.${status}`, (i, now) => {
      // The first unit on scene puts the incident on scene.
      if (status === 'on_scene' && i.status === 'dispatched') return { ...i, status: 'on_scene', onSceneAt: i.onSceneAt ?? now };
      return i;
    }, { assignmentId, unitId: current.unitId, callsign: current.callsign, fromUnit: current.status, toUnit: status }, (seq, now) => {
      updated = this.store.assignments.save(progress(current, status, now, seq));
    });
    this.bus.emit('assignment.changed', { assignment: updated });
    return updated;
  }

  private clearUnits(ctx: CallContext, incidentId: string, now: number): void {
    for (const a of this.store.assignments.forIncident(incidentId)) {
      if (a.status === 'cleared') continue;
      const { seq } = this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: 'unit.cleared', entity: incidentId, payload: { by: ctx.user, role: ctx.role, assignmentId: a.id, unitId: a.unitId, callsign: a.callsign, fromUnit: a.status, toUnit: 'cleared' } });
      const cleared = this.store.assignments.save(progress(a, 'cleared', now, seq));
      this.pendingPushes.push(cleared);
    }
  }

  private pendingPushes: Assignment[] = [];
  /** Per window (origin), the incident whose details it last opened. */
  private readonly lastOpened = new Map<string, string>();

  private requireIncident(id: string): Incident {
    const incident = this.store.incidents.get(id);
    if (!incident) throw new RpcError('not_found', `No incident ${id}.`);
    return incident;
  }

  /**
   * The common shape of an action: in one transaction, log the event (who, role, from, to, why),
   * apply the new state to the projection, journal it; after commit, push it to every window.
   */
  private transition(
    ctx: CallContext,
    id: string,
    action: string,
    next: (current: Incident, now: number) => Incident,
    extra: Record<string, unknown> = {},
    /** Projection writes that need the event's seq (assignments). */
    afterLog?: (seq: number, now: number) => void,
  ): Incident {
    const now = this.clock.now();
    let result!: Incident;
    this.pendingPushes = [];
    const run = this.store.transaction(() => {
      const current = this.requireIncident(id);
      const candidate = next(current, now);
      const payload = { by: ctx.user, role: ctx.role, from: current.status, to: candidate.status, ...stripUndefined(extra) };
      const event = this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: `incident.${action}`, entity: id, payload });
      afterLog?.(event.seq, now);
      result = this.store.incidents.applyOperator({ ...candidate, updatedAt: now, seq: event.seq });
      const reason = typeof extra.reason === 'string' ? extra.reason : undefined;
      this.store.audit.append({ t: systemClock.now(), user: ctx.user, role: ctx.role, kind: 'action', action: `incident.${action}`, target: id, ...(reason ? { reason } : {}), origin: ctx.origin });
    });
    try {
      run();
    } catch (error) {
      this.pendingPushes = [];
      throw error;
    }
    this.bus.emit('incident.changed', { incident: result });
    for (const assignment of this.pendingPushes) this.bus.emit('assignment.changed', { assignment });
    this.pendingPushes = [];
    return result;
  }

  private annotate(ctx: CallContext, id: string, kind: 'note' | 'attach', body: Record<string, unknown>): HistoryEntry {
    const now = this.clock.now();
    let entry!: HistoryEntry;
    const run = this.store.transaction(() => {
      this.requireIncident(id);
      const payload = { by: ctx.user, role: ctx.role, ...body };
      const event = this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: `incident.${kind}`, entity: id, payload });
      this.store.audit.append({ t: systemClock.now(), user: ctx.user, role: ctx.role, kind: 'action', action: `incident.${kind}`, target: id, origin: ctx.origin });
      entry = { seq: event.seq, t: now, kind: event.kind, source: event.source, payload };
    });
    run();
    return entry;
  }
}

function progress(a: Assignment, status: AssignmentStatus, now: number, seq: number): Assignment {
  // A feed may skip steps (straight to "on scene"): the skipped ones take the same time. Cleared
  // fills nothing in: a unit released before it acknowledged never acknowledged.
  const steps: AssignmentStatus[] = ['acknowledged', 'en_route', 'on_scene'];
  const reached = (s: AssignmentStatus) => status !== 'cleared' && steps.indexOf(status) >= steps.indexOf(s);
  return {
    ...a,
    status,
    seq,
    ...(reached('acknowledged') && a.acknowledgedAt === undefined ? { acknowledgedAt: now } : {}),
    ...(reached('en_route') && a.enRouteAt === undefined ? { enRouteAt: now } : {}),
    ...(reached('on_scene') && a.onSceneAt === undefined ? { onSceneAt: now } : {}),
    ...(status === 'cleared' ? { clearedAt: now } : {}),
  };
}

/** The feed id of incidents created by hand. */
export const MANUAL_FEED = 'manual';

/** A short reference a call-taker can read out on the radio: date and four random characters (M-0512-7K3Q). */
function newReference(): string {
  const d = new Date();
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = crypto.randomBytes(4);
  const tail = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `M-${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}-${tail}`;
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function conflict(message: string): RpcError {
  // The contract has no "conflict" code: the request is valid, the incident's state refuses it.
  return new RpcError('bad_request', message);
}
