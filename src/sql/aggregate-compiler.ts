/**
 * Aggregates → one JSON object expression.
 *
 *   (SELECT json_build_object('count', count(*), 'sum', json_build_object('score', sum(t0."score")::text), …)
 *    FROM "shop"."posts" t0 WHERE …)
 *   groupBy: (SELECT coalesce(json_agg(g.j ORDER BY g.o0 DESC), '[]') FROM
 *             (SELECT json_build_object('key', json_build_object('status', t1."status"), 'count', count(*)) AS j, count(*) AS o0
 *              FROM "shop"."posts" t1 WHERE … GROUP BY t1."status" ORDER BY o0 DESC LIMIT $1) g)
 */
import { ident, join, sql, trusted, type Sql } from '../lib/sql.js';
import type { AggregateFn, AggregateQuery, AggregateSelection } from '../ir/ir.js';
import type { ColumnModel } from '../model/project-model.js';
import { jsonKey, type CompileContext } from './compile-context.js';
import { columnRef, columnOutput } from './column-expr.js';
import { compileFilter } from './filter-compiler.js';
import type { Source } from './select-compiler.js';

/** sum/avg/min/max of a column, typed for JSON: exact numbers as strings, avg of integers as float. */
function fnExpr(fn: AggregateFn, alias: string, column: ColumnModel): Sql {
  const ref = columnRef(alias, column);
  const kind = column.type.kind;
  const call = sql`${trusted(fn)}(${ref})`;
  if (fn === 'avg') return kind === 'numeric' ? sql`${call}::text` : sql`${call}::float8`;
  if (fn === 'sum') return kind === 'float' ? call : sql`${call}::text`;
  // min / max keep the column's type
  return kind === 'bigint' || kind === 'numeric' ? sql`${call}::text` : call;
}

function selectionExpr(a: AggregateSelection, alias: string): Sql {
  switch (a.kind) {
    case 'count':
      return trusted('count(*)');
    case 'constant':
      return sql`${jsonKey(a.value)}`;
    case 'fn':
      return sql`json_build_object(${join(
        a.columns.map((c) => ('constant' in c ? sql`${jsonKey(c.key)}, ${jsonKey(c.constant)}` : sql`${jsonKey(c.key)}, ${fnExpr(a.fn, alias, c.column)}`)),
      )})`;
  }
}

export function compileAggregateExpr(ctx: CompileContext, query: AggregateQuery, source: Source): Sql {
  const t = ctx.alias();
  const { from, where } = source(t);
  const conditions: Sql[] = [];
  if (where) conditions.push(where);
  if (query.where) conditions.push(compileFilter(ctx, query.where, t));
  const whereSql = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : trusted('');
  const pairs = query.fields.map((f) => {
    if (f.kind !== 'groupBy') return sql`${jsonKey(f.key)}, ${selectionExpr(f, t)}`;
    const g = ctx.alias();
    const inner = source(g);
    const innerConds: Sql[] = [];
    if (inner.where) innerConds.push(inner.where);
    if (query.where) innerConds.push(compileFilter(ctx, query.where, g));
    const innerWhere = innerConds.length > 0 ? sql` WHERE ${join(innerConds, ' AND ')}` : trusted('');
    const keyObjects = f.groupKey.map(
      (k) => sql`${jsonKey(k.key)}, json_build_object(${join(k.fields.map((c) => ('constant' in c ? sql`${jsonKey(c.key)}, ${jsonKey(c.constant)}` : sql`${jsonKey(c.key)}, ${columnOutput(g, c.column)}`)))})`,
    );
    const aggPairs = f.aggregates.map((a) => sql`${jsonKey(a.key)}, ${selectionExpr(a, g)}`);
    const all = [...keyObjects, ...aggPairs];
    const orders = f.orderBy.map((o, i) => ({
      name: `o${i}`,
      expr: o.target.kind === 'count' ? trusted('count(*)') : columnRef(g, o.target.column),
      dir: trusted(`${o.direction} NULLS ${o.nulls}`),
    }));
    const projections = [sql`json_build_object(${join(all)}) AS j`, ...orders.map((o) => sql`${o.expr} AS ${ident(o.name)}`)];
    const groupBy = f.by.length > 0 ? sql` GROUP BY ${join(f.by.map((c) => columnRef(g, c)))}` : trusted('');
    const innerOrder = orders.length > 0 ? sql` ORDER BY ${join(orders.map((o) => sql`${ident(o.name)} ${o.dir}`))}` : trusted('');
    const outerOrder = orders.length > 0 ? sql` ORDER BY ${join(orders.map((o) => sql`x.${ident(o.name)} ${o.dir}`))}` : trusted('');
    return sql`${jsonKey(f.key)}, (SELECT coalesce(json_agg(x.j${outerOrder}), '[]'::json) FROM (SELECT ${join(projections)} FROM ${inner.from}${innerWhere}${groupBy}${innerOrder} LIMIT ${f.limit}) x)`;
  });
  // GROUP BY (): exactly one row even when the selection has no aggregate call (only groupBy or
  // __typename), over no rows as well as many
  return sql`(SELECT json_build_object(${join(pairs)}) FROM ${from}${whereSql} GROUP BY ())`;
}
