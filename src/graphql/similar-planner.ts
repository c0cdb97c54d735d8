/**
 * `similarPosts(vector: [Float!]!, limit: Int, where: PostFilter)` → SimilarQuery. The vector must
 * have the index's dimensions and finite numbers; limit defaults to 10, at most maxPageSize.
 */
import type { SelectionSetNode } from 'graphql';
import { param, type SimilarityField, type SimilarQuery } from '../ir/ir.js';
import { badInput } from '../lib/errors.js';
import type { TableModel } from '../model/project-model.js';
import { toFilter } from './args-to-ir.js';
import { collectFields, subSelections } from './collect-fields.js';
import type { SchemaPlans } from './field-plans.js';
import { planSelection, type RequestPieces } from './planner.js';

export const DEFAULT_SIMILAR_LIMIT = 10;

export function planSimilar(plans: SchemaPlans, request: RequestPieces, table: TableModel, args: Record<string, unknown>, sets: readonly SelectionSetNode[]): SimilarQuery {
  const model = plans.model;
  const index = table.vectorIndex!;
  const vector = args.vector as number[];
  if (vector.length !== index.dimensions) {
    throw badInput(`vector must have ${index.dimensions} numbers (the dimensions of ${table.name}.${index.column.name}); it has ${vector.length}`, { field: 'vector' });
  }
  if (!vector.every(Number.isFinite)) throw badInput('vector must hold finite numbers', { field: 'vector' });
  const limit = args.limit == null ? Math.min(DEFAULT_SIMILAR_LIMIT, model.maxPageSize) : (args.limit as number);
  if (limit < 1 || limit > model.maxPageSize) throw badInput(`limit must be between 1 and ${model.maxPageSize} (the project's maxPageSize)`, { field: 'limit' });
  const fields: SimilarityField[] = [];
  for (const [key, nodes] of collectFields(request, sets)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') fields.push({ kind: 'constant', key, value: table.names.similarity });
    else if (name === 'distance') fields.push({ kind: 'distance', key });
    else fields.push({ kind: 'node', key, selection: planSelection(plans, request, table, subSelections(nodes)) });
  }
  return {
    table,
    index,
    vector: param(vector),
    where: args.where ? toFilter(model, table, args.where as Record<string, unknown>) : undefined,
    limit,
    fields,
  };
}
