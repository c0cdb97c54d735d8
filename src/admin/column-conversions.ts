/**
 * Type changes of existing columns (updateColumn): how each value of the old type becomes a value
 * of the new one. Data is never silently dropped, rounded or reinterpreted: a conversion either
 * always succeeds exactly (widening), or checks every value and makes the ALTER fail when one
 * does not convert exactly (narrowing, parsing), or is refused before anything runs.
 *
 * The conversion table (rows: from, columns: to; "=" same physical type, no rewrite):
 *
 *   from \ to       text/varchar  integer   bigint    numeric   float     boolean  uuid   date   timestamptz  enum
 *   text/varchar    = (coerce)    parse     parse     parse     parse     parse    parse  parse  parse        CHECK
 *   enum            = (no CHECK)  parse     parse     parse     parse     parse    parse  parse  parse        values
 *   integer         text          =         widen     widen     widen     ✗        ✗      ✗      ✗            ✗
 *   bigint          text          range     =         widen     exact     ✗        ✗      ✗      ✗            ✗
 *   numeric         text          whole     whole     =         exact     ✗        ✗      ✗      ✗            ✗
 *   float           text          whole     whole     shortest  =         ✗        ✗      ✗      ✗            ✗
 *   boolean         text          ✗         ✗         ✗         ✗         =        ✗      ✗      ✗            ✗
 *   uuid            text          ✗         ✗         ✗         ✗         ✗        =      ✗      ✗            ✗
 *   date            ISO text      ✗         ✗         ✗         ✗         ✗        ✗      =      widen (UTC)  ✗
 *   timestamptz     ISO text UTC  ✗         ✗         ✗         ✗         ✗        ✗      midn.  =            ✗
 *   jsonb           JSON text     ✗ (unsupported: jsonb, arrays and vectors only convert to text)
 *   text[] integer[] JSON text    ✗
 *   vector(n)       JSON text     ✗
 *   anything → jsonb, text[], integer[], vector(n): ✗ (unsupported; add a column and copy the data)
 *
 *   widen     every value converts exactly (integer → bigint/numeric/float, bigint → numeric,
 *             date → timestamptz at midnight UTC);
 *   text      the value's canonical text: numbers as Postgres prints them (floats as the shortest
 *             decimal that reads back as the same float), booleans true/false, dates YYYY-MM-DD,
 *             timestamps ISO 8601 in UTC (2024-01-31T10:00:00Z), jsonb and arrays as JSON,
 *             vectors as JSON arrays of numbers;
 *   parse     each text must be the canonical spelling of a value of the new type (whole numbers:
 *             an optional minus and digits, no 0x/underscores/spaces; numbers: decimal or
 *             exponent notation; booleans: exactly true or false; uuids: 8-4-4-4-12 hex digits;
 *             dates: YYYY-MM-DD; timestamps: ISO 8601, at most microseconds, UTC when no offset;
 *             floats only when the text reads back unchanged), else the change fails;
 *   range     bigint → integer fails when a value is out of integer range;
 *   whole     numeric/float → integer/bigint fails when a value has a fraction (1.5 is refused,
 *             never rounded), is NaN/Infinity or out of range;
 *   exact     bigint/numeric → float fails when a value does not read back identically from a
 *             float (beyond 2^53, or more than ~15-17 significant digits);
 *   shortest  float → numeric takes the shortest decimal that reads back as the same float, i.e.
 *             the value as the API shows it (0.1, not 0.1000000000000000055511151231257827);
 *   midn.     timestamptz → date only when every value is midnight UTC (no time of day is lost);
 *   CHECK     text → enum keeps the text and adds the enum's CHECK constraint, which fails on a
 *             value outside enumValues (so does changing enumValues on an enum column).
 *
 * A value that fails a check is sent to a cast that cannot succeed, so the ALTER statement raises
 * (a data exception) and the whole transaction rolls back; the caller turns that into a message
 * naming the column and `mustHold` (never echoing the value).
 */
import { join, literal, sql, type Sql } from '../lib/sql.js';
import { formatColumnType, type ColumnType, type ScalarKind } from '../model/column-types.js';
import { columnTypeSql } from './ddl.js';

