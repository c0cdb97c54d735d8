/**
 * Role permissions: `action` on `resource`, where resources nest
 *   *  ⊇  <slug>:*  ⊇  <slug>:<table>  ⊇  <slug>:<table>.<column>
 * and MANAGE implies every action.
 */
export type Action = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'MANAGE';

export interface PermissionGrant {
  action: Action;
  resource: string;
}

const RESOURCE = /^(\*|[a-z][a-z0-9_-]{1,39}:(\*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?))$/;

export function isValidResource(resource: string): boolean {
  return RESOURCE.test(resource);
}

/** Does a granted resource cover the requested one? */
export function resourceCovers(granted: string, requested: string): boolean {
  if (granted === '*' || granted === requested) return true;
  const [gSlug, gRest] = splitOnce(granted, ':');
  const [rSlug, rRest] = splitOnce(requested, ':');
  if (gSlug !== rSlug || gRest === undefined || rRest === undefined) return false;
  if (gRest === '*') return true;
  // table grant covers its columns
  return rRest.startsWith(`${gRest}.`);
}

export function can(grants: readonly PermissionGrant[], action: Action, resource: string): boolean {
  return grants.some((g) => (g.action === action || g.action === 'MANAGE') && resourceCovers(g.resource, resource));
}

function splitOnce(value: string, sep: string): [string, string | undefined] {
  const i = value.indexOf(sep);
  return i < 0 ? [value, undefined] : [value.slice(0, i), value.slice(i + 1)];
}
