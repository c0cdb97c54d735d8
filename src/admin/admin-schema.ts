/**
 * The control-plane schema: queries and mutations of /admin/graphql (first slice: identity,
 * roles, projects, audit log).
 *
 *   type Query { me: User  users: [User!]!  roles: [Role!]!  role(name: String!): Role
 *                projects: [Project!]!  project(slug: String!): Project
 *                auditLogs(filter: AuditLogFilter, limit: Int = 100, offset: Int = 0): [AuditLog!]! }
 *   type Mutation { signIn(email: String!, password: String!): AuthPayload!
 *                   createUser(input: CreateUserInput!): User!  deleteUser(input: DeleteUserInput!): User!
 *                   createRole / updateRole (input: RoleInput!): Role!  deleteRole(input: DeleteRoleInput!): Role!
 *                   createProject(input: CreateProjectInput!): Project!  updateProject(input: UpdateProjectInput!): Project!
 *                   deleteProject(input: DeleteProjectInput!): Project! }
 */
import type { GraphQLSchema } from 'graphql';
import { builder } from './admin-builder.js';
import './admin-tables-schema.js';
import './admin-policies-schema.js';
import './admin-vector-indexes-schema.js';
import './admin-operations-schema.js';
import './admin-webhooks-schema.js';
import { requireAdmin, requireSignedIn } from './admin-context.js';
import { AuditLogRef, AuthPayloadRef, EnvironmentEnum, PermissionActionEnum, ProjectRef, RoleRef, UserRef } from './admin-types.js';
import { listAuditLogs } from './audit-service.js';
import { createProject, deleteProject, getProject, listProjects, updateProject } from './projects-service.js';
import { createRole, deleteRole, roleInclude, updateRole } from './roles-service.js';
import { createUser, deleteUser, signIn, userInclude } from './users-service.js';

const PermissionInput = builder.inputType('PermissionInput', {
  fields: (t) => ({
    action: t.field({ type: PermissionActionEnum, required: true }),
    resource: t.string({ required: true }),
  }),
});

const RoleInput = builder.inputType('RoleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    permissions: t.field({ type: [PermissionInput] }),
  }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    roleName: t.string(),
  }),
});

const ComplianceFlagsInput = builder.inputType('ComplianceFlagsInput', {
  fields: (t) => ({ hipaaEnabled: t.boolean(), gdprEnabled: t.boolean(), ccpaEnabled: t.boolean() }),
});
const RateLimitsInput = builder.inputType('RateLimitsInput', {
  fields: (t) => ({ requestsPerSecond: t.float({ required: true }), burstSize: t.int({ required: true }) }),
});
const QueryLimitsInput = builder.inputType('QueryLimitsInput', {
  fields: (t) => ({ maxDepth: t.int({ required: true }), maxAliases: t.int({ required: true }), maxDirectives: t.int({ required: true }), maxCost: t.int({ required: true }) }),
});
const ExternalIssuerInput = builder.inputType('ExternalIssuerInput', {
  fields: (t) => ({
    issuer: t.string({ required: true }),
    jwksUrl: t.string({ required: true }),
    audience: t.string({ required: true }),
    roleClaim: t.string(),
    userIdClaim: t.string(),
  }),
});
const ProjectSettingsInput = builder.inputType('ProjectSettingsInput', {
  fields: (t) => ({
    environment: t.field({ type: EnvironmentEnum }),
    complianceFlags: t.field({ type: ComplianceFlagsInput }),
    rateLimits: t.field({ type: RateLimitsInput }),
    allowSignUp: t.boolean(),
    defaultRole: t.string(),
    maxPageSize: t.int(),
    externalIssuer: t.field({ type: ExternalIssuerInput }),
    limits: t.field({ type: QueryLimitsInput }),
    operationAllowList: t.boolean(),
  }),
});

