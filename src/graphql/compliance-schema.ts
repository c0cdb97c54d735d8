/**
 * Compliance operations on the project endpoint (gdprEnabled or ccpaEnabled):
 *
 *   extend type Query    { exportUserData(userId: ID!): JSON! }   # every row the user owns, by table
 *   extend type Mutation { eraseUserData(userId: ID!): JSON! }    # deletes them in one transaction; counts by table
 *                          setDataSaleOptOut(optOut: Boolean!): Boolean!   # ccpa: the caller's own flag, claim ccpa_opt_out
 * For admin and service, or for the user themself. Both are audited.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { forbidden } from '../lib/errors.js';
import { sql } from '../lib/sql.js';
import type { ProjectModel } from '../model/project-model.js';
import { compileEraseUserData, compileExportUserData } from '../sql/compliance-compiler.js';
import type { ProjectBuilder } from './project-builder.js';
import type { ProjectContext } from './project-context.js';
import { requestTransaction } from './request-transaction.js';
import { runStatement } from './run-statement.js';

function allowed(ctx: ProjectContext, userId: string): void {
  if (ctx.frame !== null && ctx.userId !== userId) throw forbidden('only the user themself, an admin or the service role may do this');
}

function audit(model: ProjectModel, ctx: ProjectContext, action: string, userId: string, metadata: unknown) {
  return sql`INSERT INTO koyalite.audit_logs (actor_id, actor_role, project_id, action, target_type, target_id, metadata)
    VALUES (${ctx.userId}, ${ctx.role}, ${model.projectId}::uuid, ${action}, 'User', ${userId}, ${JSON.stringify(metadata)}::jsonb)`;
}

export function addComplianceFields(builder: ProjectBuilder, model: ProjectModel): void {
  if (!model.compliance.gdpr && !model.compliance.ccpa) return;
  builder.queryFields((f: any) => ({
    exportUserData: f.field({
      type: 'JSON',
      args: { userId: f.arg.id({ required: true }) },
      resolve: async (_r: unknown, args: { userId: string | number }, ctx: ProjectContext, _info: GraphQLResolveInfo) => {
        const userId = String(args.userId);
        allowed(ctx, userId);
        const [row] = await runStatement<{ data: Record<string, Array<Record<string, unknown>>> }>(ctx.db, ctx.frame, compileExportUserData(model, userId));
        const data = row?.data ?? {};
        // encrypted columns leave as their values, never as ciphertext
        for (const t of model.tables) {
          for (const c of t.columns.filter((x) => x.encrypted)) {
            for (const r of data[t.name] ?? []) if (typeof r[c.name] === 'string') r[c.name] = ctx.cipher.decrypt(r[c.name] as string);
          }
        }
        await runStatement(ctx.db, ctx.frame, audit(model, ctx, 'compliance.export', userId, { tables: Object.keys(data) }));
        return data;
      },
    }),
  }));
  builder.mutationFields((f: any) => ({
    ...(model.compliance.ccpa
      ? {
          setDataSaleOptOut: f.field({
            type: 'Boolean',
            args: { optOut: f.arg.boolean({ required: true }) },
            resolve: (_r: unknown, args: { optOut: boolean }, ctx: ProjectContext) => {
              if (ctx.frame === null || ctx.userId === null) throw forbidden('only a signed-in project user can set their own opt-out');
              return ctx.identity.setDataSaleOptOut(model.slug, ctx.userId, args.optOut);
            },
          }),
        }
      : {}),
    eraseUserData: f.field({
      type: 'JSON',
      args: { userId: f.arg.id({ required: true }) },
      resolve: async (_r: unknown, args: { userId: string | number }, ctx: ProjectContext) => {
        const userId = String(args.userId);
        allowed(ctx, userId);
        const tx = await requestTransaction(ctx);
        const [row] = await tx.query<{ data: Record<string, number> }>(compileEraseUserData(model, userId, { actorId: ctx.userId, actorRole: ctx.role }));
        return Object.fromEntries(Object.entries(row?.data ?? {}).map(([k, v]) => [k, Number(v)]));
      },
    }),
  }));
}
