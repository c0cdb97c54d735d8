/**
 * Users, roles and permissions changed: tell every instance (transactional NOTIFY, delivered on
 * commit) to drop cached principals. The caller also clears its own cache after commit.
 */
import { AUTH_CHANNEL } from '../auth/principal-cache.js';
import { sql } from '../lib/sql.js';
import { execInTx, type MetaTx } from '../meta/meta-client.js';

export async function notifyAuthChange(tx: MetaTx): Promise<void> {
  await execInTx(tx, sql`SELECT pg_notify(${AUTH_CHANNEL}, '')`);
}
