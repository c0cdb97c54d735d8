/**
 * Who calls a project endpoint, and the context their statements run in: one definition for
 * HTTP (fast-handler.ts) and websockets (realtime-endpoint.ts), so both authenticate and frame
 * a caller identically.
 */
import type { AdminDeps } from '../admin/admin-context.js';
import { authenticateProject, type ProjectPrincipal } from '../auth/project-authenticator.js';
import type { ProjectIdentity } from '../graphql/identity-schema.js';
import type { ProjectContext } from '../graphql/project-context.js';
import type { ProjectSchema } from '../graphql/schema-registry.js';

export function authenticateCaller(deps: AdminDeps, entry: ProjectSchema, authorization: string | undefined): Promise<ProjectPrincipal> {
  const model = entry.model;
  return authenticateProject(deps.meta, deps.tokens, deps.principals, { id: entry.projectId, slug: entry.slug, externalIssuer: model.externalIssuer, defaultRole: model.defaultRole, ccpa: model.compliance.ccpa }, authorization);
}

/** Admin and service run as the owner (row-level security bypassed by design); everyone else in a frame of role and claims. */
export function callerContext(deps: AdminDeps, identity: ProjectIdentity, principal: ProjectPrincipal): ProjectContext {
  return {
    db: deps.db,
    role: principal.role,
    userId: principal.userId,
    cipher: deps.cipher,
    frame: principal.bypass ? null : { claims: JSON.stringify(principal.claims) },
    identity,
  };
}
