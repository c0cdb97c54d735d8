/**
 * Control-plane authentication: Authorization header → Principal (or null when there is no
 * token). The user and role come from the meta store through a PrincipalCache that every user,
 * role or permission change clears, so deleting a user or changing a role's permissions takes
 * effect at once, before the token expires.
 */
import { unauthenticated } from '../lib/errors.js';
import { isUuid } from '../lib/ids.js';
import type { MetaClient } from '../meta/meta-client.js';
import type { Principal } from './principal.js';
import type { PrincipalCache } from './principal-cache.js';
import type { Action } from '../lib/permissions.js';
import { ADMIN_AUDIENCE, bearerToken, type TokenService } from './tokens.js';

export async function authenticateAdmin(
  meta: MetaClient,
  tokens: TokenService,
  authorization: string | null | undefined,
  cache?: PrincipalCache,
): Promise<Principal | null> {
  const token = bearerToken(authorization);
  if (token === undefined) return null;
  const claims = await tokens.verify(token, ADMIN_AUDIENCE);
  if (!isUuid(claims.sub)) throw unauthenticated('invalid token');
  const cached = cache?.get(claims.sub);
  if (cached) return cached;
  const user = await meta.user.findFirst({
    where: { id: claims.sub, projectId: null },
    include: { role: { include: { permissions: true } } },
  });
  if (!user) throw unauthenticated('invalid token');
  const principal: Principal = {
    userId: user.id,
    email: user.email,
    role: user.role.name,
    permissions: user.role.permissions.map((p) => ({ action: p.action as Action, resource: p.resource })),
  };
  cache?.set(principal);
  return principal;
}
