/**
 * Roles and their permissions. Built-in roles: admin and service (everything; immutable),
 * authenticated and anonymous (nothing until granted; their permissions may be replaced).
 */
import { isValidResource, type PermissionGrant } from '../lib/permissions.js';
import { badInput, conflict, notFound } from '../lib/errors.js';
import { recordAudit } from '../meta/audit.js';
import { isUniqueViolation } from '../meta/prisma-errors.js';
import { notifyAuthChange } from './auth-change.js';
import { actorOf, requireAdmin, type AdminContext } from './admin-context.js';

const ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const IMMUTABLE = new Set(['admin', 'service']);

export const roleInclude = {
  permissions: { orderBy: [{ resource: 'asc' as const }, { action: 'asc' as const }] },
};

export interface RoleInput {
  name: string;
  permissions?: PermissionGrant[] | null;
}

function validatePermissions(permissions: PermissionGrant[]): PermissionGrant[] {
  const seen = new Set<string>();
  const out: PermissionGrant[] = [];
  permissions.forEach((p, i) => {
    if (!isValidResource(p.resource)) {
      throw badInput(`permissions[${i}].resource "${p.resource}" is not *, <slug>:*, <slug>:<table> or <slug>:<table>.<column>`, { field: `permissions[${i}].resource` });
    }
    const key = `${p.action} ${p.resource}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  });
  return out;
}

export async function createRole(ctx: AdminContext, input: RoleInput) {
  const principal = requireAdmin(ctx);
  if (!ROLE_NAME.test(input.name)) {
    throw badInput('role name must be lowercase letters, digits and underscores, starting with a letter', { field: 'name' });
  }
  const permissions = validatePermissions(input.permissions ?? []);
  try {
    return await ctx.meta.$transaction(async (tx) => {
      if (await tx.role.findUnique({ where: { name: input.name }, select: { id: true } })) {
        throw conflict(`role "${input.name}" already exists`, { fields: ['name'] });
      }
      const role = await tx.role.create({
        data: { name: input.name, permissions: { create: permissions } },
        include: roleInclude,
      });
      await recordAudit(tx, { ...actorOf(principal), action: 'role.create', targetType: 'Role', targetId: role.id, metadata: { name: role.name, permissions } });
      return role;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`role "${input.name}" already exists`, { fields: ['name'] });
    throw err;
  }
}

/** Replaces the role's permissions with the given list. */
export async function updateRole(ctx: AdminContext, input: RoleInput) {
  const principal = requireAdmin(ctx);
  if (IMMUTABLE.has(input.name)) throw badInput(`the built-in role "${input.name}" cannot be changed`, { field: 'name' });
  const permissions = validatePermissions(input.permissions ?? []);
  const updated = await ctx.meta.$transaction(async (tx) => {
    const role = await tx.role.findUnique({ where: { name: input.name } });
    if (!role) throw notFound(`role "${input.name}" not found`);
    await tx.permission.deleteMany({ where: { roleId: role.id } });
    await tx.permission.createMany({ data: permissions.map((p) => ({ ...p, roleId: role.id })) });
    await recordAudit(tx, { ...actorOf(principal), action: 'role.update', targetType: 'Role', targetId: role.id, metadata: { name: role.name, permissions } });
    await notifyAuthChange(tx);
    return tx.role.findUniqueOrThrow({ where: { id: role.id }, include: roleInclude });
  });
  ctx.principals.clear();
  return updated;
}

export async function deleteRole(ctx: AdminContext, name: string) {
  const principal = requireAdmin(ctx);
  return ctx.meta.$transaction(async (tx) => {
    const role = await tx.role.findUnique({ where: { name }, include: roleInclude });
    if (!role) throw notFound(`role "${name}" not found`);
    if (role.builtIn) throw badInput(`the built-in role "${name}" cannot be deleted`, { field: 'name' });
    const users = await tx.user.count({ where: { roleId: role.id } });
    if (users > 0) throw conflict(`role "${name}" is assigned to ${users} user(s); reassign them first`);
    await tx.role.delete({ where: { id: role.id } });
    await recordAudit(tx, { ...actorOf(principal), action: 'role.delete', targetType: 'Role', targetId: role.id, metadata: { name } });
    await notifyAuthChange(tx);
    return role;
  });
}
