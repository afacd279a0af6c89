import { DEFAULT_ESCALATION, type Alarm, type AlarmConfig, type AlarmKind, type AlarmMember, type AlarmPolicy } from '../../../common/domain/alarm';
import type { Alert } from '../../../common/domain/entities';
import type { FeedStatus } from '../../../common/domain/feed';
import type { Incident } from '../../../common/domain/incident';
import type { IndicatorAlert } from '../../../common/domain/indicator';
import type { GeofenceAlert } from '../../../common/domain/annotation';
import type { SyncStatus } from '../../../common/domain/sync';
import { RpcError } from '../../../common/rpc';
import type { EventBus } from '../bus';
import { systemClock, type Clock, type Timer } from '../clock';
import { AlarmTable } from '../db/alarms';
import type { CallContext } from '../rpc';
import type { Store } from '../store';
import { log } from '../log';

const logger = log('alarms');

/** CAP severity → alarm priority (Extreme is a P1). */
const CAP_PRIORITY = { Extreme: 1, Severe: 2, Moderate: 3, Minor: 4, Unknown: 4 } as const;
const CAP_RANK = ['Minor', 'Moderate', 'Severe', 'Extreme'] as const;
/** How often escalation is checked: a level changes within a second of its due time. */
const TICK_MS = 1000;
/** A closed alarm stays in `alarms.list({ includeClosed })` this long. */
const CLOSED_SHOWN_MS = 3_600_000;

/** What raises or joins an alarm: one member, its kind, priority and area. */
export interface Raise {
  kind: AlarmKind;
  priority: number;
  district: string | null;
  member: AlarmMember;
}

export interface AlarmDeps {
  store: Pick<Store, 'db' | 'audit' | 'transaction' | 'incidents'>;
  bus: EventBus;
  config: AlarmConfig;
  /** The district an incident or an alert falls in (the city pack's polygons), or null. */
  districtOf(lon: number, lat: number): string | null;
  clock?: Clock;
}

/**
 * One queue for everything that asks for a person's attention (docs/supervisor.md). It listens to
 * the bus: new P1/P2 incidents, indicator alerts, geofence entries and exits, CAP alerts at or
 * above the configured severity, feeds that start failing, the hub's refusals. A burst of the same
 * kind in the same district within `groupWindowS` joins one alarm (a count and its members).
 * People move an alarm new → seen → acknowledged → closed, each step journaled with who and when;
 * an alarm nobody acknowledged escalates on the injected clock (louder, then the supervisor's).
 */
/** Who closed an alarm whose incidents were all closed: Vigie itself (docs/supervisor.md). */
export const SETTLED_BY = 'vigie';

export class AlarmService {
  private readonly table: AlarmTable;
  private readonly clock: Clock;
  private timer: Timer | null = null;
  /** When the next unacknowledged alarm reaches its next level (0: look at the next tick). */
  private nextDueAt = 0;
  private unsubscribe: (() => void) | null = null;
  /** Feeds currently failing: one alarm per failing spell, not one per retry. */
  private readonly failing = new Map<string, number>();

  constructor(private readonly deps: AlarmDeps) {
    this.table = new AlarmTable(deps.store.db);
    this.clock = deps.clock ?? systemClock;
  }

  policy(): AlarmPolicy {
    const { config } = this.deps;
    return { sound: config.sound, escalation: { ...DEFAULT_ESCALATION, ...config.escalation }, groupWindowS: config.groupWindowS };
  }

  /** Listens to the bus and starts the escalation timer; returns the stop. */
  start(): () => void {
    this.unsubscribe = this.deps.bus.subscribe((event, payload) => {
      try {
        this.onEvent(event, payload);
      } catch (error) {
        // An alarm that could not be stored must not stop the feed that raised it: said in the log.
        logger.error({ err: error, event }, 'could not raise an alarm');
      }
    });
    // Each tick only compares two numbers until an alarm is due: a day of test clock is 86,400 ticks.
    this.timer = this.clock.setInterval(() => {
      if (this.clock.now() >= this.nextDueAt) this.escalate();
    }, TICK_MS).unref();
    return () => this.stop();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.timer?.cancel();
    this.timer = null;
  }

  list(includeClosed = false): Alarm[] {
    return this.table.open(includeClosed ? this.clock.now() - CLOSED_SHOWN_MS : undefined);
  }

