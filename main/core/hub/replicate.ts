import type { Annotation } from '../../../common/domain/annotation';
import type { Assignment } from '../../../common/domain/dispatch';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { FeedStatus } from '../../../common/domain/feed';
import type { Incident } from '../../../common/domain/incident';
import { z } from 'zod';
import { contract, type Contract, type MethodName } from '../../../common/contract';
import { Role } from '../../../common/domain/roles';
import type { EventBus } from '../bus';
import { publishOutcome } from '../feeds/runner';
import type { Store } from '../store';
import { ingestBatch } from '../ingest/ingest';

/**
 * What travels between a hub and its workstations, and how either side applies it to its SQLite
 * cache. An operator action is decided once, by the hub, with the same core code as a single desk
 * (its domain rules); what the decision changed (the incident, assignments, annotation, and the
 * log entries it wrote) travels with it, and every seat applies that state as decided rather
 * than deciding again: the seats cannot disagree with the hub, even when their own cache has
 * drifted during a network cut.
 */

/** The contract's methods that replicate through the hub (`replicates: 'hub'` in common/methods/). */
export type ReplicatedMethod = { [M in MethodName]: Contract[M] extends { replicates: 'hub' } ? M : never }[MethodName];
export const REPLICATED_METHODS = (Object.keys(contract) as MethodName[]).filter((m): m is ReplicatedMethod => contract[m].replicates === 'hub') as [ReplicatedMethod, ...ReplicatedMethod[]];
export const isReplicated = (method: string): method is ReplicatedMethod => (REPLICATED_METHODS as readonly string[]).includes(method);

/** What the hub accepts as an action from a seat; anything else is refused without touching anything. */
export const SyncOpShape = z.object({
  uid: z.string().min(3).max(200),
  workstation: z.string(),
  user: z.string().min(1).max(200),
  role: Role,
  t: z.number(),
  method: z.enum(REPLICATED_METHODS),
  params: z.record(z.string(), z.unknown()),
  ids: z.object({ assignmentId: z.string().max(200).optional(), annotationId: z.string().max(200).optional(), incidentId: z.string().max(300).optional() }).optional(),
  base: z.string().max(200).nullable().optional(),
});

/** One operator action, as a workstation sends it. */
export interface SyncOp {
  /** `<workstation>:<number>`: unique, so that sending it again after a cut is harmless. */
  uid: string;
  workstation: string;
  user: string;
  role: Role;
  /** When the operator did it (the seat's clock). */
  t: number;
  method: ReplicatedMethod;
  params: Record<string, unknown>;
  /** Ids the seat chose for what it created (an assignment, an annotation), so every seat has the same. */
  ids?: { assignmentId?: string; annotationId?: string; incidentId?: string };
  /** Annotation edits: the action that wrote the version this edit started from (null: none known). */
  base?: string | null;
}

export interface Effects {
  incidents: Incident[];
  assignments: Assignment[];
  annotations: Annotation[];
}

export interface LoggedEvent {
  t: number;
  source: string;
  kind: string;
  entity: string;
  payload: unknown;
}

export interface OpBody {
  op: SyncOp;
  effects: Effects;
  events: LoggedEvent[];
}

export interface FeedBody {
  feedId: string;
  simulated: boolean;
  receivedAt: number;
  records: FeedRecord[];
}

/** Why the hub refused an action: a code the screen translates, the hub's sentence, and who won. */
export interface Rejection {
  uid: string;
  method: string;
  code: 'already_closed' | 'unit_taken' | 'annotation_edited' | 'refused';
  message: string;
  details: Record<string, string>;
  /** The hub's state of what the action touched, which the seat takes instead of its own. */
  state: Effects;
  /** What the seat created for it that the hub does not have (its assignment), to remove. */
  drop?: { assignmentId?: string };
}

export type HubMessage =
  | { t: 'welcome'; hub: string; head: number; heartbeatMs: number; anchor?: { journal: string; id: number } | null }
  /** The hub holds this head of the seat's audit journal (docs/security.md), or found it does not follow the last one. */
  | { t: 'anchored'; journal: string; id: number; hash: string; at: number }
  | { t: 'anchor-refused'; problem: string }
  | { t: 'entry'; seq: number; kind: 'feed'; body: FeedBody }
  | { t: 'entry'; seq: number; kind: 'op'; body: OpBody }
  | { t: 'rejected'; rejection: Rejection }
  /** The health of the hub's feeds (not logged: only the latest matters), so every seat's top bar shows it. */
  | { t: 'feeds'; feeds: FeedStatus[] };

