/**
 * Groups a selection set's fields by response key, expanding fragments and honoring
 * @skip/@include, as graphql-js execution does (generated types have no interfaces or unions,
 * so every fragment applies to the parent type).
 */
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface Collect {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function included(c: Collect, node: { directives?: readonly unknown[] }): boolean {
  const n = node as Parameters<typeof getDirectiveValues>[1];
  if (getDirectiveValues(GraphQLSkipDirective, n, c.variables)?.if === true) return false;
  if (getDirectiveValues(GraphQLIncludeDirective, n, c.variables)?.if === false) return false;
  return true;
}

export function collectFields(c: Collect, sets: readonly SelectionSetNode[], out = new Map<string, FieldNode[]>(), seen = new Set<string>()): Map<string, FieldNode[]> {
  for (const set of sets) {
    for (const sel of set.selections) {
      if (!included(c, sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const list = out.get(key);
        if (list) list.push(sel);
        else out.set(key, [sel]);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        collectFields(c, [sel.selectionSet], out, seen);
      } else {
        const name = sel.name.value;
        if (seen.has(name)) continue;
        seen.add(name);
        const frag = c.fragments[name];
        if (frag) collectFields(c, [frag.selectionSet], out, seen);
      }
    }
  }
  return out;
}

/** The selection sets of all nodes of one response key (merged when a field appears twice). */
export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
}
