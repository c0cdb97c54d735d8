/**
 * /admin/graphql: the control plane on graphql-yoga, with offline GraphiQL.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { AdminContext, AdminDeps } from '../admin/admin-context.js';
import { adminSchema } from '../admin/admin-schema.js';
import { authenticateAdmin } from '../auth/admin-authenticator.js';
import { limitPlugins } from '../graphql/operation-limits.js';
import { createMaskError, useBadUserInputValidation } from './mask-error.js';

export const ADMIN_PATH = '/admin/graphql';

export function createAdminEndpoint(deps: AdminDeps): YogaServerInstance<Record<string, unknown>, AdminContext> {
  return createYoga<Record<string, unknown>, AdminContext>({
    schema: adminSchema(),
    graphqlEndpoint: ADMIN_PATH,
    landingPage: false,
    logging: false,
    renderGraphiQL,
    graphiql: { title: 'KoyaLite admin' },
    maskedErrors: { maskError: createMaskError(deps.log) },
    plugins: [...limitPlugins(), useBadUserInputValidation],
    context: async ({ request }): Promise<AdminContext> => ({
      ...deps,
      principal: await authenticateAdmin(deps.meta, deps.tokens, request.headers.get('authorization'), deps.principals),
    }),
  });
}
