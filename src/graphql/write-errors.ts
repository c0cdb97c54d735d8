/**
 * Database errors of a write → stable, client-safe errors naming the field, never the
 * database's message: unique → CONFLICT (with the columns), foreign key / not null / check /
 * bad value → BAD_USER_INPUT. For batch inserts the failing row is located from the key in the
 * error detail when possible ("inputs[2].email").
 */
import { dbErrorInfo } from '../db/database.js';
import { badInput, conflict, forbidden, KoyaError } from '../lib/errors.js';
import type { TableModel } from '../model/project-model.js';

function columnsOfConstraint(table: TableModel, constraint: string | undefined): string[] {
  if (!constraint) return [];
  if (constraint === `${table.name}_pkey`) return [table.primaryKey.name];
  const found = table.columns.filter((c) => constraint === `${table.name}_${c.name}_key` || constraint === `${table.name}_${c.name}_fkey` || constraint === `${table.name}_${c.name}_enum`);
  if (found.length > 0) return found.map((c) => c.name);
  // composite keys (junction link columns): names appear in order inside the constraint name
  return table.columns.filter((c) => constraint.includes(`_${c.name}_`) || constraint.endsWith(`_${c.name}`)).map((c) => c.name);
}

/** Finds the input row whose values equal the key reported in `Key (a, b)=(x, y)`. */
function rowOf(detail: string | undefined, rows: Array<Record<string, unknown>> | undefined): number | undefined {
  const m = detail ? /Key \((.+?)\)=\((.*)\)/.exec(detail) : null;
  if (!m || !rows) return undefined;
  const cols = m[1]!.split(', ').map((c) => c.replace(/^"|"$/g, ''));
  const vals = m[2]!.split(', ');
  if (cols.length !== vals.length) return undefined;
  const i = rows.findIndex((r) => cols.every((c, j) => r[c] !== undefined && r[c] !== null && String(r[c]).toLowerCase() === vals[j]!.toLowerCase()));
  return i < 0 ? undefined : i;
}

/** `visible(table)`: whether the caller's role may know of that table (only then is it named). */
export function explainWriteError(err: unknown, table: TableModel, inputs?: Array<Record<string, unknown>>, argName = 'inputs', visible: (table: string) => boolean = () => false): unknown {
  if (err instanceof KoyaError) return err;
  const info = dbErrorInfo(err);
  if (!info) return err;
  const at = (cols: string[]) => {
    const field = cols[0] ?? argName;
    if (argName !== 'inputs') return cols[0] ? `${argName}.${field}` : argName;
    const row = rowOf(info.detail, inputs);
    return row === undefined ? field : `${argName}[${row}].${field}`;
  };
  switch (info.code) {
    case '23505': {
      const cols = columnsOfConstraint(table, info.constraint);
      return conflict(`a ${table.names.type} with the same ${cols.join(', ') || 'key'} already exists`, { fields: cols, field: at(cols) });
    }
    case '23503': {
      const cols = columnsOfConstraint(table, info.constraint);
      // deleting or updating a referenced row reports the referencing table's constraint
      if (info.table && info.table !== table.name) {
        return badInput(`${table.names.type} is still referenced by ${visible(info.table) ? info.table : 'rows of another table'}`, { field: 'id' });
      }
      return badInput(`${at(cols)} refers to a row that does not exist`, { field: at(cols) });
    }
    case '23502':
      return badInput(`${info.column ?? 'a field'} must not be null`, { field: info.column ? at([info.column]) : undefined });
    case '23514': {
      const cols = columnsOfConstraint(table, info.constraint);
      return badInput(`${cols.join(', ') || 'a value'} is not allowed`, { field: at(cols) });
    }
    case '42501':
      // row-level security refused the written row (WITH CHECK), or the role lacks the privilege
      return forbidden(`the project's policies do not allow this change to ${table.names.type}`);
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
    case '2201E':
    case '22023':
      return badInput('a value is not valid for its field', {});
    default:
      return err;
  }
}
