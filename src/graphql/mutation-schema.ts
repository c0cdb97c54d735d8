/**
 * Mutation fields of a table `posts`:
 *
 *   input PostInsertInput { <columns; required when NOT NULL without default>
 *                           author: UserRelInsertInput  comments: CommentListRelInsertInput  tags: TagListRelInsertInput }
 *   input UserRelInsertInput { data: UserInsertInput! }  input CommentListRelInsertInput { data: [CommentInsertInput!]! }
 *   input PostSetInput { <columns> }   input PostIncInput { <numeric columns> }
 *   enum PostColumn { <columns> }      input PostOnConflict { conflictColumns: [PostColumn!]!  updateColumns: [PostColumn!]! }
 *   type PostMutationResult { affectedRows: Int!  returning: [Post!]! }
 *   type Mutation {
 *     insertPost(input: PostInsertInput!): Post
 *     insertPosts(inputs: [PostInsertInput!]!, onConflict: PostOnConflict): PostMutationResult!
 *     updatePost(id: UUID!, set: PostSetInput, inc: PostIncInput): Post
 *     updatePosts(where: PostFilter!, set: PostSetInput, inc: PostIncInput): PostMutationResult!
 *     deletePost(id: UUID!): Post
 *     deletePosts(where: PostFilter!): PostMutationResult! }
 * created_at/updated_at are kept by KoyaLite and appear in no input.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { isNumeric } from '../model/column-types.js';
import type { ColumnModel, ProjectModel, TableModel } from '../model/project-model.js';
import type { MutationPlan, SchemaPlans } from './field-plans.js';
import { executeMutation } from './mutation-resolver.js';
import type { ProjectBuilder } from './project-builder.js';
import type { ProjectContext } from './project-context.js';
import { isListKind, scalarOf } from './scalar-mapping.js';

const writable = (c: ColumnModel) => !c.managed;

function inputType(t: TableModel, c: ColumnModel): unknown {
  if (c.type.kind === 'enum') return t.names.enumType(c.name);
  const scalar = scalarOf(c.type.kind);
  return isListKind(c.type.kind) ? [scalar] : scalar;
}

export function addMutations(builder: ProjectBuilder, model: ProjectModel, refs: Map<string, any>, plans: SchemaPlans, byResponseKey: unknown): void {
  const writableTables = model.tables.filter((t) => t.access.insert || t.access.update || t.access.delete);
  for (const t of writableTables) {
    const cols = t.columns.filter(writable);
    // insert inputs exist only for tables the role may insert into, and nest only into tables
    // it may insert into as well: a role view never offers a write its permissions refuse
    if (t.access.insert) {
      const nestable = t.relations.flatMap((r) => {
        const target = model.tablesByName.get(r.targetTable);
        // many-to-many also writes the junction rows: the role must be allowed that too
        const junction = r.join.via === 'junction' ? model.tablesByName.get(r.join.junctionTable) : target;
        return target?.access.insert && junction?.access.insert ? [{ r, target }] : [];
      });
      builder.inputType(t.names.insertInput, {
        fields: (f: any) => ({
          ...Object.fromEntries(cols.map((c) => [c.name, f.field({ type: inputType(t, c), required: !c.nullable && !c.hasDefault })])),
          ...Object.fromEntries(
            nestable.map(({ r, target }) => [r.fieldName, f.field({ type: r.cardinality === 'one' ? `${target.names.type}RelInsertInput` : `${target.names.type}ListRelInsertInput` })]),
          ),
        }),
      });
      builder.inputType(`${t.names.type}RelInsertInput`, { fields: (f: any) => ({ data: f.field({ type: t.names.insertInput, required: true }) }) });
      builder.inputType(`${t.names.type}ListRelInsertInput`, { fields: (f: any) => ({ data: f.field({ type: [t.names.insertInput], required: true }) }) });
    }
    const settable = cols.filter((c) => !c.isPrimaryKey);
    if (settable.length > 0) {
      builder.inputType(t.names.setInput, { fields: (f: any) => Object.fromEntries(settable.map((c) => [c.name, f.field({ type: inputType(t, c) })])) });
    }
    const numeric = settable.filter((c) => isNumeric(c.type.kind));
    if (numeric.length > 0) {
      builder.inputType(t.names.incInput, { fields: (f: any) => Object.fromEntries(numeric.map((c) => [c.name, f.field({ type: inputType(t, c) })])) });
    }
    builder.enumType(`${t.names.type}Column`, { values: t.columns.filter((c) => c.type.kind !== 'vector').map((c) => c.name) });
    builder.inputType(t.names.onConflict, {
      fields: (f: any) => ({
        conflictColumns: f.field({ type: [`${t.names.type}Column`], required: true }),
        updateColumns: f.field({ type: [`${t.names.type}Column`], required: true }),
      }),
    });
    builder.objectRef(t.names.mutationResult).implement({
      fields: (f: any) => ({ affectedRows: f.int({ resolve: byResponseKey }), returning: f.field({ type: [refs.get(t.name)], resolve: byResponseKey }) }),
    });
  }

  builder.mutationFields(
    (f: any) => {
      const fields: Record<string, unknown> = {};
      const add = (name: string, plan: MutationPlan, config: Record<string, unknown>) => {
        plans.mutations.set(name, plan);
        fields[name] = f.field({ ...config, resolve: (_r: unknown, args: Record<string, unknown>, ctx: ProjectContext, info: GraphQLResolveInfo) => executeMutation(plans, plan, ctx, info, args) });
      };
      for (const t of writableTables) {
        const pk = t.primaryKey.type.kind === 'bigint' ? 'BigInt' : 'UUID';
        const row = refs.get(t.name);
        const setArgs = {
          ...(t.columns.some((c) => writable(c) && !c.isPrimaryKey) ? { set: f.arg({ type: t.names.setInput }) } : {}),
          ...(t.columns.some((c) => writable(c) && !c.isPrimaryKey && isNumeric(c.type.kind)) ? { inc: f.arg({ type: t.names.incInput }) } : {}),
        };
        if (t.access.insert) {
          add(t.names.insertOne, { kind: 'insert', table: t, single: true }, { type: row, nullable: true, args: { input: f.arg({ type: t.names.insertInput, required: true }) } });
          add(t.names.insertMany, { kind: 'insert', table: t, single: false }, {
            type: t.names.mutationResult,
            args: { inputs: f.arg({ type: [t.names.insertInput], required: true }), onConflict: f.arg({ type: t.names.onConflict }) },
          });
        }
        if (t.access.update) {
          add(t.names.updateOne, { kind: 'update', table: t, single: true }, { type: row, nullable: true, args: { id: f.arg({ type: pk, required: true }), ...setArgs } });
          add(t.names.updateMany, { kind: 'update', table: t, single: false }, { type: t.names.mutationResult, args: { where: f.arg({ type: t.names.filter, required: true }), ...setArgs } });
        }
        if (t.access.delete) {
          add(t.names.deleteOne, { kind: 'delete', table: t, single: true }, { type: row, nullable: true, args: { id: f.arg({ type: pk, required: true }) } });
          add(t.names.deleteMany, { kind: 'delete', table: t, single: false }, { type: t.names.mutationResult, args: { where: f.arg({ type: t.names.filter, required: true }) } });
        }
      }
      return fields;
    },
  );
}
