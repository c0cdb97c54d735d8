/**
 * One row change, as one subscriber sees it: a statement run in the subscriber's frame.
 *
 *   WITH n AS (SELECT "posts".* FROM jsonb_populate_record(NULL::"shop"."posts", $new::jsonb) AS "posts"
 *              WHERE $new::jsonb IS NOT NULL AND koyalite.row_visible('"shop"."posts"', $new::jsonb) AND <where>),
 *        o AS (… the same over $old …)
 *   SELECT json_build_object('event', $op, 'new', (SELECT <row> FROM n t0), 'old', (SELECT <row> FROM o t1))::text AS body
 *   WHERE EXISTS (SELECT 1 FROM n) OR EXISTS (SELECT 1 FROM o)
 *
 * Both rows are the values at the change (from the feed), checked with the policies installed on
 * the table (migration 0006) for the subscriber's role and claims; relations selected under them
 * are read now, under row-level security as any read. A new row too large for the feed is read
 * again by id (`FROM "shop"."posts" AS "posts" WHERE "posts"."id"::text = $id`): its current
 * state. Callers that bypass row-level security skip the checks. No row: nothing is delivered.
 */
import { ident, join, render, sql, unprepared, type Sql } from '../lib/sql.js';
import type { ChangeQuery, RowChange } from '../ir/ir.js';
import { CompileContext, jsonKey } from './compile-context.js';
import { columnRef } from './column-expr.js';
import { compileFilter } from './filter-compiler.js';
import { objectExpr } from './select-compiler.js';

export function compileChangeEvent(schema: string, query: ChangeQuery, change: RowChange): Sql {
  const ctx = new CompileContext(schema);
  const table = query.table;
  const as = ident(table.name);
  const where = query.where ? sql` AND ${compileFilter(ctx, query.where, table.name)}` : sql``;
  const fromEvent = (row: Record<string, unknown> | null) => {
    const json = row === null ? null : JSON.stringify(row);
    const visible = query.checkRows ? sql` AND koyalite.row_visible(${render(ctx.table(table.name)).text}::regclass, ${json}::jsonb)` : sql``;
    return sql`SELECT ${as}.* FROM jsonb_populate_record(NULL::${ctx.table(table.name)}, ${json}::jsonb) AS ${as} WHERE ${json}::jsonb IS NOT NULL${visible}${where}`;
  };
  const n =
    change.new === null && change.op !== 'DELETE'
      ? sql`SELECT ${as}.* FROM ${ctx.table(table.name)} AS ${as} WHERE ${columnRef(table.name, table.primaryKey)}::text = ${change.id}${where}`
      : fromEvent(change.new);
  const pairs = query.fields.map((f) => {
    if (f.kind === 'event') return sql`${jsonKey(f.key)}, ${change.op}::text`;
    if (f.kind === 'constant') return sql`${jsonKey(f.key)}, ${jsonKey(f.value)}`;
    const t = ctx.alias();
    return sql`${jsonKey(f.key)}, (SELECT ${objectExpr(ctx, f.selection, t)} FROM ${ident(f.kind === 'new' ? 'n' : 'o')} ${ident(t)})`;
  });
  // planned afresh each time: the statement depends on the table's row type, which may change
  return unprepared(sql`WITH n AS (${n}), o AS (${fromEvent(change.old)}) SELECT json_build_object(${join(pairs)})::text AS body WHERE EXISTS (SELECT 1 FROM n) OR EXISTS (SELECT 1 FROM o)`);
}