  /** Raises a new alarm or grows the group it belongs to; null when its source already rang. */
  raise(r: Raise): Alarm | null {
    const now = this.clock.now();
    const alarm = this.deps.store.transaction(() => {
      if (this.table.hasSource(r.member.source)) return null;
      const since = now - this.deps.config.groupWindowS * 1000;
      const group = this.table.groupFor(r.kind, r.district, since);
      let out: Alarm;
      if (group) {
        out = {
          ...group,
          priority: Math.min(group.priority, r.priority),
          count: group.count + 1,
          lastAt: now,
          members: [r.member, ...group.members],
          title: group.count === 1 ? groupTitle(r.kind, r.district) : group.title,
          // Something new joined: the desk has not seen this part yet.
          state: 'new',
        };
        this.table.update(out);
      } else {
        out = this.table.insert({
          kind: r.kind, priority: r.priority, district: r.district, title: r.member.title, state: 'new', level: 0,
          raisedAt: now, lastAt: now, count: 1, members: [r.member],
          seenBy: null, seenAt: null, acknowledgedBy: null, acknowledgedAt: null, closedBy: null, closedAt: null, escalatedAt: null,
        });
      }
      this.table.addSource(r.member.source, out.id, now);
      return out;
    })();
    if (alarm) {
      // A new alarm, or a group that came back to "new": its escalation is counted at the next tick.
      this.nextDueAt = 0;
      this.deps.bus.emit('alarm.changed', { alarm });
    }
    return alarm;
  }

  seen(ctx: CallContext, id: number): Alarm {
    return this.transition(ctx, id, 'seen', (a, now) => {
      // Seeing again what was already seen, acknowledged or closed changes nothing.
      if (a.state !== 'new') return null;
      return { ...a, state: 'seen', seenBy: ctx.user, seenAt: now };
    });
  }

  acknowledge(ctx: CallContext, id: number): Alarm {
    return this.transition(ctx, id, 'acknowledge', (a, now) => {
      if (a.state === 'acknowledged') throw new RpcError('bad_request', `Alarm ${id} was already acknowledged by ${a.acknowledgedBy}.`);
      if (a.state === 'closed') throw new RpcError('bad_request', `Alarm ${id} is closed (by ${a.closedBy}); nothing to acknowledge.`);
      return { ...a, state: 'acknowledged', seenBy: a.seenBy ?? ctx.user, seenAt: a.seenAt ?? now, acknowledgedBy: ctx.user, acknowledgedAt: now };
    });
  }

  close(ctx: CallContext, id: number, reason?: string): Alarm {
    return this.transition(ctx, id, 'close', (a, now) => {
      if (a.state === 'closed') throw new RpcError('bad_request', `Alarm ${id} was already closed by ${a.closedBy}.`);
      return {
        ...a, state: 'closed', closedBy: ctx.user, closedAt: now,
        // Closing answers it: an alarm closed unacknowledged counts as acknowledged by whoever closed it.
        acknowledgedBy: a.acknowledgedBy ?? ctx.user, acknowledgedAt: a.acknowledgedAt ?? now, seenBy: a.seenBy ?? ctx.user, seenAt: a.seenAt ?? now,
      };
    }, reason);
  }

  /** Escalates every alarm nobody acknowledged past its kind's delays; returns those that changed. */
  escalate(): Alarm[] {
    const now = this.clock.now();
    const { escalation } = this.policy();
    const changed: Alarm[] = [];
    let nextDue = Number.POSITIVE_INFINITY;
    for (const a of this.table.escalating()) {
      const delays = escalation[a.kind];
      const age = (now - a.raisedAt) / 1000;
      const level = age >= delays.supervisorAfterS ? 2 : age >= delays.louderAfterS ? 1 : 0;
      if (level < 2) nextDue = Math.min(nextDue, a.raisedAt + 1000 * (level === 0 ? delays.louderAfterS : delays.supervisorAfterS));
      if (level <= a.level) continue;
      const next = { ...a, level, escalatedAt: now };
      this.table.update(next);
      changed.push(next);
    }
    this.nextDueAt = nextDue;
    for (const alarm of changed) this.deps.bus.emit('alarm.changed', { alarm });
    return changed;
  }

  private transition(ctx: CallContext, id: number, action: string, next: (a: Alarm, now: number) => Alarm | null, reason?: string): Alarm {
    const now = this.clock.now();
    const result = this.deps.store.transaction(() => {
      const alarm = this.table.get(id);
      if (!alarm) throw new RpcError('not_found', `No alarm ${id}: it may have been purged; reload the queue.`);
      const changed = next(alarm, now);
      if (!changed) return { alarm, changed: false };
      this.table.update(changed);
      // The journal says who moved which alarm, and what it was about, in the same transaction.
      this.deps.store.audit.append({
        t: now, user: ctx.user, role: ctx.role, kind: 'action', action: `alarm.${action}`,
        target: `alarm:${id} ${alarm.kind}${alarm.district ? `@${alarm.district}` : ''} ×${alarm.count}`, ...(reason ? { reason } : {}), origin: ctx.origin,
      });
      return { alarm: changed, changed: true };
    })();
    if (result.changed) this.deps.bus.emit('alarm.changed', { alarm: result.alarm });
    return result.alarm;
  }

