/**
 * Sign-in and sign-up of a project's end users (User rows with projectId set). Wrong password and
 * unknown user are indistinguishable; sign-up only when the project allows it, with its default
 * role; both audited.
 */
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password.js';
import type { TokenService } from '../auth/tokens.js';
import { badInput, conflict, forbidden, KoyaError, notFound } from '../lib/errors.js';
import { recordAudit } from '../meta/audit.js';
import type { MetaClient } from '../meta/meta-client.js';
import { isUniqueViolation } from '../meta/prisma-errors.js';
import { notifyAuthChange } from './auth-change.js';
import { readSettings } from './project-settings.js';
import { checkPassword, normalizeEmail } from './users-service.js';

export function projectIdentity(meta: MetaClient, tokens: TokenService, principalsChanged: () => void) {
  const project = async (slug: string) => {
    const p = await meta.project.findUnique({ where: { slug } });
    if (!p) throw notFound(`project "${slug}" not found`);
    return p;
  };
  const session = async (slug: string, user: { id: string; email: string }, role: string) => ({
    token: await tokens.sign(user.id, role, slug),
    user: { id: user.id, email: user.email, role },
  });
  return {
    async signIn(slug: string, email: string, password: string) {
      const p = await project(slug);
      const user = await meta.user.findFirst({ where: { projectId: p.id, email: email.trim().toLowerCase() }, include: { role: true } });
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok) throw new KoyaError('UNAUTHENTICATED', 'invalid email or password');
      await meta.$transaction((tx) => recordAudit(tx, { actorId: user.id, actorRole: user.role.name, projectId: p.id, action: 'auth.sign_in', targetType: 'User', targetId: user.id }));
      return session(slug, user, user.role.name);
    },
    async setDataSaleOptOut(slug: string, userId: string, optOut: boolean) {
      const p = await project(slug);
      await meta.$transaction(async (tx) => {
        const user = await tx.user.findFirst({ where: { id: userId, projectId: p.id }, select: { id: true } });
        if (!user) throw notFound('user not found');
        await tx.user.update({ where: { id: userId }, data: { dataSaleOptOut: optOut } });
        await recordAudit(tx, { actorId: userId, actorRole: null, projectId: p.id, action: 'compliance.opt_out', targetType: 'User', targetId: userId, metadata: { optOut } });
        await notifyAuthChange(tx);
      });
      principalsChanged();
      return optOut;
    },
    async signUp(slug: string, email: string, password: string) {
      const p = await project(slug);
      const settings = readSettings(p.settings);
      if (!settings.allowSignUp) throw forbidden('sign-up is not enabled for this project');
      const normalized = normalizeEmail(email);
      checkPassword(password);
      const role = await meta.role.findUnique({ where: { name: settings.defaultRole } });
      if (!role) throw badInput(`the project's default role "${settings.defaultRole}" does not exist`);
      const passwordHash = await hashPassword(password);
      try {
        const user = await meta.$transaction(async (tx) => {
          if (await tx.user.findFirst({ where: { projectId: p.id, email: normalized }, select: { id: true } })) throw conflict('an account with this email already exists', { fields: ['email'] });
          const created = await tx.user.create({ data: { email: normalized, passwordHash, roleId: role.id, projectId: p.id } });
          await recordAudit(tx, { actorId: created.id, actorRole: role.name, projectId: p.id, action: 'auth.sign_up', targetType: 'User', targetId: created.id, metadata: { email: normalized } });
          return created;
        });
        return session(slug, user, role.name);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('an account with this email already exists', { fields: ['email'] });
        throw err;
      }
    },
  };
}
