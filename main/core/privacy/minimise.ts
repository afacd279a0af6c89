import crypto from 'node:crypto';
import { z } from 'zod';
import { FeedRecord, type FeedRecordKind } from '../../../common/domain/feedRecord';
import type { PrivacyPolicy } from './policy';

/** Applies a feed's policy to one validated record; returns the record to store. */
export type Minimiser = (record: FeedRecord) => FeedRecord;

/** Fields holding free text a person typed, where personal details slip in. */
const FREE_TEXT: Partial<Record<FeedRecordKind, readonly string[]>> = {
  incident: ['title', 'description', 'address'],
  alert: ['headline', 'description', 'instruction'],
  unit: ['callsign'],
  camera: ['name'],
  sensor: ['name'],
  marker: ['label'],
};

// Each pattern has a cheap guard: most free text holds none of them, and the patterns are not free.
const SCRUBS: { guard: RegExp; pattern: RegExp; replacement: string }[] = [
  { guard: /@/, pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, replacement: '[e-mail]' },
  // International or French numbers: +33 6 12 34 56 78, 06.12.34.56.78, 0612345678, (555) 123-4567.
  { guard: /\d(?:[\s.()+-]{0,2}\d){6}/, pattern: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){3,5}\b/g, replacement: '[phone]' },
  // French plates: SIV AB-123-CD, FNI 1234 AB 13.
  { guard: /[A-Z]{2}/, pattern: /\b[A-Z]{2}[\s-]?\d{3}[\s-]?[A-Z]{2}\b/g, replacement: '[plate]' },
  { guard: /[A-Z]{2}/, pattern: /\b\d{2,4}[\s-]?[A-Z]{2,3}[\s-]?(?:\d{2}|2[AB])\b/g, replacement: '[plate]' },
];

/** Takes e-mail addresses, phone numbers and licence plates out of free text (e-mails first: they hold digits). */
export function scrubText(text: string): string {
  let out = text;
  for (const { guard, pattern, replacement } of SCRUBS) if (guard.test(out)) out = out.replace(pattern, replacement);
  return out;
}

const SHAPES = Object.fromEntries(FeedRecord.options.map((o) => [o.shape.kind.value, o.shape])) as unknown as Record<FeedRecordKind, Record<string, z.ZodType>>;

/** What is wrong with a policy (a drop of a field a record cannot do without, an unknown field), or []. */
export function policyProblems(policy: PrivacyPolicy): string[] {
  const problems: string[] = [];
  for (const [key, action] of Object.entries(policy.fields)) {
    const [kind, field] = key.includes('.') ? (key.split('.') as [string, string]) : [undefined, key];
    const kinds = (kind ? [kind] : Object.keys(SHAPES)).filter((k) => SHAPES[k as FeedRecordKind]?.[field] !== undefined);
    if (kinds.length === 0) {
      problems.push(`privacy.fields.${key}: no record kind has a field "${field}"`);
      continue;
    }
    for (const k of kinds) {
      const schema = SHAPES[k as FeedRecordKind][field]!;
      if (action === 'drop' && !schema.safeParse(undefined).success) problems.push(`privacy.fields.${key}: ${k}.${field} is required and cannot be dropped; pseudonymise it instead`);
      if (action === 'pseudonymise' && !schema.safeParse('ps-0123456789abcdef').success) problems.push(`privacy.fields.${key}: ${k}.${field} is not text and cannot be pseudonymised`);
    }
  }
  return problems;
}

/**
 * Builds the minimiser of one feed. Pseudonyms are keyed HMACs of the feed id and the value: stable
 * (the same unit keeps its pseudonym, so its updates still land on one entity), unlinkable across
 * feeds, and irreversible without the profile's key.
 */
export function createMinimiser(feedId: string, policy: PrivacyPolicy, key: Buffer): Minimiser {
  const problems = policyProblems(policy);
  if (problems.length > 0) throw new Error(`Feed "${feedId}" has an invalid privacy policy: ${problems.join('; ')}.`);
  const plan = new Map<FeedRecordKind, { drop: string[]; pseudo: string[]; scrub: string[] }>();
  for (const kind of Object.keys(SHAPES) as FeedRecordKind[]) {
    const drop: string[] = [];
    const pseudo: string[] = [];
    const keep = new Set<string>();
    for (const field of Object.keys(SHAPES[kind])) {
      const action = policy.fields[`${kind}.${field}`] ?? policy.fields[field];
      if (action === 'drop') drop.push(field);
      else if (action === 'pseudonymise') pseudo.push(field);
      else if (action === 'keep') keep.add(field);
    }
    const scrub = policy.scrubFreeText ? (FREE_TEXT[kind] ?? []).filter((f) => !keep.has(f) && !drop.includes(f) && !pseudo.includes(f)) : [];
    plan.set(kind, { drop, pseudo, scrub });
  }
  const pseudonym = (value: string) => `ps-${crypto.createHmac('sha256', key).update(feedId).update('\0').update(value).digest('hex').slice(0, 16)}`;
  return (record) => {
    const p = plan.get(record.kind)!;
    if (p.drop.length === 0 && p.pseudo.length === 0 && p.scrub.length === 0) return record;
    // Copied only when something changes: most records hold nothing to take out, and a copy per
    // record was a good part of the garbage a busy feed makes (bench/ingest.mjs).
    const input = record as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    for (const f of p.drop) {
      if (input[f] === undefined) continue;
      out ??= { ...input };
      delete out[f];
    }
    for (const f of p.pseudo) {
      const v = input[f];
      if (typeof v !== 'string') continue;
      out ??= { ...input };
      out[f] = pseudonym(v);
    }
    for (const f of p.scrub) {
      const v = input[f];
      if (typeof v !== 'string') continue;
      const scrubbed = scrubText(v);
      if (scrubbed === v) continue;
      out ??= { ...input };
      out[f] = scrubbed;
    }
    return (out ?? record) as FeedRecord;
  };
}
