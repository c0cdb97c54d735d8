/**
 * Grants on what no longer exists go with it: a grant left on `shop:posts.score` after the column
 * is dropped would silently apply to a future column of that name. Roles are global, so their
 * permission rows name the project by slug. Every instance drops its cached principals.
 */
import type { MetaTx } from '../meta/meta-client.js';
import { notifyAuthChange } from './auth-change.js';

/** Deletes grants on the table (`slug:table`) and on its columns (`slug:table.*`), or on one column. */
export async function dropGrantsOn(tx: MetaTx, slug: string, table: string, column?: string): Promise<number> {
  const where =
    column === undefined
      ? { OR: [{ resource: `${slug}:${table}` }, { resource: { startsWith: `${slug}:${table}.` } }] }
      : { resource: `${slug}:${table}.${column}` };
  const { count } = await tx.permission.deleteMany({ where });
  if (count > 0) await notifyAuthChange(tx);
  return count;
}
