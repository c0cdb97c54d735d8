/**
 * Root operations → SQL.
 *
 *   one root field:     SELECT (<list | object | aggregate | connection expression>) AS data
 *   a whole operation:  SELECT json_build_object('posts', (<expr>), 'n', (<expr>))::text AS body
 * The second form lets Postgres build the entire `data` object of a request in one statement.
 */
import { ident, join, sql, type Sql } from '../lib/sql.js';
import type { RootOperation } from '../ir/ir.js';
import { compileAggregateExpr } from './aggregate-compiler.js';
import { compileConnection } from './connection-compiler.js';
import { CompileContext, jsonKey } from './compile-context.js';
import { columnRef } from './column-expr.js';
import { listExpr, objectExpr, rootSource } from './select-compiler.js';
import { compileSimilar } from './similar-compiler.js';

function rootExpr(ctx: CompileContext, op: RootOperation): Sql {
  switch (op.kind) {
    case 'list':
      return listExpr(ctx, op.query, rootSource(ctx, op.query.table.name));
    case 'aggregate':
      return compileAggregateExpr(ctx, op.query, rootSource(ctx, op.query.table.name));
    case 'connection':
      return compileConnection(ctx, op.query);
    case 'similar':
      return compileSimilar(ctx, op.query);
    case 'byPk': {
      const t = ctx.alias();
      return sql`(SELECT ${objectExpr(ctx, op.selection, t)} FROM ${ctx.table(op.table.name)} ${ident(t)} WHERE ${columnRef(t, op.table.primaryKey)} = ${op.id.value})`;
    }
  }
}

export function compileRoot(schema: string, op: RootOperation): Sql {
  return sql`SELECT ${rootExpr(new CompileContext(schema), op)} AS data`;
}

export type OperationField = { key: string; op: RootOperation } | { key: string; constant: string };

/** All root fields of an operation as one statement returning the `data` object as JSON text. */
export function compileOperation(schema: string, fields: OperationField[]): Sql {
  const ctx = new CompileContext(schema);
  const pairs = fields.map((f) => sql`${jsonKey(f.key)}, ${'op' in f ? rootExpr(ctx, f.op) : jsonKey(f.constant)}`);
  return sql`SELECT json_build_object(${join(pairs)})::text AS body`;
}
