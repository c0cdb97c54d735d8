import { describe, expect, it } from 'vitest';
import { KoyaError } from '../lib/errors.js';
import { MAX_POLICY_LENGTH, tokenize, type Token } from './lexer.js';
import { PolicyError } from './policy-error.js';

/** compact token rendering: kind:value */
function show(t: Token): string {
  switch (t.kind) {
    case 'ident':
      return `id:${t.parts.join('.')}`;
    case 'keyword':
      return `kw:${t.keyword}`;
    case 'string':
      return `str:${t.value}`;
    case 'number':
      return `num:${t.raw}`;
    case 'op':
      return `op:${t.op}`;
    default:
      return t.kind;
  }
}
const lex = (text: string) => tokenize(text).map(show);

function lexError(text: string): PolicyError {
  try {
    tokenize(text);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error(`expected a PolicyError for ${JSON.stringify(text)}`);
}

describe('tokenize: tokens', () => {
  const cases: [string, string[]][] = [
    ['', ['eof']],
    ['   \n\t ', ['eof']],
    ['tenant_id', ['id:tenant_id', 'eof']],
    ['_x1 A_b9', ['id:_x1', 'id:A_b9', 'eof']],
    ['tenant_members.user_id', ['id:tenant_members.user_id', 'eof']],
    ['a.b.c', ['id:a.b.c', 'eof']],
    ["'active'", ['str:active', 'eof']],
    ["''", ['str:', 'eof']],
    ["'it''s'", ["str:it's", 'eof']],
    ["''''", ["str:'", 'eof']],
    ["'a\\b'", ['str:a\\b', 'eof']],
    ["'; drop table x; --'", ['str:; drop table x; --', 'eof']],
    ["'/* not a comment */'", ['str:/* not a comment */', 'eof']],
    ["'zoë 東京 🚀'", ['str:zoë 東京 🚀', 'eof']],
    ["'line\nbreak'", ['str:line\nbreak', 'eof']],
    ['0 42 3.5 -7 -0.25 007', ['num:0', 'num:42', 'num:3.5', 'num:-7', 'num:-0.25', 'num:007', 'eof']],
    ['true FALSE Null', ['kw:true', 'kw:false', 'kw:null', 'eof']],
    ['AND or Not IN is LIKE exists WHERE', ['kw:and', 'kw:or', 'kw:not', 'kw:in', 'kw:is', 'kw:like', 'kw:exists', 'kw:where', 'eof']],
    ['= != <> < <= > >=', ['op:=', 'op:<>', 'op:<>', 'op:<', 'op:<=', 'op:>', 'op:>=', 'eof']],
    ['a=1', ['id:a', 'op:=', 'num:1', 'eof']],
    ['a>=-1', ['id:a', 'op:>=', 'num:-1', 'eof']],
    ['a<>b', ['id:a', 'op:<>', 'id:b', 'eof']],
    ['(a, b)', ['(', 'id:a', ',', 'id:b', ')', 'eof']],
    ['auth.uid()', ['id:auth.uid', '(', ')', 'eof']],
    ["auth.claim('name')", ['id:auth.claim', '(', 'str:name', ')', 'eof']],
    ['exists(t where t.a = b)', ['kw:exists', '(', 'id:t', 'kw:where', 'id:t.a', 'op:=', 'id:b', ')', 'eof']],
    // qualified keyword-like parts stay names; a keyword is only a single bare word
    ['t.in', ['id:t.in', 'eof']],
    ['andy notes', ['id:andy', 'id:notes', 'eof']],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(lex(text)).toEqual(expected);
  });
});

describe('tokenize: positions', () => {
  it('records offset, line and column of every token', () => {
    const tokens = tokenize("a = 1\n  and b <> 'x'\r\n\tor c");
    expect(tokens.map((t) => [t.text, t.pos.offset, t.pos.line, t.pos.column])).toEqual([
      ['a', 0, 1, 1],
      ['=', 2, 1, 3],
      ['1', 4, 1, 5],
      ['and', 8, 2, 3],
      ['b', 12, 2, 7],
      ['<>', 14, 2, 9],
      ["'x'", 17, 2, 12],
      ['or', 23, 3, 2],
      ['c', 26, 3, 5],
      ['', 27, 3, 6],
    ]);
  });

  it('counts columns in code points (an emoji is one column) and offsets in UTF-16 units', () => {
    const tokens = tokenize("'🚀é' = x");
    const x = tokens[2]!;
    expect(x.text).toBe('x');
    expect(x.pos).toEqual({ offset: 8, line: 1, column: 8 });
  });

  it('a lone \\r is a line break', () => {
    expect(tokenize('a\rb')[1]!.pos).toEqual({ offset: 2, line: 2, column: 1 });
  });

  it('keeps the end offset and source text', () => {
    const [t] = tokenize("  'it''s'  ");
    expect(t).toMatchObject({ kind: 'string', value: "it's", text: "'it''s'", end: 9, pos: { offset: 2 } });
  });
});

