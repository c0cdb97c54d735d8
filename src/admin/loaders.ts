/**
 * Per-request DataLoaders for keyed lookups the control plane makes per row (e.g. the owner of
 * each project in `projects { owner { email } }`): one query per batch instead of one per row.
 */
import DataLoader from 'dataloader';
import type { AdminContext } from './admin-context.js';
import { userInclude } from './users-service.js';

type UserWithRole = Awaited<ReturnType<AdminContext['meta']['user']['findFirst']>> & object;

const perRequest = new WeakMap<AdminContext, DataLoader<string, UserWithRole | null>>();

export function userLoader(ctx: AdminContext): DataLoader<string, UserWithRole | null> {
  let loader = perRequest.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const users = await ctx.meta.user.findMany({ where: { id: { in: [...ids] } }, include: userInclude });
      const byId = new Map(users.map((u) => [u.id, u as UserWithRole]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    perRequest.set(ctx, loader);
  }
  return loader;
}
