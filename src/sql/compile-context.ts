/**
 * Per-statement compile state: the project schema and a deterministic alias allocator
 * (t0, t1, … in order of appearance; always far below 63 bytes).
 */
import { KoyaError } from '../lib/errors.js';
import { ident, literal, type Sql } from '../lib/sql.js';

export class CompileContext {
  private next = 0;
  constructor(readonly schema: string) {}

  alias(): string {
    return `t${this.next++}`;
  }

  table(name: string): Sql {
    return ident(this.schema, name);
  }
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * A JSON object key or constant (response keys, __typename values): GraphQL names, validated
 * here again, written as literals so a document's SQL text is stable and self-describing.
 */
export function jsonKey(name: string): Sql {
  if (!GRAPHQL_NAME.test(name)) throw new KoyaError('BAD_USER_INPUT', `invalid response key ${JSON.stringify(name).slice(0, 60)}`);
  return literal(name);
}
