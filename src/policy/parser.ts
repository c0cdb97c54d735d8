/**
 * The policy language's parser: hand-written recursive descent over lexer tokens, producing the
 * AST of ast.ts. Precedence, loosest first: or, and, not, comparison/in/is/like (which do not
 * chain: `a = b = c` is an error).
 *
 *   policy     = expr EOF ;
 *   expr       = and_expr { "or" and_expr } ;
 *   and_expr   = not_expr { "and" not_expr } ;
 *   not_expr   = "not" not_expr | predicate ;
 *   predicate  = operand [ comp_op operand
 *                        | [ "not" ] "in" "(" operand { "," operand } ")"
 *                        | "is" [ "not" ] "null"
 *                        | [ "not" ] "like" string ] ;
 *   operand    = literal | column | call | exists | "(" expr ")" ;
 *   literal    = string | number | "true" | "false" | "null" ;
 *   column     = name | name "." name ;
 *   call       = "auth.uid" "(" ")" | "auth.role" "(" ")" | "auth.claim" "(" string ")" ;
 *   exists     = "exists" "(" name "where" expr ")" ;
 *   comp_op    = "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ;
 *
 * Keywords and function names are case-insensitive; table and column names are not.
 * Limits: MAX_POLICY_LENGTH characters (lexer), MAX_POLICY_NODES AST nodes, MAX_POLICY_DEPTH
 * nested parentheses / not / exists / in-lists.
 */
import type { AuthFunction, ComparisonOp, Expr, Position, TextLiteral } from './ast.js';
import { tokenize, type Keyword, type Token } from './lexer.js';
import { PolicyError } from './policy-error.js';

export const MAX_POLICY_NODES = 200;
export const MAX_POLICY_DEPTH = 32;

const FUNCTIONS: ReadonlyMap<string, AuthFunction> = new Map([
  ['auth.uid', 'auth.uid'],
  ['auth.role', 'auth.role'],
  ['auth.claim', 'auth.claim'],
]);
const FUNCTION_LIST = "auth.uid(), auth.role() and auth.claim('name')";

/**
 * SQL words people may try. All are reserved (admin/identifiers.ts refuses them as table and
 * column names), so none can be a name here; words that may be names (drop, update, values, …)
 * are left to the usual errors.
 */
const SQL_WORDS = new Set([
  'select', 'from', 'union', 'intersect', 'except', 'with', 'case', 'when', 'then', 'else', 'end', 'cast', 'ilike',
  'similar', 'any', 'all', 'some', 'array', 'returning', 'into', 'limit', 'offset', 'fetch', 'order', 'group', 'having',
  'join', 'on', 'using', 'as', 'distinct', 'do', 'grant', 'create', 'table', 'current_user', 'session_user', 'user',
  'isnull', 'notnull',
]);

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the policy';
    case 'string':
      return `text ${token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text}`;
    case 'keyword':
      return `"${token.keyword}"`;
    default:
      return `"${token.text}"`;
  }
}

