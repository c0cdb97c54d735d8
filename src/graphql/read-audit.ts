/**
 * HIPAA mode: reads are audited too. One AuditLog row per read request (fast path) or per root
 * field (regular path): who read which root fields of which tables. Never values.
 */
import { sql } from '../lib/sql.js';
import type { ProjectModel } from '../model/project-model.js';
import type { ProjectContext } from './project-context.js';
import { runStatement } from './run-statement.js';

export async function auditRead(ctx: Pick<ProjectContext, 'db' | 'frame' | 'userId' | 'role'>, model: ProjectModel, fields: string[]): Promise<void> {
  if (!model.compliance.hipaa) return;
  await runStatement(
    ctx.db,
    ctx.frame,
    sql`INSERT INTO koyalite.audit_logs (actor_id, actor_role, project_id, action, target_type, target_id, metadata)
      VALUES (${ctx.userId}, ${ctx.role}, ${model.projectId}::uuid, 'data.read', 'Query', NULL, ${JSON.stringify({ fields })}::jsonb)`,
  );
}
