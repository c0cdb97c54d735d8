/**
 * Mutations → one statement each: the write in a CTE whose RETURNING rows feed the same
 * selection compiler as queries, plus the audit entries in the same statement.
 *
 *   WITH m AS (INSERT INTO "shop"."posts" AS t ("title", "author_id") VALUES ($1, $2), ($3, DEFAULT)
 *              ON CONFLICT ("id") DO UPDATE SET "title" = EXCLUDED."title" RETURNING t.*),
 *        a AS (INSERT INTO koyalite.audit_logs (actor_id, actor_role, project_id, action, target_type, target_id, metadata)
 *              SELECT $4, $5, $6, $7, 'posts', m."id"::text, $8::jsonb FROM m)
 *   SELECT json_build_object('affectedRows', (SELECT count(*) FROM m),
 *                            'returning', (SELECT coalesce(json_agg(json_build_object(…)), '[]') FROM m t0)) AS data
 *
 * Relations in the returned selection read the database as it was before the statement (the
 * rules of data-modifying CTEs); the written columns come from RETURNING.
 */
import { ident, join, literal, sql, trusted, type Sql } from '../lib/sql.js';
import type { AuditTarget, InsertRow, MutationOperation, MutationReturning, Param } from '../ir/ir.js';
import type { ColumnModel, TableModel } from '../model/project-model.js';
import { CompileContext, jsonKey } from './compile-context.js';
import { columnRef } from './column-expr.js';
import { compileFilter } from './filter-compiler.js';
import { objectExpr } from './select-compiler.js';

/** A written value; vectors travel as real[] (assignment-cast to pgvector's type where it exists). */
function valueSql(column: ColumnModel, v: Param): Sql {
  return column.type.kind === 'vector' ? sql`${v.value}::real[]` : sql`${v.value}`;
}

function returningExpr(ctx: CompileContext, returning: MutationReturning): Sql {
  if (returning.kind === 'row') {
    const t = ctx.alias();
    return sql`(SELECT ${objectExpr(ctx, returning.selection, t)} FROM m ${ident(t)} LIMIT 1)`;
  }
  const pairs = returning.fields.map((f) => {
    if (f.kind === 'affectedRows') return sql`${jsonKey(f.key)}, (SELECT count(*) FROM m)`;
    if (f.kind === 'constant') return sql`${jsonKey(f.key)}, ${jsonKey(f.value)}`;
    const t = ctx.alias();
    return sql`${jsonKey(f.key)}, (SELECT coalesce(json_agg(${objectExpr(ctx, f.selection, t)}), '[]'::json) FROM m ${ident(t)})`;
  });
  return sql`json_build_object(${join(pairs)})`;
}

function writeSql(ctx: CompileContext, op: MutationOperation): Sql {
  const table = sql`${ctx.table(op.table.name)} AS t`;
  switch (op.kind) {
    case 'insert': {
      const columns = [...new Set(op.rows.flatMap((r) => [...r.keys()]))];
      const values =
        columns.length === 0
          ? trusted('DEFAULT VALUES')
          : sql`(${join(columns.map((c) => ident(c.name)))}) VALUES ${join(
              op.rows.map((r) => sql`(${join(columns.map((c) => (r.has(c) ? valueSql(c, r.get(c)!) : trusted('DEFAULT'))))})`),
            )}`;
      let conflict = trusted('');
      if (op.onConflict) {
        const target = join(op.onConflict.columns.map((c) => ident(c.name)));
        conflict =
          op.onConflict.update.length === 0
            ? sql` ON CONFLICT (${target}) DO NOTHING`
            : sql` ON CONFLICT (${target}) DO UPDATE SET ${join(op.onConflict.update.map((c) => sql`${ident(c.name)} = EXCLUDED.${ident(c.name)}`))}`;
      }
      if (columns.length === 0 && op.rows.length > 1) {
        // DEFAULT VALUES inserts one row: several all-default rows need a VALUES list
        return sql`INSERT INTO ${table} SELECT FROM generate_series(1, ${op.rows.length})${conflict} RETURNING t.*`;
      }
      return sql`INSERT INTO ${table} ${values}${conflict} RETURNING t.*`;
    }
    case 'update': {
      const sets = [
        ...[...op.set].map(([c, v]) => sql`${ident(c.name)} = ${valueSql(c, v)}`),
        ...[...op.inc].map(([c, v]) => sql`${ident(c.name)} = ${columnRef('t', c)} + ${v.value}`),
      ];
      // an update with nothing to set still touches the row (updated_at), as SQL would
      const setSql = sets.length > 0 ? join(sets) : sql`${ident(op.table.primaryKey.name)} = ${columnRef('t', op.table.primaryKey)}`;
      return sql`UPDATE ${table} SET ${setSql}${whereSql(ctx, op)} RETURNING t.*`;
    }
    case 'delete':
      return sql`DELETE FROM ${table}${whereSql(ctx, op)} RETURNING t.*`;
  }
}