export type Conversion =
  | {
      ok: true;
      /** USING expression for ALTER COLUMN … TYPE; undefined when the physical type stays the same */
      using: Sql | undefined;
      /** what every existing value must be for the change to succeed (for the error message), or undefined when it cannot fail */
      mustHold: string | undefined;
      /** the expression formats or compares floats: run with extra_float_digits = 1 (exact shortest output) */
      floatOutput: boolean;
    }
  | { ok: false; reason: string };

const TEXT_LIKE = new Set<ScalarKind>(['text', 'varchar', 'enum']);
const STRUCTURED = new Set<ScalarKind>(['jsonb', 'text[]', 'integer[]', 'vector']);

const WHOLE = '^-?[0-9]+$';
const DECIMAL = '^-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?$';
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const TIME = '[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?';
const TIMESTAMP_LOCAL = `^[0-9]{4}-[0-9]{2}-[0-9]{2}(${TIME})?$`;
const TIMESTAMP_OFFSET = `^[0-9]{4}-[0-9]{2}-[0-9]{2}${TIME}([Zz]|[-+][0-9]{2}(:?[0-9]{2})?)$`;

const widen = (using: Sql | undefined, floatOutput = false): Conversion => ({ ok: true, using, mustHold: undefined, floatOutput });
const checked = (using: Sql, mustHold: string, floatOutput = false): Conversion => ({ ok: true, using, mustHold, floatOutput });

/**
 * CASE WHEN c IS NULL THEN NULL WHEN <cond> THEN <result> … ELSE <a cast that fails> END.
 * CASE evaluates its branches in order, so a cast only sees values its condition let through.
 * The failing cast depends on the column, so it is evaluated per row (a constant one would be
 * folded, and raise, when the statement is planned).
 */
function guarded(c: Sql, target: Sql, branches: Array<[Sql, Sql]>): Sql {
  const whens = join(branches.map(([cond, result]) => sql`WHEN ${cond} THEN ${result}`), ' ');
  return sql`CASE WHEN ${c} IS NULL THEN NULL ${whens} ELSE (${literal('not convertible: ')} || ${c}::text)::${target} END`;
}
const matches = (c: Sql, regex: string) => sql`${c} ~ ${literal(regex)}`;

/** Text of a value of any type, as described above. `physical` is the column's current Postgres type (vectors: vector(n) or real[]). */
function toTextSql(from: ScalarKind, c: Sql, physical: string): Sql {
  switch (from) {
    case 'date':
      return sql`(to_json(${c}) #>> '{}')`;
    case 'timestamptz':
      return sql`CASE WHEN isfinite(${c}) THEN (to_json(${c} AT TIME ZONE 'UTC') #>> '{}') || 'Z' ELSE ${c}::text END`;
    case 'text[]':
    case 'integer[]':
      return sql`array_to_json(${c})::text`;
    case 'vector':
      return physical.startsWith('vector') ? sql`${c}::text` : sql`array_to_json(${c})::text`;
    default:
      return sql`${c}::text`;
  }
}

/**
 * How to change a column from one type to another. `c` is the quoted column name; `physical`
 * its current Postgres type as format_type() prints it.
 */
