/**
 * A root field: plan → one SQL statement → the JSON value graphql-js then walks.
 */
import { getArgumentValues, type GraphQLResolveInfo } from 'graphql';
import { compileRoot } from '../sql/root-compiler.js';
import type { SchemaPlans } from './field-plans.js';
import { planRoot } from './planner.js';
import { auditRead } from './read-audit.js';
import { runStatement } from './run-statement.js';
import type { ProjectContext } from './project-context.js';

export async function executeRoot(plans: SchemaPlans, fieldName: string, ctx: ProjectContext, info: GraphQLResolveInfo): Promise<unknown> {
  const root = plans.roots.get(fieldName)!;
  const def = info.parentType.getFields()[fieldName]!;
  const op = planRoot(plans, root, info, getArgumentValues(def, info.fieldNodes[0]!, info.variableValues));
  const statement = compileRoot(plans.model.schemaName, op);
  const rows = await runStatement<{ data: unknown }>(ctx.db, ctx.frame, statement);
  await auditRead(ctx, plans.model, [fieldName]);
  return rows[0]?.data ?? null;
}
