/**
 * Control-plane fields for row-level security.
 *
 *   enum PolicyEffect { ALLOW DENY }   enum PolicyCommand { ALL SELECT INSERT UPDATE DELETE }
 *   type Policy { id name table check effect command enabled }
 *   extend type Query { policies(projectSlug: String!, table: String): [Policy!]! }
 *   extend type Mutation { createPolicy(input: PolicyInput!): Policy!  updatePolicy(input: UpdatePolicyInput!): Policy!
 *                          deletePolicy(input: DeletePolicyInput!): Policy!
 *                          enableRowLevelSecurity(input: RowLevelSecurityInput!): Table! }
 */
import { builder } from './admin-builder.js';
import { requirePermission } from './admin-context.js';
import { TableRef } from './admin-tables-schema.js';
import { createPolicy, deletePolicy, enableRowLevelSecurity, updatePolicy } from './policies-service.js';

const EffectEnum = builder.enumType('PolicyEffect', { values: ['ALLOW', 'DENY'] as const });
const CommandEnum = builder.enumType('PolicyCommand', { values: ['ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const });

interface PolicyShape {
  id: string;
  name: string;
  table: string;
  check: string;
  effect: 'ALLOW' | 'DENY';
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  enabled: boolean;
}

const PolicyRef = builder.objectRef<PolicyShape>('Policy').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    table: t.exposeString('table'),
    check: t.exposeString('check'),
    effect: t.field({ type: EffectEnum, resolve: (p) => p.effect }),
    command: t.field({ type: CommandEnum, resolve: (p) => p.command }),
    enabled: t.exposeBoolean('enabled'),
  }),
});

const PolicyInput = builder.inputType('PolicyInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    table: t.string({ required: true }),
    name: t.string({ required: true }),
    check: t.string({ required: true }),
    effect: t.field({ type: EffectEnum }),
    enabled: t.boolean(),
    command: t.field({ type: CommandEnum }),
  }),
});
const UpdatePolicyInput = builder.inputType('UpdatePolicyInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    table: t.string({ required: true }),
    name: t.string({ required: true }),
    check: t.string(),
    effect: t.field({ type: EffectEnum }),
    enabled: t.boolean(),
    command: t.field({ type: CommandEnum }),
  }),
});
const DeletePolicyInput = builder.inputType('DeletePolicyInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), table: t.string({ required: true }), name: t.string({ required: true }) }),
});
const RowLevelSecurityInput = builder.inputType('RowLevelSecurityInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), table: t.string({ required: true }), enabled: t.boolean({ required: true }) }),
});

builder.queryFields((t) => ({
  policies: t.field({
    type: [PolicyRef],
    args: { projectSlug: t.arg.string({ required: true }), table: t.arg.string() },
    resolve: async (_r, args, ctx) => {
      requirePermission(ctx, 'SELECT', `${args.projectSlug}:*`);
      const rows = await ctx.meta.policy.findMany({
        where: { table: { project: { slug: args.projectSlug }, ...(args.table ? { name: args.table } : {}) } },
        include: { table: { select: { name: true } } },
        orderBy: [{ createdAt: 'asc' }],
      });
      return rows.map((p) => ({ ...p, table: p.table.name }));
    },
  }),
}));

builder.mutationFields((t) => ({
  createPolicy: t.field({ type: PolicyRef, args: { input: t.arg({ type: PolicyInput, required: true }) }, resolve: (_r, { input }, ctx) => createPolicy(ctx, input) }),
  updatePolicy: t.field({ type: PolicyRef, args: { input: t.arg({ type: UpdatePolicyInput, required: true }) }, resolve: (_r, { input }, ctx) => updatePolicy(ctx, input) }),
  deletePolicy: t.field({ type: PolicyRef, args: { input: t.arg({ type: DeletePolicyInput, required: true }) }, resolve: (_r, { input }, ctx) => deletePolicy(ctx, input) }),
  enableRowLevelSecurity: t.field({
    type: TableRef,
    args: { input: t.arg({ type: RowLevelSecurityInput, required: true }) },
    resolve: (_r, { input }, ctx) => enableRowLevelSecurity(ctx, input),
  }),
}));
