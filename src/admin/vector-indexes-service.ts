/**
 * Vector indexes: a row in koyalite.vector_indexes (at most one per table; the data API gives
 * that table a `similar<Plural>` field), plus, where the `vector` extension exists, an HNSW
 * index created in the same transaction:
 *
 *   CREATE INDEX "koya_vec_posts_by_meaning" ON "shop"."posts" USING hnsw ("embedding" vector_cosine_ops);
 *   DROP INDEX IF EXISTS "shop"."koya_vec_posts_by_meaning";                      -- on delete
 * Without the extension the column is real[] and the data API scans exactly; no index is made.
 * HNSW takes at most 2000 dimensions: wider columns are searched by an exact scan there too.
 */
import { badInput, conflict, notFound } from '../lib/errors.js';
import { ident, sql, trusted } from '../lib/sql.js';
import { execInTx } from '../meta/meta-client.js';
import { isUniqueViolation } from '../meta/prisma-errors.js';
import { parseColumnType } from '../model/column-types.js';
import type { AdminContext } from './admin-context.js';
import { constraintName } from './ddl.js';
import { explainDdlError } from './ddl-errors.js';
import { validateName } from './identifiers.js';
import { commitMetadataChange, metadataTransaction } from './metadata-change.js';
import { hasVectorExtension } from '../meta/vector-extension.js';
import { projectForChange, tableInclude } from './tables-service.js';

export type VectorMetric = 'COSINE' | 'L2' | 'INNER_PRODUCT';

export interface CreateVectorIndexInput {
  projectSlug: string;
  table: string;
  name: string;
  embeddingColumn: string;
  dimensions: number;
  metric?: VectorMetric | null;
}

/** pgvector's HNSW limit for the `vector` type. */
export const HNSW_MAX_DIMENSIONS = 2000;

const OPERATOR_CLASS: Record<VectorMetric, string> = { COSINE: 'vector_cosine_ops', L2: 'vector_l2_ops', INNER_PRODUCT: 'vector_ip_ops' };

/** The physical index of a table's vector index: `koya_vec_<table>_<name>`, hashed to fit 63 bytes. */
export function vectorIndexName(table: string, name: string): string {
  return constraintName('koya_vec', table, name);
}

async function tableOf(ctx: AdminContext, projectId: string, slug: string, name: string) {
  const table = await ctx.meta.table.findUnique({ where: { projectId_name: { projectId, name } }, include: tableInclude });
  if (!table) throw notFound(`table "${name}" not found in project ${slug}`);
  return table;
}

export async function createVectorIndex(ctx: AdminContext, input: CreateVectorIndexInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const name = validateName('column', input.name, 'name');
  const table = await tableOf(ctx, project.id, project.slug, input.table);
  const column = table.columns.find((c) => c.name === input.embeddingColumn);
  if (!column) throw badInput(`column ${table.name}.${input.embeddingColumn.slice(0, 80)} not found`, { field: 'embeddingColumn' });
  const type = parseColumnType(column.type);
  if (type?.kind !== 'vector') throw badInput(`column ${table.name}.${column.name} is ${column.type}; a vector index needs a vector(<n>) column`, { field: 'embeddingColumn' });
  if (input.dimensions !== type.dimensions) {
    throw badInput(`dimensions must be ${type.dimensions}, the size of ${table.name}.${column.name} (${column.type}); got ${input.dimensions}`, { field: 'dimensions' });
  }
  const metric = input.metric ?? 'COSINE';
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      // one index per table: serialize creations on the table's metadata row, then look
      await execInTx(tx, sql`SELECT 1 FROM koyalite.tables WHERE id = ${table.id}::uuid FOR UPDATE`);
      const existing = await tx.vectorIndex.findFirst({ where: { tableId: table.id }, select: { name: true } });
      if (existing?.name === name) throw conflict(`vector index "${name}" already exists on ${table.name}`, { fields: ['name'] });
      if (existing) throw conflict(`table ${table.name} already has vector index "${existing.name}"; a table has at most one (delete it first)`, { fields: ['table'] });
      const index = await tx.vectorIndex.create({ data: { tableId: table.id, name, embeddingColumn: column.name, dimensions: type.dimensions!, metric } });
      if ((await hasVectorExtension(tx)) && type.dimensions! <= HNSW_MAX_DIMENSIONS) {
        await execInTx(
          tx,
          sql`CREATE INDEX ${ident(vectorIndexName(table.name, name))} ON ${ident(project.schemaName, table.name)} USING hnsw (${ident(column.name)} ${trusted(OPERATOR_CLASS[metric])})`,
        );
      }
      await commitMetadataChange(tx, project.id, principal, {
        action: 'vector_index.create',
        targetType: 'VectorIndex',
        targetId: index.id,
        metadata: { table: table.name, name, embeddingColumn: column.name, dimensions: index.dimensions, metric },
      });
      return { ...index, table: table.name };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`vector index "${name}" already exists on ${table.name}`, { fields: ['name'] });
    throw explainDdlError(err, `create vector index ${name} on ${table.name}`);
  }
}

export async function deleteVectorIndex(ctx: AdminContext, input: { projectSlug: string; table: string; name: string }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const table = await tableOf(ctx, project.id, project.slug, input.table);
  const current = await ctx.meta.vectorIndex.findUnique({ where: { tableId_name: { tableId: table.id, name: input.name } } });
  if (!current) throw notFound(`vector index "${input.name.slice(0, 80)}" not found on ${table.name}`);
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      await tx.vectorIndex.delete({ where: { id: current.id } });
      await execInTx(tx, sql`DROP INDEX IF EXISTS ${ident(project.schemaName, vectorIndexName(table.name, current.name))}`);
      await commitMetadataChange(tx, project.id, principal, {
        action: 'vector_index.delete',
        targetType: 'VectorIndex',
        targetId: current.id,
        metadata: { table: table.name, name: current.name },
      });
      return { ...current, table: table.name };
    });
  } catch (err) {
    throw explainDdlError(err, `delete vector index ${current.name} on ${table.name}`);
  }
}
