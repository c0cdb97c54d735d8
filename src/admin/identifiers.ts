/**
 * Names users give tables and columns. They become Postgres identifiers (always quoted, but kept
 * simple so raw SQL stays pleasant), GraphQL field names (exactly as defined) and names in the
 * policy language; so: lowercase snake_case, ≤ 63 bytes, no SQL reserved word, nothing KoyaLite
 * or GraphQL owns.
 */
import { badInput } from '../lib/errors.js';

const NAME = /^[a-z][a-z0-9_]*$/;

/** PostgreSQL reserved key words (SQL:2016 "reserved" in the PostgreSQL column) plus the policy language's. */
const RESERVED = new Set(`all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate
collation column concurrently constraint create cross current_catalog current_date current_role current_schema
current_time current_timestamp current_user default deferrable desc distinct do else end except exists false fetch for
foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left
like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric system_user table tablesample then to trailing
true union unique user using variadic verbose when where window with auth`.split(/\s+/));

/** Columns every table gets and KoyaLite keeps. */
export const MANAGED_COLUMNS = new Set(['id', 'created_at', 'updated_at']);

export function validateName(kind: 'table' | 'column' | 'field', name: string, field: string): string {
  if (!NAME.test(name)) {
    throw badInput(`${kind} name "${name.slice(0, 80)}" must be lowercase letters, digits and underscores, starting with a letter`, { field });
  }
  if (Buffer.byteLength(name) > 63) throw badInput(`${kind} name "${name.slice(0, 80)}…" is longer than 63 bytes; shorten it`, { field });
  // field names (relation fields, name overrides) are GraphQL names only; SQL never sees them
  if (kind !== 'field' && RESERVED.has(name)) throw badInput(`${kind} name "${name}" is a reserved word; choose another name (e.g. "${name}_value")`, { field });
  if (kind === 'table' && (name.startsWith('pg_') || name.startsWith('koya_'))) {
    throw badInput(`table name "${name}" uses a reserved prefix (pg_, koya_)`, { field });
  }
  return name;
}

/** Enum values become GraphQL enum values: names, and not true/false/null. */
export function validateEnumValues(values: readonly string[], field: string): string[] {
  if (values.length === 0) throw badInput('an enum column needs at least one value in enumValues', { field });
  const seen = new Set<string>();
  for (const v of values) {
    if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(v) || v === 'true' || v === 'false' || v === 'null') {
      throw badInput(`enum value "${v.slice(0, 80)}" must be a GraphQL name (letters, digits, _; not true/false/null)`, { field });
    }
    if (seen.has(v)) throw badInput(`enum value "${v}" is listed twice`, { field });
    seen.add(v);
  }
  return [...values];
}
