/**
 * Control-plane fields for vector indexes (one per table; the data API's `similar<Plural>`).
 *
 *   enum VectorMetric { COSINE L2 INNER_PRODUCT }
 *   type VectorIndex { id name table embeddingColumn dimensions metric: VectorMetric! createdAt: DateTime! }
 *   input VectorIndexInput { projectSlug table name embeddingColumn dimensions metric = COSINE }
 *   extend type Query { vectorIndexes(projectSlug: String!, table: String): [VectorIndex!]! }
 *   extend type Mutation { createVectorIndex(input: VectorIndexInput!): VectorIndex!
 *                          deleteVectorIndex(input: DeleteVectorIndexInput!): VectorIndex! }
 */
import { builder } from './admin-builder.js';
import { requirePermission } from './admin-context.js';
import { createVectorIndex, deleteVectorIndex, type VectorMetric } from './vector-indexes-service.js';

const MetricEnum = builder.enumType('VectorMetric', { values: ['COSINE', 'L2', 'INNER_PRODUCT'] as const });

interface VectorIndexShape {
  id: string;
  name: string;
  table: string;
  embeddingColumn: string;
  dimensions: number;
  metric: VectorMetric;
  createdAt: Date;
}

const VectorIndexRef = builder.objectRef<VectorIndexShape>('VectorIndex').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    table: t.exposeString('table'),
    embeddingColumn: t.exposeString('embeddingColumn'),
    dimensions: t.exposeInt('dimensions'),
    metric: t.field({ type: MetricEnum, resolve: (v) => v.metric }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const VectorIndexInput = builder.inputType('VectorIndexInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    table: t.string({ required: true }),
    name: t.string({ required: true }),
    embeddingColumn: t.string({ required: true }),
    dimensions: t.int({ required: true }),
    metric: t.field({ type: MetricEnum, defaultValue: 'COSINE' }),
  }),
});
const DeleteVectorIndexInput = builder.inputType('DeleteVectorIndexInput', {
  fields: (t) => ({ projectSlug: t.string({ required: true }), table: t.string({ required: true }), name: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  vectorIndexes: t.field({
    type: [VectorIndexRef],
    args: { projectSlug: t.arg.string({ required: true }), table: t.arg.string() },
    resolve: async (_r, args, ctx) => {
      requirePermission(ctx, 'SELECT', `${args.projectSlug}:*`);
      const rows = await ctx.meta.vectorIndex.findMany({
        where: { table: { project: { slug: args.projectSlug }, ...(args.table ? { name: args.table } : {}) } },
        include: { table: { select: { name: true } } },
        orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
      });
      return rows.map((v) => ({ ...v, table: v.table.name }));
    },
  }),
}));

builder.mutationFields((t) => ({
  createVectorIndex: t.field({
    type: VectorIndexRef,
    args: { input: t.arg({ type: VectorIndexInput, required: true }) },
    resolve: (_r, { input }, ctx) => createVectorIndex(ctx, input),
  }),
  deleteVectorIndex: t.field({
    type: VectorIndexRef,
    args: { input: t.arg({ type: DeleteVectorIndexInput, required: true }) },
    resolve: (_r, { input }, ctx) => deleteVectorIndex(ctx, input),
  }),
}));
