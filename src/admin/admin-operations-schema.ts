/**
 * Control-plane fields for persisted operations (allow list / persisted queries).
 *
 *   type PersistedOperation { id name sha256 query createdAt }
 *   extend type Query { operations(projectSlug: String!): [PersistedOperation!]! }
 *   extend type Mutation { registerOperation(input: RegisterOperationInput!): PersistedOperation!
 *                          deleteOperation(input: DeleteOperationInput!): PersistedOperation! }
 * Clients send `extensions: { persistedQuery: { version: 1, sha256Hash } }` instead of the text;
 * with settings.operationAllowList only registered operations run (admin and service excepted).
 */
import { builder } from './admin-builder.js';
import { requirePermission } from './admin-context.js';
import { deleteOperation, registerOperation } from './operations-service.js';

interface OperationShape {
  id: string;
  name: string;
  sha256: string;
  query: string;
  createdAt: Date;
}

const OperationRef = builder.objectRef<OperationShape>('PersistedOperation').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    sha256: t.exposeString('sha256'),
    query: t.exposeString('query'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const RegisterOperationInput = builder.inputType('RegisterOperationInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), name: t.string({ required: true }), query: t.string({ required: true }) }),
});
const DeleteOperationInput = builder.inputType('DeleteOperationInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), name: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  operations: t.field({
    type: [OperationRef],
    args: { projectSlug: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      requirePermission(ctx, 'SELECT', `${args.projectSlug}:*`);
      return ctx.meta.persistedOperation.findMany({ where: { project: { slug: args.projectSlug } }, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }] });
    },
  }),
}));

builder.mutationFields((t) => ({
  registerOperation: t.field({
    type: OperationRef,
    args: { input: t.arg({ type: RegisterOperationInput, required: true }) },
    resolve: (_r, { input }, ctx) => registerOperation(ctx, input),
  }),
  deleteOperation: t.field({
    type: OperationRef,
    args: { input: t.arg({ type: DeleteOperationInput, required: true }) },
    resolve: (_r, { input }, ctx) => deleteOperation(ctx, input),
  }),
}));
