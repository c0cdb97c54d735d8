/**
 * The AST of the policy language (see parser.ts for the grammar). Every node carries the
 * position of its first character; binary-ish nodes also carry the position of their operator,
 * which is where type errors point.
 *
 * Names: an unqualified column (`tenant_id`) is a column of the policy's own table (the outer
 * row); a qualified one (`tenant_members.user_id`) is a column of the innermost enclosing
 * `exists(tenant_members where …)`.
 */

/** A place in the policy text: offset in UTF-16 code units from 0; line and column from 1 (column in code points). */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

interface Node {
  readonly pos: Position;
}

export interface TextLiteral extends Node {
  readonly kind: 'text';
  readonly value: string;
}

export interface NumberLiteral extends Node {
  readonly kind: 'number';
  /** as written (digits, optional leading minus and decimal part): compile keeps it exact */
  readonly raw: string;
  readonly value: number;
}

export interface BooleanLiteral extends Node {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullLiteral extends Node {
  readonly kind: 'null';
}

export type Literal = TextLiteral | NumberLiteral | BooleanLiteral | NullLiteral;

export interface ColumnRef extends Node {
  readonly kind: 'column';
  /** null: the policy's own table (outer row); otherwise the table of an enclosing exists(…) */
  readonly table: string | null;
  readonly column: string;
}

/** The fixed function table. All return text. */
export type AuthFunction = 'auth.uid' | 'auth.role' | 'auth.claim';

export interface Call extends Node {
  readonly kind: 'call';
  readonly fn: AuthFunction;
  /** auth.claim('name'): the claim name; null for auth.uid() and auth.role() */
  readonly arg: string | null;
}

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface Comparison extends Node {
  readonly kind: 'compare';
  readonly op: ComparisonOp;
  readonly opPos: Position;
  readonly left: Expr;
  readonly right: Expr;
}

export interface And extends Node {
  readonly kind: 'and';
  /** two or more */
  readonly operands: readonly Expr[];
}

export interface Or extends Node {
  readonly kind: 'or';
  /** two or more */
  readonly operands: readonly Expr[];
}

export interface Not extends Node {
  readonly kind: 'not';
  readonly operand: Expr;
}

export interface In extends Node {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly opPos: Position;
  readonly operand: Expr;
  /** one or more */
  readonly list: readonly Expr[];
}

export interface IsNull extends Node {
  readonly kind: 'isNull';
  /** `is not null` */
  readonly negated: boolean;
  readonly opPos: Position;
  readonly operand: Expr;
}

export interface Like extends Node {
  readonly kind: 'like';
  readonly negated: boolean;
  readonly opPos: Position;
  readonly operand: Expr;
  readonly pattern: TextLiteral;
}

export interface Exists extends Node {
  readonly kind: 'exists';
  readonly table: string;
  readonly tablePos: Position;
  readonly where: Expr;
}

export type Expr = Literal | ColumnRef | Call | Comparison | And | Or | Not | In | IsNull | Like | Exists;

/** Children of a node, in source order. */
export function childrenOf(node: Expr): readonly Expr[] {
  switch (node.kind) {
    case 'compare':
      return [node.left, node.right];
    case 'and':
    case 'or':
      return node.operands;
    case 'not':
      return [node.operand];
    case 'in':
      return [node.operand, ...node.list];
    case 'isNull':
      return [node.operand];
    case 'like':
      return [node.operand, node.pattern];
    case 'exists':
      return [node.where];
    default:
      return [];
  }
}

/** Number of nodes in a tree (what the node cap counts). */
export function countNodes(node: Expr): number {
  let n = 1;
  for (const child of childrenOf(node)) n += countNodes(child);
  return n;
}
