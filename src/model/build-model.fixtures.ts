/**
 * Snapshot builders shared by the buildModel tests (a test helper, not a test).
 */
import { buildModel } from './build-model.js';
import type { ProjectModel, TableModel } from './project-model.js';
import type { MetaSnapshot, SnapshotColumn, SnapshotRelationship, SnapshotTable } from './snapshot.js';

// ---------------------------------------------------------------------------------------------
// fixture builder: snapshots shaped like meta/snapshot-loader.ts produces them
// ---------------------------------------------------------------------------------------------

export type ColumnSpec = [name: string, type: string, opts?: Partial<Omit<SnapshotColumn, 'id' | 'name' | 'type' | 'position'>>];
export interface TableOpts {
  singularName?: string | null;
  pluralName?: string | null;
  primaryKeyType?: 'UUID' | 'BIGINT';
  timestamps?: boolean;
  rlsEnabled?: boolean;
  ownerColumn?: string | null;
  /** leave out the `id` column */
  noId?: boolean;
}

export const tableId = (name: string) => `t-${name}`;

/** A table as createTable stores it: id first, the given columns, then created_at/updated_at. */
export function table(name: string, specs: ColumnSpec[], opts: TableOpts = {}): SnapshotTable {
  const timestamps = opts.timestamps ?? true;
  const pkType = opts.primaryKeyType ?? 'UUID';
  const column = (n: string, type: string, o: ColumnSpec[2] = {}, position: number): SnapshotColumn => ({
    id: `c-${name}-${n}`,
    name: n,
    type,
    isNullable: o.isNullable ?? true,
    defaultValue: o.defaultValue ?? null,
    isUnique: o.isUnique ?? false,
    encrypted: o.encrypted ?? false,
    enumValues: o.enumValues ?? [],
    position,
  });
  const columns: SnapshotColumn[] = [];
  if (!opts.noId) columns.push(column('id', pkType === 'UUID' ? 'uuid' : 'bigint', { isNullable: false, isUnique: true }, 0));
  specs.forEach(([n, type, o], i) => columns.push(column(n, type, o, i + 1)));
  if (timestamps) {
    columns.push(column('created_at', 'timestamptz', { isNullable: false, defaultValue: 'now()' }, specs.length + 1));
    columns.push(column('updated_at', 'timestamptz', { isNullable: false, defaultValue: 'now()' }, specs.length + 2));
  }
  return {
    id: tableId(name),
    name,
    singularName: opts.singularName ?? null,
    pluralName: opts.pluralName ?? null,
    primaryKeyType: pkType,
    timestamps,
    rlsEnabled: opts.rlsEnabled ?? false,
    ownerColumn: opts.ownerColumn ?? null,
    columns,
  };
}

export function rel(
  type: SnapshotRelationship['type'],
  from: string,
  to: string,
  foreignKeyColumn: string,
  fromFieldName: string,
  toFieldName: string,
  extra: Partial<SnapshotRelationship> = {},
): SnapshotRelationship {
  return {
    id: `r-${from}-${to}-${foreignKeyColumn}`,
    type,
    fromTableId: tableId(from),
    toTableId: tableId(to),
    foreignKeyColumn,
    junctionTableId: null,
    junctionTargetColumn: null,
    fromFieldName,
    toFieldName,
    onDelete: 'CASCADE',
    constraintName: `fk_${to}_${foreignKeyColumn}`,
    ...extra,
  };
}

export function snapshot(tables: SnapshotTable[], relationships: SnapshotRelationship[] = []): MetaSnapshot {
  return {
    projectId: 'p-1',
    slug: 'shop',
    schemaName: 'proj_shop',
    metadataVersion: 7,
    settings: { maxPageSize: 500, environment: 'DEVELOPMENT' },
    tables,
    relationships,
  };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A structural, function-free copy of a model for equality checks (Maps as entries, name functions applied). */
export function plain(model: ProjectModel): unknown {
  const tableOf = (t: TableModel) => ({
    ...t,
    names: {
      ...Object.fromEntries(Object.entries(t.names).filter(([, v]) => typeof v === 'string')),
      sum: t.names.aggregateFields('Sum'),
      enumStatus: t.names.enumType('status'),
    },
    columnsByName: [...t.columnsByName.entries()],
    relationsByField: [...t.relationsByField.entries()],
  });
  return { ...model, tables: model.tables.map(tableOf), tablesByName: [...model.tablesByName.keys()] };
}

export const errors = (m: ProjectModel) => m.diagnostics.filter((d) => d.severity === 'error');
export const tableNamesOf = (m: ProjectModel) => m.tables.map((t) => t.name);

// ---------------------------------------------------------------------------------------------
// the blog project: users / profiles / posts / comments / tags (+ posts_tags junction)
// ---------------------------------------------------------------------------------------------

export function blogSnapshot(): MetaSnapshot {
  return snapshot(
    [
      table('users', [
        ['email', 'text', { isNullable: false, isUnique: true }],
        ['name', 'varchar'],
        ['role', 'enum', { enumValues: ['ADMIN', 'MEMBER'], defaultValue: 'MEMBER', isNullable: false }],
      ], { rlsEnabled: true, ownerColumn: 'id' }),
      table('profiles', [
        ['user_id', 'uuid', { isNullable: false, isUnique: true }],
        ['bio', 'text'],
      ]),
      table('posts', [
        ['title', 'text', { isNullable: false }],
        ['body', 'text'],
        ['author_id', 'uuid'],
        ['score', 'numeric', { defaultValue: '0' }],
        ['embedding', 'vector(3)'],
        ['labels', 'text[]'],
      ], { ownerColumn: 'author_id' }),
      table('comments', [
        ['post_id', 'uuid', { isNullable: false }],
        ['body', 'text', { isNullable: false }],
      ], { primaryKeyType: 'BIGINT', timestamps: false }),
      table('tags', [['label', 'text', { isNullable: false, isUnique: true }]], { timestamps: false }),
      table('posts_tags', [
        ['post_id', 'uuid', { isNullable: false }],
        ['tag_id', 'uuid', { isNullable: false }],
      ], { timestamps: false }),
    ],
    [
      rel('ONE_TO_MANY', 'users', 'posts', 'author_id', 'posts', 'author'),
      rel('ONE_TO_MANY', 'posts', 'comments', 'post_id', 'comments', 'post'),
      rel('ONE_TO_ONE', 'users', 'profiles', 'user_id', 'profile', 'user'),
      rel('MANY_TO_MANY', 'posts', 'tags', 'post_id', 'tags', 'posts', { junctionTableId: tableId('posts_tags'), junctionTargetColumn: 'tag_id' }),
    ],
  );
}