export function parsePolicy(text: string): Expr {
  const tokens = tokenize(text);
  let index = 0;
  let nodes = 0;
  let depth = 0;

  const peek = (ahead = 0): Token => tokens[Math.min(index + ahead, tokens.length - 1)]!;
  const next = (): Token => {
    const t = peek();
    if (index < tokens.length - 1) index++;
    return t;
  };
  function fail(reason: string, at: Position): never {
    throw new PolicyError(reason, at);
  }
  const isKeyword = (t: Token, kw: Keyword): boolean => t.kind === 'keyword' && t.keyword === kw;
  /** counts a node against the cap; `at` is where the error points */
  const node = <T extends Expr>(value: T, at: Position = value.pos): T => {
    nodes++;
    if (nodes > MAX_POLICY_NODES) fail(`a policy has at most ${MAX_POLICY_NODES} parts (names, values, operators); split it into several policies or simplify it`, at);
    return value;
  };
  const nest = <T>(at: Position, inner: () => T): T => {
    depth++;
    if (depth > MAX_POLICY_DEPTH) fail(`a policy nests at most ${MAX_POLICY_DEPTH} levels deep (parentheses, not, exists, in lists); simplify it`, at);
    try {
      return inner();
    } finally {
      depth--;
    }
  };

  function parseOr(): Expr {
    const first = parseAnd();
    if (!isKeyword(peek(), 'or')) return first;
    const operands = [first];
    while (isKeyword(peek(), 'or')) {
      next();
      operands.push(parseAnd());
    }
    return node({ kind: 'or', operands, pos: first.pos });
  }

  function parseAnd(): Expr {
    const first = parseNot();
    if (!isKeyword(peek(), 'and')) return first;
    const operands = [first];
    while (isKeyword(peek(), 'and')) {
      next();
      operands.push(parseNot());
    }
    return node({ kind: 'and', operands, pos: first.pos });
  }

  function parseNot(): Expr {
    const t = peek();
    if (isKeyword(t, 'not')) {
      next();
      const operand = nest(t.pos, parseNot);
      return node({ kind: 'not', operand, pos: t.pos });
    }
    return parsePredicate();
  }

  function parsePredicate(): Expr {
    const left = parseOperand();
    const t = peek();
    let result: Expr = left;

    if (t.kind === 'op') {
      next();
      const right = parseOperand();
      result = node({ kind: 'compare', op: t.op, opPos: t.pos, left, right, pos: left.pos }, t.pos);
    } else if (isKeyword(t, 'is')) {
      next();
      let negated = false;
      if (isKeyword(peek(), 'not')) {
        next();
        negated = true;
      }
      const n = peek();
      if (!isKeyword(n, 'null')) fail(`expected null after "is${negated ? ' not' : ''}", found ${describe(n)} (only "is null" and "is not null" exist; compare values with =)`, n.pos);
      next();
      result = node({ kind: 'isNull', negated, opPos: t.pos, operand: left, pos: left.pos }, t.pos);
    } else if (isKeyword(t, 'in') || isKeyword(t, 'like') || (isKeyword(t, 'not') && (isKeyword(peek(1), 'in') || isKeyword(peek(1), 'like')))) {
      let negated = false;
      if (isKeyword(t, 'not')) {
        next();
        negated = true;
      }
      const op = next();
      if (isKeyword(op, 'in')) {
        const open = peek();
        if (open.kind !== '(') fail(`expected "(" after in, found ${describe(open)}: write x in ('a', 'b')`, open.pos);
        next();
        const list = nest(open.pos, () => {
          if (peek().kind === ')') fail('an in list needs at least one value: x in (1, 2)', peek().pos);
          const items = [parseOperand()];
          while (peek().kind === ',') {
            next();
            items.push(parseOperand());
          }
          return items;
        });
        const close = peek();
        if (close.kind !== ')') fail(`expected "," or ")" in the in list, found ${describe(close)}`, close.pos);
        next();
        result = node({ kind: 'in', negated, opPos: t.pos, operand: left, list, pos: left.pos }, t.pos);
      } else {
        const p = peek();
        if (p.kind !== 'string') fail(`expected a text literal after like, found ${describe(p)}: write x like 'prefix%'`, p.pos);
        next();
        const pattern = node<TextLiteral>({ kind: 'text', value: p.value, pos: p.pos });
        result = node({ kind: 'like', negated, opPos: t.pos, operand: left, pattern, pos: left.pos }, t.pos);
      }
    } else {
      return left;
    }

    // comparisons do not chain: a = b = c, x is null = true, …
    const after = peek();
    if (after.kind === 'op' || isKeyword(after, 'is') || isKeyword(after, 'in') || isKeyword(after, 'like') || (isKeyword(after, 'not') && (isKeyword(peek(1), 'in') || isKeyword(peek(1), 'like')))) {
      fail(`comparisons cannot be chained: put parentheses around one of them or join them with and / or (found ${describe(after)})`, after.pos);
    }
    return result;
  }

  function parseOperand(): Expr {
    const t = peek();
    switch (t.kind) {
      case 'string':
        next();
        return node({ kind: 'text', value: t.value, pos: t.pos });
      case 'number': {
        next();
        const value = Number(t.raw);
        return node({ kind: 'number', raw: t.raw, value, pos: t.pos });
      }
      case 'keyword':
        switch (t.keyword) {
          case 'true':
          case 'false':
            next();
            return node({ kind: 'boolean', value: t.keyword === 'true', pos: t.pos });
          case 'null':
            next();
            return node({ kind: 'null', pos: t.pos });
          case 'exists':
            return parseExists();
          case 'not':
            return fail('"not" must come before a whole condition here: put the condition in parentheses, e.g. a = 1 and (not b = 2)', t.pos);
          default:
            return fail(`expected a value, a column, a function or exists(…), found ${describe(t)}`, t.pos);
        }
      case '(': {
        next();
        const inner = nest(t.pos, parseOr);
        const close = peek();
        if (close.kind !== ')') fail(`expected ")" to close the "(" at line ${t.pos.line}, column ${t.pos.column}, found ${describe(close)}`, close.pos);
        next();
        return inner;
      }
      case 'ident': {
        const name = t.parts.join('.');
        if (peek(1).kind === '(') return parseCall(t);
        if (t.parts.length === 1 && SQL_WORDS.has(name.toLowerCase())) {
          const lower = name.toLowerCase();
          if (lower === 'select') fail('subqueries are not part of the policy language: use exists(table where condition)', t.pos);
          fail(`"${name}" is SQL, not part of the policy language: a policy is one condition using = != <> < <= > >=, and, or, not, in, is null, like, ${FUNCTION_LIST} and exists(table where condition)`, t.pos);
        }
        if (t.parts.length > 2) fail(`"${name}": write a column as name or table.name (schemas are not used in policies)`, t.pos);
        next();
        return node({ kind: 'column', table: t.parts.length === 2 ? t.parts[0]! : null, column: t.parts[t.parts.length - 1]!, pos: t.pos });
      }
      default:
        return fail(`expected a value, a column, a function or exists(…), found ${describe(t)}`, t.pos);
    }
  }

  function parseCall(nameToken: Token & { kind: 'ident' }): Expr {
    const name = nameToken.parts.join('.');
    const fn = FUNCTIONS.get(name.toLowerCase());
    if (!fn) {
      fail(`unknown function ${name}(): the policy language has only ${FUNCTION_LIST}`, nameToken.pos);
    }
    next(); // name
    next(); // (
    let arg: string | null = null;
    if (fn === 'auth.claim') {
      const a = peek();
      if (a.kind !== 'string') fail(`auth.claim takes the claim name as a text literal, e.g. auth.claim('tenant_id'); found ${describe(a)}`, a.pos);
      const value = a.value;
      if (value.length === 0) fail("auth.claim needs a claim name, e.g. auth.claim('tenant_id')", a.pos);
      if (value.length > 200) fail('a claim name is at most 200 characters long', a.pos);
      next();
      arg = value;
    }
    const close = peek();
    if (close.kind !== ')') {
      fail(fn === 'auth.claim' ? `auth.claim takes exactly one claim name; expected ")", found ${describe(close)}` : `${fn}() takes no arguments; expected ")", found ${describe(close)}`, close.pos);
    }
    next();
    return node({ kind: 'call', fn, arg, pos: nameToken.pos });
  }

  function parseExists(): Expr {
    const kw = next(); // exists
    const open = peek();
    if (open.kind !== '(') fail(`expected "(" after exists, found ${describe(open)}: write exists(table where condition)`, open.pos);
    next();
    return nest(kw.pos, () => {
      const t = peek();
      if (t.kind === 'ident' && t.parts.length === 1 && t.parts[0]!.toLowerCase() === 'select') {
        fail('subqueries are not part of the policy language: write exists(table where condition)', t.pos);
      }
      if (t.kind !== 'ident') fail(`expected a table name after "exists(", found ${describe(t)}: write exists(table where condition)`, t.pos);
      const tableToken = t as Token & { kind: 'ident' };
      if (tableToken.parts.length !== 1) fail(`expected a table name after "exists(", found "${tableToken.text}" (write the table name alone; schemas are not used)`, t.pos);
      next();
      const w = peek();
      if (!isKeyword(w, 'where')) fail(`expected where after the table name, found ${describe(w)}: write exists(${tableToken.text} where condition)`, w.pos);
      next();
      const where = parseOr();
      const close = peek();
      if (close.kind !== ')') fail(`expected ")" to close exists(, found ${describe(close)}`, close.pos);
      next();
      return node({ kind: 'exists', table: tableToken.parts[0]!, tablePos: tableToken.pos, where, pos: kw.pos });
    });
  }

  const first = peek();
  if (first.kind === 'eof') fail('a policy cannot be empty: write a condition such as owner_id = auth.uid() (or true to allow every row)', first.pos);
  const expr = parseOr();
  const end = peek();
  if (end.kind !== 'eof') {
    if (end.kind === ')') fail('unbalanced ")": there is no "(" to close', end.pos);
    fail(`expected and, or or the end of the policy, found ${describe(end)}`, end.pos);
  }
  return expr;
}
