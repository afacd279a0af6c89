import { z } from 'zod';

export const FIELD_ACTIONS = ['keep', 'drop', 'pseudonymise'] as const;
export const FieldAction = z.enum(FIELD_ACTIONS);
export type FieldAction = z.infer<typeof FieldAction>;

/**
 * A feed's data-minimisation policy, applied to every record before it is stored.
 * `fields` keys are a record field (`callsign`) or a kind and a field (`unit.callsign`); the more
 * specific key wins. Free text (titles, descriptions, names, labels) is scrubbed of e-mail
 * addresses, phone numbers and licence plates unless `scrubFreeText` is false.
 */
export const PrivacyPolicy = z.object({
  /** Why the control room collects this feed (shown in the Feeds panel, kept with purge records). */
  purpose: z.string().max(500).optional(),
  /** Records (and quarantined input) older than this are purged. */
  retentionDays: z.number().min(1).max(3650).default(365),
  fields: z.record(z.string().regex(/^([a-z]+\.)?[a-zA-Z]+$/, 'a field name, or kind.field'), FieldAction).default({}),
  scrubFreeText: z.boolean().default(true),
});
export type PrivacyPolicy = z.output<typeof PrivacyPolicy>;
