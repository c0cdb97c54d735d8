/**
 * Relationships. ONE_TO_MANY: fromTable is the parent, toTable the child holding
 * foreignKeyColumn (created as `<parent singular>_id` when missing, indexed).
 * ONE_TO_ONE: the same plus a unique key. MANY_TO_MANY: through junctionTable (created when
 * missing, with `<singular>_id` link columns, both NOT NULL, unique together, cascading).
 *
 *   ALTER TABLE "shop"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id")
 *     REFERENCES "shop"."users" ("id") ON DELETE CASCADE;
 *   CREATE INDEX "posts_author_id_idx" ON "shop"."posts" ("author_id");
 */
import { badInput, conflict, notFound } from '../lib/errors.js';
import { ident, sql, trusted } from '../lib/sql.js';
import { execInTx, type MetaTx } from '../meta/meta-client.js';
import { pluralOf, singularOf } from '../model/inflection.js';
import type { AdminContext } from './admin-context.js';
import { constraintName, createTableSql, updatedAtTriggerSql, changeFeedTriggerSql } from './ddl.js';
import { explainDdlError } from './ddl-errors.js';
import { validateName } from './identifiers.js';
import { commitMetadataChange, metadataTransaction } from './metadata-change.js';
import { projectForChange, tableInclude } from './tables-service.js';

export interface CreateRelationshipInput {
  projectSlug: string;
  type: 'ONE_TO_ONE' | 'ONE_TO_MANY' | 'MANY_TO_MANY';
  fromTable: string;
  toTable: string;
  foreignKeyColumn?: string | null;
  junctionTable?: string | null;
  fromFieldName?: string | null;
  toFieldName?: string | null;
  onDelete?: 'CASCADE' | 'SET_NULL' | 'RESTRICT' | null;
}

const ON_DELETE = { CASCADE: 'CASCADE', SET_NULL: 'SET NULL', RESTRICT: 'RESTRICT' } as const;

type TableRow = Awaited<ReturnType<typeof loadTable>>;
async function loadTable(tx: MetaTx, projectId: string, name: string) {
  return tx.table.findUnique({ where: { projectId_name: { projectId, name } }, include: tableInclude });
}

function pkType(table: NonNullable<TableRow>): string {
  return table.primaryKeyType === 'UUID' ? 'uuid' : 'bigint';
}

function singular(t: NonNullable<TableRow>): string {
  return t.singularName ?? singularOf(t.name);
}
function plural(t: NonNullable<TableRow>): string {
  return t.pluralName ?? (t.singularName ? pluralOf(t.singularName) : t.name);
}

