/**
 * /projects/{slug}/graphql through yoga (GET, GraphiQL, errors, introspection, several mutation
 * fields, and everything the fast path hands over). The caller, its schema view and its request
 * context are resolved once by the pre-handler (fast-handler.ts) and arrive as server context,
 * so both paths authenticate and authorize identically.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { createYoga, type GraphQLParams } from 'graphql-yoga';
import { operationText } from '../graphql/persisted-operations.js';
import { KoyaError } from '../lib/errors.js';
import type { AdminDeps } from '../admin/admin-context.js';
import { projectLimitPlugins, projectLimits } from '../graphql/operation-limits.js';
import type { ProjectContext } from '../graphql/project-context.js';
import type { SchemaView } from '../graphql/schema-registry.js';
import { createMaskError, useBadUserInputValidation } from './mask-error.js';
import { useMutationTransaction } from './mutation-transaction.js';

export const PROJECT_PATH = /^\/projects\/([a-z][a-z0-9_-]{1,39})\/graphql\/?$/;

export function slugOf(url: string): string | undefined {
  return PROJECT_PATH.exec(new URL(url, 'http://x').pathname)?.[1];
}

/** What the pre-handler resolved for the request. */
export interface ProjectServerContext {
  koya: { view: SchemaView; context: ProjectContext };
}

/** A production project hides its schema (introspection, GraphiQL) from everyone but admin and service. */
function hidesSchema(server: ProjectServerContext | undefined): boolean {
  const koya = server?.koya;
  return koya !== undefined && koya.context.frame !== null && koya.view.plans.model.environment === 'PRODUCTION';
}

const useProductionIntrospection = {
  onValidate({ context, addValidationRule }: { context: unknown; addValidationRule: (rule: ValidationRule) => void }) {
    if (hidesSchema(context as ProjectServerContext)) addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

/** Persisted queries and the allow list on the yoga path (the fast path asks the same function). */
const usePersistedOperations = {
  onParams({ params, setParams, context }: { params: GraphQLParams; setParams: (p: GraphQLParams) => void; context: unknown }) {
    const koya = (context as ProjectServerContext).koya;
    try {
      const query = operationText(koya.view.plans.model, params.query, params.extensions, koya.context.frame === null);
      if (query !== params.query) setParams({ ...params, query });
    } catch (err) {
      if (!(err instanceof KoyaError)) throw err;
      // thrown, not setResult: yoga's own params checks run after this hook and would replace a result
      throw new GraphQLError(err.message, { extensions: { code: err.code, ...(err.details ?? {}), http: { status: 200 } } });
    }
  },
};

export function createProjectEndpoint(deps: AdminDeps) {
  return createYoga<ProjectServerContext, ProjectContext>({
    graphqlEndpoint: '/projects/:slug/graphql',
    landingPage: false,
    logging: false,
    renderGraphiQL,
    // production: GraphiQL only for callers who bypass row-level security (admin, service)
    graphiql: (request, server) =>
      hidesSchema(server as ProjectServerContext) ? false : { title: `KoyaLite · ${slugOf(request.url)}`, endpoint: new URL(request.url).pathname },
    maskedErrors: { maskError: createMaskError(deps.log) },
    plugins: [
      ...projectLimitPlugins((context) => projectLimits((context as ProjectServerContext).koya.view.plans.model.limits)),
      usePersistedOperations,
      useProductionIntrospection,
      useBadUserInputValidation,
      useMutationTransaction,
    ],
    schema: ({ koya }) => koya.view.schema,
    context: ({ koya }) => koya.context,
  });
}