function whereSql(ctx: CompileContext, op: Extract<MutationOperation, { kind: 'update' | 'delete' }>): Sql {
  if ('byPk' in op.where) return sql` WHERE ${columnRef('t', op.table.primaryKey)} = ${op.where.byPk.value}`;
  return op.where.filter ? sql` WHERE ${compileFilter(ctx, op.where.filter, 't')}` : trusted('');
}

export function compileMutation(schema: string, op: MutationOperation): Sql {
  return compileWith(schema, op, (ctx) => sql`${returningExpr(ctx, op.returning)} AS data`);
}

/** The same statement answering a whole one-field mutation request: `{"key": …}` as JSON text. */
export function compileMutationBody(schema: string, op: MutationOperation, key: string): Sql {
  return compileWith(schema, op, (ctx) => sql`json_build_object(${jsonKey(key)}, ${returningExpr(ctx, op.returning)})::text AS body`);
}

function auditSql(a: AuditTarget, table: TableModel, from: string): Sql {
  return sql`INSERT INTO koyalite.audit_logs (actor_id, actor_role, project_id, action, target_type, target_id, metadata)
    SELECT ${a.actorId}, ${a.actorRole}, ${a.projectId}::uuid, ${a.action}, ${literal(table.name)}, ${ident(from)}.${ident(table.primaryKey.name)}::text, ${JSON.stringify({ columns: a.columns })}::jsonb FROM ${ident(from)}`;
}

function compileWith(schema: string, op: MutationOperation, output: (ctx: CompileContext) => Sql): Sql {
  const ctx = new CompileContext(schema);
  return sql`WITH m AS (${writeSql(ctx, op)}), a AS (${auditSql(op.audit, op.table, 'm')}) SELECT ${output(ctx)}`;
}

type NestedRows = Extract<MutationOperation, { kind: 'insert' }>['nested'];

/**
 * Nested rows of one phase as statements, one per run of rows of one table with the same
 * columns, each writing its audit entries too:
 *   WITH n AS (INSERT INTO "shop"."comments" AS t ("body", "post_id", "id") VALUES ($1, $2, $3), ($4, $5, $6) RETURNING t.*),
 *        a AS (INSERT INTO koyalite.audit_logs (…) SELECT …, n."id"::text, $9::jsonb FROM n)
 *   SELECT count(*)::int AS n FROM n
 * Separate statements, in order, so a row's policies see the rows written before it.
 */
export function compileNestedInserts(schema: string, nested: NestedRows): Sql[] {
  const runs: NestedRows[] = [];
  const key = (n: NestedRows[number]) => `${n.table.name}\u0000${[...n.row.keys()].map((c) => c.name).join(',')}`;
  for (const n of nested) {
    const last = runs[runs.length - 1];
    if (last && key(last[0]!) === key(n)) last.push(n);
    else runs.push([n]);
  }
  return runs.map((run) => {
    const ctx = new CompileContext(schema);
    const { table, audit } = run[0]!;
    const cols = [...run[0]!.row.keys()];
    const values = join(run.map(({ row }) => sql`(${join(cols.map((c) => valueSql(c, row.get(c)!)))})`));
    return sql`WITH n AS (INSERT INTO ${ctx.table(table.name)} AS t (${join(cols.map((c) => ident(c.name)))}) VALUES ${values} RETURNING t.*), a AS (${auditSql(audit, table, 'n')}) SELECT count(*)::int AS n FROM n`;
  });
}

/**
 * Nested inserts: the returned selection is read by a last statement in the same transaction, by
 * primary key, so its relations see every row the request wrote:
 *   SELECT coalesce(json_agg(<row> ORDER BY array_position($1, t0.id)), '[]') FROM "shop"."posts" t0 WHERE t0.id = ANY($1)
 */
export function compileReadBack(schema: string, table: TableModel, ids: unknown[], returning: MutationReturning, affectedRows: number): Sql {
  const ctx = new CompileContext(schema);
  const t = ctx.alias();
  const pk = columnRef(t, table.primaryKey);
  const rows = (selection: Parameters<typeof objectExpr>[1]) =>
    sql`(SELECT coalesce(json_agg(${objectExpr(ctx, selection, t)} ORDER BY array_position(${ids}::text[], ${pk}::text)), '[]'::json) FROM ${ctx.table(table.name)} ${ident(t)} WHERE ${pk}::text = ANY(${ids}::text[]))`;
  if (returning.kind === 'row') return sql`SELECT (${rows(returning.selection)})->0 AS data`;
  const pairs = returning.fields.map((f) => {
    if (f.kind === 'affectedRows') return sql`${jsonKey(f.key)}, ${affectedRows}::int`;
    if (f.kind === 'constant') return sql`${jsonKey(f.key)}, ${jsonKey(f.value)}`;
    return sql`${jsonKey(f.key)}, ${rows(f.selection)}`;
  });
  return sql`SELECT json_build_object(${join(pairs)}) AS data`;
}

/** The primary keys the write affected, for compileReadBack. */
export function compileMutationIds(schema: string, op: MutationOperation): Sql {
  return compileWith(schema, op, () => sql`coalesce((SELECT json_agg(m.${ident(op.table.primaryKey.name)}::text) FROM m), '[]'::json) AS data`);
}
