import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { PrincipalCache } from '../auth/principal-cache.js';
import type { TokenService } from '../auth/tokens.js';
import type { Database } from '../db/database.js';
import type { ColumnCipher } from '../lib/column-cipher.js';
import { forbidden, unauthenticated } from '../lib/errors.js';
import type { MetaClient } from '../meta/meta-client.js';
import { can, type Action } from '../lib/permissions.js';

/** Long-lived services the control plane needs. */
export interface AdminDeps {
  meta: MetaClient;
  principals: PrincipalCache;
  /** encrypts and decrypts columns flagged `encrypted` (key: KOYALITE_ENCRYPTION_KEY) */
  cipher: ColumnCipher;
  db: Database;
  tokens: TokenService;
  log: Logger;
  /** refreshes this instance's view of a project after its metadata changed (wired to the schema registry) */
  metadataChanged?: (projectId: string) => Promise<void>;
}

/** Per-request context of /admin/graphql. */
export interface AdminContext extends AdminDeps {
  principal: Principal | null;
}

export function requireSignedIn(ctx: AdminContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}

/** Throws UNAUTHENTICATED without a principal and FORBIDDEN without the permission. */
export function requirePermission(ctx: AdminContext, action: Action, resource: string): Principal {
  const principal = requireSignedIn(ctx);
  if (!can(principal.permissions, action, resource)) throw forbidden(`requires ${action.toLowerCase()} on ${resource}`);
  return principal;
}

export const requireAdmin = (ctx: AdminContext): Principal => requirePermission(ctx, 'MANAGE', '*');

export function actorOf(principal: Principal | null): { actorId: string | null; actorRole: string | null } {
  return { actorId: principal?.userId ?? null, actorRole: principal?.role ?? null };
}
