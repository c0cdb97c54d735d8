/**
 * buildModel: MetaSnapshot → ProjectModel, pure. Inconsistent metadata becomes diagnostics and
 * the offending table or relation is left out; one bad table never takes a project down.
 * The admin API runs the same function on the would-be snapshot before committing a change,
 * so anything that would produce an error here is refused at creation instead.
 */
import { parseColumnType } from './column-types.js';
import { BUILT_IN_TYPE_NAMES, RESERVED_ROOT_FIELDS, tableNames, type TableNames } from './inflection.js';
import type { ColumnModel, Diagnostic, ProjectModel, RelationModel, TableModel, VectorIndexModel } from './project-model.js';
import type { MetaSnapshot, SnapshotRelationship, SnapshotTable } from './snapshot.js';

const MANAGED = new Set(['created_at', 'updated_at']);

/** Type-name and root-field-name producers of a table, for collision checks (every type graphql/ generates for it). */
function typeNamesOf(n: TableNames, enumColumns: string[]): string[] {
  return [
    n.type, n.filter, n.orderBy, n.connectionType, n.edge, n.aggregateType, n.group, n.groupKey, n.groupByColumn,
    n.insertInput, n.setInput, n.incInput, n.onConflict, `${n.type}RelInsertInput`, `${n.type}ListRelInsertInput`, n.mutationResult, n.similarity, n.changeEvent,
    n.aggregateFields('Sum'), n.aggregateFields('Avg'), n.aggregateFields('Min'), n.aggregateFields('Max'),
    `${n.type}ListFilter`, `${n.group}OrderBy`, `${n.type}Column`,
    ...enumColumns.flatMap((c) => [n.enumType(c), `${n.enumType(c)}Filter`]),
  ];
}
function rootNamesOf(n: TableNames): string[] {
  return [n.list, n.byPk, n.connection, n.aggregate, n.insertOne, n.insertMany, n.updateOne, n.updateMany, n.deleteOne, n.deleteMany, n.similar, n.changed];
}

function buildColumns(table: SnapshotTable, diagnostics: Diagnostic[]): ColumnModel[] {
  const columns: ColumnModel[] = [];
  for (const c of [...table.columns].sort((a, b) => a.position - b.position)) {
    const type = parseColumnType(c.type);
    if (!type) {
      diagnostics.push({ severity: 'error', table: table.name, message: `column ${table.name}.${c.name} has unknown type "${c.type}"; it is left out` });
      continue;
    }
    const isPrimaryKey = c.name === 'id';
    columns.push({
      name: c.name,
      type,
      nullable: c.isNullable && !isPrimaryKey,
      unique: c.isUnique || isPrimaryKey,
      encrypted: c.encrypted,
      enumValues: c.enumValues,
      hasDefault: c.defaultValue !== null || isPrimaryKey || (table.timestamps && MANAGED.has(c.name)),
      isPrimaryKey,
      managed: table.timestamps && MANAGED.has(c.name),
    });
  }
  return columns;
}

