/**
 * A mutation field: arguments → mutation IR → one statement, run in the request's transaction
 * (request-transaction.ts), database errors mapped to stable client errors (write-errors.ts).
 */
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { InsertRow, MutationOperation, MutationReturning, Param } from '../ir/ir.js';
import { param } from '../ir/ir.js';
import type { ColumnCipher } from '../lib/column-cipher.js';
import { badInput, conflict, forbidden, KoyaError } from '../lib/errors.js';
import type { ColumnModel, ProjectModel, TableModel } from '../model/project-model.js';
import { compileMutation, compileMutationIds, compileNestedInserts, compileReadBack } from '../sql/mutation-compiler.js';
import { planNestedInsert } from './nested-insert.js';
import { toFilter } from './args-to-ir.js';
import { collectFields, subSelections } from './collect-fields.js';
import type { MutationPlan, SchemaPlans } from './field-plans.js';
import { planSelection, type RequestPieces } from './planner.js';
import type { ProjectContext } from './project-context.js';
import { requestTransaction } from './request-transaction.js';
import { explainWriteError } from './write-errors.js';

const failed = new WeakSet<ProjectContext>();

/** A column value as a parameter in the column's own representation (JSON as text, vectors as real[]). */
function valueOf(column: ColumnModel, value: unknown, cipher: ColumnCipher): Param {
  if (value === null) return param(null);
  if (column.encrypted) return param(cipher.encrypt(String(value)));
  if (column.type.kind === 'jsonb') return param(JSON.stringify(value));
  if (column.type.kind === 'vector') {
    const v = value as number[];
    if (v.length !== column.type.dimensions) throw badInput(`${column.name} must have ${column.type.dimensions} numbers`, { field: column.name });
    return param(`{${v.join(',')}}`);
  }
  return param(value);
}

function columnsOf(table: TableModel, input: Record<string, unknown>, at: string, cipher: ColumnCipher): Map<ColumnModel, Param> {
  const out = new Map<ColumnModel, Param>();
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    const column = table.columnsByName.get(k);
    if (!column || column.managed) throw badInput(`${at}.${k} cannot be written`, { field: `${at}.${k}` });
    out.set(column, valueOf(column, v, cipher));
  }
  return out;
}

/** Unique keys an upsert may target: the primary key, a unique column, or a junction's link pair. */
function checkConflictTarget(model: ProjectModel, table: TableModel, columns: ColumnModel[]): void {
  const names = columns.map((c) => c.name).sort();
  if (names.length === 1 && columns[0]!.unique) return;
  for (const t of model.tables) {
    for (const r of t.relations) {
      if (r.join.via === 'junction' && r.join.junctionTable === table.name) {
        if ([r.join.junctionSourceColumn, r.join.junctionTargetColumn].sort().join() === names.join()) return;
      }
    }
  }
  throw badInput(`onConflict.conflictColumns (${names.join(', ')}) is not the primary key or a unique key of ${table.name}`, { field: 'onConflict.conflictColumns' });
}

/** The unique keys of a table: the primary key, each unique column, a junction's link pair. */
function uniqueKeys(model: ProjectModel, table: TableModel): ColumnModel[][] {
  const keys = new Map<string, ColumnModel[]>(table.columns.filter((c) => c.unique || c.isPrimaryKey).map((c) => [c.name, [c]]));
  for (const t of model.tables) {
    for (const r of t.relations) {
      if (r.join.via !== 'junction' || r.join.junctionTable !== table.name) continue;
      const pair = [r.join.junctionSourceColumn, r.join.junctionTargetColumn].sort();
      keys.set(pair.join(), pair.map((n) => table.columnsByName.get(n)!));
    }
  }
  return [...keys.values()];
}

/**
 * Two rows of one batch with the same unique key: refused before running, naming the later row
 * (the database reports only the key, so the error would name the first row carrying it, and an
 * upsert cannot touch one row twice). A batch repeating the conflict target of a do-nothing
 * upsert is left to the database, which skips the repeat.
 */
