/**
 * updateColumn: rename a column, change its type (converting the data, see column-conversions.ts),
 * nullability, default, uniqueness or enum values. Only the given fields change. The metadata
 * row and every DDL statement run in one transaction; on any failure nothing changes (metadata,
 * physical table, metadata version). A change is refused before anything runs when it would
 * break something KoyaLite relies on (managed columns, relationship columns, owner column,
 * vector indexes, policies, encryption).
 *
 *   ALTER TABLE "shop"."posts" RENAME COLUMN "score" TO "points";
 *   ALTER TABLE "shop"."posts" RENAME CONSTRAINT "posts_score_key" TO "posts_points_key";
 *   ALTER TABLE "shop"."posts" ALTER COLUMN "points" DROP DEFAULT;
 *   ALTER TABLE "shop"."posts" ALTER COLUMN "points" TYPE integer USING CASE WHEN … END;
 *   ALTER TABLE "shop"."posts" ALTER COLUMN "points" SET DEFAULT '0'::integer;
 *   ALTER TABLE "shop"."posts" ALTER COLUMN "points" SET NOT NULL;
 *   ALTER TABLE "shop"."posts" ADD CONSTRAINT "posts_points_key" UNIQUE ("points");
 *   ALTER TABLE "shop"."posts" ADD CONSTRAINT "posts_status_enum" CHECK ("status" IN ('A', 'B'));
 */
import { badInput, conflict, KoyaError, notFound } from '../lib/errors.js';
import { ident, render, sql, type Sql } from '../lib/sql.js';
import { execInTx, type MetaTx } from '../meta/meta-client.js';
import { sqlState } from '../meta/prisma-errors.js';
import { formatColumnType, parseColumnType, type ColumnType } from '../model/column-types.js';
import type { AdminContext } from './admin-context.js';
import { planConversion } from './column-conversions.js';
import { columnCheckSql, columnTypeSql, constraintName, defaultSql } from './ddl.js';
import { explainDdlError } from './ddl-errors.js';
import { MANAGED_COLUMNS, validateEnumValues, validateName } from './identifiers.js';
import { commitMetadataChange, metadataTransaction } from './metadata-change.js';
import { hasVectorExtension } from '../meta/vector-extension.js';
import { policyUsingColumn } from './policy-dependents.js';
import { projectForChange, tableInclude } from './tables-service.js';

export interface UpdateColumnInput {
  projectSlug: string;
  table: string;
  name: string;
  newName?: string | null;
  type?: string | null;
  isNullable?: boolean | null;
  defaultValue?: string | null;
  dropDefault?: boolean | null;
  isUnique?: boolean | null;
  enumValues?: string[] | null;
}

/**
 * A type change rewrites the table (under an exclusive lock); give it more than Prisma's default
 * 5 s for an interactive transaction so a larger table converts instead of timing out.
 */
const UPDATE_COLUMN_TIMEOUT_MS = 60_000;

async function queryInTx<R>(tx: MetaTx, statement: Sql): Promise<R[]> {
  const { text, values } = render(statement);
  return tx.$queryRawUnsafe<R[]>(text, ...values);
}

