/**
 * Builds a project's GraphQL schema from its ProjectModel with Pothos. For a table `posts`:
 *
 *   type Post { id: UUID!  title: String!  author_id: UUID  author: User
 *               comments(where: CommentFilter, orderBy: [CommentOrderBy!], limit: Int, offset: Int): [Comment!]!
 *               commentsAggregate(where: CommentFilter): CommentAggregate! }
 *   input PostFilter { and: [PostFilter!] or: [PostFilter!] not: PostFilter  title: StringFilter
 *                      author: UserFilter  comments: CommentListFilter }
 *   input CommentListFilter { some: CommentFilter every: CommentFilter none: CommentFilter }
 *   input PostOrderBy { title: OrderDirection  author: UserOrderBy }
 *   type PostAggregate { count: Int!  sum: PostSumFields  avg: PostAvgFields  min: PostMinFields  max: PostMaxFields
 *                        groupBy(by: [PostGroupByColumn!]!, orderBy: [PostGroupOrderBy!], limit: Int): [PostGroup!]! }
 *   type Query { posts(where, orderBy, limit, offset): [Post!]!  post(id: UUID!): Post  postsAggregate(where): PostAggregate!
 *                postsConnection(where, orderBy, first, after, last, before): PostConnection! }
 *   type PostConnection { edges: [PostEdge!]!  pageInfo: PageInfo!  totalCount: Int! }  type PostEdge { cursor: String!  node: Post! }
 * plus mutations (mutation-schema.ts), vector search (vector-search-schema.ts) and row-change
 * subscriptions (subscription-schema.ts).
 *
 * Object fields resolve by response key from the JSON the root statement returns (the SQL
 * compiler keys objects by alias), so graphql-js only walks the result.
 */
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { isNumeric, isOrderable } from '../model/column-types.js';
import type { ColumnModel, ProjectModel, TableModel } from '../model/project-model.js';
import type { FieldPlan, SchemaPlans } from './field-plans.js';
import { addFilterInputs } from './filter-inputs.js';
import { addComplianceFields } from './compliance-schema.js';
import { addIdentityFields } from './identity-schema.js';
import { addMutations } from './mutation-schema.js';
import { createProjectBuilder, type ProjectBuilder } from './project-builder.js';
import type { ProjectContext } from './project-context.js';
import { executeRoot } from './root-resolver.js';
import { filterOf, isListKind, scalarOf } from './scalar-mapping.js';
import { addSubscriptions } from './subscription-schema.js';
import { addVectorSearch } from './vector-search-schema.js';

