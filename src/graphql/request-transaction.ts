/**
 * All mutation fields of one request run in one transaction: the first write begins it, the
 * end of the operation commits it — or rolls it back when any field failed, so one failure
 * undoes them all (useMutationTransaction in server/ ends it).
 */
import type { Database, OpenTransaction, RequestFrame } from '../db/database.js';
import { sql } from '../lib/sql.js';
import { runStatement } from './run-statement.js';
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

/** `statements`: how many statements the first write needs; more than one always gets a real transaction. */
export function requestTransaction(ctx: ProjectContext, statements: 'one' | 'several' = 'one'): Promise<OpenTransaction> {
  let tx = open.get(ctx);
  if (!tx) {
    const frame = ctx.frame;
    tx = singleWrite.has(ctx) && statements === 'one'
      ? Promise.resolve({
          query: (s) => runStatement(ctx.db, frame, s),
          exec: (s) => (frame ? ctx.db.withFrame(frame, (q) => q.exec(s)) : ctx.db.exec(s)),
          commit: async () => {},
          rollback: async () => {},
        })
      : beginFramed(ctx.db, frame);
    open.set(ctx, tx);
  }
  return tx;
}

/** A transaction whose statements run in the request's frame (set transaction-locally first). */
async function beginFramed(db: Database, frame: RequestFrame | null): Promise<OpenTransaction> {
  const tx = await db.begin();
  if (frame) {
    try {
      await tx.query(sql`SELECT set_config('role', 'koyalite_user', true), set_config('koyalite.claims', ${frame.claims}, true)`);
    } catch (err) {
      await tx.rollback();
      throw err;
    }
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
