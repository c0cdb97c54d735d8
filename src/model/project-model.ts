/**
 * ProjectModel: an immutable, indexed view of one project's metadata, built by buildModel().
 * Knows nothing of Prisma or GraphQL beyond the names it will be given.
 */
import type { ColumnType } from './column-types.js';
import type { TableNames } from './inflection.js';
import type { ExternalIssuerSettings, QueryLimitSettings, VectorMetric } from './snapshot.js';

export interface ColumnModel {
  name: string;
  type: ColumnType;
  nullable: boolean;
  unique: boolean;
  encrypted: boolean;
  enumValues: readonly string[];
  /** the database fills it when omitted (default, identity, timestamps) */
  hasDefault: boolean;
  isPrimaryKey: boolean;
  /** created_at / updated_at kept by KoyaLite: never in insert/update inputs */
  managed: boolean;
}

/**
 * How a relation field reaches its target rows:
 * - direct:   target.targetColumn = source.sourceColumn
 * - junction: junction.junctionSourceColumn = source.sourceColumn AND junction.junctionTargetColumn = target.targetColumn
 */
export type JoinPath =
  | { via: 'direct'; sourceColumn: string; targetColumn: string }
  | { via: 'junction'; junctionTable: string; sourceColumn: string; junctionSourceColumn: string; junctionTargetColumn: string; targetColumn: string };

export interface RelationModel {
  fieldName: string;
  /** one: at most one target row; many: a list */
  cardinality: 'one' | 'many';
  sourceTable: string;
  targetTable: string;
  join: JoinPath;
  /** to-one through this table's own FK column (nullable when the column is) */
  nullable: boolean;
  relationshipId: string;
}

/** Operations a role may perform on a table (all true in the full model; see role-view.ts). */
export interface TableAccess {
  select: boolean;
  insert: boolean;
  update: boolean;
  delete: boolean;
}

export interface TableModel {
  name: string;
  access: TableAccess;
  names: TableNames;
  primaryKey: ColumnModel;
  columns: readonly ColumnModel[];
  columnsByName: ReadonlyMap<string, ColumnModel>;
  relations: readonly RelationModel[];
  relationsByField: ReadonlyMap<string, RelationModel>;
  rlsEnabled: boolean;
  ownerColumn: string | null;
  /** the table's vector index: `similar<Plural>` searches `column` by `metric` */
  vectorIndex: VectorIndexModel | null;
}

export interface VectorIndexModel {
  name: string;
  column: ColumnModel;
  dimensions: number;
  metric: VectorMetric;
  /** pgvector's operators (and its HNSW index) where the extension exists, else an exact scan over real[] */
  pgvector: boolean;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  table?: string;
  message: string;
}

export interface ProjectModel {
  projectId: string;
  slug: string;
  schemaName: string;
  version: number;
  maxPageSize: number;
  environment: string;
  /** project identities: signUp on the project endpoint, and the role new users get */
  allowSignUp: boolean;
  defaultRole: string;
  /** query limits of this project (null: KoyaLite's defaults) */
  limits: QueryLimitSettings | null;
  /** another identity provider whose tokens the project endpoint accepts */
  externalIssuer: ExternalIssuerSettings | null;
  /** compliance modes: hipaa audits reads; gdpr/ccpa add exportUserData / eraseUserData */
  compliance: { hipaa: boolean; gdpr: boolean; ccpa: boolean };
  /** token bucket per project and per user; null = unlimited */
  rateLimits: { requestsPerSecond: number; burstSize: number } | null;
  /** registered operations by sha256; allowListOnly: callers other than admin/service run only these */
  operations: { allowListOnly: boolean; byHash: ReadonlyMap<string, { name: string; query: string }> };
  tables: readonly TableModel[];
  tablesByName: ReadonlyMap<string, TableModel>;
  diagnostics: readonly Diagnostic[];
}
