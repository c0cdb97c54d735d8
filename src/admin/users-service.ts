/**
 * Control-plane users: sign-in, creation, deletion, bootstrap admin.
 */
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/password.js';
import { ADMIN_AUDIENCE } from '../auth/tokens.js';
import { badInput, conflict, KoyaError, notFound } from '../lib/errors.js';
import { assertUuid } from '../lib/ids.js';
import { recordAudit } from '../meta/audit.js';
import { isUniqueViolation } from '../meta/prisma-errors.js';
import type { MetaClient } from '../meta/meta-client.js';
import { notifyAuthChange } from './auth-change.js';
import { actorOf, requireAdmin, type AdminContext, type AdminDeps } from './admin-context.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const userInclude = { role: { include: { permissions: true } } } as const;

export function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) throw badInput('email is not a valid address', { field: 'email' });
  return e;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw badInput(`password must be at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
}

/** Wrong password and unknown email give the same error after the same amount of work. */
export async function signIn(deps: AdminDeps, email: string, password: string) {
  const user = await deps.meta.user.findFirst({
    where: { email: email.trim().toLowerCase(), projectId: null },
    include: userInclude,
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new KoyaError('UNAUTHENTICATED', 'invalid email or password');
  await deps.meta.$transaction((tx) =>
    recordAudit(tx, { actorId: user.id, actorRole: user.role.name, action: 'auth.sign_in', targetType: 'User', targetId: user.id }),
  );
  const token = await deps.tokens.sign(user.id, user.role.name, ADMIN_AUDIENCE);
  return { token, user };
}

export interface CreateUserInput {
  email: string;
  password: string;
  roleName?: string | null;
}

export async function createUser(ctx: AdminContext, input: CreateUserInput) {
  const principal = requireAdmin(ctx);
  return insertUser(ctx.meta, input, actorOf(principal));
}

/** Shared by the API, the CLI and the bootstrap admin (actor null = the system). */
export async function insertUser(
  meta: MetaClient,
  input: CreateUserInput,
  actor: { actorId: string | null; actorRole: string | null },
) {
  const email = normalizeEmail(input.email);
  checkPassword(input.password);
  const roleName = input.roleName ?? 'authenticated';
  const passwordHash = await hashPassword(input.password);
  return meta.$transaction(async (tx) => {
    const role = await tx.role.findUnique({ where: { name: roleName } });
    if (!role) throw badInput(`role "${roleName}" does not exist`, { field: 'roleName' });
    if (role.name === 'anonymous') throw badInput('users cannot have the anonymous role', { field: 'roleName' });
    const existing = await tx.user.findFirst({ where: { email, projectId: null }, select: { id: true } });
    if (existing) throw conflict(`a user with email ${email} already exists`, { fields: ['email'] });
    try {
      const user = await tx.user.create({ data: { email, passwordHash, roleId: role.id }, include: userInclude });
      await recordAudit(tx, { ...actor, action: 'user.create', targetType: 'User', targetId: user.id, metadata: { email, role: roleName } });
      return user;
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a user with email ${email} already exists`, { fields: ['email'] });
      throw err;
    }
  });
}

export async function deleteUser(ctx: AdminContext, rawId: string) {
  const principal = requireAdmin(ctx);
  const id = assertUuid(rawId);
  if (id === principal.userId) throw badInput('you cannot delete your own account', { field: 'id' });
  const deleted = await ctx.meta.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id, projectId: null }, include: userInclude });
    if (!user) throw notFound(`user ${id} not found`);
    await tx.user.delete({ where: { id } });
    await recordAudit(tx, { ...actorOf(principal), action: 'user.delete', targetType: 'User', targetId: id, metadata: { email: user.email } });
    await notifyAuthChange(tx);
    return user;
  });
  ctx.principals.clear();
  return deleted;
}

/** Creates the admin from KOYALITE_ADMIN_EMAIL/PASSWORD on first start; a no-op when it exists. */
export async function ensureBootstrapAdmin(meta: MetaClient, email: string, password: string): Promise<boolean> {
  const normalized = normalizeEmail(email);
  const existing = await meta.user.findFirst({ where: { email: normalized, projectId: null }, select: { id: true } });
  if (existing) return false;
  try {
    await insertUser(meta, { email: normalized, password, roleName: 'admin' }, { actorId: null, actorRole: 'system' });
    return true;
  } catch (err) {
    // another instance bootstrapped it first
    if (err instanceof KoyaError && err.code === 'CONFLICT') return false;
    throw err;
  }
}
