/**
 * Nested inserts: `insertPost(input: { title, author: { data: {…} }, comments: { data: [{…}] },
 * tags: { data: [{…}] } })` becomes rows with explicit primary keys generated here (UUIDs), so
 * every link is a known value:
 *   - to-one through this row's FK (author): the parent row is inserted, the FK set to its id;
 *   - to-many / one-to-one parent side (comments, profile): children get their FK = this row's id;
 *   - many-to-many (tags): targets are inserted, and junction rows link both ids.
 * Connecting to an existing row is setting its FK column, as usual.
 *
 * The rows come out in the order they must be written, one statement per run of rows of one
 * table: each row's policies may look at the rows it links to (a child's policy checking its
 * parent is the common case), and a statement cannot see rows its own CTEs write. So parents go
 * first, then the row, then its children and many-to-many targets, then the junction links.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTarget, InsertRow } from '../ir/ir.js';
import { param } from '../ir/ir.js';
import { badInput, forbidden } from '../lib/errors.js';
import type { ProjectModel, TableModel } from '../model/project-model.js';

export type WriteValue = (table: TableModel, input: Record<string, unknown>, at: string) => InsertRow;
export type NestedRow = { table: TableModel; row: InsertRow; audit: AuditTarget; phase: 'before' | 'after' };

/** A planned row with the rows to write before it, after it, and last (junction links). */
interface Node {
  table: TableModel;
  row: InsertRow;
  before: Node[];
  after: Node[];
  links: Node[];
}

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
  let count = 0;

  /** The row for one input object; nested objects are planned into `nested`. */
  const nodeFor = (t: TableModel, input: Record<string, unknown>, path: string): Node => {
    const plain: Record<string, unknown> = {};
    const relations: Array<[string, unknown]> = [];
    for (const [k, v] of Object.entries(input)) {
      if (t.relationsByField.has(k)) relations.push([k, v]);
      else plain[k] = v;
    }
    const row = columnsOf(t, plain, path);
    const node: Node = { table: t, row, before: [], after: [], links: [] };
    if (relations.length === 0) return node;
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
      // the role view offers no such field; refuse anyway rather than write past a permission
      const junction = rel.join.via === 'junction' ? model.tablesByName.get(rel.join.junctionTable) : target;
      if (!target.access.insert || !junction?.access.insert) throw forbidden(`${path}.${field}: inserting into ${target.name} through ${field} is not permitted for this role`);
      const where = `${path}.${field}`;
      const data = (value as { data?: unknown }).data;
      const items = (Array.isArray(data) ? data : [data]) as Array<Record<string, unknown>>;
      const counted = <T,>(n: T): T => {
        if (++count > MAX_NESTED_ROWS) throw badInput(`at most ${MAX_NESTED_ROWS} nested rows per mutation`, { field: where });
        return n;
      };
      const j = rel.join;
      if (j.via === 'direct' && j.targetColumn === target.primaryKey.name) {
        // the FK is on this row: insert the parent, point at it
        const fk = t.columnsByName.get(j.sourceColumn)!;
        if (row.has(fk)) throw badInput(`${path}: give either ${fk.name} or ${field}, not both`, { field: where });
        const parent = counted(nodeFor(target, items[0]!, `${where}.data`));
        row.set(fk, idOf(target, parent.row, where));
        node.before.push(parent);
      } else if (j.via === 'direct') {
        // the FK is on the children
        const id = idOf(t, row, path);
        items.forEach((item, i) => {
          const child = counted(nodeFor(target, item, Array.isArray(data) ? `${where}.data[${i}]` : `${where}.data`));
          child.row.set(target.columnsByName.get(j.targetColumn)!, id);
          node.after.push(child);
        });
      } else {
        const id = idOf(t, row, path);
        const junction = model.tablesByName.get(j.junctionTable)!;
        items.forEach((item, i) => {
          const child = counted(nodeFor(target, item, `${where}.data[${i}]`));
          const childId = idOf(target, child.row, `${where}.data[${i}]`);
          node.after.push(child);
          const link: InsertRow = new Map([
            [junction.columnsByName.get(j.junctionSourceColumn)!, id],
            [junction.columnsByName.get(j.junctionTargetColumn)!, childId],
          ]);
          node.links.push(counted({ table: junction, row: link, before: [], after: [], links: [] }));
        });
      }
    }
    return node;
  };

  const tops = inputs.map((input, i) => nodeFor(table, input, at(i)));
  const nested: NestedRow[] = [];
  const emit = (n: Node, phase: NestedRow['phase']) => {
    for (const b of n.before) emit(b, phase);
    nested.push({ table: n.table, row: n.row, audit: audit(n.table, [...n.row.keys()].map((c) => c.name)), phase });
    for (const a of [...n.after, ...n.links]) emit(a, phase);
  };
  for (const top of tops) for (const b of top.before) emit(b, 'before');
  for (const top of tops) for (const a of [...top.after, ...top.links]) emit(a, 'after');
  return { rows: tops.map((t) => t.row), nested };
}
