/**
 * A role's view of a project: only the tables and columns its permissions let it use, with
 * the operations it may perform (pure; the schema of the view is built like any other).
 *   select on <slug>:<table>            → the table with all its columns
 *   select on <slug>:<table>.<column>   → the table with those columns (and its primary key)
 *   insert / update / delete on the table (or <slug>:*, *) → those mutations
 * Relations to tables outside the view disappear with them.
 */
import { can, type PermissionGrant } from '../lib/permissions.js';
import type { ColumnModel, ProjectModel, RelationModel, TableModel } from './project-model.js';

export function roleView(model: ProjectModel, grants: readonly PermissionGrant[]): ProjectModel {
  const slug = model.slug;
  const visible: TableModel[] = [];
  for (const t of model.tables) {
    const resource = `${slug}:${t.name}`;
    const whole = can(grants, 'SELECT', resource);
    const columns: ColumnModel[] = whole ? [...t.columns] : t.columns.filter((c) => c.isPrimaryKey || can(grants, 'SELECT', `${resource}.${c.name}`));
    if (!whole && columns.length <= 1) continue;
    visible.push({
      ...t,
      columns,
      columnsByName: new Map(columns.map((c) => [c.name, c])),
      // searching by an embedding needs the right to read it
      vectorIndex: t.vectorIndex && columns.includes(t.vectorIndex.column) ? t.vectorIndex : null,
      access: {
        select: true,
        insert: can(grants, 'INSERT', resource),
        update: can(grants, 'UPDATE', resource),
        delete: can(grants, 'DELETE', resource),
      },
    });
  }
  const names = new Set(visible.map((t) => t.name));
  const tables = visible.map((t) => {
    const relations: RelationModel[] = t.relations.filter(
      (r) => names.has(r.targetTable) && (r.join.via !== 'junction' || names.has(r.join.junctionTable)) && (r.join.via !== 'direct' || t.columnsByName.has(r.join.sourceColumn)),
    );
    return { ...t, relations, relationsByField: new Map(relations.map((r) => [r.fieldName, r])) };
  });
  return { ...model, tables, tablesByName: new Map(tables.map((t) => [t.name, t])) };
}
