/**
 * Control-plane fields for tables, columns and relationships.
 *
 *   type Table { id name singularName pluralName primaryKeyType: PrimaryKeyType! timestamps rlsEnabled columns: [Column!]! }
 *   type Column { id name type isNullable defaultValue isUnique encrypted enumValues: [String!]! }
 *   type Relationship { id type fromTable toTable foreignKeyColumn junctionTable fromFieldName toFieldName onDelete }
 *   extend type Query { tables(projectSlug: String!): [Table!]!  table(projectSlug: String!, name: String!): Table
 *                       relationships(projectSlug: String!): [Relationship!]! }
 *   input UpdateColumnInput { projectSlug table name newName type isNullable defaultValue dropDefault isUnique enumValues }
 *   extend type Mutation { createTable addColumn updateColumn dropColumn dropTable createRelationship }
 */
import { builder } from './admin-builder.js';
import { requirePermission } from './admin-context.js';
import { createRelationship } from './relationships-service.js';
import { addColumn, createTable, dropColumn, dropTable, setOwnerColumn, tableInclude } from './tables-service.js';
import { updateColumn } from './update-column-service.js';

const PrimaryKeyTypeEnum = builder.enumType('PrimaryKeyType', { values: ['UUID', 'BIGINT'] as const });
const RelationshipTypeEnum = builder.enumType('RelationshipType', { values: ['ONE_TO_ONE', 'ONE_TO_MANY', 'MANY_TO_MANY'] as const });
const OnDeleteEnum = builder.enumType('OnDeleteAction', { values: ['CASCADE', 'SET_NULL', 'RESTRICT'] as const });

interface ColumnShape {
  id: string;
  name: string;
  type: string;
  isNullable: boolean;
  defaultValue: string | null;
  isUnique: boolean;
  encrypted: boolean;
  enumValues: string[];
}
interface TableShape {
  id: string;
  name: string;
  singularName: string | null;
  pluralName: string | null;
  primaryKeyType: 'UUID' | 'BIGINT';
  timestamps: boolean;
  rlsEnabled: boolean;
  ownerColumn: string | null;
  columns: ColumnShape[];
}
interface RelationshipShape {
  id: string;
  type: 'ONE_TO_ONE' | 'ONE_TO_MANY' | 'MANY_TO_MANY';
  fromTableId: string;
  toTableId: string;
  junctionTableId: string | null;
  foreignKeyColumn: string;
  fromFieldName: string;
  toFieldName: string;
  onDelete: 'CASCADE' | 'SET_NULL' | 'RESTRICT';
}

const ColumnRef = builder.objectRef<ColumnShape>('Column').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    isNullable: t.exposeBoolean('isNullable'),
    defaultValue: t.exposeString('defaultValue', { nullable: true }),
    isUnique: t.exposeBoolean('isUnique'),
    encrypted: t.exposeBoolean('encrypted'),
    enumValues: t.exposeStringList('enumValues'),
  }),
});

export const TableRef = builder.objectRef<TableShape>('Table').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    singularName: t.exposeString('singularName', { nullable: true }),
    pluralName: t.exposeString('pluralName', { nullable: true }),
    primaryKeyType: t.field({ type: PrimaryKeyTypeEnum, resolve: (x) => x.primaryKeyType }),
    timestamps: t.exposeBoolean('timestamps'),
    rlsEnabled: t.exposeBoolean('rlsEnabled'),
    ownerColumn: t.exposeString('ownerColumn', { nullable: true }),
    columns: t.field({ type: [ColumnRef], resolve: (x) => x.columns }),
  }),
});

const tableName = (id: string | null, ctx: { meta: { table: { findUnique: Function } } }) =>
  id === null ? null : (ctx.meta.table.findUnique({ where: { id }, select: { name: true } }) as Promise<{ name: string } | null>).then((r) => r?.name ?? null);

const RelationshipRef = builder.objectRef<RelationshipShape>('Relationship').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: RelationshipTypeEnum, resolve: (r) => r.type }),
    fromTable: t.string({ resolve: async (r, _a, ctx) => (await tableName(r.fromTableId, ctx))! }),
    toTable: t.string({ resolve: async (r, _a, ctx) => (await tableName(r.toTableId, ctx))! }),
    junctionTable: t.string({ nullable: true, resolve: (r, _a, ctx) => tableName(r.junctionTableId, ctx) }),
    foreignKeyColumn: t.exposeString('foreignKeyColumn'),
    fromFieldName: t.exposeString('fromFieldName'),
    toFieldName: t.exposeString('toFieldName'),
    onDelete: t.field({ type: OnDeleteEnum, resolve: (r) => r.onDelete }),
  }),
});

