/**
 * Which policy of a project depends on a column or a table (by the parsed expression, see
 * policy/references.ts), so that dropping, renaming or retyping it is refused with the name of
 * the policy to change first, instead of Postgres's "other objects depend on it".
 */
import type { MetaTx } from '../meta/meta-client.js';
import { policyReferences } from '../policy/references.js';

export interface DependentPolicy {
  name: string;
  table: string;
}

async function projectPolicies(tx: MetaTx, projectId: string) {
  const rows = await tx.policy.findMany({ where: { table: { projectId } }, select: { name: true, check: true, table: { select: { name: true } } }, orderBy: { createdAt: 'asc' } });
  return rows.map((p) => ({ name: p.name, table: p.table.name, refs: policyReferences(p.table.name, p.check) }));
}

/** The first policy mentioning `table.column` (its own table's policies, or others' through exists). */
export async function policyUsingColumn(tx: MetaTx, projectId: string, table: string, column: string): Promise<DependentPolicy | undefined> {
  const found = (await projectPolicies(tx, projectId)).find((p) => p.refs.columns.has(`${table}.${column}`));
  return found && { name: found.name, table: found.table };
}

/** The first policy of another table reading `table` through exists(…). */
export async function policyReadingTable(tx: MetaTx, projectId: string, table: string): Promise<DependentPolicy | undefined> {
  const found = (await projectPolicies(tx, projectId)).find((p) => p.table !== table && p.refs.tables.has(table));
  return found && { name: found.name, table: found.table };
}
