/**
 * All mutation fields of one request run in one transaction: the first write begins it, the
 * end of the operation commits it — or rolls it back when any field failed, so one failure
 * undoes them all (useMutationTransaction in server/ ends it).
 */
import type { OpenTransaction } from '../db/database.js';
import type { ProjectContext } from './project-context.js';

const open = new WeakMap<ProjectContext, Promise<OpenTransaction>>();
const singleWrite = new WeakSet<ProjectContext>();

/**
 * The request has exactly one mutation field: its one statement is atomic by itself, so it runs
 * without a BEGIN/COMMIT frame (two round trips and most of Postgres's work on a small write).
 */
export function markSingleWrite(ctx: ProjectContext): void {
  singleWrite.add(ctx);
}

export function requestTransaction(ctx: ProjectContext): Promise<OpenTransaction> {
  let tx = open.get(ctx);
  if (!tx) {
    tx = singleWrite.has(ctx)
      ? Promise.resolve({ query: (s) => ctx.db.query(s), exec: (s) => ctx.db.exec(s), commit: async () => {}, rollback: async () => {} })
      : ctx.db.begin();
    open.set(ctx, tx);
  }
  return tx;
}

/** Ends the request's transaction if it began one (commit when ok, else roll back); true if it had one. */
export async function endRequestTransaction(ctx: ProjectContext, ok: boolean): Promise<boolean> {
  const tx = open.get(ctx);
  if (!tx) return false;
  open.delete(ctx);
  const t = await tx;
  if (ok) await t.commit();
  else await t.rollback();
  return true;
}
