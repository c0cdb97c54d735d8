/**
 * Audit trail writes. Always called with the transaction client of the write being audited, so
 * the entry commits or rolls back with it. Metadata must never hold secret values.
 */
import type { MetaTx } from './meta-client.js';

export interface AuditEntry {
  actorId: string | null;
  actorRole: string | null;
  projectId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  metadata?: Record<string, unknown>;
}

export async function recordAudit(tx: MetaTx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      actorRole: entry.actorRole,
      projectId: entry.projectId ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      metadata: (entry.metadata ?? {}) as object,
    },
  });
}
