/**
 * MetaSnapshot: the metadata rows of one project, as plain data (no Prisma types), the input of
 * buildModel(). meta/ loads it; model/ never does I/O.
 */
export interface SnapshotColumn {
  id: string;
  name: string;
  type: string;
  isNullable: boolean;
  defaultValue: string | null;
  isUnique: boolean;
  encrypted: boolean;
  enumValues: string[];
  position: number;
}

export interface SnapshotTable {
  id: string;
  name: string;
  singularName: string | null;
  pluralName: string | null;
  primaryKeyType: 'UUID' | 'BIGINT';
  timestamps: boolean;
  rlsEnabled: boolean;
  ownerColumn: string | null;
  columns: SnapshotColumn[];
  /** at most one (the admin API refuses a second); absent = none */
  vectorIndexes?: SnapshotVectorIndex[];
}

export type VectorMetric = 'COSINE' | 'L2' | 'INNER_PRODUCT';

export interface SnapshotVectorIndex {
  name: string;
  embeddingColumn: string;
  dimensions: number;
  metric: VectorMetric;
}

export interface SnapshotRelationship {
  id: string;
  type: 'ONE_TO_ONE' | 'ONE_TO_MANY' | 'MANY_TO_MANY';
  fromTableId: string;
  toTableId: string;
  foreignKeyColumn: string;
  junctionTableId: string | null;
  /** MANY_TO_MANY: the junction column pointing at toTable (foreignKeyColumn points at fromTable) */
  junctionTargetColumn: string | null;
  fromFieldName: string;
  toFieldName: string;
  onDelete: 'CASCADE' | 'SET_NULL' | 'RESTRICT';
  constraintName: string;
}

export interface MetaSnapshot {
  projectId: string;
  slug: string;
  schemaName: string;
  metadataVersion: number;
  settings: { maxPageSize: number; environment: string; rateLimits?: { requestsPerSecond: number; burstSize: number } | null; allowSignUp?: boolean; defaultRole?: string; complianceFlags?: { hipaaEnabled?: boolean; gdprEnabled?: boolean; ccpaEnabled?: boolean }; externalIssuer?: ExternalIssuerSettings | null; limits?: QueryLimitSettings | null; operationAllowList?: boolean };
  /** in creation order (older tables win name collisions) */
  tables: SnapshotTable[];
  relationships: SnapshotRelationship[];
  /** registered operations (persisted queries, allow list) */
  persistedOperations?: SnapshotOperation[];
  /** the database has pgvector: vector columns are `vector(n)` (else `real[]`, searched by exact scan) */
  vectorExtension?: boolean;
}

/** An identity provider whose tokens a project accepts (verified with its JWKS). */
export interface ExternalIssuerSettings {
  issuer: string;
  jwksUrl: string;
  audience: string;
  roleClaim: string;
  userIdClaim: string;
}

/** Per-project query limits; the token limit is global. */
export interface QueryLimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
}

export interface SnapshotOperation {
  name: string;
  /** hex sha256 of `query` */
  sha256: string;
  query: string;
}
