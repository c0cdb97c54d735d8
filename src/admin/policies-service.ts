/**
 * Row-level policies: rows in koyalite.policies, installed as Postgres policies on the table in
 * the same transaction. Every change reinstalls the table's whole set, so Postgres always holds
 * exactly the enabled policies of the metadata:
 *
 *   DROP POLICY IF EXISTS "koya_<name>" ON "shop"."posts";                        -- each existing
 *   CREATE POLICY "koya_<name>" ON "shop"."posts" AS PERMISSIVE FOR SELECT TO koyalite_user
 *     USING (<compiled check>);                                                  -- allow
 *   CREATE POLICY "koya_<name>" ON "shop"."posts" AS RESTRICTIVE FOR ALL TO koyalite_user
 *     USING (NOT COALESCE(<check>, FALSE)) WITH CHECK (NOT COALESCE(<check>, FALSE));   -- deny
 * Allow policies are OR-ed, deny policies AND-ed as their negation; with RLS on and no allow
 * policy, no row is visible. Admin and service requests run as the table owner and bypass RLS.
 */
import { badInput, conflict, notFound } from '../lib/errors.js';
import { ident, sql, trusted, type Sql } from '../lib/sql.js';
import { execInTx, type MetaTx } from '../meta/meta-client.js';
import { loadSnapshot } from '../meta/snapshot-loader.js';
import { buildModel } from '../model/build-model.js';
import { compilePolicy, denyCondition } from '../policy/compile.js';
import { describePolicyRecursion, findPolicyRecursion } from '../policy/recursion.js';
import { constraintName } from './ddl.js';
import { validateName } from './identifiers.js';
import { commitMetadataChange, metadataTransaction } from './metadata-change.js';
import { projectForChange } from './tables-service.js';
import type { AdminContext } from './admin-context.js';

type Effect = 'ALLOW' | 'DENY';
type Command = 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface PolicyInput {
  projectSlug: string;
  table: string;
  name: string;
  check?: string | null;
  effect?: Effect | null;
  enabled?: boolean | null;
  command?: Command | null;
}

function policySql(schema: string, table: string, name: string, effect: Effect, command: Command, condition: Sql): Sql {
  const expr = effect === 'ALLOW' ? condition : denyCondition(condition);
  const using = command === 'INSERT' ? trusted('') : sql` USING (${expr})`;
  const check = command === 'SELECT' || command === 'DELETE' ? trusted('') : sql` WITH CHECK (${expr})`;
  return sql`CREATE POLICY ${ident(constraintName('koya', name))} ON ${ident(schema, table)} AS ${trusted(effect === 'ALLOW' ? 'PERMISSIVE' : 'RESTRICTIVE')} FOR ${trusted(command)} TO koyalite_user${using}${check}`;
}

/**
 * Refuses a set of policies Postgres would reject at query time ("infinite recursion detected
 * in policy"): a select policy reading its own table through exists(…), or a cycle of tables.
 */
async function checkRecursion(tx: MetaTx, projectId: string, model: ReturnType<typeof buildModel>): Promise<void> {
  const rows = await tx.policy.findMany({ where: { table: { projectId }, enabled: true }, include: { table: { select: { name: true } } } });
  const reads = rows.map((p) => ({ table: p.table.name, command: p.command, enabled: p.enabled, reads: compilePolicy(model, p.table.name, p.check).tables }));
  const rls = new Map(model.tables.map((t) => [t.name, t.rlsEnabled]));
  const found = findPolicyRecursion(reads, (t) => rls.get(t) === true);
  if (found) throw badInput(describePolicyRecursion(found), { field: 'check' });
}

/** Drops every policy of the table and creates the enabled ones from its metadata rows. */
async function installTablePolicies(tx: MetaTx, projectId: string, schema: string, tableId: string): Promise<void> {
  const snapshot = await loadSnapshot(tx, projectId);
  const model = buildModel(snapshot!);
  await checkRecursion(tx, projectId, model);
  const table = await tx.table.findUniqueOrThrow({ where: { id: tableId }, include: { policies: { orderBy: { createdAt: 'asc' } } } });
  const existing = await tx.$queryRawUnsafe<Array<{ policyname: string }>>('SELECT policyname FROM pg_policies WHERE schemaname = $1 AND tablename = $2', schema, table.name);
  for (const p of existing.filter((x) => x.policyname.startsWith('koya_'))) await execInTx(tx, sql`DROP POLICY IF EXISTS ${ident(p.policyname)} ON ${ident(schema, table.name)}`);
  for (const p of table.policies.filter((x) => x.enabled)) {
    const compiled = compilePolicy(model, table.name, p.check);
    await execInTx(tx, policySql(schema, table.name, p.name, p.effect, p.command, compiled.sql));
  }
}

