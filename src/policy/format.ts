/**
 * formatPolicy: AST → canonical policy text (lowercase keywords, single spaces, parentheses only
 * where precedence needs them, <> for "not equal"). parsePolicy(formatPolicy(ast)) gives the
 * same tree back (positions aside), so this is the normalized form of a policy.
 */
import type { Expr } from './ast.js';

const LEVEL = { or: 1, and: 2, not: 3, predicate: 4, operand: 5 } as const;

function levelOf(e: Expr): number {
  switch (e.kind) {
    case 'or':
      return LEVEL.or;
    case 'and':
      return LEVEL.and;
    case 'not':
      return LEVEL.not;
    case 'compare':
    case 'in':
    case 'isNull':
    case 'like':
      return LEVEL.predicate;
    default:
      return LEVEL.operand;
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function formatPolicy(e: Expr): string {
  const at = (child: Expr, min: number): string => (levelOf(child) < min ? `(${formatPolicy(child)})` : formatPolicy(child));
  switch (e.kind) {
    case 'text':
      return quote(e.value);
    case 'number':
      return e.raw;
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'column':
      return e.table === null ? e.column : `${e.table}.${e.column}`;
    case 'call':
      return e.fn === 'auth.claim' ? `auth.claim(${quote(e.arg ?? '')})` : `${e.fn}()`;
    case 'compare':
      return `${at(e.left, LEVEL.operand)} ${e.op} ${at(e.right, LEVEL.operand)}`;
    case 'in':
      return `${at(e.operand, LEVEL.operand)} ${e.negated ? 'not in' : 'in'} (${e.list.map((x) => at(x, LEVEL.operand)).join(', ')})`;
    case 'isNull':
      return `${at(e.operand, LEVEL.operand)} ${e.negated ? 'is not null' : 'is null'}`;
    case 'like':
      return `${at(e.operand, LEVEL.operand)} ${e.negated ? 'not like' : 'like'} ${quote(e.pattern.value)}`;
    case 'not':
      return `not ${at(e.operand, LEVEL.not)}`;
    case 'and':
      return e.operands.map((x) => at(x, LEVEL.and + 1)).join(' and ');
    case 'or':
      return e.operands.map((x) => at(x, LEVEL.or + 1)).join(' or ');
    case 'exists':
      return `exists(${e.table} where ${formatPolicy(e.where)})`;
  }
}
