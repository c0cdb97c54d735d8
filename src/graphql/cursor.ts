/**
 * Connection cursors: base64url(JSON array of a row's order keys), made by the SQL compiler.
 * Decoding validates shape and each value with the column type's GraphQL scalar (int4 range,
 * real timestamps…), so a forged cursor is a BAD_USER_INPUT and never a database error.
 */
import { param, type OrderTerm, type Param } from '../ir/ir.js';
import { badInput } from '../lib/errors.js';
import { GraphQLInt, type GraphQLScalarType } from 'graphql';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar } from './scalars.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scalar's own input check: a cursor value passes exactly what an argument would. */
function accepts(scalar: GraphQLScalarType, v: unknown): boolean {
  try {
    scalar.parseValue(v);
    return true;
  } catch {
    return false;
  }
}

function valid(term: OrderTerm, v: unknown): boolean {
  if (v === null) return term.column.nullable || term.path.length > 0;
  switch (term.column.type.kind) {
    case 'integer':
      return accepts(GraphQLInt, v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'bigint':
      return typeof v === 'string' && accepts(BigIntScalar, v);
    case 'numeric':
      return typeof v === 'string' && accepts(DecimalScalar, v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'uuid':
      return typeof v === 'string' && UUID.test(v);
    case 'timestamptz':
      return accepts(DateTimeScalar, v);
    case 'date':
      return accepts(DateScalar, v);
    default:
      return typeof v === 'string';
  }
}

export function decodeCursor(cursor: string, terms: OrderTerm[], name: string): Param[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== terms.length || !values.every((v, i) => valid(terms[i]!, v))) {
    throw badInput(`${name} is not a cursor of this connection and ordering`, { field: name });
  }
  return values.map((v) => param(v));
}
