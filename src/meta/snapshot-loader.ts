/** Loads one project's metadata rows as a MetaSnapshot (plain data for buildModel). */
import type { ExternalIssuerSettings, MetaSnapshot, QueryLimitSettings } from '../model/snapshot.js';
import type { MetaTx } from './meta-client.js';
import { hasVectorExtension } from './vector-extension.js';

export async function loadSnapshot(client: MetaTx, projectId: string): Promise<MetaSnapshot | undefined> {
  const project = await client.project.findUnique({
    where: { id: projectId },
    include: { tables: { include: { columns: true, vectorIndexes: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }, relationships: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }, operations: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
  });
  if (!project) return undefined;
  const vectorExtension = await hasVectorExtension(client);
  const settings = (project.settings ?? {}) as { maxPageSize?: number; environment?: string; rateLimits?: { requestsPerSecond: number; burstSize: number } | null; allowSignUp?: boolean; defaultRole?: string; complianceFlags?: { hipaaEnabled?: boolean; gdprEnabled?: boolean; ccpaEnabled?: boolean }; externalIssuer?: ExternalIssuerSettings | null; limits?: QueryLimitSettings | null; operationAllowList?: boolean };
  return {
    projectId: project.id,
    slug: project.slug,
    schemaName: project.schemaName,
    metadataVersion: project.metadataVersion,
    settings: { maxPageSize: settings.maxPageSize ?? 1000, environment: settings.environment ?? 'DEVELOPMENT', rateLimits: settings.rateLimits ?? null, allowSignUp: settings.allowSignUp ?? false, defaultRole: settings.defaultRole ?? 'authenticated', complianceFlags: settings.complianceFlags ?? {}, externalIssuer: settings.externalIssuer ?? null, limits: settings.limits ?? null, operationAllowList: settings.operationAllowList ?? false },
    tables: project.tables.map((t) => ({
      id: t.id,
      name: t.name,
      singularName: t.singularName,
      pluralName: t.pluralName,
      primaryKeyType: t.primaryKeyType,
      timestamps: t.timestamps,
      rlsEnabled: t.rlsEnabled,
      ownerColumn: t.ownerColumn,
      columns: t.columns.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        isNullable: c.isNullable,
        defaultValue: c.defaultValue,
        isUnique: c.isUnique,
        encrypted: c.encrypted,
        enumValues: c.enumValues,
        position: c.position,
      })),
      vectorIndexes: t.vectorIndexes.map((v) => ({ name: v.name, embeddingColumn: v.embeddingColumn, dimensions: v.dimensions, metric: v.metric })),
    })),
    relationships: project.relationships.map((r) => ({
      id: r.id,
      type: r.type,
      fromTableId: r.fromTableId,
      toTableId: r.toTableId,
      foreignKeyColumn: r.foreignKeyColumn,
      junctionTableId: r.junctionTableId,
      junctionTargetColumn: r.junctionTargetColumn,
      fromFieldName: r.fromFieldName,
      toFieldName: r.toFieldName,
      onDelete: r.onDelete,
      constraintName: r.constraintName,
    })),
    persistedOperations: project.operations.map((o) => ({ name: o.name, sha256: o.sha256, query: o.query })),
    vectorExtension,
  };
}

/** Snapshot lookups by slug and by id, for the schema registry. */
export function snapshotSource(client: MetaTx) {
  return {
    async bySlug(slug: string) {
      const p = await client.project.findUnique({ where: { slug }, select: { id: true } });
      return p ? loadSnapshot(client, p.id) : undefined;
    },
    byId: (projectId: string) => loadSnapshot(client, projectId),
  };
}
