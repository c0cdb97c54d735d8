/**
 * Row-change subscriptions of a table `posts`:
 *
 *   enum ChangeEventType { INSERT UPDATE DELETE }
 *   type PostChangeEvent { event: ChangeEventType!  new: Post  old: Post }
 *   type Subscription { postChanged(where: PostFilter, events: [ChangeEventType!]): PostChangeEvent! }
 *
 * `new` is the row as the subscriber may read it now (null after DELETE, or when it left their
 * view); `old` the row before the change (UPDATE, DELETE), when the subscriber could see it.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { ProjectModel } from '../model/project-model.js';
import { subscribeToChanges } from './change-stream.js';
import type { SchemaPlans } from './field-plans.js';
import type { ProjectBuilder } from './project-builder.js';
import type { ProjectContext } from './project-context.js';

export function addSubscriptions(builder: ProjectBuilder, model: ProjectModel, refs: Map<string, any>, plans: SchemaPlans, byResponseKey: unknown): void {
  if (model.tables.length === 0) return;
  builder.enumType('ChangeEventType', { values: ['INSERT', 'UPDATE', 'DELETE'] as const });
  const eventRefs = new Map(
    model.tables.map((t) => [
      t.name,
      builder.objectRef(t.names.changeEvent).implement({
        fields: (f: any) => ({
          event: f.field({ type: 'ChangeEventType', resolve: byResponseKey }),
          new: f.field({ type: refs.get(t.name), nullable: true, resolve: byResponseKey }),
          old: f.field({ type: refs.get(t.name), nullable: true, resolve: byResponseKey }),
        }),
      }),
    ]),
  );
  builder.subscriptionType({
    fields: (f: any) =>
      Object.fromEntries(
        model.tables.map((t) => [
          t.names.changed,
          f.field({
            type: eventRefs.get(t.name),
            args: { where: f.arg({ type: t.names.filter }), events: f.arg({ type: ['ChangeEventType'] }) },
            subscribe: (_root: unknown, _args: unknown, ctx: ProjectContext, info: GraphQLResolveInfo) => subscribeToChanges(plans, t, ctx, info),
            resolve: (payload: unknown) => payload,
          }),
        ]),
      ),
  });
}
