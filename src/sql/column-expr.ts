/**
 * How a column is read into the JSON response. json_build_object renders most types as GraphQL
 * expects (timestamps as ISO 8601, uuid as string, jsonb as JSON); exact numbers that JSON
 * cannot carry become strings (BigInt, Decimal), vectors become float arrays.
 */
import { ident, sql, type Sql } from '../lib/sql.js';
import type { ColumnModel } from '../model/project-model.js';

export function columnRef(alias: string, column: ColumnModel): Sql {
  return sql`${ident(alias)}.${ident(column.name)}`;
}

export function columnOutput(alias: string, column: ColumnModel): Sql {
  const ref = columnRef(alias, column);
  switch (column.type.kind) {
    case 'bigint':
    case 'numeric':
      return sql`(${ref})::text`;
    case 'vector':
      return sql`(${ref})::real[]`;
    default:
      return ref;
  }
}
