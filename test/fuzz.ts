import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries for the adversarial suite (main/core/api/adversarial.test.ts): params
 * shaped like a method's zod schema (through its JSON Schema), so calls get past validation and
 * into the handlers, and hostile values (prototype pollution keys, huge strings, deep nesting,
 * wrong types, NaN/Infinity, lone surrogates) dropped anywhere in them.
 */

type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema | false;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
};

const deep = (levels: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** Values an attacker sends in place of any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NaN,
    Infinity,
    -Infinity,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    -1,
    null,
    undefined,
    true,
    [],
    {},
    '',
    '__proto__',
    'constructor',
    '../../../../etc/passwd',
    'secrets/credentials.json',
    '\u0000',
    '\ud800',
    '=cmd|\' /C calc\'!A0',
    '🚓'.repeat(1000),
    'x'.repeat(300_000),
    JSON.parse('{"__proto__":{"polluted":"yes"}}'),
    { constructor: { prototype: { polluted: 'yes' } } },
    deep(3000),
    'Ｍａｒｓｅｉｌｌｅ‮txt.exe',
  ),
  fc.anything({ maxDepth: 3, withBigInt: false }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

function arbitraryOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return fc.oneof(...union.map((s) => arbitraryOf(s, depth + 1)));
  if (schema.allOf?.length) return arbitraryOf(schema.allOf[0]!, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const max = Math.min(schema.maxLength ?? 40, 60);
      return fc.string({ minLength: Math.min(schema.minLength ?? 0, max), maxLength: max });
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e13);
      return type === 'integer' ? fc.integer({ min: Math.ceil(Math.max(min, -2e9)), max: Math.floor(Math.min(max, 2e13)) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((s) => arbitraryOf(s, depth + 1)));
      const item = schema.items && typeof schema.items === 'object' ? arbitraryOf(schema.items, depth + 1) : fc.anything({ maxDepth: 1 });
      return fc.array(item, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(props);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 });
      return fc.record(Object.fromEntries(keys.map((k) => [k, arbitraryOf(props[k]!, depth + 1)])), { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** Puts a hostile value at one random place of a well-shaped value (or replaces it whole). */
function corrupt(value: unknown, hostile: unknown, path: number[]): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return hostile;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) return hostile;
  const [key] = entries[path[0]! % entries.length]!;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  copy[key] = corrupt(copy[key], hostile, path.slice(1));
  return copy;
}

/** Params for one method: well-shaped, well-shaped with one hostile field (or an added __proto__ key), or anything at all. */
export function paramsFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  let shaped: fc.Arbitrary<unknown>;
  try {
    shaped = arbitraryOf(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema, 0);
  } catch {
    shaped = fc.anything({ maxDepth: 2 });
  }
  const corrupted = fc.tuple(shaped, hostileValue, fc.array(fc.nat(), { maxLength: 4 })).map(([v, h, p]) => corrupt(v, h, p));
  const pollutionKey = shaped.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, ...JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') } : v));
  return fc.oneof({ arbitrary: shaped, weight: 3 }, { arbitrary: corrupted, weight: 3 }, { arbitrary: pollutionKey, weight: 1 }, { arbitrary: hostileValue, weight: 1 });
}
