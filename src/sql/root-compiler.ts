/**
 * A root operation → one statement returning one JSON value in column "data".
 *
 *   SELECT (<list | object | aggregate expression>) AS data
 */
import { ident, sql, type Sql } from '../lib/sql.js';
import type { RootOperation } from '../ir/ir.js';
import { compileAggregateExpr } from './aggregate-compiler.js';
import { compileConnection } from './connection-compiler.js';
import { CompileContext } from './compile-context.js';
import { columnRef } from './column-expr.js';
import { listExpr, objectExpr, rootSource } from './select-compiler.js';

export function compileRoot(schema: string, op: RootOperation): Sql {
  const ctx = new CompileContext(schema);
  switch (op.kind) {
    case 'list':
      return sql`SELECT ${listExpr(ctx, op.query, rootSource(ctx, op.query.table.name))} AS data`;
    case 'aggregate':
      return sql`SELECT ${compileAggregateExpr(ctx, op.query, rootSource(ctx, op.query.table.name))} AS data`;
    case 'connection':
      return compileConnection(ctx, op.query);
    case 'byPk': {
      const t = ctx.alias();
      return sql`SELECT (SELECT ${objectExpr(ctx, op.selection, t)} FROM ${ctx.table(op.table.name)} ${ident(t)} WHERE ${columnRef(t, op.table.primaryKey)} = ${op.id.value}) AS data`;
    }
  }
}
