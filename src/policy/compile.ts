/**
 * Compiles a checked policy to a SQL boolean expression for CREATE POLICY … USING (…) / WITH
 * CHECK (…). DDL takes no bind parameters, so every value is a quoted literal() and every name an
 * ident(); the only raw text is this compiler's own (keywords, operators, function names).
 *
 * - the policy table's columns: unqualified ("tenant_id") at the top level, as RLS expects; inside
 *   exists(…) qualified with the table's name ("workflows"."tenant_id"), because an unqualified
 *   name there would bind to the inner table when it has a column of that name.
 * - exists(t where …) → EXISTS (SELECT 1 FROM "<schema>"."t" AS "_e1" WHERE …), inner columns as
 *   "_e1"."col"; aliases are numbered in source order and never equal the policy table's name.
 * - auth.uid() → koyalite.auth_uid(), auth.role() → koyalite.auth_role(), auth.claim('x') →
 *   koyalite.auth_claim('x'); compared with a uuid: koyalite.try_uuid(…), NULL for a non-uuid.
 * - integers within ±2^53 are plain numbers; other numbers are '…'::numeric (exact).
 */
import { ident, join, literal, render, sql, trusted, type Sql } from '../lib/sql.js';
import type { ProjectModel } from '../model/project-model.js';
import type { Expr } from './ast.js';
import { checkPolicy, type CheckedPolicy, type ColumnReference } from './check.js';
import { parsePolicy } from './parser.js';

export interface CompiledPolicy {
  readonly ast: Expr;
  /** the boolean expression, without bind parameters */
  readonly sql: Sql;
  /** every column the policy reads, for dependency checks on rename/retype/drop */
  readonly columns: readonly ColumnReference[];
  /** tables read through exists(…) */
  readonly tables: readonly string[];
}

const FUNCTION_SQL = {
  'auth.uid': 'koyalite.auth_uid',
  'auth.role': 'koyalite.auth_role',
  'auth.claim': 'koyalite.auth_claim',
} as const;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function numberSql(raw: string): Sql {
  if (!raw.includes('.')) {
    const n = BigInt(raw);
    if (n <= MAX_SAFE && n >= -MAX_SAFE) return literal(Number(n));
    return sql`${literal(n.toString())}::numeric`;
  }
  // decimals: plain when the JS number prints back exactly, else an exact numeric literal
  const negative = raw.startsWith('-');
  const [intPart = '0', fracPart = ''] = (negative ? raw.slice(1) : raw).split('.');
  const int = intPart.replace(/^0+(?=\d)/, '');
  const frac = fracPart.replace(/0+$/, '');
  const normalized = frac ? `${int}.${frac}` : int;
  const value = Number(normalized);
  if (String(value) === normalized) return literal(negative && value !== 0 ? -value : value);
  return sql`${literal(`${negative ? '-' : ''}${normalized}`)}::numeric`;
}

/** Compiles a policy that checkPolicy accepted. */
export function compileChecked(model: ProjectModel, checked: CheckedPolicy): Sql {
  const outer = checked.table;
  /** enclosing exists(…) tables with their aliases, innermost last */
  const scopes: { table: string; alias: string }[] = [];
  let aliasCount = 0;
  const nextAlias = (): string => {
    let alias: string;
    do alias = `_e${++aliasCount}`;
    while (alias === outer);
    return alias;
  };

  /** as an operand of a comparison, in, is, like or not: parenthesized when it is itself a predicate */
  const operand = (e: Expr): Sql => {
    switch (e.kind) {
      case 'compare':
      case 'in':
      case 'isNull':
      case 'like':
      case 'not':
        return sql`(${emit(e)})`;
      default:
        return emit(e); // and/or bring their own parentheses
    }
  };

  function emit(e: Expr): Sql {
    switch (e.kind) {
      case 'text':
        return literal(e.value);
      case 'number':
        return numberSql(e.raw);
      case 'boolean':
        return literal(e.value);
      case 'null':
        return literal(null);
      case 'column': {
        if (e.table === null) return scopes.length === 0 ? ident(e.column) : ident(outer, e.column);
        for (let i = scopes.length - 1; i >= 0; i--) {
          if (scopes[i]!.table === e.table) return ident(scopes[i]!.alias, e.column);
        }
        throw new Error(`policy compiler: ${e.table}.${e.column} is outside any exists(${e.table} …); was the policy checked?`);
      }
      case 'call': {
        const call = e.fn === 'auth.claim' ? sql`${trusted(FUNCTION_SQL[e.fn])}(${literal(e.arg ?? '')})` : trusted(`${FUNCTION_SQL[e.fn]}()`);
        return checked.uuidCasts.has(e) ? sql`koyalite.try_uuid(${call})` : call;
      }
      case 'compare':
        return sql`${operand(e.left)} ${trusted(e.op)} ${operand(e.right)}`;
      case 'and':
        return sql`(${join(e.operands.map(emit), ' AND ')})`;
      case 'or':
        return sql`(${join(e.operands.map(emit), ' OR ')})`;
      case 'not':
        return sql`NOT ${operand(e.operand)}`;
      case 'in':
        return sql`${operand(e.operand)} ${trusted(e.negated ? 'NOT IN' : 'IN')} (${join(e.list.map(operand))})`;
      case 'isNull':
        return sql`${operand(e.operand)} ${trusted(e.negated ? 'IS NOT NULL' : 'IS NULL')}`;
      case 'like':
        return sql`${operand(e.operand)} ${trusted(e.negated ? 'NOT LIKE' : 'LIKE')} ${literal(e.pattern.value)}`;
      case 'exists': {
        const alias = nextAlias();
        scopes.push({ table: e.table, alias });
        try {
          return sql`EXISTS (SELECT 1 FROM ${ident(model.schemaName, e.table)} AS ${ident(alias)} WHERE ${emit(e.where)})`;
        } finally {
          scopes.pop();
        }
      }
    }
  }

  const out = emit(checked.ast);
  // DDL cannot take parameters: a value that slipped through as one is a compiler bug
  if (render(out).values.length > 0) throw new Error('policy compiler produced a bind parameter');
  return out;
}

/** Parses, checks and compiles a policy of `table`; throws PolicyError (BAD_USER_INPUT with position). */
export function compilePolicy(model: ProjectModel, table: string, text: string): CompiledPolicy {
  const ast = parsePolicy(text);
  const checked = checkPolicy(model, table, ast);
  return { ast, sql: compileChecked(model, checked), columns: checked.columns, tables: checked.tables };
}

/**
 * A deny policy's condition as a RESTRICTIVE policy expression: rows pass unless the condition is
 * true. NULL (e.g. auth.uid() that is no uuid, a NULL column) counts as "does not apply", so a
 * deny never hides rows on unknowns; NOT (cond) alone would.
 */
export function denyCondition(condition: Sql): Sql {
  return sql`NOT COALESCE(${condition}, FALSE)`;
}