/** A seat's journal head, with its own hash at the row the hub last anchored (`at`), which must not have changed. */
export interface AnchorMessage {
  t: 'anchor';
  journal: string;
  head: { id: number; hash: string };
  at: { id: number; hash: string | null } | null;
}

export type SeatMessage = { t: 'hello'; cursor: number } | { t: 'op'; op: SyncOp } | AnchorMessage;

export const emptyEffects = (): Effects => ({ incidents: [], assignments: [], annotations: [] });

/** Records what an action pushed to the bus while it ran: the entities it changed. */
export function captureEffects<T>(bus: EventBus, run: () => T): { result: T; effects: Effects } {
  const incidents = new Map<string, Incident>();
  const assignments = new Map<string, Assignment>();
  const annotations = new Map<string, Annotation>();
  const unsubscribe = bus.subscribe((event, payload) => {
    if (event === 'incident.changed') {
      const { incident } = payload as { incident: Incident };
      incidents.set(incident.id, incident);
    } else if (event === 'assignment.changed') {
      const { assignment } = payload as { assignment: Assignment };
      assignments.set(assignment.id, assignment);
    } else if (event === 'annotation.changed') {
      const { annotation } = payload as { annotation: Annotation };
      annotations.set(annotation.id, annotation);
    }
  });
  try {
    const result = run();
    return { result, effects: { incidents: [...incidents.values()], assignments: [...assignments.values()], annotations: [...annotations.values()] } };
  } finally {
    unsubscribe();
  }
}

/**
 * Takes the hub's state of some entities (inside the caller's transaction). The hub's decision
 * wins over what this seat did on its own meanwhile: an assignment of the same unit made here and
 * not yet decided is withdrawn (the hub will refuse it, and say so). Returns the withdrawn ones.
 */
export function writeEffects(store: Store, effects: Effects, now = Date.now()): Assignment[] {
  for (const incident of effects.incidents) {
    if (store.incidents.get(incident.id)) store.incidents.applyOperator(incident);
    else store.incidents.upsert(incident, incident.sourceUpdatedAt ?? incident.updatedAt, incident.sourceUpdatedAt === undefined);
  }
  const withdrawn: Assignment[] = [];
  for (const assignment of effects.assignments) {
    const local = assignment.status === 'cleared' ? null : store.assignments.activeForUnit(assignment.unitId);
    if (local && local.id !== assignment.id && !effects.assignments.some((a) => a.id === local.id)) {
      withdrawn.push(store.assignments.save({ ...local, status: 'cleared', clearedAt: now }));
    }
    store.assignments.save(assignment);
  }
  for (const annotation of effects.annotations) store.annotations.save(annotation);
  return withdrawn;
}

/** Tells every window of the seat what the hub's decision changed (after commit). */
export function emitEffects(bus: EventBus, effects: Effects): void {
  for (const incident of effects.incidents) bus.emit('incident.changed', { incident });
  for (const assignment of effects.assignments) bus.emit('assignment.changed', { assignment });
  for (const annotation of effects.annotations) bus.emit('annotation.changed', { annotation });
}

/**
 * Applies one entry of the hub's stream to a cache. `own`: the action came from this seat, which
 * already logged it when the operator made it: only the hub's decided state is taken.
 */
export function applyEntry(store: Store, bus: EventBus, entry: { kind: 'feed'; body: FeedBody } | { kind: 'op'; body: OpBody }, own: boolean, alsoInTransaction?: () => void): void {
  if (entry.kind === 'feed') {
    const { body } = entry;
    let outcome!: ReturnType<typeof ingestBatch>;
    store.transaction(() => {
      outcome = ingestBatch(store, { id: body.feedId, simulated: body.simulated }, { records: body.records, errors: [] }, body.receivedAt);
      alsoInTransaction?.();
    })();
    publishOutcome(bus, outcome);
    return;
  }
  const { body } = entry;
  let withdrawn: Assignment[] = [];
  store.transaction(() => {
    if (!own) for (const e of body.events) store.log.append({ t: e.t, source: e.source, kind: e.kind, entity: e.entity, payload: e.payload });
    withdrawn = writeEffects(store, body.effects);
    alsoInTransaction?.();
  })();
  for (const assignment of withdrawn) bus.emit('assignment.changed', { assignment });
  emitEffects(bus, body.effects);
}