/** Reads a field from the JSON object the SQL built, keyed by response key (alias). */
const byResponseKey = (parent: Record<string, unknown>, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => parent[info.path.key as string];

export const minMaxable = (c: ColumnModel) => isOrderable(c.type.kind) && c.type.kind !== 'uuid' && c.type.kind !== 'boolean' && !c.encrypted;

/** Encrypted columns come out of SQL as ciphertext and are decrypted here (never in SQL). */
const decrypted = (parent: Record<string, unknown>, _args: unknown, ctx: ProjectContext, info: GraphQLResolveInfo) => {
  const v = parent[info.path.key as string];
  return typeof v === 'string' ? ctx.cipher.decrypt(v) : v;
};
export const groupable = (c: ColumnModel) => !['jsonb', 'vector', 'text[]', 'integer[]'].includes(c.type.kind) && !c.encrypted;
export const sortable = (c: ColumnModel) => isOrderable(c.type.kind) && !c.encrypted;

function outputType(table: TableModel, c: ColumnModel): unknown {
  if (c.type.kind === 'enum') return table.names.enumType(c.name);
  const scalar = scalarOf(c.type.kind);
  return isListKind(c.type.kind) ? [scalar] : scalar;
}

export function buildProjectSchema(model: ProjectModel): { schema: GraphQLSchema; plans: SchemaPlans } {
  const builder: ProjectBuilder = createProjectBuilder();
  addFilterInputs(builder);
  const plans: SchemaPlans = { model, objects: new Map(), aggregates: new Map(), roots: new Map(), mutations: new Map() };
  const refs = new Map<string, any>(model.tables.map((t) => [t.name, builder.objectRef(t.names.type)]));
  const aggRefs = new Map<string, any>(model.tables.map((t) => [t.name, builder.objectRef(t.names.aggregateType)]));

  // enums of enum columns, with their filters
  for (const t of model.tables) {
    for (const c of t.columns.filter((x) => x.type.kind === 'enum')) {
      const name = t.names.enumType(c.name);
      builder.enumType(name, { values: c.enumValues as string[] });
      builder.inputType(`${name}Filter`, {
        fields: (f: any) => ({ eq: f.field({ type: name }), neq: f.field({ type: name }), in: f.field({ type: [name] }), nin: f.field({ type: [name] }), isNull: f.boolean() }),
      });
    }
  }

  // filters and order inputs (may refer to each other recursively: referenced by name)
  for (const t of model.tables) {
    builder.inputType(t.names.filter, {
      fields: (f: any) => {
        const fields: Record<string, unknown> = {
          and: f.field({ type: [t.names.filter] }),
          or: f.field({ type: [t.names.filter] }),
          not: f.field({ type: t.names.filter }),
        };
        for (const c of t.columns) {
          if (c.encrypted) continue;
          const type = c.type.kind === 'enum' ? `${t.names.enumType(c.name)}Filter` : filterOf(c.type.kind);
          if (type) fields[c.name] = f.field({ type });
        }
        for (const r of t.relations) {
          const target = model.tablesByName.get(r.targetTable)!;
          fields[r.fieldName] = f.field({ type: r.cardinality === 'one' ? target.names.filter : `${target.names.type}ListFilter` });
        }
        return fields;
      },
    });
    builder.inputType(`${t.names.type}ListFilter`, {
      fields: (f: any) => ({ some: f.field({ type: t.names.filter }), every: f.field({ type: t.names.filter }), none: f.field({ type: t.names.filter }) }),
    });
    builder.inputType(t.names.orderBy, {
      fields: (f: any) => {
        const fields: Record<string, unknown> = {};
        for (const c of t.columns.filter(sortable)) fields[c.name] = f.field({ type: 'OrderDirection' });
        for (const r of t.relations.filter((x) => x.cardinality === 'one')) {
          fields[r.fieldName] = f.field({ type: model.tablesByName.get(r.targetTable)!.names.orderBy });
        }
        return fields;
      },
    });
  }

  const listArgs = (f: any, target: TableModel) => ({
    where: f.arg({ type: target.names.filter }),
    orderBy: f.arg({ type: [target.names.orderBy] }),
    limit: f.arg.int(),
    offset: f.arg.int(),
  });

  for (const t of model.tables) {
    const fieldPlans = new Map<string, FieldPlan>();
    plans.objects.set(t.names.type, fieldPlans);
    refs.get(t.name).implement({
      fields: (f: any) => {
        const fields: Record<string, unknown> = {};
        for (const c of t.columns) {
          fieldPlans.set(c.name, { kind: 'column', column: c });
          fields[c.name] = f.field({ type: outputType(t, c), nullable: c.nullable, resolve: c.encrypted ? decrypted : byResponseKey });
        }
        for (const r of t.relations) {
          const target = model.tablesByName.get(r.targetTable)!;
          if (r.cardinality === 'one') {
            fieldPlans.set(r.fieldName, { kind: 'one', relation: r, target });
            fields[r.fieldName] = f.field({ type: refs.get(target.name), nullable: true, resolve: byResponseKey });
          } else {
            fieldPlans.set(r.fieldName, { kind: 'many', relation: r, target });
            fields[r.fieldName] = f.field({ type: [refs.get(target.name)], args: listArgs(f, target), resolve: byResponseKey });
            const aggName = `${r.fieldName}Aggregate`;
            if (!t.columnsByName.has(aggName) && !t.relationsByField.has(aggName)) {
              fieldPlans.set(aggName, { kind: 'aggregate', relation: r, target });
              fields[aggName] = f.field({ type: aggRefs.get(target.name), args: { where: f.arg({ type: target.names.filter }) }, resolve: byResponseKey });
            }
          }
        }
        return fields;
      },
    });
    addAggregateTypes(builder, t, aggRefs.get(t.name));
    plans.aggregates.set(t.names.aggregateType, t);
  }

  const pageInfoRef = builder.objectRef('PageInfo').implement({
    fields: (f: any) => ({
      hasNextPage: f.boolean({ resolve: byResponseKey }),
      hasPreviousPage: f.boolean({ resolve: byResponseKey }),
      startCursor: f.string({ nullable: true, resolve: byResponseKey }),
      endCursor: f.string({ nullable: true, resolve: byResponseKey }),
    }),
  });
  const connectionRefs = new Map<string, any>();
  for (const t of model.tables) {
    const edgeRef = builder.objectRef(t.names.edge).implement({
      fields: (f: any) => ({ cursor: f.string({ resolve: byResponseKey }), node: f.field({ type: refs.get(t.name), resolve: byResponseKey }) }),
    });
    connectionRefs.set(
      t.name,
      builder.objectRef(t.names.connectionType).implement({
        fields: (f: any) => ({
          edges: f.field({ type: [edgeRef], resolve: byResponseKey }),
          pageInfo: f.field({ type: pageInfoRef, resolve: byResponseKey }),
          totalCount: f.int({ resolve: byResponseKey }),
        }),
      }),
    );
  }

  builder.queryType({
    fields: (f: any) => {
      const fields: Record<string, unknown> = {};
      for (const t of model.tables) {
        const pkType = t.primaryKey.type.kind === 'bigint' ? 'BigInt' : 'UUID';
        plans.roots.set(t.names.list, { kind: 'list', table: t });
        fields[t.names.list] = f.field({ type: [refs.get(t.name)], args: listArgs(f, t), resolve: rootResolver(plans, t.names.list) });
        plans.roots.set(t.names.byPk, { kind: 'byPk', table: t });
        fields[t.names.byPk] = f.field({ type: refs.get(t.name), nullable: true, args: { id: f.arg({ type: pkType, required: true }) }, resolve: rootResolver(plans, t.names.byPk) });
        plans.roots.set(t.names.connection, { kind: 'connection', table: t });
        fields[t.names.connection] = f.field({
          type: connectionRefs.get(t.name),
          args: { where: f.arg({ type: t.names.filter }), orderBy: f.arg({ type: [t.names.orderBy] }), first: f.arg.int(), after: f.arg.string(), last: f.arg.int(), before: f.arg.string() },
          resolve: rootResolver(plans, t.names.connection),
        });
        plans.roots.set(t.names.aggregate, { kind: 'aggregate', table: t });
        fields[t.names.aggregate] = f.field({ type: aggRefs.get(t.name), args: { where: f.arg({ type: t.names.filter }) }, resolve: rootResolver(plans, t.names.aggregate) });
      }
      if (model.tables.length === 0) {
        // a schema needs at least one query field; an empty project still answers introspection
        fields._empty = f.boolean({ nullable: true, description: 'This project has no tables yet.', resolve: () => null });
      }
      return fields;
    },
  });

  builder.mutationType({});
  addIdentityFields(builder, model);
  addComplianceFields(builder, model);
  addMutations(builder, model, refs, plans, byResponseKey);
  addVectorSearch(builder, model, refs, plans, byResponseKey, (field) => rootResolver(plans, field));
  addSubscriptions(builder, model, refs, plans, byResponseKey);

  return { schema: builder.toSchema({ sortSchema: false }), plans };
}

function rootResolver(plans: SchemaPlans, fieldName: string) {
  return (_root: unknown, _args: unknown, ctx: ProjectContext, info: GraphQLResolveInfo) => executeRoot(plans, fieldName, ctx, info);
}

/**
 *   type PostSumFields { score: BigInt }  type PostAvgFields { score: Float }
 *   type PostMinFields / PostMaxFields { <orderable columns>: <column type> }
 *   type PostGroupKey { <groupable columns> }  enum PostGroupByColumn { <groupable columns> }
 *   type PostGroup { key: PostGroupKey!  count: Int!  sum avg min max }
 *   input PostGroupOrderBy { count: OrderDirection  <groupable columns>: OrderDirection }
 */
function addAggregateTypes(builder: ProjectBuilder, t: TableModel, aggRef: any): void {
  const numeric = t.columns.filter((c) => isNumeric(c.type.kind));
  const minmax = t.columns.filter(minMaxable);
  const groupCols = t.columns.filter(groupable);
  const sumType = (c: ColumnModel) => (c.type.kind === 'float' ? 'Float' : c.type.kind === 'numeric' ? 'Decimal' : 'BigInt');
  const avgType = (c: ColumnModel) => (c.type.kind === 'numeric' ? 'Decimal' : 'Float');
  const fnTypes: Array<[string, ColumnModel[], (c: ColumnModel) => unknown]> = [
    ['Sum', numeric, sumType],
    ['Avg', numeric, avgType],
    ['Min', minmax, (c) => outputType(t, c)],
    ['Max', minmax, (c) => outputType(t, c)],
  ];
  const fnRefs: Record<string, any> = {};
  for (const [fn, cols, type] of fnTypes) {
    if (cols.length === 0) continue;
    fnRefs[fn.toLowerCase()] = builder.objectRef(t.names.aggregateFields(fn as 'Sum')).implement({
      fields: (f: any) => Object.fromEntries(cols.map((c) => [c.name, f.field({ type: type(c), nullable: true, resolve: byResponseKey })])),
    });
  }
  const aggFields = (f: any) => ({
    count: f.int({ resolve: byResponseKey }),
    ...Object.fromEntries(Object.entries(fnRefs).map(([fn, ref]) => [fn, f.field({ type: ref, resolve: byResponseKey })])),
  });
  if (groupCols.length > 0) {
    builder.enumType(t.names.groupByColumn, { values: groupCols.map((c) => c.name) });
    const keyRef = builder.objectRef(t.names.groupKey).implement({
      fields: (f: any) => Object.fromEntries(groupCols.map((c) => [c.name, f.field({ type: outputType(t, c), nullable: true, resolve: byResponseKey })])),
    });
    const groupRef = builder.objectRef(t.names.group).implement({
      fields: (f: any) => ({ key: f.field({ type: keyRef, resolve: byResponseKey }), ...aggFields(f) }),
    });
    builder.inputType(`${t.names.group}OrderBy`, {
      fields: (f: any) => ({ count: f.field({ type: 'OrderDirection' }), ...Object.fromEntries(groupCols.filter(sortable).map((c) => [c.name, f.field({ type: 'OrderDirection' })])) }),
    });
    aggRef.implement({
      fields: (f: any) => ({
        ...aggFields(f),
        groupBy: f.field({
          type: [groupRef],
          args: { by: f.arg({ type: [t.names.groupByColumn], required: true }), orderBy: f.arg({ type: [`${t.names.group}OrderBy`] }), limit: f.arg.int() },
          resolve: byResponseKey,
        }),
      }),
    });
  } else {
    aggRef.implement({ fields: aggFields });
  }
}
