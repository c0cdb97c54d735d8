/** Reading the audit trail (admin only), newest first, with filters and paging. */
import { badInput } from '../lib/errors.js';
import { requireAdmin, type AdminContext } from './admin-context.js';

export interface AuditLogFilter {
  projectSlug?: string | null;
  action?: string | null;
  actorId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export const MAX_AUDIT_PAGE = 1000;

export async function listAuditLogs(ctx: AdminContext, filter: AuditLogFilter | null | undefined, limit = 100, offset = 0) {
  requireAdmin(ctx);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_AUDIT_PAGE) throw badInput(`limit must be from 0 to ${MAX_AUDIT_PAGE}`, { field: 'limit' });
  if (!Number.isInteger(offset) || offset < 0) throw badInput('offset must not be negative', { field: 'offset' });
  let projectId: string | undefined;
  if (filter?.projectSlug) {
    const project = await ctx.meta.project.findUnique({ where: { slug: filter.projectSlug }, select: { id: true } });
    if (!project) return [];
    projectId = project.id;
  }
  return ctx.meta.auditLog.findMany({
    where: {
      projectId,
      action: filter?.action ?? undefined,
      actorId: filter?.actorId ?? undefined,
      targetType: filter?.targetType ?? undefined,
      targetId: filter?.targetId ?? undefined,
      timestamp: filter?.from || filter?.to ? { gte: filter.from ?? undefined, lte: filter.to ?? undefined } : undefined,
    },
    orderBy: [{ timestamp: 'desc' }, { id: 'desc' }],
    take: limit,
    skip: offset,
  });
}
