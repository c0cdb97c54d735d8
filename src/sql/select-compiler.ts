/**
 * Object selections and lists → one SQL expression each, nesting relations as correlated
 * subqueries, so a root field at any depth is one statement.
 *
 *   list:  (SELECT coalesce(json_agg(json_build_object('id', t0."id", 'author', (SELECT json_build_object(…)
 *                   FROM "shop"."users" t1 WHERE t1."id" = t0."author_id" LIMIT 1)) ORDER BY t0."_o0" DESC NULLS FIRST), '[]'::json)
 *           FROM (SELECT t0.*, t0."created_at" AS "_o0" FROM "shop"."posts" t0 WHERE …
 *                 ORDER BY "_o0" DESC NULLS FIRST LIMIT $1 OFFSET $2) t0)
 *   one:   (SELECT json_build_object(…) FROM "shop"."users" t1 WHERE t1."id" = t0."author_id" LIMIT 1)
 *   json_build_object takes at most 100 arguments: wider objects are built in chunks and merged.
 */
import { ident, join, sql, trusted, type Sql } from '../lib/sql.js';
import type { FieldSelection, ListQuery, ObjectSelection, OrderTerm } from '../ir/ir.js';
import { compileAggregateExpr } from './aggregate-compiler.js';
import { jsonKey, type CompileContext } from './compile-context.js';
import { columnOutput, columnRef } from './column-expr.js';
import { compileFilter, relationJoin } from './filter-compiler.js';

const MAX_PAIRS = 50;

function key(k: string): Sql {
  // response keys are GraphQL names (validated by the parser): safe as SQL literals, so the text stays stable across requests
  return jsonKey(k);
}

function fieldExpr(ctx: CompileContext, field: FieldSelection, alias: string): Sql {
  switch (field.kind) {
    case 'column':
      return columnOutput(alias, field.column);
    case 'constant':
      return sql`${jsonKey(field.value)}`;
    case 'one': {
      const to = ctx.alias();
      const { from, where } = relationJoin(ctx, field.relation, alias, to);
      return sql`(SELECT ${objectExpr(ctx, field.selection, to)} FROM ${from} WHERE ${where} LIMIT 1)`;
    }
    case 'many':
      return listExpr(ctx, field.query, (to) => relationJoin(ctx, field.relation, alias, to));
    case 'aggregate':
      return compileAggregateExpr(ctx, field.query, (to) => relationJoin(ctx, field.relation, alias, to));
  }
}

/** json_build_object('k1', v1, …) for one row alias. */
export function objectExpr(ctx: CompileContext, selection: ObjectSelection, alias: string): Sql {
  const pairs = selection.fields.map((f) => sql`${key(f.key)}, ${fieldExpr(ctx, f, alias)}`);
  if (pairs.length <= MAX_PAIRS) return sql`json_build_object(${join(pairs)})`;
  const chunks: Sql[] = [];
  for (let i = 0; i < pairs.length; i += MAX_PAIRS) chunks.push(sql`jsonb_build_object(${join(pairs.slice(i, i + MAX_PAIRS))})`);
  return sql`(${join(chunks, ' || ')})::json`;
}

/** An ORDER BY expression: the column, or a to-one related column through a subselect. */
export function orderExpr(ctx: CompileContext, term: OrderTerm, alias: string): Sql {
  if (term.path.length === 0) return columnRef(alias, term.column);
  let current = alias;
  const froms: Sql[] = [];
  const wheres: Sql[] = [];
  for (const step of term.path) {
    const to = ctx.alias();
    const j = relationJoin(ctx, step.relation, current, to);
    froms.push(j.from);
    wheres.push(j.where);
    current = to;
  }
  return sql`(SELECT ${columnRef(current, term.column)} FROM ${join(froms)} WHERE ${join(wheres, ' AND ')} LIMIT 1)`;
}

export function directionSql(term: Pick<OrderTerm, 'direction' | 'nulls'>): Sql {
  return trusted(`${term.direction} NULLS ${term.nulls}`);
}

export type Source = (alias: string) => { from: Sql; where: Sql | undefined };

/**
 * A list as one JSON array expression. The inner query picks the rows (WHERE / ORDER BY /
 * LIMIT / OFFSET) and projects their order keys as `_o<i>` (user column names start with a
 * letter, so these never collide); JSON is built only for the rows returned, and json_agg keeps
 * their order exactly.
 */
export function listExpr(ctx: CompileContext, query: ListQuery, source: Source): Sql {
  const t = ctx.alias();
  const { from, where } = source(t);
  const conditions: Sql[] = [];
  if (where) conditions.push(where);
  if (query.where) conditions.push(compileFilter(ctx, query.where, t));
  const orderKeys = query.orderBy.map((term, i) => ({ expr: orderExpr(ctx, term, t), name: `_o${i}`, term }));
  const projections = [sql`${ident(t)}.*`, ...orderKeys.map((o) => sql`${o.expr} AS ${ident(o.name)}`)];
  const whereSql = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : trusted('');
  const innerOrder = orderKeys.length > 0 ? sql` ORDER BY ${join(orderKeys.map((o) => sql`${ident(o.name)} ${directionSql(o.term)}`))}` : trusted('');
  const outerOrder = orderKeys.length > 0 ? sql` ORDER BY ${join(orderKeys.map((o) => sql`${ident(t)}.${ident(o.name)} ${directionSql(o.term)}`))}` : trusted('');
  const offset = query.offset > 0 ? sql` OFFSET ${query.offset}` : trusted('');
  return sql`(SELECT coalesce(json_agg(${objectExpr(ctx, query.selection, t)}${outerOrder}), '[]'::json) FROM (SELECT ${join(projections)} FROM ${from}${whereSql}${innerOrder} LIMIT ${query.limit}${offset}) ${ident(t)})`;
}

/** A root table as a Source: no correlation. */
export function rootSource(ctx: CompileContext, table: string): Source {
  return (alias) => ({ from: sql`${ctx.table(table)} ${ident(alias)}`, where: undefined });
}