describe('tokenize: refusals', () => {
  const cases: [text: string, message: RegExp, line: number, column: number][] = [
    ['a = 1; delete', /";" is not allowed: a policy is a single boolean expression/, 1, 6],
    ["'; drop table x; --", /unterminated text literal/, 1, 1],
    ["name = 'x", /unterminated text literal/, 1, 8],
    ['a = 1 -- comment', /comments \(--\) are not allowed/, 1, 7],
    ['a = 1 /* c */', /comments \(\/\* \*\/\) are not allowed/, 1, 7],
    ['a = 1 # x', /"#" is not allowed/, 1, 7],
    ['a::text = b', /casts \(::\) are not part of the policy language/, 1, 2],
    ['"tenant_id" = 1', /double quotes are not used/, 1, 1],
    ['`a` = 1', /backquotes are not used/, 1, 1],
    ['a = $1', /"\$" is not allowed: parameters and dollar-quoted text/, 1, 5],
    ['a = $$x$$', /"\$" is not allowed/, 1, 5],
    ['a == 1', /use = to compare \(not ==\)/, 1, 3],
    ['!a', /"!" is not an operator here/, 1, 1],
    ['a + 1 = 2', /"\+" is not an operator in the policy language/, 1, 3],
    ['a || b', /"\|" is not an operator/, 1, 3],
    ['a - 1', /"-" is not an operator .*no arithmetic/, 1, 3],
    ['a / 2', /"\/" is not an operator .*no arithmetic/, 1, 3],
    ['a = .5', /"\." must join a table and a column name/, 1, 5],
    ['a = 1.', /a decimal number needs digits after the point/, 1, 6],
    ['a = 1e5', /invalid number "1e"/, 1, 5],
    ['a = 12abc', /invalid number "12a"/, 1, 5],
    ['a = 1.2.3', /invalid number/, 1, 5],
    ['t. a = 1', /expected a column name right after "t\."/, 1, 2],
    ['t.', /expected a column name right after "t\."/, 1, 2],
    ['t.1 = 1', /expected a column name right after "t\."/, 1, 2],
    ['naïve = 1', /unexpected character "ï" \(U\+00EF\)/, 1, 3],
    ['a\u00a0= 1', /unexpected character U\+00A0/, 1, 2],
    ['a = [1]', /unexpected character "\["/, 1, 5],
    ["a = 'x\u0000y'", /text literals cannot contain NUL/, 1, 7],
    ['a\u0000', /cannot contain NUL/, 1, 2],
    ['a = 1\n  ; drop table x', /";" is not allowed/, 2, 3],
    ['\\x', /"\\" is only allowed inside a text literal/, 1, 1],
  ];
  it.each(cases)('%j', (text, message, line, column) => {
    const e = lexError(text);
    expect(e.reason).toMatch(message);
    expect(e.position).toMatchObject({ line, column });
    expect(e.message).toBe(`${e.reason} (line ${line}, column ${column})`);
  });

  it('refuses text over the length limit, pointing at the limit', () => {
    const e = lexError(`a = '${'x'.repeat(MAX_POLICY_LENGTH)}'`);
    expect(e.reason).toMatch(/at most 4000 characters long \(this one has 4006\)/);
    expect(e.position).toEqual({ offset: 4000, line: 1, column: 4001 });
  });

  it('accepts text right at the length limit', () => {
    const text = `a = '${'x'.repeat(MAX_POLICY_LENGTH - 6)}'`;
    expect(text.length).toBe(MAX_POLICY_LENGTH);
    expect(tokenize(text)).toHaveLength(4);
  });

  it('is a BAD_USER_INPUT KoyaError with the position in details', () => {
    const e = lexError('a;');
    expect(e).toBeInstanceOf(KoyaError);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details).toEqual({ position: { offset: 1, line: 1, column: 2 }, reason: e.reason });
  });
});