export function buildModel(snapshot: MetaSnapshot): ProjectModel {
  const diagnostics: Diagnostic[] = [];
  const typeOwner = new Map<string, string>();
  const rootOwner = new Map<string, string>();
  const tables: TableModel[] = [];
  const byId = new Map<string, SnapshotTable>();
  const relationsOf = new Map<string, RelationModel[]>();

  // snapshot order is creation order: on a name collision the older table keeps its names
  for (const t of snapshot.tables) {
    const columns = buildColumns(t, diagnostics);
    const primaryKey = columns.find((c) => c.isPrimaryKey);
    if (!primaryKey) {
      diagnostics.push({ severity: 'error', table: t.name, message: `table ${t.name} has no primary key column "id"; it is left out` });
      continue;
    }
    const names = tableNames(t.name, t.singularName, t.pluralName);
    const problems: string[] = [];
    if (names.list === names.byPk) {
      problems.push(`its singular and plural names are both "${names.list}"; set singularName or pluralName`);
    }
    const enumCols = columns.filter((c) => c.type.kind === 'enum').map((c) => c.name);
    const ownTypes = new Set<string>();
    for (const typeName of typeNamesOf(names, enumCols)) {
      if (ownTypes.has(typeName)) {
        // only an enum column's type can repeat one of the table's own (fixed-suffix) type names
        const column = enumCols.find((c) => names.enumType(c) === typeName || `${names.enumType(c)}Filter` === typeName);
        problems.push(`its type name ${typeName} would be generated twice (for enum column ${column}); rename the column`);
      }
      ownTypes.add(typeName);
      if (BUILT_IN_TYPE_NAMES.has(typeName)) problems.push(`its type name ${typeName} is built in; set singularName`);
      const owner = typeOwner.get(typeName);
      if (owner) problems.push(`its type name ${typeName} collides with table ${owner}; set singularName`);
    }
    for (const root of rootNamesOf(names)) {
      if (RESERVED_ROOT_FIELDS.has(root)) problems.push(`its field name ${root} is reserved; set ${root === names.list ? 'pluralName' : 'singularName'}`);
      const owner = rootOwner.get(root);
      if (owner) problems.push(`its field name ${root} collides with table ${owner}; set singularName or pluralName`);
    }
    if (problems.length > 0) {
      diagnostics.push({ severity: 'error', table: t.name, message: `table ${t.name} is left out: ${[...new Set(problems)].join('; ')}` });
      continue;
    }
    for (const typeName of typeNamesOf(names, enumCols)) typeOwner.set(typeName, t.name);
    for (const root of rootNamesOf(names)) rootOwner.set(root, t.name);
    byId.set(t.id, t);
    const relations: RelationModel[] = [];
    relationsOf.set(t.name, relations);
    tables.push({
      name: t.name,
      access: { select: true, insert: true, update: true, delete: true },
      names,
      primaryKey,
      columns,
      columnsByName: new Map(columns.map((c) => [c.name, c])),
      relations,
      relationsByField: new Map(),
      rlsEnabled: t.rlsEnabled,
      ownerColumn: t.ownerColumn,
      vectorIndex: vectorIndexOf(t, columns, snapshot.vectorExtension ?? false, diagnostics),
    });
  }

  const tablesByName = new Map(tables.map((t) => [t.name, t]));
  for (const r of snapshot.relationships) {
    for (const rel of relationFields(r, byId, diagnostics)) {
      const source = tablesByName.get(rel.sourceTable);
      if (!source || !tablesByName.has(rel.targetTable)) continue;
      if (source.columnsByName.has(rel.fieldName) || source.relationsByField.has(rel.fieldName)) {
        diagnostics.push({ severity: 'error', table: source.name, message: `relation field ${source.name}.${rel.fieldName} collides with another field; choose another field name` });
        continue;
      }
      relationsOf.get(source.name)!.push(rel);
      (source.relationsByField as Map<string, RelationModel>).set(rel.fieldName, rel);
    }
  }

  return {
    projectId: snapshot.projectId,
    slug: snapshot.slug,
    schemaName: snapshot.schemaName,
    version: snapshot.metadataVersion,
    maxPageSize: snapshot.settings.maxPageSize,
    environment: snapshot.settings.environment,
    rateLimits: snapshot.settings.rateLimits ?? null,
    allowSignUp: snapshot.settings.allowSignUp ?? false,
    defaultRole: snapshot.settings.defaultRole ?? 'authenticated',
    externalIssuer: snapshot.settings.externalIssuer ?? null,
    limits: snapshot.settings.limits ?? null,
    compliance: {
      hipaa: snapshot.settings.complianceFlags?.hipaaEnabled === true,
      gdpr: snapshot.settings.complianceFlags?.gdprEnabled === true,
      ccpa: snapshot.settings.complianceFlags?.ccpaEnabled === true,
    },
    operations: {
      allowListOnly: snapshot.settings.operationAllowList === true,
      byHash: new Map((snapshot.persistedOperations ?? []).map((o) => [o.sha256, { name: o.name, query: o.query }])),
    },
    tables,
    tablesByName,
    diagnostics,
  };
}

