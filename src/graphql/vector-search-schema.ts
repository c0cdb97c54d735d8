/**
 * Vector search fields of a table `posts` with a vector index:
 *
 *   type PostSimilarity { distance: Float  node: Post! }
 *   extend type Query { similarPosts(vector: [Float!]!, limit: Int, where: PostFilter): [PostSimilarity!]! }
 *
 * Nearest first. distance is the metric's value (cosine distance, L2 distance, or the negative
 * inner product, as pgvector's operators give them); null only for a zero vector under cosine.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { ProjectModel } from '../model/project-model.js';
import type { SchemaPlans } from './field-plans.js';
import type { ProjectBuilder } from './project-builder.js';
import type { ProjectContext } from './project-context.js';

type Resolver = (root: unknown, args: unknown, ctx: ProjectContext, info: GraphQLResolveInfo) => unknown;

export function addVectorSearch(builder: ProjectBuilder, model: ProjectModel, refs: Map<string, any>, plans: SchemaPlans, byResponseKey: unknown, rootResolver: (field: string) => Resolver): void {
  const searchable = model.tables.filter((t) => t.vectorIndex !== null);
  if (searchable.length === 0) return;
  const similarityRefs = new Map(
    searchable.map((t) => [
      t.name,
      builder.objectRef(t.names.similarity).implement({
        fields: (f: any) => ({ distance: f.float({ nullable: true, resolve: byResponseKey }), node: f.field({ type: refs.get(t.name), resolve: byResponseKey }) }),
      }),
    ]),
  );
  builder.queryFields((f: any) => {
    const fields: Record<string, unknown> = {};
    for (const t of searchable) {
      plans.roots.set(t.names.similar, { kind: 'similar', table: t });
      fields[t.names.similar] = f.field({
        type: [similarityRefs.get(t.name)],
        args: { vector: f.arg({ type: ['Float'], required: true }), limit: f.arg.int(), where: f.arg({ type: t.names.filter }) },
        resolve: rootResolver(t.names.similar),
      });
    }
    return fields;
  });
}
