/**
 * The end of every metadata transaction: rebuild the model from the would-be rows, refuse the
 * change if the model would have errors (so they are caught at creation, with the message that
 * says what to change), bump the project's metadata version and NOTIFY every instance.
 * The NOTIFY is transactional: delivered only if the change commits.
 */
import type { Principal } from '../auth/principal.js';
import { badInput } from '../lib/errors.js';
import { sql } from '../lib/sql.js';
import { recordAudit } from '../meta/audit.js';
import { execInTx, type MetaTx } from '../meta/meta-client.js';
import { loadSnapshot } from '../meta/snapshot-loader.js';
import { buildModel } from '../model/build-model.js';
import type { ProjectModel } from '../model/project-model.js';

export const METADATA_CHANNEL = 'koyalite_metadata';

export interface ChangeAudit {
  action: string;
  targetType: string;
  targetId: string | null;
  metadata?: Record<string, unknown>;
}

export async function commitMetadataChange(tx: MetaTx, projectId: string, principal: Principal, audit: ChangeAudit): Promise<ProjectModel> {
  const snapshot = await loadSnapshot(tx, projectId);
  if (!snapshot) throw badInput('project not found');
  const model = buildModel(snapshot);
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw badInput(errors.map((e) => e.message).join('; '));
  await tx.project.update({ where: { id: projectId }, data: { metadataVersion: { increment: 1 } } });
  await recordAudit(tx, { actorId: principal.userId, actorRole: principal.role, projectId, ...audit });
  await execInTx(tx, sql`SELECT pg_notify(${METADATA_CHANNEL}, ${projectId})`);
  return model;
}

/**
 * A metadata transaction of one project. After it commits, the instance that made the change
 * refreshes that project's schema before answering, so the admin's next request sees it
 * (read-your-writes); other instances follow through the NOTIFY.
 */
export async function metadataTransaction<T>(
  ctx: { meta: { $transaction: MetaTransaction }; metadataChanged?: (projectId: string) => Promise<void> },
  projectId: string,
  fn: (tx: MetaTx) => Promise<T>,
  options?: { timeout?: number },
): Promise<T> {
  const result = await ctx.meta.$transaction(fn, options);
  await ctx.metadataChanged?.(projectId);
  return result;
}

type MetaTransaction = <T>(fn: (tx: MetaTx) => Promise<T>, options?: { timeout?: number }) => Promise<T>;