/** Runs one DDL statement; a failure whose SQLSTATE `explain` knows becomes BAD_USER_INPUT with that message. */
async function ddl(tx: MetaTx, statement: Sql, explain?: (state: string) => string | undefined): Promise<void> {
  try {
    await execInTx(tx, statement);
  } catch (err) {
    const state = sqlState(err);
    const message = state === undefined || !explain ? undefined : explain(state);
    if (message !== undefined) throw badInput(message, { sqlState: state });
    throw err;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export async function updateColumn(ctx: AdminContext, input: UpdateColumnInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const schema = project.schemaName;
  try {
    return await metadataTransaction(ctx, project.id, 
      async (tx) => {
        const table = await tx.table.findUnique({ where: { projectId_name: { projectId: project.id, name: input.table } }, include: tableInclude });
        if (!table) throw notFound(`table "${input.table}" not found in project ${project.slug}`);
        const column = table.columns.find((c) => c.name === input.name);
        if (!column) throw notFound(`column ${table.name}.${input.name} not found`);
        const q = `${table.name}.${column.name}`;
        if (column.name === 'id' || (table.timestamps && (column.name === 'created_at' || column.name === 'updated_at'))) {
          throw badInput(`column ${q} is kept by KoyaLite and cannot be changed`, { field: 'name' });
        }
        const fromType = parseColumnType(column.type);
        if (!fromType) throw badInput(`column ${q} has unknown type "${column.type}"; drop and re-add it`, { field: 'type' });

        // ---- the would-be column
        const name = input.newName ?? column.name;
        const renamed = name !== column.name;
        if (renamed) {
          validateName('column', name, 'newName');
          if (MANAGED_COLUMNS.has(name)) throw badInput(`column "${name}" is created and kept by KoyaLite; choose another name`, { field: 'newName' });
          if (table.columns.some((c) => c.name === name)) throw conflict(`column ${table.name}.${name} already exists`, { fields: ['newName'] });
        }
        let toType: ColumnType = fromType;
        if (input.type !== undefined && input.type !== null) {
          const parsed = parseColumnType(input.type);
          if (!parsed) {
            throw badInput(
              `column ${q}: unknown type "${String(input.type).slice(0, 40)}"; use one of text varchar integer bigint numeric float boolean uuid timestamptz date jsonb enum text[] integer[] vector(<n>)`,
              { field: 'type' },
            );
          }
          toType = parsed;
        }
        const typeChanged = formatColumnType(toType) !== formatColumnType(fromType);
        let enumValues: string[] = [];
        if (toType.kind === 'enum') {
          enumValues = validateEnumValues(input.enumValues ?? (fromType.kind === 'enum' ? column.enumValues : []), 'enumValues');
        } else if (input.enumValues && input.enumValues.length > 0) {
          throw badInput(`column ${q}: enumValues only apply to enum columns`, { field: 'enumValues' });
        }
        const enumValuesChanged = !sameList(enumValues, column.enumValues);
        const isNullable = input.isNullable ?? column.isNullable;
        const isUnique = input.isUnique ?? column.isUnique;
        if (input.dropDefault && input.defaultValue !== undefined && input.defaultValue !== null) {
          throw badInput(`column ${q}: give defaultValue or dropDefault, not both`, { field: 'dropDefault' });
        }
        const defaultValue = input.dropDefault ? null : (input.defaultValue ?? column.defaultValue);
        const defaultChanged = defaultValue !== column.defaultValue;

        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (renamed) changes.name = { from: column.name, to: name };
        if (typeChanged) changes.type = { from: column.type, to: formatColumnType(toType) };
        if (isNullable !== column.isNullable) changes.isNullable = { from: column.isNullable, to: isNullable };
        if (defaultChanged) changes.defaultValue = column.encrypted ? { from: '(hidden)', to: '(hidden)' } : { from: column.defaultValue, to: defaultValue };
        if (isUnique !== column.isUnique) changes.isUnique = { from: column.isUnique, to: isUnique };
        if (enumValuesChanged) changes.enumValues = { from: column.enumValues, to: enumValues };
        if (Object.keys(changes).length === 0) return column;

        // ---- what the change must not break
        if (renamed || typeChanged) {
          const what = renamed ? 'renamed' : 'given another type';
          if (column.encrypted && typeChanged) throw badInput(`column ${q} is encrypted; only text columns can be encrypted, so its type cannot change`, { field: 'type' });
          if (table.ownerColumn === column.name && typeChanged) throw badInput(`column ${q} is the table's owner column; its type cannot change`, { field: 'type' });
          const indexes = await tx.vectorIndex.findMany({ where: { tableId: table.id, embeddingColumn: column.name }, select: { name: true } });
          if (indexes.length > 0 && typeChanged) throw badInput(`column ${q} is used by vector index ${indexes[0]!.name}; drop the index first`, { field: 'type' });
          // policies name columns (also other tables', inside exists(…)): refuse rather than break one
          const usedBy = await policyUsingColumn(tx, project.id, table.name, column.name);
          if (usedBy) {
            throw badInput(`column ${q} is mentioned by policy ${usedBy.name} on table ${usedBy.table} and cannot be ${what}; change or delete the policy first`, { field: renamed ? 'newName' : 'type' });
          }
        }
        if (column.encrypted && isUnique && !column.isUnique) throw badInput(`column ${q} is encrypted; encrypted columns cannot be unique`, { field: 'isUnique' });
        const relationships = await tx.relationship.findMany({
          where: {
            OR: [
              { type: { not: 'MANY_TO_MANY' }, toTableId: table.id, foreignKeyColumn: column.name },
              { junctionTableId: table.id, OR: [{ foreignKeyColumn: column.name }, { junctionTargetColumn: column.name }] },
            ],
          },
        });
        for (const r of relationships) {
          const role = r.type === 'MANY_TO_MANY' ? 'a link column of a many-to-many junction table' : `the foreign key of a ${r.type} relationship`;
          if (renamed) throw badInput(`column ${q} is ${role} and cannot be renamed`, { field: 'newName' });
          if (typeChanged) throw badInput(`column ${q} is ${role}; its type must match the referenced id and cannot change`, { field: 'type' });
          if (r.type === 'MANY_TO_MANY' && isNullable) throw badInput(`column ${q} is ${role} and must stay non-nullable`, { field: 'isNullable' });
          if (r.onDelete === 'SET_NULL' && !isNullable) throw badInput(`column ${q} is ${role} with onDelete SET_NULL and must stay nullable`, { field: 'isNullable' });
          if (r.type === 'ONE_TO_ONE' && !isUnique) throw badInput(`column ${q} is ${role}, which needs it unique`, { field: 'isUnique' });
        }

        const hasVector = await hasVectorExtension(tx);
        const target = { name, type: toType, defaultValue, enumValues };
        let newDefault: Sql | undefined;
        try {
          newDefault = defaultSql(target, hasVector);
        } catch (err) {
          if (err instanceof KoyaError && (input.defaultValue === undefined || input.defaultValue === null)) {
            throw badInput(`the current default value of ${q} does not fit the change (${err.message}); give a new defaultValue or dropDefault: true`, { field: 'defaultValue' });
          }
          throw err;
        }

        const fromName = formatColumnType(fromType);
        const toName = formatColumnType(toType);
        let conversion: ReturnType<typeof planConversion> | undefined;
        if (typeChanged) {
          const physical = await queryInTx<{ t: string }>(
            tx,
            sql`SELECT format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname = ${schema} AND r.relname = ${table.name} AND a.attname = ${column.name} AND a.attnum > 0 AND NOT a.attisdropped`,
          );
          if (!physical[0]) throw badInput(`column ${q} is missing from the database table; drop and re-add it`, { field: 'name' });
          conversion = planConversion(fromType, toType, ident(name), physical[0].t);
          if (!conversion.ok) throw badInput(`cannot change column ${q} from ${fromName} to ${toName}: ${conversion.reason}`, { field: 'type' });
        }

        // ---- metadata
        const updated = await tx.column.update({
          where: { id: column.id },
          data: { name, type: formatColumnType(toType), isNullable, defaultValue, isUnique, enumValues },
        });
        if (renamed) {
          if (table.ownerColumn === column.name) await tx.table.update({ where: { id: table.id }, data: { ownerColumn: name } });
          await tx.vectorIndex.updateMany({ where: { tableId: table.id, embeddingColumn: column.name }, data: { embeddingColumn: name } });
          // column-level grants follow the column (a grant left on the old name would apply to a future column of that name)
          const oldResource = `${project.slug}:${table.name}.${column.name}`;
          const newResource = `${project.slug}:${table.name}.${name}`;
          for (const p of await tx.permission.findMany({ where: { resource: oldResource } })) {
            const clash = await tx.permission.findUnique({ where: { roleId_action_resource: { roleId: p.roleId, action: p.action, resource: newResource } }, select: { id: true } });
            if (clash) await tx.permission.delete({ where: { id: p.id } });
            else await tx.permission.update({ where: { id: p.id }, data: { resource: newResource } });
          }
        }

        // ---- DDL
        const t = ident(schema, table.name);
        const c = ident(name);
        if (renamed) {
          await ddl(tx, sql`ALTER TABLE ${t} RENAME COLUMN ${ident(column.name)} TO ${c}`);
          const constraints = new Set(
            (await queryInTx<{ name: string }>(
              tx,
              sql`SELECT c.conname AS name FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ${schema} AND r.relname = ${table.name}`,
            )).map((r) => r.name),
          );
          for (const suffix of ['key', 'enum', 'dims']) {
            const from = constraintName(table.name, column.name, suffix);
            const to = constraintName(table.name, name, suffix);
            if (constraints.has(from) && !constraints.has(to)) await ddl(tx, sql`ALTER TABLE ${t} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)}`);
          }
        }
        const enumConstraint = ident(constraintName(table.name, name, 'enum'));
        if (typeChanged || enumValuesChanged) await ddl(tx, sql`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${enumConstraint}`);
        if (conversion?.ok) {
          if (fromType.kind === 'vector') await ddl(tx, sql`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(constraintName(table.name, name, 'dims'))}`);
          // the old default may not cast to the new type; it is set again below
          await ddl(tx, sql`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
          if (conversion.floatOutput) await execInTx(tx, sql`SET LOCAL extra_float_digits = 1`);
          if (conversion.using) {
            const { mustHold } = conversion;
            const head = `cannot change column ${q} from ${fromName} to ${toName}`;
            await ddl(tx, sql`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${columnTypeSql(toType, hasVector)} USING ${conversion.using}`, (state) => {
              if (state === '23505') return `${head}: converted values would be duplicates in this unique column`;
              if (state === '0A000') return `${head}: the database cannot change the type of a column that a view, rule or policy uses`;
              if (state.startsWith('22') || state.startsWith('23')) {
                return `${head}: existing values must all be ${mustHold ?? `convertible to ${toName}`}, and at least one is not; nothing was changed`;
              }
              return undefined;
            });
          }
        }
        if (newDefault) {
          if (typeChanged || defaultChanged) await ddl(tx, sql`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${newDefault}`);
        } else if (defaultChanged) {
          await ddl(tx, sql`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
        }
        if (isNullable !== column.isNullable) {
          await ddl(tx, isNullable ? sql`ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL` : sql`ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL`, (state) =>
            state === '23502' ? `cannot make column ${q} non-nullable: existing rows hold NULL in it; fill them in first` : undefined,
          );
        }
        if (isUnique !== column.isUnique) {
          const key = ident(constraintName(table.name, name, 'key'));
          await ddl(tx, isUnique ? sql`ALTER TABLE ${t} ADD CONSTRAINT ${key} UNIQUE (${c})` : sql`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${key}`, (state) =>
            state === '23505' ? `cannot make column ${q} unique: existing rows hold duplicate values in it` : undefined,
          );
        }
        if (toType.kind === 'enum' && (typeChanged || enumValuesChanged)) {
          const check = columnCheckSql(table.name, target, hasVector)!;
          await ddl(tx, sql`ALTER TABLE ${t} ADD ${check}`, (state) =>
            state === '23514' ? `cannot ${typeChanged ? `change column ${q} to enum` : `change the enumValues of ${q}`}: existing rows hold values outside enumValues (${enumValues.join(', ')})` : undefined,
          );
        }

        await commitMetadataChange(tx, project.id, principal, {
          action: 'column.update',
          targetType: 'Column',
          targetId: column.id,
          metadata: { table: table.name, column: column.name, changed: Object.keys(changes), changes },
        });
        return updated;
      },
      { timeout: UPDATE_COLUMN_TIMEOUT_MS },
    );
  } catch (err) {
    throw explainDdlError(err, `update column ${input.table}.${input.name}`);
  }
}
