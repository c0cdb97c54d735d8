/**
 * The one way to write SQL in KoyaLite: a tagged template whose interpolations become bind
 * parameters unless they are fragments built by this module.
 *
 *   sql`SELECT ${ident('title')} FROM ${ident('shop', 'posts')} WHERE id = ${id}`
 *   → { text: 'SELECT "title" FROM "shop"."posts" WHERE id = $1', values: [id] }
 *
 * - a plain value (string, number, object, …) is always a parameter;
 * - ident() validates and double-quotes identifiers (never user-controlled text as raw SQL);
 * - trusted() is only for compiler-owned constant text (keywords, operators);
 * - join() composes fragments.
 */
import { KoyaError } from './errors.js';

const FRAGMENT = Symbol('sql.fragment');

/** A piece of SQL: alternating raw text parts and values (values may be nested fragments). */
export interface Sql {
  readonly [FRAGMENT]: true;
  readonly parts: readonly string[];
  readonly args: readonly unknown[];
  /** never run as a named prepared statement (see `unprepared`) */
  readonly unprepared?: true;
}

/** The rendered form handed to a driver. */
export interface Query {
  text: string;
  values: unknown[];
  unprepared?: true;
}

/**
 * A statement planned afresh each time: for statements whose meaning depends on a table's row
 * type (`jsonb_populate_record(NULL::"s"."t", …)`), which a prepared statement keeps from before
 * a DROP COLUMN ("attribute N of type record has been dropped").
 */
export function unprepared(statement: Sql): Sql {
  return { ...statement, unprepared: true };
}

function fragment(parts: readonly string[], args: readonly unknown[]): Sql {
  return { [FRAGMENT]: true, parts, args };
}

export function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as Sql)[FRAGMENT] === true;
}

export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  return fragment(strings, args);
}

/** Postgres identifiers: letters, digits, underscores; at most 63 bytes (NAMEDATALEN - 1). */
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function assertIdentifier(name: string): string {
  if (typeof name !== 'string' || !IDENT.test(name) || Buffer.byteLength(name) > 63) {
    throw new KoyaError('BAD_USER_INPUT', `invalid identifier "${String(name).slice(0, 80)}"`);
  }
  return name;
}

/** A validated, double-quoted identifier; several parts are joined with dots (schema.table). */
export function ident(...names: string[]): Sql {
  const text = names.map((n) => `"${assertIdentifier(n)}"`).join('.');
  return fragment([text], []);
}

/** Compiler-owned SQL text. Never pass anything derived from a request. */
export function trusted(text: string): Sql {
  return fragment([text], []);
}

/** An explicit bind parameter (the same as interpolating the value directly). */
export function param(value: unknown): Sql {
  return fragment(['', ''], [value]);
}

export function join(items: readonly Sql[], separator: Sql | string = ', '): Sql {
  const sep = typeof separator === 'string' ? trusted(separator) : separator;
  if (items.length === 0) return trusted('');
  const parts: string[] = [''];
  const args: unknown[] = [];
  items.forEach((item, i) => {
    if (i > 0) {
      args.push(sep);
      parts.push('');
    }
    args.push(item);
    parts.push('');
  });
  return fragment(parts, args);
}

/** Renders a fragment to text with $1..$n placeholders and the values in order. */
export function render(query: Sql): Query {
  const values: unknown[] = [];
  let text = '';
  const walk = (frag: Sql): void => {
    text += frag.parts[0];
    for (let i = 0; i < frag.args.length; i++) {
      const arg = frag.args[i];
      if (isSql(arg)) walk(arg);
      else {
        values.push(arg);
        text += `$${values.length}`;
      }
      text += frag.parts[i + 1];
    }
  };
  walk(query);
  return query.unprepared ? { text, values, unprepared: true } : { text, values };
}

/**
 * A quoted SQL literal, only for DDL, where Postgres accepts no bind parameters (DEFAULT
 * expressions, CHECK constraints). Strings are single-quoted with quotes doubled, which is exact
 * under standard_conforming_strings (on by default since PostgreSQL 9.1, and in PGlite);
 * NUL bytes are refused. Numbers must be finite; booleans and null are keywords.
 */
export function literal(value: string | number | boolean | null): Sql {
  if (value === null) return trusted('NULL');
  if (typeof value === 'boolean') return trusted(value ? 'TRUE' : 'FALSE');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new KoyaError('BAD_USER_INPUT', 'numeric literal must be finite');
    return trusted(String(value));
  }
  if (value.includes('\u0000')) throw new KoyaError('BAD_USER_INPUT', 'text literal must not contain NUL bytes');
  return trusted(`'${value.replace(/'/g, "''")}'`);
}
