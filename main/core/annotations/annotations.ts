import crypto from 'node:crypto';
import { AnnotationFields, type Annotation, type AnnotationGeometry, type GeofenceAlert } from '../../../common/domain/annotation';
import type { Unit } from '../../../common/domain/entities';
import type { Incident } from '../../../common/domain/incident';
import { RpcError } from '../../../common/rpc';
import type { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import type { Store } from '../store';
import { insideFence, isActive } from './geometry';
import { log } from '../log';
import { geofenceAlerts } from '../db/events';

const logger = log('geofence');

/**
 * Annotations as events (create, edit, soft delete; replayable with the rest of the picture), and
 * geofences: an alert when an incident appears inside one, or a unit enters or leaves it. Alerts
 * are events too (`geofence.alert`), so they are kept, listed and replayed like everything else.
 */
export class AnnotationService {
  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
  ) {}

  /**
   * `baseVersion`: the version the editor started from (a newer one refuses the edit);
   * `createId`: the id a new annotation takes (the hub replays a workstation's creation with the id it chose).
   */
  save(ctx: CallContext, id: string | undefined, fields: AnnotationFields, options: { baseVersion?: number; createId?: string } = {}): Annotation {
    const { baseVersion, createId } = options;
    const now = Date.now();
    const current = id ? this.store.annotations.get(id) : null;
    if (id && (!current || current.deleted)) throw new RpcError('not_found', `No annotation ${id} to edit.`);
    if (current && baseVersion !== undefined) this.checkVersion(current, baseVersion);
    if (fields.incidentId && !this.store.incidents.get(fields.incidentId)) throw new RpcError('not_found', `No incident ${fields.incidentId} to attach the annotation to.`);
    const annotationId = current?.id ?? createId ?? crypto.randomUUID();
    const action = current ? 'annotation.edit' : 'annotation.create';
    const version = (current?.version ?? 0) + 1;
    const annotation = this.write(ctx, annotationId, action, { ...fields, version, ...(current ? { baseVersion: baseVersion ?? current.version } : {}) }, now, (seq) => ({
      ...fields,
      id: annotationId,
      createdBy: current?.createdBy ?? ctx.user,
      createdAt: current?.createdAt ?? now,
      updatedBy: ctx.user,
      updatedAt: now,
      deleted: false,
      seq,
      version,
    }));
    // Units already inside a new or moved fence are its starting state, not news.
    if (annotation.geofence) this.prime(annotation);
    return annotation;
  }

  /**
   * Moves vertices, moves the whole shape or resizes a circle. Logged as an `annotation.edit`
   * event carrying the complete fields (so whatever rebuilds annotations from the log needs
   * nothing new) plus the geometry before and after, which is what undo puts back.
   */
  reshape(ctx: CallContext, id: string, baseVersion: number, geometry: AnnotationGeometry, undoOf?: number): Annotation {
    const current = this.store.annotations.get(id);
    if (!current || current.deleted) throw new RpcError('not_found', `No annotation ${id} to reshape.`);
    this.checkVersion(current, baseVersion);
    const { id: _id, createdBy: _cb, createdAt: _ca, updatedBy: _ub, updatedAt: _ua, deleted: _d, seq: _s, version: _v, ...before } = current;
    const candidate = { ...before, coordinates: geometry.coordinates, ...(current.shape === 'circle' ? { radiusM: geometry.radiusM ?? current.radiusM } : {}) };
    const parsed = AnnotationFields.safeParse(candidate);
    if (!parsed.success) throw new RpcError('bad_request', `That shape cannot be saved: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
    const fields = parsed.data;
    const now = Date.now();
    const version = current.version + 1;
    const from = { coordinates: current.coordinates, ...(current.radiusM !== undefined ? { radiusM: current.radiusM } : {}) };
    const to = { coordinates: fields.coordinates, ...(fields.radiusM !== undefined ? { radiusM: fields.radiusM } : {}) };
    const annotation = this.write(
      ctx,
      id,
      'annotation.edit',
      { ...fields, version, baseVersion, reshape: { from, to, ...(undoOf !== undefined ? { undoOf } : {}) } },
      now,
      (seq) => ({ ...current, ...fields, updatedBy: ctx.user, updatedAt: now, seq, version }),
      undoOf !== undefined ? 'annotation.reshape.undo' : 'annotation.reshape',
    );
    if (annotation.geofence) this.prime(annotation);
    return annotation;
  }

  /** An edit made on an older version is refused, naming who changed it since. */
  private checkVersion(current: Annotation, baseVersion: number): void {
    if (current.version === baseVersion) return;
    // The contract has no "conflict" code (as for incidents): a valid request that the state refuses.
    throw new RpcError(
      'bad_request',
      `“${current.label || current.shape}” was changed by ${current.updatedBy} (now version ${current.version}; your edit was made on version ${baseVersion}). Your edit was not saved: look at it again and redo it.`,
    );
  }

  delete(ctx: CallContext, id: string): Annotation {
    const current = this.store.annotations.get(id);
    if (!current || current.deleted) throw new RpcError('not_found', `No annotation ${id} to delete.`);
    return this.write(ctx, id, 'annotation.delete', {}, Date.now(), (seq, now) => ({ ...current, deleted: true, updatedBy: ctx.user, updatedAt: now, seq, version: current.version + 1 }));
  }

  alerts(limit: number): GeofenceAlert[] {
    return geofenceAlerts(this.store.db, limit);
  }

  /** Follows units and incidents as they are pushed, and raises alerts on fence crossings. */
  watch(): () => void {
    return this.bus.subscribe((event, payload) => {
      if (event === 'units.changed') this.checkUnits((payload as { units: Unit[] }).units);
      else if (event === 'incident.changed') this.checkIncident((payload as { incident: Incident }).incident);
      // A busy feed pushes its batch as one event: every incident in it is checked the same way.
      else if (event === 'incidents.changed') for (const incident of (payload as { incidents: Incident[] }).incidents) this.checkIncident(incident);
    });
  }

  private checkUnits(units: Unit[]): void {
    const now = Date.now();
    const fences = this.store.annotations.geofences().filter((f) => isActive(f, now));
    if (fences.length === 0) return;
    this.inTransaction(() => {
      for (const fence of fences) {
        for (const unit of units) {
          const inside = insideFence(fence, unit.lon, unit.lat);
          const before = this.store.annotations.setInside(fence.id, unit.id, inside);
          if (before === null || before === inside) continue;
          this.raise(fence, inside ? 'unit_entered' : 'unit_left', unit.id, unit.callsign ?? unit.unitId, now);
        }
      }
    });
  }

  private checkIncident(incident: Incident): void {
    if (incident.status === 'closed') return;
    const now = Date.now();
    const fences = this.store.annotations.geofences().filter((f) => isActive(f, now) && insideFence(f, incident.lon, incident.lat));
    if (fences.length === 0) return;
    this.inTransaction(() => {
      for (const fence of fences) {
        // Once per incident and fence: later updates of the same incident are not new appearances.
        if (this.store.annotations.setInside(fence.id, incident.id, true) !== null) continue;
        this.raise(fence, 'incident_inside', incident.id, incident.title, now);
      }
    });
  }

  /** One transaction per batch; alerts are pushed only once it committed. */
  private pending: GeofenceAlert[] = [];
  private inTransaction(body: () => void): void {
    this.pending = [];
    try {
      this.store.transaction(body)();
    } catch (error) {
      this.pending = [];
      logger.error({ reason: (error as Error).message }, 'a check failed');
      return;
    }
    for (const alert of this.pending) this.bus.emit('geofence.alert', { alert });
    this.pending = [];
  }

  private prime(fence: Annotation): void {
    for (const unit of this.store.units.list()) this.store.annotations.setInside(fence.id, unit.id, insideFence(fence, unit.lon, unit.lat));
    for (const incident of this.store.incidents.list({ limit: 50_000 })) {
      if (insideFence(fence, incident.lon, incident.lat)) this.store.annotations.setInside(fence.id, incident.id, true);
    }
  }

  private raise(fence: Annotation, kind: GeofenceAlert['kind'], subjectId: string, subject: string, now: number): void {
    const payload = { annotationId: fence.id, fence: fence.label || fence.id, kind, subjectId, subject };
    const { seq } = this.store.log.append({ t: now, source: 'geofence', kind: 'geofence.alert', entity: fence.id, payload });
    this.pending.push({ seq, t: now, ...payload });
  }

  private write(ctx: CallContext, id: string, action: string, body: object, now: number, build: (seq: number, now: number) => Annotation, auditAction = action): Annotation {
    let annotation!: Annotation;
    const run = this.store.transaction(() => {
      const event = this.store.log.append({ t: now, source: `user:${ctx.user}`, kind: action, entity: `annotation:${id}`, payload: { by: ctx.user, role: ctx.role, ...body } });
      annotation = this.store.annotations.save(build(event.seq, now));
      this.store.audit.append({ t: now, user: ctx.user, role: ctx.role, kind: 'action', action: auditAction, target: `annotation:${id}`, origin: ctx.origin });
    });
    run();
    this.bus.emit('annotation.changed', { annotation });
    return annotation;
  }
}