const CreateProjectInput = builder.inputType('CreateProjectInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ required: true }),
    settings: t.field({ type: ProjectSettingsInput }),
  }),
});
const UpdateProjectInput = builder.inputType('UpdateProjectInput', {
  fields: (t) => ({
    slug: t.string({ required: true }),
    name: t.string(),
    settings: t.field({ type: ProjectSettingsInput }),
  }),
});
const SlugInput = builder.inputType('DeleteProjectInput', { fields: (t) => ({ slug: t.string({ required: true }) }) });
const NameInput = builder.inputType('DeleteRoleInput', { fields: (t) => ({ name: t.string({ required: true }) }) });
const IdInput = builder.inputType('DeleteUserInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    projectSlug: t.string(),
    action: t.string(),
    actorId: t.string(),
    targetType: t.string(),
    targetId: t.string(),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime' }),
  }),
});

builder.queryType({
  fields: (t) => ({
    me: t.field({
      type: UserRef,
      nullable: true,
      resolve: (_root, _args, ctx) => {
        const p = requireSignedIn(ctx);
        return ctx.meta.user.findUnique({ where: { id: p.userId }, include: userInclude });
      },
    }),
    users: t.field({
      type: [UserRef],
      resolve: (_root, _args, ctx) => {
        requireAdmin(ctx);
        return ctx.meta.user.findMany({ where: { projectId: null }, include: userInclude, orderBy: { createdAt: 'asc' } });
      },
    }),
    roles: t.field({
      type: [RoleRef],
      resolve: (_root, _args, ctx) => {
        requireAdmin(ctx);
        return ctx.meta.role.findMany({ include: roleInclude, orderBy: { name: 'asc' } });
      },
    }),
    role: t.field({
      type: RoleRef,
      nullable: true,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => {
        requireAdmin(ctx);
        return ctx.meta.role.findUnique({ where: { name: args.name }, include: roleInclude });
      },
    }),
    projects: t.field({ type: [ProjectRef], resolve: (_root, _args, ctx) => listProjects(ctx) }),
    project: t.field({
      type: ProjectRef,
      nullable: true,
      args: { slug: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => getProject(ctx, args.slug),
    }),
    auditLogs: t.field({
      type: [AuditLogRef],
      args: {
        filter: t.arg({ type: AuditLogFilter }),
        limit: t.arg.int({ defaultValue: 100 }),
        offset: t.arg.int({ defaultValue: 0 }),
      },
      resolve: (_root, args, ctx) => listAuditLogs(ctx, args.filter, args.limit ?? 100, args.offset ?? 0),
    }),
  }),
});

builder.mutationType({
  fields: (t) => ({
    signIn: t.field({
      type: AuthPayloadRef,
      args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => signIn(ctx, args.email, args.password),
    }),
    createUser: t.field({
      type: UserRef,
      args: { input: t.arg({ type: CreateUserInput, required: true }) },
      resolve: (_root, { input }, ctx) => createUser(ctx, input),
    }),
    deleteUser: t.field({
      type: UserRef,
      args: { input: t.arg({ type: IdInput, required: true }) },
      resolve: (_root, { input }, ctx) => deleteUser(ctx, String(input.id)),
    }),
    createRole: t.field({
      type: RoleRef,
      args: { input: t.arg({ type: RoleInput, required: true }) },
      resolve: (_root, { input }, ctx) => createRole(ctx, input),
    }),
    updateRole: t.field({
      type: RoleRef,
      args: { input: t.arg({ type: RoleInput, required: true }) },
      resolve: (_root, { input }, ctx) => updateRole(ctx, input),
    }),
    deleteRole: t.field({
      type: RoleRef,
      args: { input: t.arg({ type: NameInput, required: true }) },
      resolve: (_root, { input }, ctx) => deleteRole(ctx, input.name),
    }),
    createProject: t.field({
      type: ProjectRef,
      args: { input: t.arg({ type: CreateProjectInput, required: true }) },
      resolve: (_root, { input }, ctx) => createProject(ctx, input),
    }),
    updateProject: t.field({
      type: ProjectRef,
      args: { input: t.arg({ type: UpdateProjectInput, required: true }) },
      resolve: (_root, { input }, ctx) => updateProject(ctx, input),
    }),
    deleteProject: t.field({
      type: ProjectRef,
      args: { input: t.arg({ type: SlugInput, required: true }) },
      resolve: (_root, { input }, ctx) => deleteProject(ctx, input.slug),
    }),
  }),
});

let schema: GraphQLSchema | undefined;
/** Built once per process: the control-plane schema does not depend on metadata. */
export function adminSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}