function checkBatchDuplicates(model: ProjectModel, table: TableModel, inputs: Array<Record<string, unknown>>, doNothingOn: ColumnModel[] | undefined): void {
  const skip = doNothingOn?.map((c) => c.name).sort().join();
  for (const key of uniqueKeys(model, table)) {
    const names = key.map((c) => c.name);
    if ([...names].sort().join() === skip) continue;
    const seen = new Map<string, number>();
    inputs.forEach((row, j) => {
      const values = key.map((c) => row[c.name]);
      if (values.some((v) => v === undefined || v === null)) return;
      const id = JSON.stringify(values.map((v, k) => (key[k]!.type.kind === 'uuid' && typeof v === 'string' ? v.toLowerCase() : v)));
      const i = seen.get(id);
      if (i === undefined) return void seen.set(id, j);
      throw conflict(`inputs[${j}] repeats the ${names.join(', ')} of inputs[${i}]`, { fields: names, field: `inputs[${j}].${names[0]}` });
    });
  }
}

function planReturning(plans: SchemaPlans, plan: MutationPlan, request: RequestPieces, fieldNodes: readonly FieldNode[]): MutationReturning {
  const sets = subSelections(fieldNodes);
  if (plan.single) return { kind: 'row', selection: planSelection(plans, request, plan.table, sets) };
  const fields: Extract<MutationReturning, { kind: 'result' }>['fields'] = [];
  for (const [key, nodes] of collectFields(request, sets)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') fields.push({ kind: 'constant', key, value: plan.table.names.mutationResult });
    else if (name === 'affectedRows') fields.push({ kind: 'affectedRows', key });
    else fields.push({ kind: 'returning', key, selection: planSelection(plans, request, plan.table, subSelections(nodes)) });
  }
  return { kind: 'result', fields };
}

/** A mutation field → its IR (also used by the fast path, from the pieces of a request). */
export function planMutation(
  plans: SchemaPlans,
  plan: MutationPlan,
  ctx: Pick<ProjectContext, 'userId' | 'role' | 'cipher'>,
  request: RequestPieces,
  fieldNodes: readonly FieldNode[],
  args: Record<string, unknown>,
): MutationOperation {
  const { table } = plan;
  const model = plans.model;
  const returning = planReturning(plans, plan, request, fieldNodes);
  const audit = (verb: string, columns: string[]) => ({ action: `${table.name}.${verb}`, actorId: ctx.userId, actorRole: ctx.role, projectId: model.projectId, columns });
  if (plan.kind === 'insert') {
    const inputs = (plan.single ? [args.input] : (args.inputs as unknown[])) as Array<Record<string, unknown>>;
    if (inputs.length === 0) throw badInput('inputs must not be empty', { field: 'inputs' });
    if (inputs.length > model.maxPageSize) throw badInput(`at most ${model.maxPageSize} rows per insert`, { field: 'inputs' });
    const { rows, nested } = planNestedInsert(
      model,
      table,
      inputs,
      (i) => (plan.single ? 'input' : `inputs[${i}]`),
      (t, input, at) => columnsOf(t, input, at, ctx.cipher),
      (t, columns) => ({ action: `${t.name}.insert`, actorId: ctx.userId, actorRole: ctx.role, projectId: model.projectId, columns }),
    );
    if (nested.length > 0 && args.onConflict) throw badInput('onConflict cannot be combined with nested inserts', { field: 'onConflict' });
    let onConflict: { columns: ColumnModel[]; update: ColumnModel[] } | undefined;
    const oc = args.onConflict as { conflictColumns: string[]; updateColumns: string[] } | undefined | null;
    if (oc) {
      const columns = oc.conflictColumns.map((c) => table.columnsByName.get(c)!);
      checkConflictTarget(model, table, columns);
      const update = oc.updateColumns.map((c) => table.columnsByName.get(c)!);
      for (const c of update) if (c.managed || c.isPrimaryKey) throw badInput(`onConflict.updateColumns: ${c.name} cannot be updated`, { field: 'onConflict.updateColumns' });
      // an upsert that updates is an update: the role needs that permission too (as in Hasura)
      if (update.length > 0 && !table.access.update) throw forbidden(`onConflict.updateColumns: updating ${table.name} is not permitted for this role`);
      onConflict = { columns, update };
    }
    if (!plan.single) checkBatchDuplicates(model, table, inputs, onConflict && onConflict.update.length === 0 ? onConflict.columns : undefined);
    const written = [...new Set(rows.flatMap((r) => [...r.keys()].map((c) => c.name)))];
    return { kind: 'insert', table, rows, nested, onConflict, single: plan.single, returning, audit: audit('insert', written) };
  }
  const where = plan.single ? { byPk: param(args.id) } : { filter: toFilter(model, table, (args.where ?? {}) as Record<string, unknown>) };
  if (plan.kind === 'delete') return { kind: 'delete', table, where, single: plan.single, returning, audit: audit('delete', []) };
  const set = columnsOf(table, (args.set ?? {}) as Record<string, unknown>, 'set', ctx.cipher);
  const inc = columnsOf(table, (args.inc ?? {}) as Record<string, unknown>, 'inc', ctx.cipher);
  for (const c of inc.keys()) if (set.has(c)) throw badInput(`${c.name} is in both set and inc`, { field: `inc.${c.name}` });
  return { kind: 'update', table, where, set, inc, single: plan.single, returning, audit: audit('update', [...set.keys(), ...inc.keys()].map((c) => c.name)) };
}

