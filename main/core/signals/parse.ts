import { SignalBucket } from '../../../common/domain/signal';
import { clipRaw, type ParseError } from '../feeds/adapter';

/** Field names that point at a person, an account or a device: a record carrying one is refused whole. */
const PERSONAL = /^(user|user_?id|uid|account|account_?id|handle|username|screen_?name|author|name|email|phone|msisdn|imsi|imei|device|device_?id|ip|mac|person|person_?id|profile)$/i;

/**
 * Aggregated counts as JSON: an array of { kind, area, start, minutes, count } (or { buckets: [...] }).
 * Each record stands alone: a bad one is a ParseError with its reason, the others are kept.
 */
export function parseSignals(raw: string): { buckets: SignalBucket[]; errors: ParseError[] } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { buckets: [], errors: [{ raw: clipRaw(raw), reason: `not JSON (${(error as Error).message}); aggregated signals are a JSON array of {kind, area, start, minutes, count}.` }] };
  }
  const list = Array.isArray(json) ? json : (json as { buckets?: unknown })?.buckets;
  if (!Array.isArray(list)) return { buckets: [], errors: [{ raw: clipRaw(raw), reason: 'expected a JSON array of buckets (or {"buckets": [...]}).' }] };
  const buckets: SignalBucket[] = [];
  const errors: ParseError[] = [];
  for (const item of list) {
    const text = JSON.stringify(item);
    const personal = item && typeof item === 'object' ? Object.keys(item).filter((k) => PERSONAL.test(k)) : [];
    if (personal.length > 0) {
      errors.push({ raw: clipRaw(text), reason: `refused: the record carries ${personal.map((k) => `"${k}"`).join(', ')}, which identifies a person, an account or a device; aggregated signals take counts per area only.` });
      continue;
    }
    const start = typeof item?.start === 'string' ? Date.parse(item.start) : item?.start;
    const parsed = SignalBucket.safeParse({ ...item, start });
    if (parsed.success) buckets.push(parsed.data);
    else errors.push({ raw: clipRaw(text), reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ') });
  }
  return { buckets, errors };
}
