/**
 * A table's own entry for a key that came from outside (a feed, a query, a file, a config): never
 * what every object inherits. `TABLE["constructor"]` is Object's constructor, `TABLE["__proto__"]`
 * Object.prototype; read as an entry they turned into text like "function Object() { [native
 * code] }", or into a TypeError further on (the API fuzz found it in the search).
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
