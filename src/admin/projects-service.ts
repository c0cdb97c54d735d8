/**
 * Projects: a metadata row plus a Postgres schema of the same name, created and dropped in the
 * same transaction as the row (either both exist or neither).
 */
import { badInput, conflict, notFound } from '../lib/errors.js';
import { ident, sql } from '../lib/sql.js';
import { recordAudit } from '../meta/audit.js';
import { execInTx } from '../meta/meta-client.js';
import { isUniqueViolation } from '../meta/prisma-errors.js';
import { can } from '../lib/permissions.js';
import { actorOf, requireAdmin, requirePermission, requireSignedIn, type AdminContext } from './admin-context.js';
import { METADATA_CHANNEL, metadataTransaction } from './metadata-change.js';
import { DEFAULT_SETTINGS, mergeSettings, readSettings, type ProjectSettingsInput } from './project-settings.js';
import { schemaNameForSlug, validateSlug } from './project-slug.js';

export interface CreateProjectInput {
  name: string;
  slug: string;
  settings?: ProjectSettingsInput | null;
}

export interface UpdateProjectInput {
  slug: string;
  name?: string | null;
  settings?: ProjectSettingsInput | null;
}

function validateName(name: string): string {
  const n = name.trim();
  if (n.length < 1 || n.length > 200) throw badInput('name must be 1-200 characters', { field: 'name' });
  return n;
}

async function assertRoleExists(ctx: AdminContext, roleName: string): Promise<void> {
  const role = await ctx.meta.role.findUnique({ where: { name: roleName }, select: { id: true } });
  if (!role) throw badInput(`settings.defaultRole: role "${roleName}" does not exist`, { field: 'settings.defaultRole' });
}

export async function createProject(ctx: AdminContext, input: CreateProjectInput) {
  const principal = requireAdmin(ctx);
  const slug = validateSlug(input.slug);
  const name = validateName(input.name);
  const settings = mergeSettings(DEFAULT_SETTINGS, input.settings);
  await assertRoleExists(ctx, settings.defaultRole);
  const schemaName = schemaNameForSlug(slug);
  const taken = await ctx.meta.project.findFirst({ where: { OR: [{ slug }, { schemaName }] }, select: { slug: true } });
  if (taken) throw conflict(`a project with slug "${taken.slug}" already exists`, { fields: ['slug'] });
  try {
    return await ctx.meta.$transaction(async (tx) => {
      const project = await tx.project.create({
        data: { name, slug, schemaName, ownerId: principal.userId, settings: settings as object },
      });
      await execInTx(tx, sql`CREATE SCHEMA ${ident(schemaName)}`);
      // requests of non-admin callers run as koyalite_user; row-level policies decide what it sees
      for (const grant of projectGrants(schemaName)) await execInTx(tx, grant);
      await recordAudit(tx, { ...actorOf(principal), projectId: project.id, action: 'project.create', targetType: 'Project', targetId: project.id, metadata: { slug, name } });
      return project;
    });
  } catch (err) {
    if (isUniqueViolation(err) || pgDuplicateSchema(err)) throw conflict(`a project with slug "${slug}" already exists`, { fields: ['slug'] });
    throw err;
  }
}

export async function updateProject(ctx: AdminContext, input: UpdateProjectInput) {
  const principal = requirePermission(ctx, 'MANAGE', `${input.slug}:*`);
  const current = await ctx.meta.project.findUnique({ where: { slug: input.slug } });
  if (!current) throw notFound(`project "${input.slug}" not found`);
  const settings = mergeSettings(readSettings(current.settings), input.settings);
  if (input.settings?.defaultRole) await assertRoleExists(ctx, settings.defaultRole);
  const name = input.name === undefined || input.name === null ? current.name : validateName(input.name);
  return metadataTransaction(ctx, current.id, async (tx) => {
    const project = await tx.project.update({
      where: { id: current.id },
      data: { name, settings: settings as object, metadataVersion: { increment: 1 } },
    });
    await execInTx(tx, sql`SELECT pg_notify(${METADATA_CHANNEL}, ${project.id})`);
    await recordAudit(tx, {
      ...actorOf(principal),
      projectId: project.id,
      action: 'project.update',
      targetType: 'Project',
      targetId: project.id,
      metadata: { changed: [...(input.name != null ? ['name'] : []), ...Object.keys(input.settings ?? {}).map((k) => `settings.${k}`)] },
    });
    return project;
  });
}

export async function deleteProject(ctx: AdminContext, slug: string) {
  const principal = requireAdmin(ctx);
  const existing = await ctx.meta.project.findUnique({ where: { slug }, select: { id: true } });
  if (!existing) throw notFound(`project "${slug}" not found`);
  return metadataTransaction(ctx, existing.id, async (tx) => {
    const project = await tx.project.findUnique({ where: { slug } });
    if (!project) throw notFound(`project "${slug}" not found`);
    await tx.project.delete({ where: { id: project.id } });
    await execInTx(tx, sql`DROP SCHEMA IF EXISTS ${ident(project.schemaName)} CASCADE`);
    await execInTx(tx, sql`SELECT pg_notify(${METADATA_CHANNEL}, ${project.id})`);
    await recordAudit(tx, { ...actorOf(principal), projectId: project.id, action: 'project.delete', targetType: 'Project', targetId: project.id, metadata: { slug } });
    return project;
  });
}

/** Projects the principal has any permission on. */
export async function listProjects(ctx: AdminContext) {
  const principal = requireSignedIn(ctx);
  const all = await ctx.meta.project.findMany({ orderBy: { createdAt: 'asc' } });
  return all.filter((p) => principal.permissions.some((g) => g.resource === '*' || g.resource.startsWith(`${p.slug}:`)));
}

export async function getProject(ctx: AdminContext, slug: string) {
  const principal = requireSignedIn(ctx);
  const project = await ctx.meta.project.findUnique({ where: { slug } });
  const visible = project && (can(principal.permissions, 'SELECT', `${slug}:*`) || principal.permissions.some((g) => g.resource.startsWith(`${slug}:`)));
  return visible ? project : null;
}

/** Privileges of the request role on a project's schema (tables created later included). */
export function projectGrants(schema: string) {
  const s = ident(schema);
  return [
    sql`GRANT USAGE ON SCHEMA ${s} TO koyalite_user`,
    sql`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO koyalite_user`,
    sql`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO koyalite_user`,
  ];
}

function pgDuplicateSchema(err: unknown): boolean {
  // 42P06 duplicate_schema: a leftover schema of that name (created outside KoyaLite)
  const text = String((err as { message?: unknown })?.message ?? '');
  return text.includes('42P06') || /schema .* already exists/.test(text);
}
