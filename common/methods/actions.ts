import { z } from 'zod';
import { INCIDENT_CATEGORIES, Incident, Lat, Lon, Priority } from '../domain/incident';
import { OPERATOR_ROLES, SUPERVISOR_ROLES, DESK_ROLES } from '../domain/roles';
import { method } from './method';

const Id = z.string().min(1).max(300);
/** Why, in the operator's words: required where a decision overrides another (reopen, priority, override). */
const Reason = z.string().trim().min(3, 'say why in a few words').max(500);
const OptionalReason = z.string().trim().max(500).optional();

/** One entry of an incident's story: a feed update or an operator action, straight from the event log. */
export const HistoryEntry = z.object({
  seq: z.number().int(),
  t: z.number(),
  kind: z.string(),
  /** The feed id, or `user:<name>` for an operator action. */
  source: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Attachment = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), url: z.string().url().refine((u) => /^https?:\/\//i.test(u), 'only http(s) links'), label: z.string().max(200).optional() }),
  /** A camera by reference: the id of a camera in the cache, never the image itself. */
  z.object({ kind: z.literal('camera'), cameraId: z.string().min(1).max(300), label: z.string().max(200).optional() }),
]);
export type Attachment = z.infer<typeof Attachment>;

/**
 * Operator actions on an incident's lifecycle: new → acknowledged → dispatched → on scene →
 * closed, plus reopen, merge, priority, notes and attachments. Each one is an event in the log
 * (who, when, from, to, why), applied to the projection and the journal in the same transaction,
 * and pushed to every window. Dispatching itself is in methods/dispatch.ts.
 */
export const actionMethods = {
  /**
   * An incident placed by hand (a call or a radio report): the same event log, journal, alarms,
   * dispatch and hub replication as a feed's incident. Its id is `manual:<ref>`.
   */
  'incidents.create': method({
    params: z.object({
      category: z.enum(INCIDENT_CATEGORIES),
      priority: Priority,
      title: z.string().trim().min(3, 'give the incident a title of a few words').max(300),
      notes: z.string().trim().max(4000).optional(),
      lon: Lon,
      lat: Lat,
      /** The address or place it was placed at, as the search found it. */
      address: z.string().trim().max(300).optional(),
    }),
    result: Incident,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Create an incident by hand (call or radio report) at a place',
  }),
  'incidents.acknowledge': method({
    params: z.object({ id: Id }),
    result: Incident,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Acknowledge a new incident',
  }),
  'incidents.markOnScene': method({
    params: z.object({ id: Id }),
    result: Incident,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Record that a unit is on scene (when no unit reports it through its feed)',
  }),
  'incidents.close': method({
    params: z.object({ id: Id, reason: OptionalReason }),
    result: Incident,
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Close an incident; its units are cleared',
  }),
  'incidents.reopen': method({
    params: z.object({ id: Id, reason: Reason }),
    result: Incident,
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Reopen a closed incident (a reason is required)',
  }),
  'incidents.merge': method({
    params: z.object({ id: Id, into: Id, reason: OptionalReason }),
    result: Incident,
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Close a duplicate, pointing to the incident it duplicates',
  }),
  'incidents.setPriority': method({
    params: z.object({ id: Id, priority: Priority, reason: Reason }),
    result: Incident,
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Change the priority (a reason is required)',
  }),
  'incidents.addNote': method({
    params: z.object({ id: Id, text: z.string().trim().min(1).max(2000) }),
    result: HistoryEntry,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Add a note to an incident',
  }),
  'incidents.attach': method({
    params: z.object({ id: Id, attachment: Attachment }),
    result: HistoryEntry,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Attach a link or a camera (by reference) to an incident',
  }),
  'incidents.history': method({
    params: z.object({ id: Id }),
    result: z.array(HistoryEntry),
    roles: DESK_ROLES,
    summary: 'The story of an incident (a consultation: journaled)',
  }),
} as const;
