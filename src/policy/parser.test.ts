import { describe, expect, it } from 'vitest';
import { countNodes, type Expr } from './ast.js';
import { formatPolicy } from './format.js';
import { MAX_POLICY_DEPTH, MAX_POLICY_NODES, parsePolicy } from './parser.js';
import { PolicyError } from './policy-error.js';

/** The tree as an S-expression, positions left out. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'text':
      return `'${e.value}'`;
    case 'number':
      return e.raw;
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'column':
      return e.table === null ? e.column : `${e.table}.${e.column}`;
    case 'call':
      return e.arg === null ? `${e.fn}()` : `${e.fn}('${e.arg}')`;
    case 'compare':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'and':
    case 'or':
      return `(${e.kind} ${e.operands.map(show).join(' ')})`;
    case 'not':
      return `(not ${show(e.operand)})`;
    case 'in':
      return `(${e.negated ? 'not-in' : 'in'} ${show(e.operand)} ${e.list.map(show).join(' ')})`;
    case 'isNull':
      return `(${e.negated ? 'is-not-null' : 'is-null'} ${show(e.operand)})`;
    case 'like':
      return `(${e.negated ? 'not-like' : 'like'} ${show(e.operand)} ${show(e.pattern)})`;
    case 'exists':
      return `(exists ${e.table} ${show(e.where)})`;
  }
}

function parseError(text: string): PolicyError {
  try {
    parsePolicy(text);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error(`expected a PolicyError for ${JSON.stringify(text)}`);
}

const SPEC_EXAMPLE = 'exists(tenant_members where tenant_members.tenant_id = tenant_id and tenant_members.user_id = auth.uid())';

describe('parsePolicy: trees', () => {
  const cases: [string, string][] = [
    // literals and operands
    ['true', 'true'],
    ['published', 'published'],
    ["status = 'active'", "(= status 'active')"],
    ['priority >= -3.5', '(>= priority -3.5)'],
    ['a != b', '(<> a b)'],
    ['a <> b', '(<> a b)'],
    ['a < b', '(< a b)'],
    ['a <= b', '(<= a b)'],
    ['a > b', '(> a b)'],
    ["'x' = a", "(= 'x' a)"],
    ['owner_id = auth.uid()', '(= owner_id auth.uid())'],
    ["auth.role() = 'editor'", "(= auth.role() 'editor')"],
    ["auth.claim('tenant') = tenant_code", "(= auth.claim('tenant') tenant_code)"],
    ["AUTH.UID() = owner_id and Auth.Claim('x') = 'y'", "(and (= auth.uid() owner_id) (= auth.claim('x') 'y'))"],
    // precedence: or < and < not < comparison
    ['a = 1 or b = 2 and c = 3', '(or (= a 1) (and (= b 2) (= c 3)))'],
    ['a = 1 and b = 2 or c = 3', '(or (and (= a 1) (= b 2)) (= c 3))'],
    ['(a = 1 or b = 2) and c = 3', '(and (or (= a 1) (= b 2)) (= c 3))'],
    ['a = 1 and b = 2 and c = 3', '(and (= a 1) (= b 2) (= c 3))'],
    ['a = 1 or b = 2 or c = 3', '(or (= a 1) (= b 2) (= c 3))'],
    ['a = 1 and (b = 2 and c = 3)', '(and (= a 1) (and (= b 2) (= c 3)))'],
    ['not a = 1', '(not (= a 1))'],
    ['not a = 1 and b = 2', '(and (not (= a 1)) (= b 2))'],
    ['not (a = 1 and b = 2)', '(not (and (= a 1) (= b 2)))'],
    ['not not published', '(not (not published))'],
    ['not a is null or b', '(or (not (is-null a)) b)'],
    ['((((a = 1))))', '(= a 1)'],
    ['(a = 1) = (b = 2)', '(= (= a 1) (= b 2))'],
    ['(a) = (1)', '(= a 1)'],
    // in, is, like
    ["status in ('a', 'b', 'c')", "(in status 'a' 'b' 'c')"],
    ['x in (1)', '(in x 1)'],
    ['x not in (1, 2)', '(not-in x 1 2)'],
    ['auth.uid() in (owner_id, editor_id)', '(in auth.uid() owner_id editor_id)'],
    ['not x in (1)', '(not (in x 1))'],
    ['deleted_at is null', '(is-null deleted_at)'],
    ['deleted_at is not null', '(is-not-null deleted_at)'],
    ["title like 'A%'", "(like title 'A%')"],
    ["title not like '%x_'", "(not-like title '%x_')"],
    // exists: qualified names are the inner table's, nesting allowed
    [SPEC_EXAMPLE, '(exists tenant_members (and (= tenant_members.tenant_id tenant_id) (= tenant_members.user_id auth.uid())))'],
    ['not exists(t where t.a = b)', '(not (exists t (= t.a b)))'],
    ['exists(a where exists(b where b.x = a.y))', '(exists a (exists b (= b.x a.y)))'],
    ['exists(t where t.a = b) and c = 1', '(and (exists t (= t.a b)) (= c 1))'],
    // case-insensitive keywords
    ['A = 1 AND B = 2 Or NOT C IS NOT NULL', '(or (and (= A 1) (= B 2)) (not (is-not-null C)))'],
    ["EXISTS(T WHERE T.A IN (1) AND T.B NOT LIKE 'x')", "(exists T (and (in T.A 1) (not-like T.B 'x')))"],
    ['TRUE = False', '(= true false)'],
    // literals
    ["name = 'zoë 東京 🚀'", "(= name 'zoë 東京 🚀')"],
    ["name = 'it''s'", "(= name 'it's')"],
    ["name = '''; drop table x; --'", "(= name ''; drop table x; --')"],
    ["name = 'a'' or ''1''=''1'", "(= name 'a' or '1'='1')"],
    ['x = null', '(= x null)'],
    // whitespace and line breaks
    ['\n  a =\n\t1\r\n', '(= a 1)'],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(show(parsePolicy(text))).toBe(expected);
  });

  it.each(cases)('formatPolicy round-trips %s', (text) => {
    const ast = parsePolicy(text);
    const again = parsePolicy(formatPolicy(ast));
    expect(show(again)).toBe(show(ast));
  });

  it('formats canonically', () => {
    expect(formatPolicy(parsePolicy("A = 1 AND (b != 'x' OR NOT c IS NULL) and exists(T where T.x in (1,2))"))).toBe(
      "A = 1 and (b <> 'x' or not c is null) and exists(T where T.x in (1, 2))",
    );
    expect(formatPolicy(parsePolicy("auth.claim('it''s') = 'a'"))).toBe("auth.claim('it''s') = 'a'");
  });

  it('records positions on nodes (start, operator, exists table)', () => {
    const ast = parsePolicy("a = 1 and\n  exists(tm where tm.x <> 'y')");
    expect(ast.kind).toBe('and');
    if (ast.kind !== 'and') return;
    const [cmp, ex] = ast.operands;
    expect(cmp).toMatchObject({ kind: 'compare', pos: { offset: 0, line: 1, column: 1 }, opPos: { offset: 2, line: 1, column: 3 } });
    expect(ex).toMatchObject({ kind: 'exists', pos: { line: 2, column: 3 }, tablePos: { line: 2, column: 10 } });
    if (ex?.kind !== 'exists') return;
    expect(ex.where).toMatchObject({ kind: 'compare', pos: { line: 2, column: 19 }, opPos: { line: 2, column: 24 } });
  });

  it('keeps number literals exact as written', () => {
    const ast = parsePolicy('x = 12345678901234567890.5');
    expect(ast).toMatchObject({ right: { kind: 'number', raw: '12345678901234567890.5' } });
  });
});

describe('parsePolicy: refusals', () => {
  const cases: [text: string, message: RegExp, line: number, column: number][] = [
    ['', /a policy cannot be empty/, 1, 1],
    ['   ', /a policy cannot be empty/, 1, 4],
    // SQL outside the language
    ['(select 1)', /subqueries are not part of the policy language: use exists\(table where condition\)/, 1, 2],
    ['tenant_id in (select tenant_id from tenant_members)', /subqueries are not part of the policy language/, 1, 15],
    ['exists(select 1 from t)', /subqueries are not part of the policy language: write exists\(table where condition\)/, 1, 8],
    ['tenant_id = 1 union select 1', /expected and, or or the end of the policy, found "union"/, 1, 15],
    ['drop table x', /expected and, or or the end of the policy, found "table"/, 1, 6],
    ['table = 1', /"table" is SQL, not part of the policy language/, 1, 1],
    ['case when a then b end', /"case" is SQL/, 1, 1],
    ["a between 1 and 2", /expected and, or or the end of the policy, found "between"/, 1, 3],
    ["title ilike 'x'", /expected and, or or the end of the policy, found "ilike"/, 1, 7],
    ['current_user = owner', /"current_user" is SQL/, 1, 1],
    // functions outside the fixed table
    ['pg_sleep(1)', /unknown function pg_sleep\(\): the policy language has only auth\.uid\(\), auth\.role\(\) and auth\.claim\('name'\)/, 1, 1],
    ['created_at < now()', /unknown function now\(\)/, 1, 14],
    ["a = current_setting('request.jwt')", /unknown function current_setting\(\)/, 1, 5],
    ["a = set_config('x', 'y', false)", /unknown function set_config\(\)/, 1, 5],
    ['a = lower(b)', /unknown function lower\(\)/, 1, 5],
    ['a = auth.email()', /unknown function auth\.email\(\)/, 1, 5],
    ['a = pg_catalog.pg_sleep(10)', /unknown function pg_catalog\.pg_sleep\(\)/, 1, 5],
    ['a = auth.uid(1)', /auth\.uid\(\) takes no arguments; expected "\)", found "1"/, 1, 14],
    ["a = auth.role('x')", /auth\.role\(\) takes no arguments/, 1, 15],
    ['a = auth.claim()', /auth\.claim takes the claim name as a text literal/, 1, 16],
    ['a = auth.claim(b)', /auth\.claim takes the claim name as a text literal, e\.g\. auth\.claim\('tenant_id'\); found "b"/, 1, 16],
    ["a = auth.claim('')", /auth\.claim needs a claim name/, 1, 16],
    ["a = auth.claim('x', 'y')", /auth\.claim takes exactly one claim name/, 1, 19],
    ['a = auth.uid(', /auth\.uid\(\) takes no arguments; expected "\)", found the end of the policy/, 1, 14],
    // structure
    ['a =', /expected a value, a column, a function or exists\(…\), found the end of the policy/, 1, 4],
    ['= 1', /expected a value, a column, a function or exists\(…\), found "="/, 1, 1],
    ['a = 1 and', /found the end of the policy/, 1, 10],
    ['a = 1 b = 2', /expected and, or or the end of the policy, found "b"/, 1, 7],
    ['a = 1)', /unbalanced "\)": there is no "\(" to close/, 1, 6],
    ['(a = 1', /expected "\)" to close the "\(" at line 1, column 1, found the end of the policy/, 1, 7],
    ['a = b = c', /comparisons cannot be chained/, 1, 7],
    ['a < b < c', /comparisons cannot be chained/, 1, 7],
    ['a is null = true', /comparisons cannot be chained/, 1, 11],
    ['a = b in (1)', /comparisons cannot be chained/, 1, 7],
    ['a is true', /expected null after "is", found "true" \(only "is null" and "is not null" exist/, 1, 6],
    ['a is not b', /expected null after "is not"/, 1, 10],
    ['a in 1', /expected "\(" after in, found "1"/, 1, 6],
    ['a in ()', /an in list needs at least one value/, 1, 7],
    ['a in (1 2)', /expected "," or "\)" in the in list, found "2"/, 1, 9],
    ['a in (1,)', /expected a value, a column, a function or exists\(…\), found "\)"/, 1, 9],
    ['a like b', /expected a text literal after like, found "b"/, 1, 8],
    ['a not like 5', /expected a text literal after like/, 1, 12],
    ['a not = 1', /expected and, or or the end of the policy, found "not"/, 1, 3],
    ['a = not b', /"not" must come before a whole condition here/, 1, 5],
    ['exists t where a', /expected "\(" after exists, found "t"/, 1, 8],
    ['exists(where a)', /expected a table name after "exists\(", found "where"/, 1, 8],
    ['exists(s.t where a)', /expected a table name after "exists\(", found "s\.t"/, 1, 8],
    ['exists(t a = 1)', /expected where after the table name, found "a": write exists\(t where condition\)/, 1, 10],
    ['exists(t where a = 1', /expected "\)" to close exists\(, found the end of the policy/, 1, 21],
    ['exists(t)', /expected where after the table name, found "\)"/, 1, 9],
    ['a.b.c = 1', /write a column as name or table\.name/, 1, 1],
    ['and', /expected a value/, 1, 1],
    ['where = 1', /expected a value/, 1, 1],
    // lexer errors come through parsePolicy
    ['tenant_id = 1; delete from x', /";" is not allowed/, 1, 14],
    ["tenant_id = 1 --", /comments \(--\) are not allowed/, 1, 15],
  ];
  it.each(cases)('%j', (text, message, line, column) => {
    const e = parseError(text);
    expect(e.reason).toMatch(message);
    expect(e.position).toMatchObject({ line, column });
    expect(e.code).toBe('BAD_USER_INPUT');
  });
});

describe('parsePolicy: limits', () => {
  const conjunction = (n: number) => Array.from({ length: n }, (_, i) => `c${i} = ${i}`).join(' and ');

  it(`accepts up to ${MAX_POLICY_NODES} nodes`, () => {
    // n comparisons = 3n nodes, plus the and node
    const ast = parsePolicy(conjunction(66));
    expect(countNodes(ast)).toBe(199);
  });

  it('refuses more nodes, pointing where the cap was passed', () => {
    const text = conjunction(67);
    const e = parseError(text);
    expect(e.reason).toMatch(/a policy has at most 200 parts/);
    // 66 comparisons are 198 nodes; the 67th's column and literal are the 199th and 200th, its = the 201st
    expect(e.position.offset).toBe(text.lastIndexOf('='));
  });

  it('counts nodes in in lists and exists', () => {
    const list = Array.from({ length: 198 }, (_, i) => String(i)).join(', ');
    expect(countNodes(parsePolicy(`x in (${list})`))).toBe(200);
    expect(parseError(`x in (${list}, 198)`).reason).toMatch(/at most 200 parts/);
  });

  it(`refuses nesting deeper than ${MAX_POLICY_DEPTH}`, () => {
    const ok = `${'('.repeat(MAX_POLICY_DEPTH)}a = 1${')'.repeat(MAX_POLICY_DEPTH)}`;
    expect(show(parsePolicy(ok))).toBe('(= a 1)');
    const deep = `${'('.repeat(MAX_POLICY_DEPTH + 1)}a = 1${')'.repeat(MAX_POLICY_DEPTH + 1)}`;
    const e = parseError(deep);
    expect(e.reason).toMatch(/nests at most 32 levels deep/);
    expect(e.position.column).toBe(MAX_POLICY_DEPTH + 1);
  });

  it('refuses deep not chains and thousands of parentheses without overflowing the stack', () => {
    expect(parseError(`${'not '.repeat(40)}a`).reason).toMatch(/nests at most/);
    expect(parseError(`${'('.repeat(3990)}a`).reason).toMatch(/nests at most/);
    expect(parseError(`${'exists(t where '.repeat(40)}a`).reason).toMatch(/nests at most/);
  });

  it('refuses text over the length limit', () => {
    expect(parseError(conjunction(400)).reason).toMatch(/at most 4000 characters/);
  });
});
