/**
 * A subscription to a table's row changes: plan the selection once, then for every committed
 * change of the table whose operation was asked for, run one statement in the subscriber's frame
 * (sql/change-compiler.ts) and deliver what it returns; nothing when the subscriber may not see
 * the row or it does not match `where`. Changes are answered one after another, in feed order.
 */
import { Repeater } from '@repeaterjs/repeater';
import { getArgumentValues, type GraphQLResolveInfo } from 'graphql';
import type { ChangeField, ChangeOp, ChangeQuery, RowChange } from '../ir/ir.js';
import { badInput } from '../lib/errors.js';
import type { TableModel } from '../model/project-model.js';
import { compileChangeEvent } from '../sql/change-compiler.js';
import { toFilter } from './args-to-ir.js';
import { collectFields, subSelections } from './collect-fields.js';
import type { SchemaPlans } from './field-plans.js';
import { planSelection } from './planner.js';
import type { ProjectContext } from './project-context.js';
import { auditRead } from './read-audit.js';
import { runStatement } from './run-statement.js';

const ALL: ChangeOp[] = ['INSERT', 'UPDATE', 'DELETE'];

export function planChanges(plans: SchemaPlans, table: TableModel, ctx: ProjectContext, info: GraphQLResolveInfo): ChangeQuery {
  const def = info.parentType.getFields()[info.fieldName]!;
  const args = getArgumentValues(def, info.fieldNodes[0]!, info.variableValues);
  const request = { schema: info.schema, fragments: info.fragments, variables: info.variableValues };
  const events = (args.events as ChangeOp[] | null | undefined) ?? ALL;
  if (events.length === 0) throw badInput('events must name at least one of INSERT, UPDATE, DELETE', { field: 'events' });
  const fields: ChangeField[] = [];
  for (const [key, nodes] of collectFields(request, subSelections(info.fieldNodes))) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') fields.push({ kind: 'constant', key, value: table.names.changeEvent });
    else if (name === 'event') fields.push({ kind: 'event', key });
    else fields.push({ kind: name as 'new' | 'old', key, selection: planSelection(plans, request, table, subSelections(nodes)) });
  }
  return {
    table,
    events: new Set(events),
    where: args.where ? toFilter(plans.model, table, args.where as Record<string, unknown>) : undefined,
    fields,
    checkRows: ctx.frame !== null,
  };
}

export function subscribeToChanges(plans: SchemaPlans, table: TableModel, ctx: ProjectContext, info: GraphQLResolveInfo): AsyncIterable<unknown> {
  const source = ctx.changes;
  if (!source) throw badInput('subscriptions need a websocket connection (graphql-ws) to this endpoint');
  const query = planChanges(plans, table, ctx, info);
  const schema = plans.model.schemaName;
  return new Repeater<unknown>(async (push, stop) => {
    let chain = Promise.resolve();
    const unsubscribe = source.subscribe(schema, table.name, (change: RowChange) => {
      if (!query.events.has(change.op)) return;
      chain = chain.then(async () => {
        // a revoked grant, a changed role or an expired token ends the stream: resubscribing
        // validates against what the caller may use now
        if (ctx.stillValid && !(await ctx.stillValid())) {
          stop();
          return;
        }
        const rows = await runStatement<{ body: string }>(ctx.db, ctx.frame, compileChangeEvent(schema, query, change));
        if (!rows[0]) return;
        // a delivered event is a read: HIPAA projects record it like a query
        await auditRead(ctx, plans.model, [info.fieldName]);
        await push(JSON.parse(rows[0].body));
      }).catch((err) => {
        // the client sees the subscription complete, never the database's error
        source.failed(err);
        stop();
      });
    });
    await stop;
    unsubscribe();
  });
}
