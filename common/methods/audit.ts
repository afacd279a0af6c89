import { z } from 'zod';
import { AuditEntry, AuditVerification } from '../domain/audit';
import { ANY_ROLE, JOURNAL_ROLES } from '../domain/roles';
import { method } from './method';

/** Consultations the renderer makes without asking the service for data (it already holds it). */
export const CONSULTATIONS = ['incident.open', 'incidents.search'] as const;

/** The hash-chained journal of every consultation and action. */
export const auditMethods = {
  'audit.consult': method({
    params: z.object({ action: z.enum(CONSULTATIONS), target: z.string().max(300) }),
    result: z.null(),
    roles: ANY_ROLE,
    summary: 'Journal a consultation made from data the window already holds',
  }),
  'audit.list': method({
    params: z.object({ target: z.string().optional(), limit: z.number().int().min(1).max(5000).default(200) }).prefault({}),
    result: z.array(AuditEntry),
    roles: JOURNAL_ROLES,
    summary: 'Journal rows, most recent first',
  }),
  'audit.verify': method({
    params: z.object({}).prefault({}),
    result: AuditVerification,
    roles: JOURNAL_ROLES,
    summary: 'Check the hash chain of the journal',
  }),
  'audit.export': method({
    params: z.object({}).prefault({}),
    result: z.array(AuditEntry),
    roles: ['auditor'],
    summary: 'The whole journal, oldest first (auditor only)',
  }),
} as const;
