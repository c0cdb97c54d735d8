/**
 * Tables and columns: each change writes the metadata rows and runs the DDL in one transaction,
 * then commitMetadataChange() checks the resulting model, bumps the version and notifies.
 */
import { hasVectorExtension } from '../meta/vector-extension.js';
import { dropGrantsOn } from './grant-cleanup.js';
import { policyReadingTable, policyUsingColumn } from './policy-dependents.js';
import { badInput, conflict, notFound } from '../lib/errors.js';
import { ident, sql } from '../lib/sql.js';
import { execInTx, type MetaTx } from '../meta/meta-client.js';
import { requirePermission, type AdminContext } from './admin-context.js';
import { columnDefinitionSql, createTableSql, updatedAtTriggerSql, changeFeedTriggerSql } from './ddl.js';
import { explainDdlError } from './ddl-errors.js';
import { validateName } from './identifiers.js';
import { commitMetadataChange, metadataTransaction } from './metadata-change.js';
import { columnRow, toColumnSpec, type ColumnInput } from './table-input.js';

export const tableInclude = { columns: { orderBy: { position: 'asc' as const } } };

export interface CreateTableInput {
  projectSlug: string;
  name: string;
  columns?: ColumnInput[] | null;
  primaryKey?: 'UUID' | 'BIGINT' | null;
  timestamps?: boolean | null;
  singularName?: string | null;
  pluralName?: string | null;
}

export async function projectForChange(ctx: AdminContext, slug: string) {
  const principal = requirePermission(ctx, 'MANAGE', `${slug}:*`);
  const project = await ctx.meta.project.findUnique({ where: { slug } });
  if (!project) throw notFound(`project "${slug}" not found`);
  return { principal, project };
}


function validateOverride(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  return validateName('field', value, field);
}

export async function createTable(ctx: AdminContext, input: CreateTableInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const name = validateName('table', input.name, 'name');
  const specs = (input.columns ?? []).map((c, i) => toColumnSpec(c, `columns[${i}]`));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw badInput(`column "${s.name}" is listed twice`, { field: 'columns' });
    seen.add(s.name);
  }
  const primaryKey = input.primaryKey ?? 'UUID';
  const timestamps = input.timestamps ?? true;
  const singularName = validateOverride(input.singularName, 'singularName');
  const pluralName = validateOverride(input.pluralName, 'pluralName');
  if (await ctx.meta.table.findUnique({ where: { projectId_name: { projectId: project.id, name } }, select: { id: true } })) {
    throw conflict(`table "${name}" already exists in project ${project.slug}`, { fields: ['name'] });
  }
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      const hasVector = await hasVectorExtension(tx);
      const rows = [
        { name: 'id', type: primaryKey === 'UUID' ? 'uuid' : 'bigint', isNullable: false, isUnique: true, defaultValue: null, encrypted: false, enumValues: [], position: 0 },
        ...specs.map((s, i) => columnRow(s, i + 1)),
        ...(timestamps
          ? ['created_at', 'updated_at'].map((n, i) => ({ name: n, type: 'timestamptz', isNullable: false, isUnique: false, defaultValue: 'now()', encrypted: false, enumValues: [], position: specs.length + 1 + i }))
          : []),
      ];
      const table = await tx.table.create({
        data: { projectId: project.id, name, singularName, pluralName, primaryKeyType: primaryKey, timestamps, columns: { create: rows } },
        include: tableInclude,
      });
      await execInTx(tx, createTableSql(project.schemaName, name, primaryKey, specs, timestamps, hasVector));
      if (timestamps) await execInTx(tx, updatedAtTriggerSql(project.schemaName, name));
      await execInTx(tx, changeFeedTriggerSql(project.schemaName, name));
      await commitMetadataChange(tx, project.id, principal, {
        action: 'table.create',
        targetType: 'Table',
        targetId: table.id,
        metadata: { table: name, columns: specs.map((s) => s.name) },
      });
      return table;
    });
  } catch (err) {
    throw explainDdlError(err, `create table ${name}`);
  }
}

export async function dropTable(ctx: AdminContext, input: { projectSlug: string; name: string }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await ctx.meta.table.findUnique({ where: { projectId_name: { projectId: project.id, name: input.name } }, include: tableInclude });
  if (!table) throw notFound(`table "${input.name}" not found in project ${project.slug}`);
  const junctionOf = await ctx.meta.relationship.count({ where: { junctionTableId: table.id } });
  if (junctionOf > 0) throw badInput(`table ${table.name} is the junction of a many-to-many relationship; drop the relationship first`);
  const reader = await policyReadingTable(ctx.meta, project.id, table.name);
  if (reader) throw badInput(`table ${table.name} is read by policy ${reader.name} on table ${reader.table}; change or delete that policy first`, { field: 'name' });
  let grantsDropped = 0;
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      // relationships where this table is the child lose their FK constraint with the table itself;
      // those where it is the parent keep the child's column but drop the constraint
      const related = await tx.relationship.findMany({ where: { OR: [{ fromTableId: table.id }, { toTableId: table.id }] }, include: { toTable: true } });
      for (const r of related) {
        if (r.toTableId !== table.id && r.type !== 'MANY_TO_MANY') {
          await execInTx(tx, sql`ALTER TABLE ${ident(project.schemaName, r.toTable.name)} DROP CONSTRAINT IF EXISTS ${ident(r.constraintName)}`);
        }
      }
      await tx.relationship.deleteMany({ where: { id: { in: related.map((r) => r.id) } } });
      await tx.table.delete({ where: { id: table.id } });
      await execInTx(tx, sql`DROP TABLE ${ident(project.schemaName, table.name)}`);
      grantsDropped = await dropGrantsOn(tx, project.slug, table.name);
      await commitMetadataChange(tx, project.id, principal, { action: 'table.drop', targetType: 'Table', targetId: table.id, metadata: { table: table.name, grantsDropped } });
      return table;
    });
  } catch (err) {
    throw explainDdlError(err, `drop table ${table.name}`);
  } finally {
    if (grantsDropped > 0) ctx.principals.clear();
  }
}