/** The fields of a column definition, shared by createTable's columns and addColumn. */
const columnFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  name: t.string({ required: true }),
  type: t.string({ required: true }),
  isNullable: t.boolean(),
  defaultValue: t.string(),
  isUnique: t.boolean(),
  encrypted: t.boolean(),
  enumValues: t.stringList(),
});

const ColumnInput = builder.inputType('ColumnInput', { fields: (t) => columnFields(t) });

const CreateTableInput = builder.inputType('CreateTableInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    name: t.string({ required: true }),
    columns: t.field({ type: [ColumnInput] }),
    primaryKey: t.field({ type: PrimaryKeyTypeEnum }),
    timestamps: t.boolean(),
    singularName: t.string(),
    pluralName: t.string(),
  }),
});

const AddColumnInput = builder.inputType('AddColumnInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), table: t.string({ required: true }), ...columnFields(t) }),
});

/** Only the given fields change; dropDefault: true removes the default (give it or defaultValue, not both). */
const UpdateColumnInput = builder.inputType('UpdateColumnInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    table: t.string({ required: true }),
    name: t.string({ required: true }),
    newName: t.string(),
    type: t.string(),
    isNullable: t.boolean(),
    defaultValue: t.string(),
    dropDefault: t.boolean(),
    isUnique: t.boolean(),
    enumValues: t.stringList(),
  }),
});

const DropColumnInput = builder.inputType('DropColumnInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), table: t.string({ required: true }), name: t.string({ required: true }) }),
});
const DropTableInput = builder.inputType('DropTableInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), name: t.string({ required: true }) }),
});

const SetOwnerColumnInput = builder.inputType('SetOwnerColumnInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), table: t.string({ required: true }), column: t.string() }),
});

const CreateRelationshipInput = builder.inputType('CreateRelationshipInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    type: t.field({ type: RelationshipTypeEnum, required: true }),
    fromTable: t.string({ required: true }),
    toTable: t.string({ required: true }),
    foreignKeyColumn: t.string(),
    junctionTable: t.string(),
    fromFieldName: t.string(),
    toFieldName: t.string(),
    onDelete: t.field({ type: OnDeleteEnum }),
  }),
});

async function projectIdFor(ctx: Parameters<typeof requirePermission>[0], slug: string): Promise<string | null> {
  requirePermission(ctx, 'SELECT', `${slug}:*`);
  const p = await ctx.meta.project.findUnique({ where: { slug }, select: { id: true } });
  return p?.id ?? null;
}

builder.queryFields((t) => ({
  tables: t.field({
    type: [TableRef],
    args: { projectSlug: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const projectId = await projectIdFor(ctx, args.projectSlug);
      return projectId ? ctx.meta.table.findMany({ where: { projectId }, include: tableInclude, orderBy: { name: 'asc' } }) : [];
    },
  }),
  table: t.field({
    type: TableRef,
    nullable: true,
    args: { projectSlug: t.arg.string({ required: true }), name: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const projectId = await projectIdFor(ctx, args.projectSlug);
      return projectId ? ctx.meta.table.findUnique({ where: { projectId_name: { projectId, name: args.name } }, include: tableInclude }) : null;
    },
  }),
  relationships: t.field({
    type: [RelationshipRef],
    args: { projectSlug: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const projectId = await projectIdFor(ctx, args.projectSlug);
      return projectId ? ctx.meta.relationship.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } }) : [];
    },
  }),
}));

builder.mutationFields((t) => ({
  createTable: t.field({ type: TableRef, args: { input: t.arg({ type: CreateTableInput, required: true }) }, resolve: (_r, { input }, ctx) => createTable(ctx, input) }),
  dropTable: t.field({ type: TableRef, args: { input: t.arg({ type: DropTableInput, required: true }) }, resolve: (_r, { input }, ctx) => dropTable(ctx, input) }),
  addColumn: t.field({ type: ColumnRef, args: { input: t.arg({ type: AddColumnInput, required: true }) }, resolve: (_r, { input }, ctx) => addColumn(ctx, input) }),
  updateColumn: t.field({ type: ColumnRef, args: { input: t.arg({ type: UpdateColumnInput, required: true }) }, resolve: (_r, { input }, ctx) => updateColumn(ctx, input) }),
  dropColumn: t.field({ type: ColumnRef, args: { input: t.arg({ type: DropColumnInput, required: true }) }, resolve: (_r, { input }, ctx) => dropColumn(ctx, input) }),
  setOwnerColumn: t.field({
    type: TableRef,
    args: { input: t.arg({ type: SetOwnerColumnInput, required: true }) },
    resolve: (_r, { input }, ctx) => setOwnerColumn(ctx, input),
  }),
  createRelationship: t.field({
    type: RelationshipRef,
    args: { input: t.arg({ type: CreateRelationshipInput, required: true }) },
    resolve: (_r, { input }, ctx) => createRelationship(ctx, input),
  }),
}));
