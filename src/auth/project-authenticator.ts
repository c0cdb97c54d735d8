/**
 * Who calls a project endpoint:
 *   - no token                → the `anonymous` role (nothing unless granted), framed;
 *   - a project token (aud = the project's slug) → that project user with their current role, framed;
 *   - a control-plane token   → admin and service bypass row-level security by design; any other
 *                               control-plane role is framed like a project user.
 * A malformed, forged, expired or foreign-audience token is UNAUTHENTICATED, never anonymous.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { unauthenticated } from '../lib/errors.js';
import { isUuid } from '../lib/ids.js';
import { can, type Action, type PermissionGrant } from '../lib/permissions.js';
import type { MetaClient } from '../meta/meta-client.js';
import { authenticateAdmin } from './admin-authenticator.js';
import type { PrincipalCache } from './principal-cache.js';
import { ADMIN_AUDIENCE, bearerToken, type TokenService } from './tokens.js';

/** Another identity provider a project trusts (the project settings' externalIssuer; declared here, as auth/ does not import model/). */
export interface ExternalIssuerSettings {
  issuer: string;
  jwksUrl: string;
  audience: string;
  roleClaim: string;
  userIdClaim: string;
}

export interface ProjectPrincipal {
  userId: string | null;
  role: string;
  grants: readonly PermissionGrant[];
  /** admin and service: statements run as the table owner */
  bypass: boolean;
  /** what policies read through auth.uid(), auth.role(), auth.claim() */
  claims: Record<string, unknown>;
}

async function roleGrants(meta: MetaClient, cache: PrincipalCache, role: string): Promise<readonly PermissionGrant[]> {
  const key = `role:${role}`;
  const hit = cache.get(key);
  if (hit) return hit.permissions;
  const row = await meta.role.findUnique({ where: { name: role }, include: { permissions: true } });
  const permissions = (row?.permissions ?? []).map((p) => ({ action: p.action as Action, resource: p.resource }));
  cache.set({ userId: key, email: '', role, permissions });
  return permissions;
}

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** jose's remote key set: fetched on first use, cached, refetched when an unknown key id appears (rotation). */
function jwks(url: string) {
  let set = jwksByUrl.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { cooldownDuration: 5_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
    jwksByUrl.set(url, set);
  }
  return set;
}

/** A token of the project's external identity provider: verified with its JWKS, claims mapped to role and user. */
async function externalPrincipal(meta: MetaClient, cache: PrincipalCache, issuer: ExternalIssuerSettings, defaultRole: string, token: string): Promise<ProjectPrincipal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, jwks(issuer.jwksUrl), { issuer: issuer.issuer, audience: issuer.audience, algorithms: ['RS256', 'ES256'] }));
  } catch {
    throw unauthenticated('invalid token');
  }
  const userId = payload[issuer.userIdClaim];
  if (typeof userId !== 'string' || userId === '') throw unauthenticated(`the token has no ${issuer.userIdClaim} claim`);
  const claimed = payload[issuer.roleClaim];
  // an external issuer can name any custom role, never the privileged built-ins
  const role = typeof claimed === 'string' && !['admin', 'service'].includes(claimed) && (await meta.role.findUnique({ where: { name: claimed }, select: { id: true } })) ? claimed : defaultRole;
  const { iss: _iss, aud: _aud, iat: _iat, exp: _exp, nbf: _nbf, ...rest } = payload;
  return { userId, role, grants: await roleGrants(meta, cache, role), bypass: false, claims: { ...rest, sub: userId, role } };
}

export async function authenticateProject(
  meta: MetaClient,
  tokens: TokenService,
  cache: PrincipalCache,
  project: { id: string; slug: string; externalIssuer?: ExternalIssuerSettings | null; defaultRole?: string; ccpa?: boolean },
  authorization: string | null | undefined,
): Promise<ProjectPrincipal> {
  const token = bearerToken(authorization);
  if (token === undefined) {
    return { userId: null, role: 'anonymous', grants: await roleGrants(meta, cache, 'anonymous'), bypass: false, claims: { role: 'anonymous' } };
  }
  let audience: unknown;
  let issuer: unknown;
  try {
    ({ aud: audience, iss: issuer } = decodeJwt(token));
  } catch {
    throw unauthenticated('invalid token');
  }
  if (project.externalIssuer && issuer === project.externalIssuer.issuer) {
    return externalPrincipal(meta, cache, project.externalIssuer, project.defaultRole ?? 'authenticated', token);
  }
  if (audience === ADMIN_AUDIENCE) {
    const p = (await authenticateAdmin(meta, tokens, authorization, cache))!;
    const bypass = p.role === 'admin' || p.role === 'service' || can(p.permissions, 'MANAGE', '*');
    return { userId: p.userId, role: p.role, grants: p.permissions, bypass, claims: { sub: p.userId, role: p.role } };
  }
  const claims = await tokens.verify(token, project.slug);
  if (!isUuid(claims.sub)) throw unauthenticated('invalid token');
  const key = `${project.id}:${claims.sub}`;
  let cached = cache.get(key);
  if (!cached) {
    const user = await meta.user.findFirst({ where: { id: claims.sub, projectId: project.id }, include: { role: { include: { permissions: true } } } });
    if (!user) throw unauthenticated('invalid token');
    cached = {
      userId: key,
      email: user.email,
      role: user.role.name,
      permissions: user.role.permissions.map((p) => ({ action: p.action as Action, resource: p.resource })),
      dataSaleOptOut: user.dataSaleOptOut,
    };
    cache.set(cached);
  }
  const { iss: _iss, aud: _aud, iat: _iat, exp: _exp, nbf: _nbf, ...rest } = claims;
  const ccpa = project.ccpa ? { ccpa_opt_out: cached.dataSaleOptOut === true } : {};
  return { userId: claims.sub, role: cached.role, grants: cached.permissions, bypass: false, claims: { ...rest, sub: claims.sub, role: cached.role, ...ccpa } };
}