  private onEvent(event: string, payload: unknown): void {
    switch (event) {
      case 'incident.changed':
        this.fromIncident((payload as { incident: Incident }).incident);
        break;
      case 'incidents.changed':
        for (const incident of (payload as { incidents: Incident[] }).incidents) this.fromIncident(incident);
        break;
      case 'indicator.alert':
        this.fromIndicator((payload as { alert: IndicatorAlert }).alert);
        break;
      case 'geofence.alert':
        this.fromGeofence((payload as { alert: GeofenceAlert }).alert);
        break;
      case 'alert.changed':
        this.fromCap((payload as { alert: Alert }).alert);
        break;
      case 'feed.status':
        this.fromFeed((payload as { feed: FeedStatus }).feed);
        break;
      case 'sync.changed':
        for (const c of (payload as { status: SyncStatus }).status.conflicts) {
          this.raise({ kind: 'hub', priority: 2, district: null, member: { source: `hub:${c.uid}`, title: `${c.method} ${c.target}: ${c.message}`, t: c.decidedAt } });
        }
        break;
      default:
    }
  }

  private fromIncident(i: Incident): void {
    if (i.status === 'closed' || i.mergedInto) {
      this.settleIncident(i.id);
      return;
    }
    if (i.priority > 2) return;
    // A P2 raised to P1 rings again, as a P1; a P1 lowered to P2 does not ring twice.
    const sources = i.priority === 1 ? [`incident:${i.id}:p1`] : [`incident:${i.id}:p1`, `incident:${i.id}:p2`];
    if (sources.some((s) => this.table.hasSource(s))) return;
    this.raise({
      kind: 'incident', priority: i.priority, district: this.deps.districtOf(i.lon, i.lat),
      member: { source: sources[sources.length - 1]!, title: i.title, t: i.occurredAt, incidentId: i.id },
    });
  }

  /**
   * An incident closed (or merged): the alarms it raised are answered once every incident in them
   * is closed, so the queue does not keep asking about work that is done. Closed as Vigie's own
   * doing (`closedBy: 'vigie'`), not journaled as a person's act: the person's act is the
   * incident's closing, already in the journal. A group whose oldest members were dropped (over
   * 50) cannot be checked whole and stays for a person to close.
   */
  private settleIncident(incidentId: string): void {
    const now = this.clock.now();
    const settled: Alarm[] = [];
    this.deps.store.transaction(() => {
      for (const alarm of this.table.open()) {
        if (alarm.kind !== 'incident' || alarm.count > alarm.members.length || !alarm.members.some((m) => m.incidentId === incidentId)) continue;
        const stillOpen = alarm.members.some((m) => {
          if (!m.incidentId || m.incidentId === incidentId) return false;
          const other = this.deps.store.incidents.get(m.incidentId);
          return other !== null && other !== undefined && other.status !== 'closed' && !other.mergedInto;
        });
        if (stillOpen) continue;
        const closed: Alarm = { ...alarm, state: 'closed', closedBy: SETTLED_BY, closedAt: now };
        this.table.update(closed);
        settled.push(closed);
      }
    })();
    for (const alarm of settled) this.deps.bus.emit('alarm.changed', { alarm });
  }

  private fromIndicator(a: IndicatorAlert): void {
    if (a.acknowledgedBy) return;
    this.raise({ kind: 'indicator', priority: 2, district: a.district, member: { source: `indicator-alert:${a.seq}`, title: `${a.label} · ${a.district} (${a.count})`, t: a.t, indicatorSeq: a.seq } });
  }

  private fromGeofence(a: GeofenceAlert): void {
    this.raise({ kind: 'geofence', priority: 3, district: a.fence, member: { source: `geofence:${a.seq}`, title: `${a.fence}: ${a.subject} (${a.kind.replace('_', ' ')})`, t: a.t } });
  }

  private fromCap(a: Alert): void {
    if (a.cancelled || a.msgType === 'Cancel' || a.status !== 'Actual') return;
    if (a.severity === 'Unknown' || CAP_RANK.indexOf(a.severity) < CAP_RANK.indexOf(this.deps.config.capMinSeverity)) return;
    const at = a.polygons[0]?.[0] ?? (a.circles[0] ? [a.circles[0].lon, a.circles[0].lat] : null);
    this.raise({
      kind: 'cap', priority: CAP_PRIORITY[a.severity], district: at ? this.deps.districtOf(at[0]!, at[1]!) : null,
      member: { source: `cap:${a.id}`, title: `${a.severity}: ${a.headline ?? a.event}`, t: a.sent },
    });
  }

  private fromFeed(f: FeedStatus): void {
    if (f.state !== 'failing') {
      if (f.state === 'ok') this.failing.delete(f.id);
      return;
    }
    if (this.failing.has(f.id)) return;
    const since = f.lastErrorAt ?? this.clock.now();
    this.failing.set(f.id, since);
    this.raise({ kind: 'feed', priority: 2, district: null, member: { source: `feed:${f.id}@${since}`, title: `${f.label}: ${f.lastError ?? 'failing'}`, t: since } });
  }
}

function groupTitle(kind: AlarmKind, district: string | null): string {
  return `${kind}${district ? ` · ${district}` : ''}`;
}
