/**
 * Coerced GraphQL arguments → IR: filters, order terms, paging. Input is already typed by
 * graphql-js; this adds the rules GraphQL types cannot express (page caps, nulls in filters).
 */
import type { CompareOp, Direction, Filter, Nulls, OrderTerm } from '../ir/ir.js';
import { param } from '../ir/ir.js';
import { badInput } from '../lib/errors.js';
import type { ProjectModel, TableModel } from '../model/project-model.js';

const OPS: Record<string, CompareOp> = {
  eq: 'eq', neq: 'neq', gt: 'gt', gte: 'gte', lt: 'lt', lte: 'lte', in: 'in', nin: 'nin',
  like: 'like', ilike: 'ilike', startsWith: 'startsWith', endsWith: 'endsWith',
};

export function toFilter(model: ProjectModel, table: TableModel, input: Record<string, unknown>, path = 'where'): Filter {
  const items: Filter[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const at = `${path}.${key}`;
    if (value === null) throw badInput(`${at} must not be null (use isNull to match missing values)`, { field: at });
    if (key === 'and' || key === 'or') {
      items.push({ kind: key, items: (value as Record<string, unknown>[]).map((v, i) => toFilter(model, table, v, `${at}[${i}]`)) });
      continue;
    }
    if (key === 'not') {
      items.push({ kind: 'not', item: toFilter(model, table, value as Record<string, unknown>, at) });
      continue;
    }
    const column = table.columnsByName.get(key);
    if (column) {
      for (const [op, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        if (v === null) throw badInput(`${at}.${op} must not be null (use isNull)`, { field: `${at}.${op}` });
        if (op === 'isNull') items.push({ kind: 'isNull', column, isNull: v === true });
        else if (op === 'contains') {
          const cop: CompareOp = column.type.kind === 'jsonb' ? 'jsonContains' : column.type.kind.endsWith('[]') ? 'arrayContains' : 'contains';
          items.push({ kind: 'compare', column, op: cop, value: param(v) });
        } else if (op === 'hasKey') items.push({ kind: 'compare', column, op: 'hasKey', value: param(v) });
        else if (op === 'overlaps') items.push({ kind: 'compare', column, op: 'overlaps', value: param(v) });
        else {
          // a pattern ending in the escape character is an error in PostgreSQL: refuse it here
          if ((op === 'like' || op === 'ilike') && /(^|[^\\])(\\\\)*\\$/.test(v as string)) {
            throw badInput(`${at}.${op} must not end with an unescaped backslash (write \\\\ for a literal one)`, { field: `${at}.${op}` });
          }
          items.push({ kind: 'compare', column, op: OPS[op]!, value: param(v) });
        }
      }
      continue;
    }
    const relation = table.relationsByField.get(key);
    if (relation) {
      const target = model.tablesByName.get(relation.targetTable)!;
      if (relation.cardinality === 'one') {
        items.push({ kind: 'relation', relation, target, quantifier: 'one', filter: toFilter(model, target, value as Record<string, unknown>, at) });
      } else {
        for (const [q, f] of Object.entries(value as Record<string, unknown>)) {
          if (f === undefined) continue;
          if (f === null) throw badInput(`${at}.${q} must not be null`, { field: `${at}.${q}` });
          items.push({ kind: 'relation', relation, target, quantifier: q as 'some' | 'every' | 'none', filter: toFilter(model, target, f as Record<string, unknown>, `${at}.${q}`) });
        }
      }
      continue;
    }
    throw badInput(`${at} is not a field of ${table.names.type}`, { field: at });
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

const DIRECTIONS: Record<string, [Direction, Nulls]> = {
  ASC: ['ASC', 'LAST'],
  DESC: ['DESC', 'FIRST'],
  ASC_NULLS_FIRST: ['ASC', 'FIRST'],
  ASC_NULLS_LAST: ['ASC', 'LAST'],
  DESC_NULLS_FIRST: ['DESC', 'FIRST'],
  DESC_NULLS_LAST: ['DESC', 'LAST'],
};

export function toDirection(value: string): [Direction, Nulls] {
  return DIRECTIONS[value] ?? ['ASC', 'LAST'];
}

export function toOrder(model: ProjectModel, table: TableModel, input: Array<Record<string, unknown>> | undefined | null): OrderTerm[] {
  const terms: OrderTerm[] = [];
  const walk = (t: TableModel, obj: Record<string, unknown>, path: OrderTerm['path'], at: string) => {
    for (const [key, value] of Object.entries(obj)) {
      if (value === undefined) continue;
      if (value === null) throw badInput(`${at}.${key} must not be null`, { field: `${at}.${key}` });
      const column = t.columnsByName.get(key);
      if (column) {
        const [direction, nulls] = toDirection(value as string);
        terms.push({ path, column, direction, nulls });
        continue;
      }
      const relation = t.relationsByField.get(key);
      if (relation && relation.cardinality === 'one') {
        const target = model.tablesByName.get(relation.targetTable)!;
        walk(target, value as Record<string, unknown>, [...path, { relation, target }], `${at}.${key}`);
        continue;
      }
      throw badInput(`${at}.${key} cannot be ordered by`, { field: `${at}.${key}` });
    }
  };
  (input ?? []).forEach((o, i) => walk(table, o, [], `orderBy[${i}]`));
  return terms;
}

/** Page size: the project's maxPageSize when absent; negative or above the cap is refused, never clamped. */
export function toLimit(model: ProjectModel, value: unknown, name = 'limit'): number {
  if (value === undefined || value === null) return model.maxPageSize;
  const n = value as number;
  if (n < 0) throw badInput(`${name} must not be negative`, { field: name });
  if (n > model.maxPageSize) throw badInput(`${name} must be at most ${model.maxPageSize} (the project's maxPageSize)`, { field: name });
  return n;
}

export function toOffset(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const n = value as number;
  if (n < 0) throw badInput('offset must not be negative', { field: 'offset' });
  return n;
}