export function planConversion(from: ColumnType, to: ColumnType, c: Sql, physical: string): Conversion {
  const f = from.kind;
  const t = to.kind;
  const fromName = formatColumnType(from);
  const toName = formatColumnType(to);
  const target = columnTypeSql(to, false);

  if (f === t && (f !== 'vector' || from.dimensions === to.dimensions)) return widen(undefined);
  if (STRUCTURED.has(t)) {
    return { ok: false, reason: `converting a column to ${toName} is not supported; add a new ${toName} column and copy the data` };
  }
  if (STRUCTURED.has(f) && t !== 'text' && t !== 'varchar') {
    return { ok: false, reason: `a ${fromName} column can only be converted to text or varchar` };
  }

  // to text and varchar: every value has an exact text form
  if (t === 'text' || t === 'varchar') {
    if (TEXT_LIKE.has(f)) return widen(physical === 'text' && t === 'text' ? undefined : sql`${c}::${target}`);
    return widen(sql`(${toTextSql(f, c, physical)})::${target}`, f === 'float');
  }

  // text-like → anything: parse each value; it must be the canonical spelling of a value
  if (TEXT_LIKE.has(f)) {
    const src = sql`${c}::text`;
    switch (t) {
      case 'enum':
        if (f === 'enum') return widen(undefined);
        return widen(physical === 'text' ? undefined : src);
      case 'integer':
      case 'bigint':
        return checked(guarded(c, target, [[matches(src, WHOLE), sql`${src}::${target}`]]), `whole numbers written as digits with an optional minus sign, within the range of ${t}`);
      case 'numeric':
        return checked(guarded(c, target, [[matches(src, DECIMAL), sql`${src}::numeric`]]), 'decimal numbers (like 12.5, -3 or 1e6)');
      case 'float':
        return checked(
          guarded(c, target, [
            [sql`NOT (${matches(src, DECIMAL)})`, sql`(${literal('not convertible: ')} || ${src})::float8`],
            [sql`${src}::numeric = ${src}::float8::text::numeric`, sql`${src}::float8`],
          ]),
          'decimal numbers that a float holds exactly (about 15 significant digits)',
          true,
        );
      case 'boolean':
        return checked(guarded(c, target, [[sql`${src} IN ('true', 'false')`, sql`${src} = 'true'`]]), 'exactly true or false');
      case 'uuid':
        return checked(guarded(c, target, [[matches(src, UUID), sql`${src}::uuid`]]), 'UUIDs (8-4-4-4-12 hex digits)');
      case 'date':
        return checked(guarded(c, target, [[matches(src, DATE), sql`${src}::date`]]), 'valid dates written YYYY-MM-DD');
      case 'timestamptz':
        return checked(
          guarded(c, target, [
            [matches(src, TIMESTAMP_OFFSET), sql`${src}::timestamptz`],
            [matches(src, TIMESTAMP_LOCAL), sql`${src}::timestamp AT TIME ZONE 'UTC'`],
          ]),
          'valid ISO 8601 timestamps (YYYY-MM-DD, optionally with a time to the microsecond and an offset)',
        );
      default:
        break;
    }
  }

  const refused = (): Conversion => ({
    ok: false,
    reason: t === 'enum' ? `only text and varchar columns can become enums; change it to text first` : `there is no exact conversion from ${fromName} to ${toName}`,
  });

  switch (`${f}>${t}`) {
    case 'integer>bigint':
    case 'integer>numeric':
    case 'integer>float':
    case 'bigint>numeric':
      return widen(sql`${c}::${target}`);
    case 'bigint>integer':
      return checked(sql`${c}::integer`, 'within the range of integer (±2147483647)');
    case 'bigint>float':
      return checked(guarded(c, target, [[sql`${c}::float8::bigint = ${c}`, sql`${c}::float8`]]), 'integers a float holds exactly (at most 2^53 in magnitude)');
    case 'numeric>integer':
    case 'numeric>bigint':
      // trunc(c)::text has no fraction digits (2.00 → '2'); NaN and Infinity fail to parse
      return checked(guarded(c, target, [[sql`${c} = trunc(${c})`, sql`trunc(${c})::text::${target}`]]), `whole numbers within the range of ${t} (a fraction is never rounded away)`);
    case 'float>integer':
    case 'float>bigint':
      // NaN and ±Infinity pass the test and then fail the cast as out of range
      return checked(guarded(c, target, [[sql`${c} = trunc(${c})`, sql`${c}::${target}`]]), `whole numbers within the range of ${t} (a fraction is never rounded away)`);
    case 'numeric>float':
      return checked(guarded(c, target, [[sql`${c}::float8::text::numeric = ${c}`, sql`${c}::float8`]]), 'numbers a float holds exactly (about 15 significant digits)', true);
    case 'float>numeric':
      return widen(sql`${c}::text::numeric`, true);
    case 'date>timestamptz':
      return widen(sql`${c}::timestamp AT TIME ZONE 'UTC'`);
    case 'timestamptz>date':
      return checked(
        guarded(c, target, [[sql`((${c} AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC') = ${c}`, sql`(${c} AT TIME ZONE 'UTC')::date`]]),
        'midnight UTC (the time of day would be lost)',
      );
    default:
      return refused();
  }
}

