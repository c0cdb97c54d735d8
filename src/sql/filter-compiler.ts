/**
 * Filter IR → boolean SQL over one row alias. Every value is a bind parameter.
 *
 *   { title: { ilike: "%x%" }, author: { name: { eq: "ann" } }, comments: { some: { … } } }
 *   → t0."title" ILIKE $1
 *     AND EXISTS (SELECT 1 FROM "shop"."users" t1 WHERE t1."id" = t0."author_id" AND t1."name" = $2)
 *     AND EXISTS (SELECT 1 FROM "shop"."comments" t2 WHERE t2."post_id" = t0."id" AND …)
 *   every → NOT EXISTS (… AND NOT coalesce(<filter>, false))   (true over an empty set)
 */
import { ident, join, sql, trusted, type Sql } from '../lib/sql.js';
import type { CompareOp, Filter } from '../ir/ir.js';
import type { RelationModel } from '../model/project-model.js';
import type { CompileContext } from './compile-context.js';
import { columnRef } from './column-expr.js';

const SIMPLE: Partial<Record<CompareOp, string>> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'LIKE',
  ilike: 'ILIKE',
  jsonContains: '@>',
  hasKey: '?',
  arrayContains: '@>',
  overlaps: '&&',
};

/** Escapes LIKE wildcards so startsWith/endsWith/contains match the text literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** FROM/WHERE that joins a relation's target rows (alias `to`) to the source row (alias `from`). */
export function relationJoin(ctx: CompileContext, relation: RelationModel, from: string, to: string): { from: Sql; where: Sql } {
  const j = relation.join;
  if (j.via === 'direct') {
    return {
      from: sql`${ctx.table(relation.targetTable)} ${ident(to)}`,
      where: sql`${ident(to)}.${ident(j.targetColumn)} = ${ident(from)}.${ident(j.sourceColumn)}`,
    };
  }
  const jn = ctx.alias();
  return {
    from: sql`${ctx.table(j.junctionTable)} ${ident(jn)} JOIN ${ctx.table(relation.targetTable)} ${ident(to)} ON ${ident(to)}.${ident(j.targetColumn)} = ${ident(jn)}.${ident(j.junctionTargetColumn)}`,
    where: sql`${ident(jn)}.${ident(j.junctionSourceColumn)} = ${ident(from)}.${ident(j.sourceColumn)}`,
  };
}

export function compileFilter(ctx: CompileContext, filter: Filter, alias: string): Sql {
  switch (filter.kind) {
    case 'and':
      return filter.items.length === 0 ? trusted('TRUE') : sql`(${join(filter.items.map((f) => compileFilter(ctx, f, alias)), ' AND ')})`;
    case 'or':
      return filter.items.length === 0 ? trusted('FALSE') : sql`(${join(filter.items.map((f) => compileFilter(ctx, f, alias)), ' OR ')})`;
    case 'not':
      return sql`NOT coalesce(${compileFilter(ctx, filter.item, alias)}, false)`;
    case 'isNull':
      return filter.isNull ? sql`${columnRef(alias, filter.column)} IS NULL` : sql`${columnRef(alias, filter.column)} IS NOT NULL`;
    case 'compare': {
      const col = columnRef(alias, filter.column);
      const v = filter.value.value;
      switch (filter.op) {
        case 'in':
          return sql`${col} = ANY(${v})`;
        case 'nin':
          return sql`NOT (${col} = ANY(${v}))`;
        case 'startsWith':
          return sql`${col} LIKE ${`${escapeLike(String(v))}%`}`;
        case 'endsWith':
          return sql`${col} LIKE ${`%${escapeLike(String(v))}`}`;
        case 'contains':
          return sql`${col} LIKE ${`%${escapeLike(String(v))}%`}`;
        case 'jsonContains':
          return sql`${col} @> ${JSON.stringify(v)}::jsonb`;
        default:
          return sql`${col} ${trusted(SIMPLE[filter.op]!)} ${v}`;
      }
    }
    case 'relation': {
      const to = ctx.alias();
      const { from, where } = relationJoin(ctx, filter.relation, alias, to);
      const inner = compileFilter(ctx, filter.filter, to);
      switch (filter.quantifier) {
        case 'one':
        case 'some':
          return sql`EXISTS (SELECT 1 FROM ${from} WHERE ${where} AND ${inner})`;
        case 'none':
          return sql`NOT EXISTS (SELECT 1 FROM ${from} WHERE ${where} AND ${inner})`;
        case 'every':
          return sql`NOT EXISTS (SELECT 1 FROM ${from} WHERE ${where} AND NOT coalesce(${inner}, false))`;
      }
    }
  }
}
