/**
 * Nested inserts: `insertPost(input: { title, author: { data: {…} }, comments: { data: [{…}] },
 * tags: { data: [{…}] } })` becomes rows with explicit primary keys generated here (UUIDs), so
 * every link is a known value and one statement writes the whole tree:
 *   - to-one through this row's FK (author): the parent row is inserted, the FK set to its id;
 *   - to-many / one-to-one parent side (comments, profile): children get their FK = this row's id;
 *   - many-to-many (tags): targets are inserted, and junction rows link both ids.
 * Connecting to an existing row is setting its FK column, as usual.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTarget, InsertRow } from '../ir/ir.js';
import { param } from '../ir/ir.js';
import { badInput } from '../lib/errors.js';
import type { ProjectModel, TableModel } from '../model/project-model.js';

export type WriteValue = (table: TableModel, input: Record<string, unknown>, at: string) => InsertRow;
export type NestedRow = { table: TableModel; row: InsertRow; audit: AuditTarget };

const MAX_NESTED_ROWS = 1000;

export interface NestedPlan {
  rows: InsertRow[];
  nested: NestedRow[];
}

export function planNestedInsert(
  model: ProjectModel,
  table: TableModel,
  inputs: Array<Record<string, unknown>>,
  at: (i: number) => string,
  columnsOf: WriteValue,
  audit: (table: TableModel, columns: string[]) => AuditTarget,
): NestedPlan {
  const nested: NestedRow[] = [];

  /** The row for one input object; nested objects are planned into `nested`. */
  const rowFor = (t: TableModel, input: Record<string, unknown>, path: string): InsertRow => {
    const plain: Record<string, unknown> = {};
    const relations: Array<[string, unknown]> = [];
    for (const [k, v] of Object.entries(input)) {
      if (t.relationsByField.has(k)) relations.push([k, v]);
      else plain[k] = v;
    }
    const row = columnsOf(t, plain, path);
    if (relations.length === 0) return row;
    const idOf = (target: TableModel, r: InsertRow, where: string) => {
      const existing = r.get(target.primaryKey);
      if (existing) return existing;
      if (target.primaryKey.type.kind !== 'uuid') {
        throw badInput(`${where}: nested inserts need a UUID primary key on ${target.name}; insert it first and set the foreign key`, { field: where });
      }
      const id = param(randomUUID());
      r.set(target.primaryKey, id);
      return id;
    };
    for (const [field, value] of relations) {
      if (value === null || value === undefined) continue;
      const rel = t.relationsByField.get(field)!;
      const target = model.tablesByName.get(rel.targetTable)!;
      const where = `${path}.${field}`;
      const data = (value as { data?: unknown }).data;
      const items = (Array.isArray(data) ? data : [data]) as Array<Record<string, unknown>>;
      const add = (tt: TableModel, r: InsertRow) => {
        if (nested.length >= MAX_NESTED_ROWS) throw badInput(`at most ${MAX_NESTED_ROWS} nested rows per mutation`, { field: where });
        nested.push({ table: tt, row: r, audit: audit(tt, [...r.keys()].map((c) => c.name)) });
      };
      const j = rel.join;
      if (j.via === 'direct' && j.targetColumn === target.primaryKey.name) {
        // the FK is on this row: insert the parent, point at it
        const fk = t.columnsByName.get(j.sourceColumn)!;
        if (row.has(fk)) throw badInput(`${path}: give either ${fk.name} or ${field}, not both`, { field: where });
        const parent = rowFor(target, items[0]!, `${where}.data`);
        row.set(fk, idOf(target, parent, where));
        add(target, parent);
      } else if (j.via === 'direct') {
        // the FK is on the children
        const id = idOf(t, row, path);
        items.forEach((item, i) => {
          const child = rowFor(target, item, Array.isArray(data) ? `${where}.data[${i}]` : `${where}.data`);
          child.set(target.columnsByName.get(j.targetColumn)!, id);
          add(target, child);
        });
      } else {
        const id = idOf(t, row, path);
        const junction = model.tablesByName.get(j.junctionTable)!;
        items.forEach((item, i) => {
          const child = rowFor(target, item, `${where}.data[${i}]`);
          const childId = idOf(target, child, `${where}.data[${i}]`);
          add(target, child);
          const link: InsertRow = new Map([
            [junction.columnsByName.get(j.junctionSourceColumn)!, id],
            [junction.columnsByName.get(j.junctionTargetColumn)!, childId],
          ]);
          add(junction, link);
        });
      }
    }
    return row;
  };

  const rows = inputs.map((input, i) => rowFor(table, input, at(i)));
  return { rows, nested };
}