/** Database errors of a mutation field, in client terms (naming the row and field). */
export function explainMutationError(err: unknown, plan: MutationPlan, args: Record<string, unknown>, model?: ProjectModel): unknown {
  const inputs = plan.kind === 'insert' ? ((plan.single ? [args.input] : args.inputs) as Array<Record<string, unknown>>) : undefined;
  // the argument a failing column came in: input / inputs[i] for inserts, set for updates
  return explainWriteError(err, plan.table, inputs, plan.kind === 'update' ? 'set' : plan.single ? 'input' : 'inputs', (name) => model?.tablesByName.has(name) === true);
}

export async function executeMutation(plans: SchemaPlans, plan: MutationPlan, ctx: ProjectContext, info: GraphQLResolveInfo, args: Record<string, unknown>): Promise<unknown> {
  if (failed.has(ctx)) throw new KoyaError('BAD_USER_INPUT', 'not run: an earlier mutation of this request failed, and the request was rolled back');
  try {
    const op = planMutation(plans, plan, ctx, { schema: info.schema, fragments: info.fragments, variables: info.variableValues }, info.fieldNodes, args);
    const nested = op.kind === 'insert' && op.nested.length > 0;
    const tx = await requestTransaction(ctx, nested ? 'several' : 'one');
    if (op.kind === 'insert' && nested) {
      // parents, the rows, then children, each in its own statement so that every row's policies
      // see the rows it links to; then the selection is read back with all of them in place
      const schema = plans.model.schemaName;
      for (const statement of compileNestedInserts(schema, op.nested.filter((n) => n.phase === 'before'))) await tx.query(statement);
      const [written] = await tx.query<{ data: string[] }>(compileMutationIds(schema, op));
      for (const statement of compileNestedInserts(schema, op.nested.filter((n) => n.phase === 'after'))) await tx.query(statement);
      const ids = written?.data ?? [];
      const [back] = await tx.query<{ data: unknown }>(compileReadBack(plans.model.schemaName, op.table, ids, op.returning, ids.length));
      return back?.data ?? null;
    }
    const rows = await tx.query<{ data: unknown }>(compileMutation(plans.model.schemaName, op));
    return rows[0]?.data ?? null;
  } catch (err) {
    failed.add(ctx);
    throw explainMutationError(err, plan, args, plans.model);
  }
}
