/**
 * Per-statement compile state: the project schema and a deterministic alias allocator
 * (t0, t1, … in order of appearance; always far below 63 bytes).
 */
import { ident, type Sql } from '../lib/sql.js';

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