/** The two fields (one per side) a relationship row contributes. */
function relationFields(r: SnapshotRelationship, byId: Map<string, SnapshotTable>, diagnostics: Diagnostic[]): RelationModel[] {
  const from = byId.get(r.fromTableId);
  const to = byId.get(r.toTableId);
  if (!from || !to) return [];
  const base = { relationshipId: r.id };
  if (r.type === 'MANY_TO_MANY') {
    const junction = r.junctionTableId ? byId.get(r.junctionTableId) : undefined;
    const toColumn = r.junctionTargetColumn;
    if (!junction || !toColumn) {
      diagnostics.push({ severity: 'error', table: from.name, message: `many-to-many ${from.name}↔${to.name} has no usable junction table; it is left out` });
      return [];
    }
    const missing = [r.foreignKeyColumn, toColumn].filter((name) => !junction.columns.some((c) => c.name === name));
    if (missing.length > 0) {
      diagnostics.push({ severity: 'error', table: junction.name, message: `many-to-many ${from.name}↔${to.name}: junction column ${missing.map((c) => `${junction.name}.${c}`).join(', ')} does not exist; it is left out` });
      return [];
    }
    const linkField = (column: string) => (column.endsWith('_id') ? column.slice(0, -3) : `${column}_ref`);
    return [
      // the junction's own rows point at both sides
      { ...base, fieldName: linkField(r.foreignKeyColumn), cardinality: 'one', sourceTable: junction.name, targetTable: from.name, nullable: false,
        join: { via: 'direct', sourceColumn: r.foreignKeyColumn, targetColumn: 'id' } },
      { ...base, fieldName: linkField(toColumn), cardinality: 'one', sourceTable: junction.name, targetTable: to.name, nullable: false,
        join: { via: 'direct', sourceColumn: toColumn, targetColumn: 'id' } },
      { ...base, fieldName: r.fromFieldName, cardinality: 'many', sourceTable: from.name, targetTable: to.name, nullable: false,
        join: { via: 'junction', junctionTable: junction.name, sourceColumn: 'id', junctionSourceColumn: r.foreignKeyColumn, junctionTargetColumn: toColumn, targetColumn: 'id' } },
      { ...base, fieldName: r.toFieldName, cardinality: 'many', sourceTable: to.name, targetTable: from.name, nullable: false,
        join: { via: 'junction', junctionTable: junction.name, sourceColumn: 'id', junctionSourceColumn: toColumn, junctionTargetColumn: r.foreignKeyColumn, targetColumn: 'id' } },
    ];
  }
  const fk = to.columns.find((c) => c.name === r.foreignKeyColumn);
  if (!fk) {
    diagnostics.push({ severity: 'error', table: to.name, message: `relationship column ${to.name}.${r.foreignKeyColumn} does not exist; it is left out` });
    return [];
  }
  return [
    // parent side: the children (or the one child of a one-to-one)
    { ...base, fieldName: r.fromFieldName, cardinality: r.type === 'ONE_TO_ONE' ? 'one' : 'many', sourceTable: from.name, targetTable: to.name, nullable: true,
      join: { via: 'direct', sourceColumn: 'id', targetColumn: r.foreignKeyColumn } },
    // child side: its parent through its own FK column
    { ...base, fieldName: r.toFieldName, cardinality: 'one', sourceTable: to.name, targetTable: from.name, nullable: fk.isNullable,
      join: { via: 'direct', sourceColumn: r.foreignKeyColumn, targetColumn: 'id' } },
  ];
}

/** The table's vector index, when its embedding column is (still) a vector of its dimensions. */
function vectorIndexOf(t: SnapshotTable, columns: ColumnModel[], pgvector: boolean, diagnostics: Diagnostic[]): VectorIndexModel | null {
  const [index, ...more] = t.vectorIndexes ?? [];
  if (!index) return null;
  if (more.length > 0) diagnostics.push({ severity: 'warning', table: t.name, message: `table ${t.name} has several vector indexes; only ${index.name} is searchable` });
  const column = columns.find((c) => c.name === index.embeddingColumn);
  if (!column || column.type.kind !== 'vector' || column.type.dimensions !== index.dimensions) {
    diagnostics.push({ severity: 'error', table: t.name, message: `vector index ${index.name}: ${t.name}.${index.embeddingColumn} is not a vector(${index.dimensions}) column; the index is left out` });
    return null;
  }
  return { name: index.name, column, dimensions: index.dimensions, metric: index.metric, pgvector };
}
