/**
 * Relay connections with keyset cursors, as one statement.
 *
 *   (WITH q AS (SELECT json_build_object(…) AS j, <cursor> AS c, row_number() OVER (ORDER BY k…) AS rn
 *              FROM "shop"."posts" t0 WHERE <where> AND <after cursor> ORDER BY k… LIMIT $n + 1)
 *   SELECT json_build_object(
 *     'edges', (SELECT coalesce(json_agg(json_build_object('cursor', q.c, 'node', q.j) ORDER BY q.rn), '[]') FROM q WHERE q.rn <= $n),
 *     'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM q) > $n, 'endCursor', …),
 *     'totalCount', (SELECT count(*) FROM "shop"."posts" t1 WHERE <where>)))
 *
 * A cursor is base64url(JSON array of the order keys of a row). "After c" over keys k1..kn is
 *   (k1 after c1) OR (k1 = c1 AND k2 after c2) OR …   with NULL placement honored per key.
 * Backward pages (last/before) read in reverse order and are re-reversed for the response.
 */
import { ident, join, literal, sql, trusted, type Sql } from '../lib/sql.js';
import type { ConnectionQuery, OrderTerm, Param } from '../ir/ir.js';
import { jsonKey, type CompileContext } from './compile-context.js';
import { compileFilter } from './filter-compiler.js';
import { objectExpr, orderExpr } from './select-compiler.js';

function reversed(term: OrderTerm): OrderTerm {
  return { ...term, direction: term.direction === 'ASC' ? 'DESC' : 'ASC', nulls: term.nulls === 'FIRST' ? 'LAST' : 'FIRST' };
}

/** Rows strictly after the cursor value `c` on one key, in the key's order. */
function afterKey(k: Sql, c: Param, term: OrderTerm): Sql {
  const op = trusted(term.direction === 'ASC' ? '>' : '<');
  if (c.value === null) return term.nulls === 'FIRST' ? sql`${k} IS NOT NULL` : trusted('FALSE');
  return term.nulls === 'LAST' ? sql`(${k} ${op} ${c.value} OR ${k} IS NULL)` : sql`${k} ${op} ${c.value}`;
}

function sameKey(k: Sql, c: Param): Sql {
  return c.value === null ? sql`${k} IS NULL` : sql`${k} = ${c.value}`;
}

function afterCursor(keys: Sql[], cursor: Param[], terms: OrderTerm[]): Sql {
  const ors: Sql[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands = keys.slice(0, i).map((k, j) => sameKey(k, cursor[j]!));
    ands.push(afterKey(keys[i]!, cursor[i]!, terms[i]!));
    ors.push(sql`(${join(ands, ' AND ')})`);
  }
  return sql`(${join(ors, ' OR ')})`;
}

/** Order keys as cursor JSON: exact numbers as text so they survive the round trip. */
function cursorValue(expr: Sql, term: OrderTerm): Sql {
  const kind = term.column.type.kind;
  return kind === 'bigint' || kind === 'numeric' ? sql`(${expr})::text` : expr;
}

export function compileConnection(ctx: CompileContext, query: ConnectionQuery): Sql {
  const t = ctx.alias();
  const terms = query.backward ? query.orderBy.map(reversed) : query.orderBy;
  const keys = terms.map((term) => orderExpr(ctx, term, t));
  const conditions: Sql[] = [];
  if (query.where) conditions.push(compileFilter(ctx, query.where, t));
  if (query.cursor) conditions.push(afterCursor(keys, query.cursor, terms));
  const whereSql = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : trusted('');
  const orderSql = join(keys.map((k, i) => sql`${k} ${trusted(`${terms[i]!.direction} NULLS ${terms[i]!.nulls}`)}`));
  const cursorSql = sql`translate(encode(convert_to(json_build_array(${join(keys.map((k, i) => cursorValue(k, terms[i]!)))})::text, 'UTF8'), 'base64'), ${literal('+/=\n')}, ${literal('-_')})`;

  const nodes = new Map<string, Sql>();
  for (const f of query.fields) {
    if (f.kind !== 'edges') continue;
    for (const e of f.fields) if (e.kind === 'node') nodes.set(e.key, objectExpr(ctx, e.selection, t));
  }
  const nodeCols = [...nodes.entries()].map(([, expr], i) => sql`${expr} AS ${ident(`n${i}`)}`);
  const nodeIndex = new Map([...nodes.keys()].map((k, i) => [k, `n${i}`]));
  const cte = sql`WITH q AS (SELECT ${join([...nodeCols, sql`${cursorSql} AS c`, sql`row_number() OVER (ORDER BY ${orderSql}) AS rn`])} FROM ${ctx.table(query.table.name)} ${ident(t)}${whereSql} ORDER BY ${orderSql} LIMIT ${query.size + 1})`;

  const n = query.size;
  // edges in response order: forward pages by rn, backward pages by rn descending
  const edgeOrder = trusted(query.backward ? 'q.rn DESC' : 'q.rn');
  const firstRn = query.backward ? sql`(SELECT least(count(*), ${n}) FROM q)` : sql`1`;
  const lastRn = query.backward ? sql`1` : sql`(SELECT least(count(*), ${n}) FROM q)`;
  const more = sql`((SELECT count(*) FROM q) > ${n})`;
  const other = trusted(query.hasOtherCursor ? 'true' : 'false');

  const pairs = query.fields.map((f) => {
    switch (f.kind) {
      case 'constant':
        return sql`${jsonKey(f.key)}, ${jsonKey(f.value)}`;
      case 'totalCount': {
        const tc = ctx.alias();
        const w = query.where ? sql` WHERE ${compileFilter(ctx, query.where, tc)}` : trusted('');
        return sql`${jsonKey(f.key)}, (SELECT count(*) FROM ${ctx.table(query.table.name)} ${ident(tc)}${w})`;
      }
      case 'edges': {
        const edge = f.fields.map((e) => {
          if (e.kind === 'cursor') return sql`${jsonKey(e.key)}, q.c`;
          if (e.kind === 'constant') return sql`${jsonKey(e.key)}, ${jsonKey(e.value)}`;
          return sql`${jsonKey(e.key)}, q.${ident(nodeIndex.get(e.key)!)}`;
        });
        return sql`${jsonKey(f.key)}, (SELECT coalesce(json_agg(json_build_object(${join(edge)}) ORDER BY ${edgeOrder}), '[]'::json) FROM q WHERE q.rn <= ${n})`;
      }
      case 'pageInfo': {
        const info = f.fields.map((p) => {
          switch (p.kind) {
            case 'constant':
              return sql`${jsonKey(p.key)}, ${jsonKey(p.value)}`;
            case 'hasNextPage':
              return sql`${jsonKey(p.key)}, ${query.backward ? other : more}`;
            case 'hasPreviousPage':
              return sql`${jsonKey(p.key)}, ${query.backward ? more : other}`;
            case 'startCursor':
              return sql`${jsonKey(p.key)}, (SELECT q.c FROM q WHERE q.rn = ${firstRn})`;
            case 'endCursor':
              return sql`${jsonKey(p.key)}, (SELECT q.c FROM q WHERE q.rn = ${lastRn})`;
          }
        });
        return sql`${jsonKey(f.key)}, json_build_object(${join(info)})`;
      }
    }
  });
  return sql`(${cte} SELECT json_build_object(${join(pairs)}))`;
}