async function tableOf(ctx: AdminContext, projectId: string, name: string) {
  const table = await ctx.meta.table.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!table) throw notFound(`table "${name}" not found`);
  return table;
}

/** Compiles the check against the current model, so errors come with their position before anything is written. */
async function validateCheck(ctx: AdminContext, projectId: string, table: string, check: string): Promise<void> {
  const model = buildModel((await loadSnapshot(ctx.meta, projectId))!);
  compilePolicy(model, table, check);
}

export async function createPolicy(ctx: AdminContext, input: PolicyInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const name = validateName('column', input.name, 'name');
  const table = await tableOf(ctx, project.id, input.table);
  if (input.check === undefined || input.check === null) throw badInput('check is required', { field: 'check' });
  await validateCheck(ctx, project.id, table.name, input.check);
  if (await ctx.meta.policy.findUnique({ where: { tableId_name: { tableId: table.id, name } }, select: { id: true } })) {
    throw conflict(`policy "${name}" already exists on ${table.name}`, { fields: ['name'] });
  }
  return metadataTransaction(ctx, project.id, async (tx) => {
    const policy = await tx.policy.create({
      data: { tableId: table.id, name, check: input.check!, effect: input.effect ?? 'ALLOW', command: input.command ?? 'ALL', enabled: input.enabled ?? true, createdById: principal.userId },
    });
    await installTablePolicies(tx, project.id, project.schemaName, table.id);
    await commitMetadataChange(tx, project.id, principal, { action: 'policy.create', targetType: 'Policy', targetId: policy.id, metadata: { table: table.name, name, effect: policy.effect, command: policy.command } });
    return { ...policy, table: table.name };
  });
}

export async function updatePolicy(ctx: AdminContext, input: PolicyInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await tableOf(ctx, project.id, input.table);
  const current = await ctx.meta.policy.findUnique({ where: { tableId_name: { tableId: table.id, name: input.name } } });
  if (!current) throw notFound(`policy "${input.name}" not found on ${table.name}`);
  if (input.check != null) await validateCheck(ctx, project.id, table.name, input.check);
  return metadataTransaction(ctx, project.id, async (tx) => {
    const policy = await tx.policy.update({
      where: { id: current.id },
      data: { check: input.check ?? undefined, effect: input.effect ?? undefined, command: input.command ?? undefined, enabled: input.enabled ?? undefined },
    });
    await installTablePolicies(tx, project.id, project.schemaName, table.id);
    const changed = (['check', 'effect', 'command', 'enabled'] as const).filter((k) => input[k] != null);
    await commitMetadataChange(tx, project.id, principal, { action: 'policy.update', targetType: 'Policy', targetId: policy.id, metadata: { table: table.name, name: policy.name, changed } });
    return { ...policy, table: table.name };
  });
}

export async function deletePolicy(ctx: AdminContext, input: { projectSlug: string; table: string; name: string }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await tableOf(ctx, project.id, input.table);
  const current = await ctx.meta.policy.findUnique({ where: { tableId_name: { tableId: table.id, name: input.name } } });
  if (!current) throw notFound(`policy "${input.name}" not found on ${table.name}`);
  return metadataTransaction(ctx, project.id, async (tx) => {
    await tx.policy.delete({ where: { id: current.id } });
    await installTablePolicies(tx, project.id, project.schemaName, table.id);
    await commitMetadataChange(tx, project.id, principal, { action: 'policy.delete', targetType: 'Policy', targetId: current.id, metadata: { table: table.name, name: current.name } });
    return { ...current, table: table.name };
  });
}

export async function enableRowLevelSecurity(ctx: AdminContext, input: { projectSlug: string; table: string; enabled: boolean }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await tableOf(ctx, project.id, input.table);
  return metadataTransaction(ctx, project.id, async (tx) => {
    const updated = await tx.table.update({ where: { id: table.id }, data: { rlsEnabled: input.enabled }, include: { columns: { orderBy: { position: 'asc' } } } });
    await execInTx(tx, sql`ALTER TABLE ${ident(project.schemaName, table.name)} ${trusted(input.enabled ? 'ENABLE' : 'DISABLE')} ROW LEVEL SECURITY`);
    if (input.enabled) await checkRecursion(tx, project.id, buildModel((await loadSnapshot(tx, project.id))!));
    await commitMetadataChange(tx, project.id, principal, { action: input.enabled ? 'table.rls_enable' : 'table.rls_disable', targetType: 'Table', targetId: table.id, metadata: { table: table.name } });
    return updated;
  });
}
