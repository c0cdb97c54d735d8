/**
 * Vector search → one expression: the nearest rows by the index's metric, then their JSON.
 *
 *   (SELECT coalesce(json_agg(json_build_object('distance', t0._d + 0, 'node', <row of t0>) ORDER BY t0._d, t0.id), '[]'::json)
 *    FROM (SELECT t0.*, <distance> AS _d FROM "shop"."posts" t0
 *          WHERE t0."embedding" IS NOT NULL AND <filter> ORDER BY _d LIMIT $2) t0)
 *
 * The inner ORDER BY is the distance alone, which pgvector's HNSW index can serve (a tie-breaker
 * would force a full sort); the outer one makes the output deterministic.
 *
 * <distance> with pgvector: `t0."embedding" <=> $1::real[]::vector` (<-> for L2, <#> for inner
 * product: the operators its HNSW index serves); without it the column is real[] and
 * `koyalite.vector_cosine_distance(t0."embedding", $1::real[])` (migration 0004) gives the same
 * values by an exact scan. Row-level security applies as to any read: it runs in the request frame.
 */
import { ident, join, sql, trusted, type Sql } from '../lib/sql.js';
import type { SimilarQuery } from '../ir/ir.js';
import type { VectorIndexModel } from '../model/project-model.js';
import { CompileContext, jsonKey } from './compile-context.js';
import { columnRef } from './column-expr.js';
import { compileFilter } from './filter-compiler.js';
import { objectExpr } from './select-compiler.js';

const OPERATORS = { COSINE: '<=>', L2: '<->', INNER_PRODUCT: '<#>' } as const;
const FUNCTIONS = { COSINE: 'koyalite.vector_cosine_distance', L2: 'koyalite.vector_l2_distance', INNER_PRODUCT: 'koyalite.vector_negative_inner_product' } as const;

function distanceSql(index: VectorIndexModel, alias: string, vector: unknown): Sql {
  const column = columnRef(alias, index.column);
  if (index.pgvector) return sql`${column} ${trusted(OPERATORS[index.metric])} ${vector}::real[]::vector`;
  return sql`${trusted(FUNCTIONS[index.metric])}(${column}, ${vector}::real[])`;
}

export function compileSimilar(ctx: CompileContext, query: SimilarQuery): Sql {
  const t = ctx.alias();
  const pk = columnRef(t, query.table.primaryKey);
  const conditions: Sql[] = [sql`${columnRef(t, query.index.column)} IS NOT NULL`];
  if (query.where) conditions.push(compileFilter(ctx, query.where, t));
  const pairs = query.fields.map((f) => {
    // + 0 turns -0 (an inner product of 0) into 0, as graphql-js's Float gives it on the other path
    if (f.kind === 'distance') return sql`${jsonKey(f.key)}, ${ident(t)}."_d" + 0`;
    if (f.kind === 'constant') return sql`${jsonKey(f.key)}, ${jsonKey(f.value)}`;
    return sql`${jsonKey(f.key)}, ${objectExpr(ctx, f.selection, t)}`;
  });
  const item = pairs.length > 0 ? sql`json_build_object(${join(pairs)})` : sql`json_build_object()`;
  return sql`(SELECT coalesce(json_agg(${item} ORDER BY ${ident(t)}."_d" NULLS LAST, ${pk}), '[]'::json) FROM (SELECT ${ident(t)}.*, ${distanceSql(query.index, t, query.vector.value)} AS "_d" FROM ${ctx.table(query.table.name)} ${ident(t)} WHERE ${join(conditions, ' AND ')} ORDER BY "_d" LIMIT ${query.limit}) ${ident(t)})`;
}
