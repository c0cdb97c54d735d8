/**
 * GDPR / CCPA data-subject operations over every table with an owner column.
 *
 *   export: SELECT json_build_object('posts', (SELECT coalesce(json_agg(to_json(t0)), '[]') FROM "shop"."posts" t0 WHERE t0."author_id"::text = $1), …) AS data
 *   erase:  WITH d0 AS (DELETE FROM "shop"."posts" t WHERE t."author_id"::text = $1 RETURNING 1), …
 *           SELECT json_build_object('posts', (SELECT count(*) FROM d0), …) AS data
 */
import { ident, join, sql, type Sql } from '../lib/sql.js';
import type { ProjectModel } from '../model/project-model.js';
import { CompileContext, jsonKey } from './compile-context.js';

function owned(model: ProjectModel) {
  return model.tables.filter((t) => t.ownerColumn !== null && t.columnsByName.has(t.ownerColumn));
}

export function compileExportUserData(model: ProjectModel, userId: string): Sql {
  const ctx = new CompileContext(model.schemaName);
  const pairs = owned(model).map((t) => {
    const a = ctx.alias();
    return sql`${jsonKey(t.name)}, (SELECT coalesce(json_agg(to_json(${ident(a)})), '[]'::json) FROM ${ctx.table(t.name)} ${ident(a)} WHERE ${ident(a)}.${ident(t.ownerColumn!)}::text = ${userId})`;
  });
  return pairs.length === 0 ? sql`SELECT '{}'::json AS data` : sql`SELECT json_build_object(${join(pairs)}) AS data`;
}

/** Deletes every owned row and writes the audit entry, all in one statement (atomic by itself). */
export function compileEraseUserData(model: ProjectModel, userId: string, actor: { actorId: string | null; actorRole: string }): Sql {
  const ctx = new CompileContext(model.schemaName);
  const tables = owned(model);
  const ctes = tables.map((t, i) => sql`${ident(`d${i}`)} AS (DELETE FROM ${ctx.table(t.name)} t WHERE t.${ident(t.ownerColumn!)}::text = ${userId} RETURNING 1)`);
  const pairs = tables.map((t, i) => sql`${jsonKey(t.name)}, (SELECT count(*) FROM ${ident(`d${i}`)})`);
  const counts = pairs.length === 0 ? sql`SELECT '{}'::json AS data` : sql`SELECT json_build_object(${join(pairs)}) AS data`;
  const audit = sql`INSERT INTO koyalite.audit_logs (actor_id, actor_role, project_id, action, target_type, target_id, metadata)
    SELECT ${actor.actorId}, ${actor.actorRole}, ${model.projectId}::uuid, 'compliance.erase', 'User', ${userId}, jsonb_build_object('deleted', c.data) FROM c`;
  return sql`WITH ${join([...ctes, sql`c AS (${counts})`, sql`a AS (${audit})`])} SELECT c.data FROM c`;
}
