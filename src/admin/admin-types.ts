/**
 * Control-plane object types.
 *
 *   type Permission { action: PermissionAction!  resource: String! }
 *   type Role { id: ID!  name: String!  builtIn: Boolean!  permissions: [Permission!]! }
 *   type User { id: ID!  email: String!  role: Role!  createdAt: DateTime!  updatedAt: DateTime! }
 *   type AuthPayload { token: String!  user: User! }
 *   type Project { id: ID!  name: String!  slug: String!  settings: ProjectSettings!  metadataVersion: Int!  owner: User  createdAt: DateTime!  updatedAt: DateTime! }
 *   type ProjectSettings { environment: Environment!  complianceFlags: ComplianceFlags!  rateLimits: RateLimits
 *                          allowSignUp: Boolean!  defaultRole: String!  maxPageSize: Int!  operationAllowList: Boolean! }
 *   type AuditLog { id: ID!  actorId: String  actorRole: String  projectId: ID  action: String!  targetType: String!  targetId: String  metadata: JSON!  timestamp: DateTime! }
 */
import { builder } from './admin-builder.js';
import { readSettings, type ProjectSettings } from './project-settings.js';
import { userLoader } from './loaders.js';

export const PermissionActionEnum = builder.enumType('PermissionAction', {
  values: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MANAGE'] as const,
});
export const EnvironmentEnum = builder.enumType('Environment', {
  values: ['DEVELOPMENT', 'STAGING', 'PRODUCTION'] as const,
});

interface PermissionShape {
  action: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'MANAGE';
  resource: string;
}
export interface RoleShape {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: PermissionShape[];
}
export interface UserShape {
  id: string;
  email: string;
  role: RoleShape;
  createdAt: Date;
  updatedAt: Date;
}
export interface ProjectShape {
  id: string;
  name: string;
  slug: string;
  settings: unknown;
  metadataVersion: number;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export interface AuditLogShape {
  id: string;
  actorId: string | null;
  actorRole: string | null;
  projectId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  metadata: unknown;
  timestamp: Date;
}

export const PermissionRef = builder.objectRef<PermissionShape>('Permission').implement({
  fields: (t) => ({
    action: t.field({ type: PermissionActionEnum, resolve: (p) => p.action }),
    resource: t.exposeString('resource'),
  }),
});

export const RoleRef = builder.objectRef<RoleShape>('Role').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    builtIn: t.exposeBoolean('builtIn'),
    permissions: t.field({ type: [PermissionRef], resolve: (r) => r.permissions }),
  }),
});

export const UserRef = builder.objectRef<UserShape>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    role: t.field({ type: RoleRef, resolve: (u) => u.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const AuthPayloadRef = builder.objectRef<{ token: string; user: UserShape }>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token'),
    user: t.field({ type: UserRef, resolve: (p) => p.user }),
  }),
});

const ComplianceFlagsRef = builder.objectRef<ProjectSettings['complianceFlags']>('ComplianceFlags').implement({
  fields: (t) => ({
    hipaaEnabled: t.exposeBoolean('hipaaEnabled'),
    gdprEnabled: t.exposeBoolean('gdprEnabled'),
    ccpaEnabled: t.exposeBoolean('ccpaEnabled'),
  }),
});

const RateLimitsRef = builder.objectRef<NonNullable<ProjectSettings['rateLimits']>>('RateLimits').implement({
  fields: (t) => ({
    requestsPerSecond: t.exposeFloat('requestsPerSecond'),
    burstSize: t.exposeInt('burstSize'),
  }),
});

const QueryLimitsRef = builder.objectRef<NonNullable<ProjectSettings['limits']>>('QueryLimits').implement({
  fields: (t) => ({ maxDepth: t.exposeInt('maxDepth'), maxAliases: t.exposeInt('maxAliases'), maxDirectives: t.exposeInt('maxDirectives'), maxCost: t.exposeInt('maxCost') }),
});

const ExternalIssuerRef = builder.objectRef<NonNullable<ProjectSettings['externalIssuer']>>('ExternalIssuer').implement({
  fields: (t) => ({
    issuer: t.exposeString('issuer'),
    jwksUrl: t.exposeString('jwksUrl'),
    audience: t.exposeString('audience'),
    roleClaim: t.exposeString('roleClaim'),
    userIdClaim: t.exposeString('userIdClaim'),
  }),
});

const ProjectSettingsRef = builder.objectRef<ProjectSettings>('ProjectSettings').implement({
  fields: (t) => ({
    environment: t.field({ type: EnvironmentEnum, resolve: (s) => s.environment }),
    complianceFlags: t.field({ type: ComplianceFlagsRef, resolve: (s) => s.complianceFlags }),
    rateLimits: t.field({ type: RateLimitsRef, nullable: true, resolve: (s) => s.rateLimits }),
    allowSignUp: t.exposeBoolean('allowSignUp'),
    defaultRole: t.exposeString('defaultRole'),
    maxPageSize: t.exposeInt('maxPageSize'),
    externalIssuer: t.field({ type: ExternalIssuerRef, nullable: true, resolve: (s) => s.externalIssuer }),
    limits: t.field({ type: QueryLimitsRef, nullable: true, resolve: (s) => s.limits }),
    operationAllowList: t.exposeBoolean('operationAllowList'),
  }),
});

export const ProjectRef = builder.objectRef<ProjectShape>('Project').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    settings: t.field({ type: ProjectSettingsRef, resolve: (p) => readSettings(p.settings) }),
    metadataVersion: t.exposeInt('metadataVersion'),
    owner: t.field({
      type: UserRef,
      nullable: true,
      resolve: (p, _args, ctx) => (p.ownerId === null ? null : (userLoader(ctx).load(p.ownerId) as Promise<UserShape | null>)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const AuditLogRef = builder.objectRef<AuditLogShape>('AuditLog').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    actorId: t.exposeString('actorId', { nullable: true }),
    actorRole: t.exposeString('actorRole', { nullable: true }),
    projectId: t.exposeID('projectId', { nullable: true }),
    action: t.exposeString('action'),
    targetType: t.exposeString('targetType'),
    targetId: t.exposeString('targetId', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
  }),
});
