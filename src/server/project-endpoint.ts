/**
 * /projects/{slug}/graphql: one yoga serving every project, with the schema of the request's
 * project from the registry (the same instance per metadata version, so yoga's parse and
 * validation caches apply).
 *
 * Access (until roles, policies and project identities land): a control-plane token whose role
 * may select from the project (`<slug>:*`), e.g. an admin. Anything else is refused, so no
 * data is exposed before row-level security exists.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import type { AdminDeps } from '../admin/admin-context.js';
import { authenticateAdmin } from '../auth/admin-authenticator.js';
import { can } from '../lib/permissions.js';
import type { ProjectContext } from '../graphql/project-context.js';
import type { SchemaRegistry } from '../graphql/schema-registry.js';
import { forbidden, unauthenticated } from '../lib/errors.js';
import { limitPlugins } from '../graphql/operation-limits.js';
import { createMaskError, useBadUserInputValidation } from './mask-error.js';
import { useMutationTransaction } from './mutation-transaction.js';

export const PROJECT_PATH = /^\/projects\/([a-z][a-z0-9_-]{1,39})\/graphql\/?$/;

export function slugOf(url: string): string | undefined {
  return PROJECT_PATH.exec(new URL(url, 'http://x').pathname)?.[1];
}

export function createProjectEndpoint(deps: AdminDeps, registry: SchemaRegistry) {
  return createYoga<Record<string, unknown>, ProjectContext>({
    graphqlEndpoint: '/projects/:slug/graphql',
    landingPage: false,
    logging: false,
    renderGraphiQL,
    graphiql: (request) => ({ title: `KoyaLite · ${slugOf(request.url)}`, endpoint: new URL(request.url).pathname }),
    maskedErrors: { maskError: createMaskError(deps.log) },
    plugins: [...limitPlugins(), useBadUserInputValidation, useMutationTransaction],
    schema: async ({ request }) => {
      const entry = await registry.get(slugOf(request.url)!);
      // the router only forwards requests for existing projects
      return entry!.schema;
    },
    context: async ({ request }): Promise<ProjectContext> => {
      const slug = slugOf(request.url)!;
      const principal = await authenticateAdmin(deps.meta, deps.tokens, request.headers.get('authorization'), deps.principals);
      if (!principal) throw unauthenticated('sign in: this project endpoint needs a token');
      if (!can(principal.permissions, 'SELECT', `${slug}:*`)) throw forbidden(`no access to project ${slug}`);
      return { db: deps.db, role: principal.role, userId: principal.userId, cipher: deps.cipher };
    },
  });
}
