/**
 * findPolicyRecursion: would Postgres refuse queries with "infinite recursion detected in policy
 * for relation …" under these policies? Run it over a project's enabled policies whenever one is
 * saved, enabled or re-targeted, and refuse the change instead of breaking every query later.
 *
 * How Postgres expands row-level security (rewriteHandler.c, fireRIRrules): when a table's
 * applicable policies contain a subquery (our exists(…)), the table goes on an "active" list
 * while the subqueries are expanded; a subquery reading table U applies U's SELECT policies
 * (command SELECT or ALL). Reaching a table that is already active, whose SELECT policies again
 * contain a subquery, is the error. So:
 * - a SELECT/ALL policy of T with exists(T …) recurses as soon as T's SELECT policies read any table;
 * - SELECT policies reading in a circle (A reads B, B reads A) recurse;
 * - an INSERT/UPDATE/DELETE policy of T reading T recurses only when T's SELECT policies read
 *   a table (otherwise the inner read of T stops at its plain SELECT policies).
 * Writes are checked with their SELECT policies too (RETURNING and WHERE apply them).
 */
export type PolicyCommand = 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface PolicyReads {
  /** the policy's table */
  readonly table: string;
  readonly command: PolicyCommand;
  readonly enabled: boolean;
  /** tables its expression reads through exists(…) (CompiledPolicy.tables / CheckedPolicy.tables) */
  readonly reads: readonly string[];
}

/**
 * The first recursion found, as the chain of tables Postgres would expand (first and last are the
 * same table), with the command that starts it; null when there is none.
 * `rlsEnabled(table)`: whether row-level security is on for the table (tables without it add no policies).
 */
export function findPolicyRecursion(
  policies: readonly PolicyReads[],
  rlsEnabled: (table: string) => boolean,
): { command: Exclude<PolicyCommand, 'ALL'>; path: readonly string[] } | null {
  const readsOf = (table: string, command: PolicyCommand): string[] => {
    if (!rlsEnabled(table)) return [];
    const out = new Set<string>();
    for (const p of policies) {
      if (p.enabled && p.table === table && (p.command === 'ALL' || p.command === 'SELECT' || p.command === command)) {
        for (const r of p.reads) out.add(r);
      }
    }
    return [...out];
  };
  const tables = [...new Set(policies.map((p) => p.table))].sort();

  // the SELECT graph: edges T → U when T's SELECT policies read U
  const selectReads = new Map<string, string[]>();
  const select = (t: string): string[] => {
    let r = selectReads.get(t);
    if (!r) {
      r = readsOf(t, 'SELECT');
      selectReads.set(t, r);
    }
    return r;
  };

  // 1. a cycle among SELECT policies (depth-first, white/grey/black)
  const state = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const visit = (t: string): string[] | null => {
    if (select(t).length === 0) return null; // no subquery: nothing is expanded, a leaf
    const s = state.get(t);
    if (s === 'black') return null;
    if (s === 'grey') return [...stack.slice(stack.indexOf(t)), t];
    state.set(t, 'grey');
    stack.push(t);
    for (const u of select(t)) {
      const found = visit(u);
      if (found) return found;
    }
    stack.pop();
    state.set(t, 'black');
    return null;
  };
  for (const t of tables) {
    const found = visit(t);
    if (found) return { command: 'SELECT', path: found };
  }

  // 2. a write policy of T reading (through SELECT policies) back to T, whose SELECT policies have a subquery
  const pathTo = (from: string, target: string): string[] | null => {
    // breadth-first over the (acyclic) SELECT graph, only through tables that expand (have reads)
    const parent = new Map<string, string | null>([[from, null]]);
    const queue = [from];
    while (queue.length > 0) {
      const t = queue.shift()!;
      if (t === target) {
        const path: string[] = [];
        for (let c: string | null = t; c !== null; c = parent.get(c) ?? null) path.unshift(c);
        return path;
      }
      for (const u of select(t)) {
        if (!parent.has(u) && select(u).length > 0) {
          parent.set(u, t);
          queue.push(u);
        }
      }
    }
    return null;
  };
  for (const t of tables) {
    if (select(t).length === 0) continue;
    for (const command of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      for (const u of readsOf(t, command)) {
        if (select(u).length === 0) continue;
        const path = pathTo(u, t);
        if (path) return { command, path: [t, ...path] };
      }
    }
  }
  return null;
}

/** A message for a recursion found by findPolicyRecursion. */
export function describePolicyRecursion(found: { command: PolicyCommand; path: readonly string[] }): string {
  return `these policies would make Postgres refuse ${found.command.toLowerCase()} queries with "infinite recursion detected in policy": ${found.path.join(' → ')} (each reads the next through exists(…), and the last one's select policies read again); read a different table in exists(…), or drop the exists(…) from the select policies of ${found.path[found.path.length - 1]}`;
}
