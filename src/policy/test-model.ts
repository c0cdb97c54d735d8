/**
 * Test fixture for the policy tests (not used by production code): a multi-tenant SaaS model
 * built with buildModel from a snapshot, as meta/ would load it.
 */
import { buildModel } from '../model/build-model.js';
import type { ProjectModel } from '../model/project-model.js';
import type { MetaSnapshot, SnapshotColumn, SnapshotRelationship, SnapshotTable } from '../model/snapshot.js';

type ColumnSpec = [name: string, type: string, opts?: Partial<Pick<SnapshotColumn, 'isNullable' | 'encrypted' | 'enumValues' | 'isUnique'>>];

const tableId = (name: string) => `t-${name}`;

/** A table as createTable stores it: id first, the given columns, then created_at/updated_at. */
export function table(name: string, specs: ColumnSpec[], primaryKeyType: 'UUID' | 'BIGINT' = 'UUID', names: { singularName?: string; pluralName?: string } = {}): SnapshotTable {
  const column = (n: string, type: string, o: ColumnSpec[2] = {}, position: number): SnapshotColumn => ({
    id: `c-${name}-${n}`,
    name: n,
    type,
    isNullable: o.isNullable ?? true,
    defaultValue: null,
    isUnique: o.isUnique ?? false,
    encrypted: o.encrypted ?? false,
    enumValues: o.enumValues ?? [],
    position,
  });
  const columns: SnapshotColumn[] = [column('id', primaryKeyType === 'UUID' ? 'uuid' : 'bigint', { isNullable: false, isUnique: true }, 0)];
  specs.forEach(([n, type, o], i) => columns.push(column(n, type, o, i + 1)));
  columns.push({ ...column('created_at', 'timestamptz', { isNullable: false }, specs.length + 1), defaultValue: 'now()' });
  columns.push({ ...column('updated_at', 'timestamptz', { isNullable: false }, specs.length + 2), defaultValue: 'now()' });
  return { id: tableId(name), name, singularName: names.singularName ?? null, pluralName: names.pluralName ?? null, primaryKeyType, timestamps: true, rlsEnabled: true, ownerColumn: null, columns };
}

function rel(from: string, to: string, foreignKeyColumn: string, fromFieldName: string, toFieldName: string): SnapshotRelationship {
  return {
    id: `r-${from}-${to}-${foreignKeyColumn}`,
    type: 'ONE_TO_MANY',
    fromTableId: tableId(from),
    toTableId: tableId(to),
    foreignKeyColumn,
    junctionTableId: null,
    junctionTargetColumn: null,
    fromFieldName,
    toFieldName,
    onDelete: 'CASCADE',
    constraintName: `fk_${to}_${foreignKeyColumn}`,
  };
}

export function snapshot(tables: SnapshotTable[], relationships: SnapshotRelationship[] = []): MetaSnapshot {
  return {
    projectId: 'p-1',
    slug: 'saas',
    schemaName: 'proj_saas',
    metadataVersion: 1,
    settings: { maxPageSize: 500, environment: 'DEVELOPMENT' },
    tables,
    relationships,
  };
}

/** tenants, tenant_members, workflows (one column of every type), workflow_executions, counters (bigint key). */
export function saasModel(): ProjectModel {
  const model = buildModel(
    snapshot(
      [
        table('tenants', [['name', 'text'], ['slug', 'varchar']]),
        table('tenant_members', [
          ['tenant_id', 'uuid', { isNullable: false }],
          ['user_id', 'uuid', { isNullable: false }],
          ['role', 'enum', { enumValues: ['owner', 'admin', 'member'] }],
          ['status', 'enum', { enumValues: ['active', 'suspended'] }],
          ['email', 'text'],
        ]),
        table('workflows', [
          ['tenant_id', 'uuid', { isNullable: false }],
          ['owner_id', 'uuid'],
          ['owner_sub', 'text'],
          ['title', 'text'],
          ['code', 'varchar'],
          ['status', 'enum', { enumValues: ['draft', 'live', 'archived'] }],
          ['published', 'boolean'],
          ['priority', 'integer'],
          ['views', 'bigint'],
          ['budget', 'numeric'],
          ['score', 'float'],
          ['due', 'date'],
          ['starts_at', 'timestamptz'],
          ['tags', 'text[]'],
          ['levels', 'integer[]'],
          ['meta', 'jsonb'],
          ['embedding', 'vector(3)'],
          ['secret', 'text', { encrypted: true }],
        ]),
        table('workflow_executions', [
          ['workflow_id', 'uuid'],
          ['tenant_id', 'uuid'],
          ['started_by', 'uuid'],
          ['status', 'text'],
        ]),
        table('counters', [['value', 'bigint'], ['tenant_id', 'uuid']], 'BIGINT'),
      ],
      [rel('tenants', 'tenant_members', 'tenant_id', 'members', 'tenant'), rel('tenants', 'workflows', 'tenant_id', 'workflows', 'tenant'), rel('workflows', 'workflow_executions', 'workflow_id', 'executions', 'workflow')],
    ),
  );
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture model has errors: ${errors.map((d) => d.message).join('; ')}`);
  return model;
}