export async function createRelationship(ctx: AdminContext, input: CreateRelationshipInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const onDelete = input.onDelete ?? 'CASCADE';
  const schema = project.schemaName;
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      const from = await loadTable(tx, project.id, input.fromTable);
      if (!from) throw notFound(`table "${input.fromTable}" not found in project ${project.slug}`);
      const to = await loadTable(tx, project.id, input.toTable);
      if (!to) throw notFound(`table "${input.toTable}" not found in project ${project.slug}`);

      if (input.type === 'MANY_TO_MANY') {
        if (from.id === to.id && !input.foreignKeyColumn) throw badInput('a self many-to-many needs foreignKeyColumn (the link column to fromTable)', { field: 'foreignKeyColumn' });
        const junctionName = validateName('table', input.junctionTable ?? `${from.name}_${to.name}`, 'junctionTable');
        const fromCol = validateName('column', input.foreignKeyColumn ?? `${singular(from)}_id`, 'foreignKeyColumn');
        const toCol = from.id === to.id ? `related_${fromCol}` : `${singular(to)}_id`;
        let junction = await loadTable(tx, project.id, junctionName);
        if (!junction) {
          junction = await tx.table.create({
            data: {
              projectId: project.id,
              name: junctionName,
              timestamps: true,
              columns: {
                create: [
                  { name: 'id', type: 'uuid', isNullable: false, isUnique: true, position: 0 },
                  { name: fromCol, type: pkType(from), isNullable: false, position: 1 },
                  { name: toCol, type: pkType(to), isNullable: false, position: 2 },
                  { name: 'created_at', type: 'timestamptz', isNullable: false, defaultValue: 'now()', position: 3 },
                  { name: 'updated_at', type: 'timestamptz', isNullable: false, defaultValue: 'now()', position: 4 },
                ],
              },
            },
            include: tableInclude,
          });
          await execInTx(tx, createTableSql(schema, junctionName, 'UUID', [], true, false));
          await execInTx(tx, updatedAtTriggerSql(schema, junctionName));
          await execInTx(tx, changeFeedTriggerSql(schema, junctionName));
          await execInTx(tx, sql`ALTER TABLE ${ident(schema, junctionName)} ADD COLUMN ${ident(fromCol)} ${trusted(pkType(from))} NOT NULL, ADD COLUMN ${ident(toCol)} ${trusted(pkType(to))} NOT NULL`);
        } else if (!junction.columns.some((c) => c.name === fromCol) || !junction.columns.some((c) => c.name === toCol)) {
          throw badInput(`junction table ${junctionName} exists but lacks the columns ${fromCol} and ${toCol}`, { field: 'junctionTable' });
        }
        const fkFrom = constraintName(junctionName, fromCol, 'fkey');
        const fkTo = constraintName(junctionName, toCol, 'fkey');
        await execInTx(tx, sql`ALTER TABLE ${ident(schema, junctionName)}
          ADD CONSTRAINT ${ident(fkFrom)} FOREIGN KEY (${ident(fromCol)}) REFERENCES ${ident(schema, from.name)} ("id") ON DELETE CASCADE,
          ADD CONSTRAINT ${ident(fkTo)} FOREIGN KEY (${ident(toCol)}) REFERENCES ${ident(schema, to.name)} ("id") ON DELETE CASCADE,
          ADD CONSTRAINT ${ident(constraintName(junctionName, fromCol, toCol, 'key'))} UNIQUE (${ident(fromCol)}, ${ident(toCol)})`);
        await execInTx(tx, sql`CREATE INDEX ${ident(constraintName(junctionName, toCol, 'idx'))} ON ${ident(schema, junctionName)} (${ident(toCol)})`);
        const rel = await tx.relationship.create({
          data: {
            projectId: project.id,
            type: 'MANY_TO_MANY',
            fromTableId: from.id,
            toTableId: to.id,
            junctionTableId: junction.id,
            foreignKeyColumn: fromCol,
            junctionTargetColumn: toCol,
            fromFieldName: validateName('field', input.fromFieldName ?? plural(to), 'fromFieldName'),
            toFieldName: validateName('field', input.toFieldName ?? plural(from), 'toFieldName'),
            onDelete: 'CASCADE',
            constraintName: fkFrom,
          },
        });
        await commitMetadataChange(tx, project.id, principal, { action: 'relationship.create', targetType: 'Relationship', targetId: rel.id, metadata: { type: rel.type, from: from.name, to: to.name, junction: junctionName } });
        return rel;
      }

      // ONE_TO_MANY / ONE_TO_ONE: the child (toTable) holds the FK
      const fkName = validateName('column', input.foreignKeyColumn ?? `${singular(from)}_id`, 'foreignKeyColumn');
      const existing = to.columns.find((c) => c.name === fkName);
      if (existing) {
        if (existing.type !== pkType(from)) {
          throw badInput(`column ${to.name}.${fkName} is ${existing.type} but ${from.name}.id is ${pkType(from)}`, { field: 'foreignKeyColumn' });
        }
        if (onDelete === 'SET_NULL' && !existing.isNullable) throw badInput(`onDelete SET_NULL needs ${to.name}.${fkName} to be nullable`, { field: 'onDelete' });
      } else {
        const position = Math.max(...to.columns.map((c) => c.position)) + 1;
        await tx.column.create({ data: { tableId: to.id, name: fkName, type: pkType(from), isNullable: true, isUnique: input.type === 'ONE_TO_ONE', position } });
        await execInTx(tx, sql`ALTER TABLE ${ident(schema, to.name)} ADD COLUMN ${ident(fkName)} ${trusted(pkType(from))}`);
      }
      const fkConstraint = constraintName(to.name, fkName, 'fkey');
      if (await tx.relationship.findFirst({ where: { projectId: project.id, constraintName: fkConstraint }, select: { id: true } })) {
        throw conflict(`${to.name}.${fkName} already belongs to a relationship`, { fields: ['foreignKeyColumn'] });
      }
      await execInTx(tx, sql`ALTER TABLE ${ident(schema, to.name)} ADD CONSTRAINT ${ident(fkConstraint)} FOREIGN KEY (${ident(fkName)}) REFERENCES ${ident(schema, from.name)} ("id") ON DELETE ${trusted(ON_DELETE[onDelete])}`);
      if (input.type === 'ONE_TO_ONE') {
        if (existing && !existing.isUnique) {
          await tx.column.update({ where: { id: existing.id }, data: { isUnique: true } });
        }
        if (!existing?.isUnique) {
          await execInTx(tx, sql`ALTER TABLE ${ident(schema, to.name)} ADD CONSTRAINT ${ident(constraintName(to.name, fkName, 'key'))} UNIQUE (${ident(fkName)})`);
        }
      } else {
        await execInTx(tx, sql`CREATE INDEX ${ident(constraintName(to.name, fkName, 'idx'))} ON ${ident(schema, to.name)} (${ident(fkName)})`);
      }
      const defaultToField = fkName.endsWith('_id') ? fkName.slice(0, -3) : `${fkName}_ref`;
      const rel = await tx.relationship.create({
        data: {
          projectId: project.id,
          type: input.type,
          fromTableId: from.id,
          toTableId: to.id,
          foreignKeyColumn: fkName,
          fromFieldName: validateName('field', input.fromFieldName ?? (input.type === 'ONE_TO_ONE' ? singular(to) : plural(to)), 'fromFieldName'),
          toFieldName: validateName('field', input.toFieldName ?? defaultToField, 'toFieldName'),
          onDelete,
          constraintName: fkConstraint,
        },
      });
      await commitMetadataChange(tx, project.id, principal, { action: 'relationship.create', targetType: 'Relationship', targetId: rel.id, metadata: { type: rel.type, from: from.name, to: to.name, foreignKeyColumn: fkName } });
      return rel;
    });
  } catch (err) {
    throw explainDdlError(err, `create the ${input.type} relationship ${input.fromTable} → ${input.toTable}`);
  }
}
