/**
 * One GraphQLSchema per (project, metadata version), built single-flight and cached. A metadata
 * NOTIFY (or invalidate()) rebuilds the project's schema in the background and swaps it in when
 * ready: requests keep the instance they started with, new ones get the new one, none fail.
 * Never builds a schema per request (yoga's validation cache keys on the schema instance).
 */
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { ProjectModel } from '../model/project-model.js';
import type { MetaSnapshot } from '../model/snapshot.js';
import { buildModel } from '../model/build-model.js';
import { roleView } from '../model/role-view.js';
import type { PermissionGrant } from '../lib/permissions.js';
import type { SchemaPlans } from './field-plans.js';
import { buildProjectSchema } from './project-schema.js';

export interface ProjectSchema {
  projectId: string;
  slug: string;
  version: number;
  model: ProjectModel;
  schema: GraphQLSchema;
  plans: SchemaPlans;
  /** role views of this version, by role and permissions (built on first use) */
  views: Map<string, SchemaView>;
}

export interface SchemaView {
  schema: GraphQLSchema;
  plans: SchemaPlans;
}

const MAX_VIEWS = 200;

/**
 * The schema a caller sees: the full one for admin and service, else its role's view — only the
 * tables, columns and operations its permissions allow. One instance per (version, role, grants).
 */
export function viewFor(entry: ProjectSchema, bypass: boolean, role: string, grants: readonly PermissionGrant[]): SchemaView {
  if (bypass) return entry;
  const key = `${role}\u0000${JSON.stringify(grants)}`;
  let view = entry.views.get(key);
  if (!view) {
    if (entry.views.size >= MAX_VIEWS) entry.views.clear();
    view = buildProjectSchema(roleView(entry.model, grants));
    entry.views.set(key, view);
  }
  return view;
}

export interface SnapshotSource {
  bySlug(slug: string): Promise<MetaSnapshot | undefined>;
  byId(projectId: string): Promise<MetaSnapshot | undefined>;
}

export class SchemaRegistry {
  private readonly current = new Map<string, ProjectSchema>();
  private readonly building = new Map<string, Promise<ProjectSchema | undefined>>();
  private readonly slugOfProject = new Map<string, string>();

  constructor(private readonly source: SnapshotSource, private readonly log: Logger) {}

  /** The schema of a project, or undefined when no project has that slug. */
  async get(slug: string): Promise<ProjectSchema | undefined> {
    return this.current.get(slug) ?? this.build(slug, () => this.source.bySlug(slug));
  }

  /** Metadata of a project changed: rebuild in the background, keep serving the old one meanwhile. */
  async invalidate(projectId: string): Promise<void> {
    const slug = this.slugOfProject.get(projectId);
    // a project this instance never served is built on its first request, not on every change
    if (slug === undefined) return;
    // let a build in progress finish first, so the newest snapshot is always built last
    await this.building.get(slug)?.catch(() => undefined);
    const snapshot = await this.source.byId(projectId);
    if (!snapshot) {
      this.current.delete(slug);
      this.slugOfProject.delete(projectId);
      return;
    }
    if (slug !== snapshot.slug) this.current.delete(slug);
    await this.build(snapshot.slug, async () => snapshot);
  }

  private build(slug: string, load: () => Promise<MetaSnapshot | undefined>): Promise<ProjectSchema | undefined> {
    const pending = this.building.get(slug);
    if (pending) return pending.then(() => this.get(slug));
    const promise = (async () => {
      const snapshot = await load();
      if (!snapshot) return undefined;
      const existing = this.current.get(slug);
      if (existing && existing.version >= snapshot.metadataVersion) return existing;
      const model = buildModel(snapshot);
      for (const d of model.diagnostics) this.log.warn({ project: slug, table: d.table }, d.message);
      const { schema, plans } = buildProjectSchema(model);
      const entry: ProjectSchema = { projectId: snapshot.projectId, slug, version: snapshot.metadataVersion, model, schema, plans, views: new Map() };
      this.current.set(slug, entry);
      this.slugOfProject.set(snapshot.projectId, slug);
      return entry;
    })().finally(() => this.building.delete(slug));
    this.building.set(slug, promise);
    return promise;
  }
}
