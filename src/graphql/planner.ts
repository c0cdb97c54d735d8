/**
 * Selection → IR. Walks the operation's field nodes with the schema's field plans (Map lookups)
 * and the coerced arguments of every nested field.
 */
import { getArgumentValues, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import type { AggregateField, AggregateQuery, AggregateSelection, ConnectionField, ConnectionQuery, EdgeField, FieldSelection, GroupOrder, ListQuery, ObjectSelection, RootOperation } from '../ir/ir.js';
import { decodeCursor } from './cursor.js';
import { param } from '../ir/ir.js';
import { badInput } from '../lib/errors.js';
import type { ColumnModel, TableModel } from '../model/project-model.js';
import { collectFields, subSelections, type Collect } from './collect-fields.js';
import { toDirection, toFilter, toLimit, toOffset, toOrder } from './args-to-ir.js';
import type { RootPlan, SchemaPlans } from './field-plans.js';
import { planSimilar } from './similar-planner.js';

interface PlanContext extends Collect {
  plans: SchemaPlans;
  schema: GraphQLSchema;
}

function argsOf(pc: PlanContext, parentType: string, node: FieldNode): Record<string, unknown> {
  const type = pc.schema.getType(parentType) as GraphQLObjectType;
  const def = type.getFields()[node.name.value]!;
  return getArgumentValues(def, node, pc.variables);
}

function planObject(pc: PlanContext, table: TableModel, sets: readonly SelectionSetNode[]): ObjectSelection {
  const typeName = table.names.type;
  const plans = pc.plans.objects.get(typeName)!;
  const fields: FieldSelection[] = [];
  for (const [key, nodes] of collectFields(pc, sets)) {
    const node = nodes[0]!;
    const name = node.name.value;
    if (name === '__typename') {
      fields.push({ kind: 'constant', key, value: typeName });
      continue;
    }
    const plan = plans.get(name)!;
    switch (plan.kind) {
      case 'column':
        fields.push({ kind: 'column', key, column: plan.column });
        break;
      case 'one':
        fields.push({ kind: 'one', key, relation: plan.relation, selection: planObject(pc, plan.target, subSelections(nodes)) });
        break;
      case 'many':
        fields.push({ kind: 'many', key, relation: plan.relation, query: planList(pc, plan.target, argsOf(pc, typeName, node), subSelections(nodes)) });
        break;
      case 'aggregate':
        fields.push({ kind: 'aggregate', key, relation: plan.relation, query: planAggregate(pc, plan.target, argsOf(pc, typeName, node), subSelections(nodes)) });
        break;
    }
  }
  return { table, fields };
}

function planList(pc: PlanContext, table: TableModel, args: Record<string, unknown>, sets: readonly SelectionSetNode[]): ListQuery {
  const model = pc.plans.model;
  return {
    table,
    where: args.where ? toFilter(model, table, args.where as Record<string, unknown>) : undefined,
    orderBy: toOrder(model, table, args.orderBy as Array<Record<string, unknown>> | undefined),
    limit: toLimit(model, args.limit),
    offset: toOffset(args.offset),
    selection: planObject(pc, table, sets),
  };
}

function planColumns(pc: PlanContext, table: TableModel, typeName: string, sets: readonly SelectionSetNode[]) {
  const out: Array<{ key: string; column: ColumnModel } | { key: string; constant: string }> = [];
  for (const [key, nodes] of collectFields(pc, sets)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') out.push({ key, constant: typeName });
    else out.push({ key, column: table.columnsByName.get(name)! });
  }
  return out;
}

function planAggregateSelections(pc: PlanContext, table: TableModel, typeName: string, key: string, nodes: FieldNode[]): AggregateSelection {
  const name = nodes[0]!.name.value;
  if (name === '__typename') return { kind: 'constant', key, value: typeName };
  if (name === 'count') return { kind: 'count', key };
  const fn = name as 'sum' | 'avg' | 'min' | 'max';
  const fieldsType = table.names.aggregateFields((fn.charAt(0).toUpperCase() + fn.slice(1)) as 'Sum');
  return { kind: 'fn', key, fn, columns: planColumns(pc, table, fieldsType, subSelections(nodes)) };
}

function planAggregate(pc: PlanContext, table: TableModel, args: Record<string, unknown>, sets: readonly SelectionSetNode[]): AggregateQuery {
  const model = pc.plans.model;
  const typeName = table.names.aggregateType;
  const fields: AggregateField[] = [];
  for (const [key, nodes] of collectFields(pc, sets)) {
    const node = nodes[0]!;
    if (node.name.value !== 'groupBy') {
      fields.push(planAggregateSelections(pc, table, typeName, key, nodes));
      continue;
    }
    const gArgs = argsOf(pc, typeName, node);
    const by = (gArgs.by as string[]).map((c) => table.columnsByName.get(c)!);
    if (by.length === 0) throw badInput('groupBy needs at least one column in by', { field: 'by' });
    const orderBy: GroupOrder[] = [];
    for (const o of (gArgs.orderBy as Array<Record<string, string>> | undefined) ?? []) {
      for (const [k, v] of Object.entries(o)) {
        if (v === undefined || v === null) continue;
        const [direction, nulls] = toDirection(v);
        if (k === 'count') orderBy.push({ target: { kind: 'count' }, direction, nulls });
        else {
          const column = table.columnsByName.get(k)!;
          if (!by.includes(column)) throw badInput(`groupBy can only be ordered by count or its by columns; ${k} is not in by`, { field: 'orderBy' });
          orderBy.push({ target: { kind: 'column', column }, direction, nulls });
        }
      }
    }
    const groupKey: Array<{ key: string; fields: Array<{ key: string; column: ColumnModel } | { key: string; constant: string }> }> = [];
    const aggregates: AggregateSelection[] = [];
    for (const [gk, gnodes] of collectFields(pc, subSelections([node]))) {
      const gname = gnodes[0]!.name.value;
      if (gname === 'key') {
        const cols = planColumns(pc, table, table.names.groupKey, subSelections(gnodes));
        for (const c of cols) {
          if ('column' in c && !by.includes(c.column)) throw badInput(`groupBy key.${c.column.name} is not one of the by columns`, { field: 'groupBy' });
        }
        groupKey.push({ key: gk, fields: cols });
      } else aggregates.push(planAggregateSelections(pc, table, table.names.group, gk, gnodes));
    }
    fields.push({ kind: 'groupBy', key, by, orderBy, limit: toLimit(model, gArgs.limit), groupKey, aggregates });
  }
  return { table, where: args.where ? toFilter(model, table, args.where as Record<string, unknown>) : undefined, fields };
}

function planConnection(pc: PlanContext, table: TableModel, args: Record<string, unknown>, sets: readonly SelectionSetNode[]): ConnectionQuery {
  const model = pc.plans.model;
  if (args.first != null && args.last != null) throw badInput('use either first or last, not both', { field: 'last' });
  if (args.after != null && args.before != null) throw badInput('use either after or before, not both', { field: 'before' });
  const backward = args.last != null || args.before != null;
  if (backward && args.first != null) throw badInput('first pages forward: combine it with after, not before', { field: 'first' });
  if (!backward && args.last != null) throw badInput('last pages backward: combine it with before, not after', { field: 'last' });
  const size = toLimit(model, backward ? args.last : args.first, backward ? 'last' : 'first');
  const orderBy = toOrder(model, table, args.orderBy as Array<Record<string, unknown>> | undefined);
  const pk = table.primaryKey;
  if (!orderBy.some((o) => o.path.length === 0 && o.column === pk)) orderBy.push({ path: [], column: pk, direction: 'ASC', nulls: 'LAST' });
  const raw = (backward ? args.before : args.after) as string | undefined | null;
  const cursor = raw == null ? undefined : decodeCursor(raw, orderBy, backward ? 'before' : 'after');
  const fields: ConnectionField[] = [];
  for (const [key, nodes] of collectFields(pc, sets)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') fields.push({ kind: 'constant', key, value: table.names.connectionType });
    else if (name === 'totalCount') fields.push({ kind: 'totalCount', key });
    else if (name === 'pageInfo') {
      fields.push({
        kind: 'pageInfo',
        key,
        fields: [...collectFields(pc, subSelections(nodes))].map(([k, n]) => {
          const f = n[0]!.name.value;
          return f === '__typename' ? { kind: 'constant' as const, key: k, value: 'PageInfo' } : { kind: f as 'hasNextPage', key: k };
        }),
      });
    } else {
      const edgeFields: EdgeField[] = [];
      for (const [k, n] of collectFields(pc, subSelections(nodes))) {
        const f = n[0]!.name.value;
        if (f === '__typename') edgeFields.push({ kind: 'constant', key: k, value: table.names.edge });
        else if (f === 'cursor') edgeFields.push({ kind: 'cursor', key: k });
        else edgeFields.push({ kind: 'node', key: k, selection: planObject(pc, table, subSelections(n)) });
      }
      fields.push({ kind: 'edges', key, fields: edgeFields });
    }
  }
  return {
    table,
    where: args.where ? toFilter(model, table, args.where as Record<string, unknown>) : undefined,
    orderBy,
    size,
    backward,
    cursor,
    hasOtherCursor: cursor !== undefined,
    fields,
  };
}

/** The pieces of a request the planner reads (from a GraphQLResolveInfo, or from the fast path). */
export interface RequestPieces {
  schema: GraphQLSchema;
  fragments: Collect['fragments'];
  variables: Collect['variables'];
}

/** The row selection under a field (mutation results reuse the query planner). */
export function planSelection(plans: SchemaPlans, request: RequestPieces, table: TableModel, sets: readonly SelectionSetNode[]): ObjectSelection {
  return planObject({ plans, ...request }, table, sets);
}

/** The IR of one root field of the operation. */
export function planRoot(plans: SchemaPlans, root: RootPlan, info: GraphQLResolveInfo, args: Record<string, unknown>): RootOperation {
  return planRootField(plans, root, { schema: info.schema, fragments: info.fragments, variables: info.variableValues }, info.fieldNodes, args);
}

/** The same from the pieces of a request (used by the fast path, which runs no graphql-js execution). */
export function planRootField(
  plans: SchemaPlans,
  root: RootPlan,
  request: { schema: GraphQLSchema; fragments: Collect['fragments']; variables: Collect['variables'] },
  fieldNodes: readonly FieldNode[],
  args: Record<string, unknown>,
): RootOperation {
  const pc: PlanContext = { plans, ...request };
  const sets = subSelections(fieldNodes);
  switch (root.kind) {
    case 'list':
      return { kind: 'list', query: planList(pc, root.table, args, sets) };
    case 'byPk':
      return { kind: 'byPk', table: root.table, id: param(args.id), selection: planObject(pc, root.table, sets) };
    case 'aggregate':
      return { kind: 'aggregate', query: planAggregate(pc, root.table, args, sets) };
    case 'connection':
      return { kind: 'connection', query: planConnection(pc, root.table, args, sets) };
    case 'similar':
      return { kind: 'similar', query: planSimilar(plans, request, root.table, args, sets) };
  }
}