export interface AddColumnInput extends ColumnInput {
  projectSlug: string;
  table: string;
}

export async function addColumn(ctx: AdminContext, input: AddColumnInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const spec = toColumnSpec(input, 'input');
  const table = await ctx.meta.table.findUnique({ where: { projectId_name: { projectId: project.id, name: input.table } }, include: tableInclude });
  if (!table) throw notFound(`table "${input.table}" not found in project ${project.slug}`);
  if (table.columns.some((c) => c.name === spec.name)) throw conflict(`column ${table.name}.${spec.name} already exists`, { fields: ['name'] });
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      const hasVector = await hasVectorExtension(tx);
      const position = Math.max(...table.columns.map((c) => c.position)) + 1;
      const column = await tx.column.create({ data: { ...columnRow(spec, position), tableId: table.id } });
      await execInTx(tx, sql`ALTER TABLE ${ident(project.schemaName, table.name)} ADD COLUMN ${columnDefinitionSql(table.name, spec, hasVector)}`);
      await commitMetadataChange(tx, project.id, principal, {
        action: 'column.add',
        targetType: 'Column',
        targetId: column.id,
        metadata: { table: table.name, column: spec.name, type: column.type },
      });
      return column;
    });
  } catch (err) {
    throw explainDdlError(err, `add column ${table.name}.${spec.name}`);
  }
}

export async function dropColumn(ctx: AdminContext, input: { projectSlug: string; table: string; name: string }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await ctx.meta.table.findUnique({ where: { projectId_name: { projectId: project.id, name: input.table } }, include: tableInclude });
  if (!table) throw notFound(`table "${input.table}" not found in project ${project.slug}`);
  const column = table.columns.find((c) => c.name === input.name);
  if (!column) throw notFound(`column ${table.name}.${input.name} not found`);
  if (column.name === 'id' || (table.timestamps && (column.name === 'created_at' || column.name === 'updated_at'))) {
    throw badInput(`column ${column.name} is kept by KoyaLite and cannot be dropped`, { field: 'name' });
  }
  const usedBy = await ctx.meta.relationship.findFirst({
    where: { OR: [{ toTableId: table.id, foreignKeyColumn: column.name }, { junctionTableId: table.id }] },
    select: { id: true },
  });
  if (usedBy) throw badInput(`column ${table.name}.${column.name} belongs to a relationship; drop the relationship first`, { field: 'name' });
  const index = await ctx.meta.vectorIndex.findFirst({ where: { tableId: table.id, embeddingColumn: column.name }, select: { name: true } });
  if (index) throw badInput(`column ${table.name}.${column.name} is used by vector index ${index.name}; delete vector index ${index.name} first`, { field: 'name' });
  const policy = await policyUsingColumn(ctx.meta, project.id, table.name, column.name);
  if (policy) throw badInput(`column ${table.name}.${column.name} is mentioned by policy ${policy.name} on table ${policy.table}; change or delete the policy first`, { field: 'name' });
  let grantsDropped = 0;
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      await tx.column.delete({ where: { id: column.id } });
      await execInTx(tx, sql`ALTER TABLE ${ident(project.schemaName, table.name)} DROP COLUMN ${ident(column.name)}`);
      if (table.ownerColumn === column.name) await tx.table.update({ where: { id: table.id }, data: { ownerColumn: null } });
      grantsDropped = await dropGrantsOn(tx, project.slug, table.name, column.name);
      await commitMetadataChange(tx, project.id, principal, { action: 'column.drop', targetType: 'Column', targetId: column.id, metadata: { table: table.name, column: column.name, grantsDropped } });
      return column;
    });
  } catch (err) {
    throw explainDdlError(err, `drop column ${table.name}.${column.name}`);
  } finally {
    if (grantsDropped > 0) ctx.principals.clear();
  }
}

/** Declares the column naming a row's owner (GDPR/CCPA export and erase); null clears it. */
export async function setOwnerColumn(ctx: AdminContext, input: { projectSlug: string; table: string; column?: string | null }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await ctx.meta.table.findUnique({ where: { projectId_name: { projectId: project.id, name: input.table } }, include: tableInclude });
  if (!table) throw notFound(`table "${input.table}" not found in project ${project.slug}`);
  const column = input.column ? table.columns.find((c) => c.name === input.column) : undefined;
  if (input.column && !column) throw notFound(`column ${table.name}.${input.column} not found`);
  if (column && column.type !== 'uuid' && column.type !== 'text') throw badInput(`the owner column must be a uuid or text column; ${column.name} is ${column.type}`, { field: 'column' });
  return metadataTransaction(ctx, project.id, async (tx) => {
    const updated = await tx.table.update({ where: { id: table.id }, data: { ownerColumn: column?.name ?? null }, include: tableInclude });
    await commitMetadataChange(tx, project.id, principal, { action: 'table.owner_column', targetType: 'Table', targetId: table.id, metadata: { table: table.name, ownerColumn: column?.name ?? null } });
    return updated;
  });
}
