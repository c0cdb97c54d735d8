/**
 * What a policy's expression names: the tables it reads through exists(…) and every column it
 * mentions, each with its table (unqualified names are the policy's own table; `t.c` is the
 * table of the enclosing exists(t …)). The admin API uses it to refuse dropping, renaming or
 * retyping what a policy depends on, by name, instead of a regular expression over the text.
 */
import { childrenOf, type Expr } from './ast.js';
import { parsePolicy } from './parser.js';

export interface PolicyReferences {
  tables: ReadonlySet<string>;
  /** `table.column` keys */
  columns: ReadonlySet<string>;
}

export function policyReferences(ownTable: string, text: string): PolicyReferences {
  const tables = new Set<string>();
  const columns = new Set<string>();
  const walk = (e: Expr) => {
    if (e.kind === 'exists') tables.add(e.table);
    if (e.kind === 'column') columns.add(`${e.table ?? ownTable}.${e.column}`);
    for (const child of childrenOf(e)) walk(child);
  };
  walk(parsePolicy(text));
  return { tables, columns };
}
