import { describe, expect, it } from 'vitest';
import { KoyaError } from './errors.js';
import { assertIdentifier, ident, isSql, join, param, render, sql, trusted, type Sql } from './sql.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

describe('render', () => {
  it('numbers parameters $1..$n in order across nested fragments', () => {
    const inner = sql`b = ${2} AND c = ${3}`;
    const middle = sql`(${inner}) OR d = ${4}`;
    const q = render(sql`SELECT * FROM t WHERE a = ${1} AND ${middle} AND e = ${5}`);
    expect(q.text).toBe('SELECT * FROM t WHERE a = $1 AND (b = $2 AND c = $3) OR d = $4 AND e = $5');
    expect(q.values).toEqual([1, 2, 3, 4, 5]);
  });

  it('numbers a fragment reused twice with fresh placeholders each time', () => {
    const cond = sql`x = ${'v'}`;
    const q = render(sql`${cond} OR ${cond}`);
    expect(q.text).toBe('x = $1 OR x = $2');
    expect(q.values).toEqual(['v', 'v']);
  });

  it('renders a fragment without interpolations as its text and no values', () => {
    expect(render(sql`SELECT 1`)).toEqual({ text: 'SELECT 1', values: [] });
  });

  it('renders fragments at the very start and end of a template', () => {
    const q = render(sql`${ident('a')} = ${ident('b')}`);
    expect(q).toEqual({ text: '"a" = "b"', values: [] });
  });

  const plainValues: Array<[string, unknown]> = [
    ['a string that looks like SQL', "'; DROP TABLE users; --"],
    ['a string with $1 placeholder text', '$1'],
    ['a quoted identifier-looking string', '"public"."users"'],
    ['a plain object', { a: 1, text: 'x' }],
    ['an object shaped like a fragment without the symbol', { parts: ['DROP TABLE x'], args: [] }],
    ['null', null],
    ['undefined', undefined],
    ['an array', [1, 'two', null]],
    ['an empty array', []],
    ['a number', 42],
    ['a bigint', 10n],
    ['a boolean', false],
    ['a Date', new Date('2024-01-02T03:04:05Z')],
    ['a Buffer', Buffer.from('abc')],
  ];

  it.each(plainValues)('binds %s as a parameter, never as text', (_label, value) => {
    const q = render(sql`SELECT * FROM t WHERE a = ${value}`);
    expect(q.text).toBe('SELECT * FROM t WHERE a = $1');
    expect(q.values).toHaveLength(1);
    expect(q.values[0]).toBe(value);
  });

  it('binds an array of fragments as a parameter (only Sql values are inlined)', () => {
    const arr = [ident('a'), ident('b')];
    const q = render(sql`${arr}`);
    expect(q.text).toBe('$1');
    expect(q.values[0]).toBe(arr);
  });
});

describe('isSql', () => {
  it.each<[string, unknown, boolean]>([
    ['sql tag', sql`x`, true],
    ['ident', ident('x'), true],
    ['trusted', trusted('x'), true],
    ['param', param(1), true],
    ['join', join([trusted('a')]), true],
    ['null', null, false],
    ['string', 'SELECT 1', false],
    ['look-alike object', { parts: ['x'], args: [] }, false],
  ])('%s → %s', (_label, value, expected) => {
    expect(isSql(value)).toBe(expected);
  });
});

describe('ident', () => {
  it.each<[string[], string]>([
    [['title'], '"title"'],
    [['_private'], '"_private"'],
    [['CamelCase'], '"CamelCase"'],
    [['a$b'], '"a$b"'],
    [['shop', 'posts'], '"shop"."posts"'],
    [['shop', 'posts', 'title'], '"shop"."posts"."title"'],
    [['a'.repeat(63)], `"${'a'.repeat(63)}"`],
  ])('ident(%j) renders %s', (names, text) => {
    expect(render(ident(...names))).toEqual({ text, values: [] });
  });

  const invalid: Array<[string, string]> = [
    ['double quote', 'ti"tle'],
    ['single quote', "ti'tle"],
    ['space', 'my title'],
    ['semicolon', 'a;DROP'],
    ['empty', ''],
    ['leading digit', '1abc'],
    ['hyphen', 'my-col'],
    ['dot', 'a.b'],
    ['newline', 'a\nb'],
    ['64 ascii bytes', 'a'.repeat(64)],
    ['multibyte letter', 'café'],
    ['multibyte over 63 bytes', 'é'.repeat(32)],
    ['leading dollar', '$a'],
  ];

  it.each(invalid)('rejects %s with BAD_USER_INPUT', (_label, name) => {
    const err = thrown(() => ident(name));
    expect(err).toBeInstanceOf(KoyaError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(thrown(() => assertIdentifier(name))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('rejects when any one of several parts is invalid', () => {
    expect(thrown(() => ident('shop', 'po"sts'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(thrown(() => ident('sh op', 'posts'))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('rejects non-string input passed through an untyped boundary', () => {
    expect(thrown(() => ident(42 as unknown as string))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(thrown(() => ident(null as unknown as string))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('assertIdentifier returns the name unchanged when valid', () => {
    expect(assertIdentifier('posts')).toBe('posts');
  });
});

describe('join', () => {
  const a = sql`a = ${1}`;
  const b = sql`b = ${2}`;
  const c = sql`c = ${3}`;

  it.each<[string, readonly Sql[], Sql | string | undefined, string, unknown[]]>([
    ['no items', [], undefined, '', []],
    ['no items with custom separator', [], ' AND ', '', []],
    ['one item', [a], undefined, 'a = $1', [1]],
    ['default separator', [a, b, c], undefined, 'a = $1, b = $2, c = $3', [1, 2, 3]],
    ['string separator', [a, b, c], ' AND ', 'a = $1 AND b = $2 AND c = $3', [1, 2, 3]],
    ['fragment separator', [a, b], trusted(' OR '), 'a = $1 OR b = $2', [1, 2]],
    ['separator holding a parameter', [a, b], sql` + ${9} + `, 'a = $1 + $2 + b = $3', [1, 9, 2]],
  ])('%s', (_label, items, sep, text, values) => {
    const frag = sep === undefined ? join(items) : join(items, sep);
    expect(render(frag)).toEqual({ text, values });
  });

  it('joins identifiers inside a larger statement with consistent numbering', () => {
    const cols = join([ident('id'), ident('title')]);
    const q = render(sql`SELECT ${cols} FROM ${ident('shop', 'posts')} WHERE id = ${7} LIMIT ${10}`);
    expect(q).toEqual({ text: 'SELECT "id", "title" FROM "shop"."posts" WHERE id = $1 LIMIT $2', values: [7, 10] });
  });
});

describe('trusted and param', () => {
  it.each(['ASC', 'IS NOT NULL', "'literal'", ' >= ', ''])('trusted(%j) passes its text through unchanged', (text) => {
    expect(render(trusted(text))).toEqual({ text, values: [] });
    expect(render(sql`x ${trusted(text)} y`)).toEqual({ text: `x ${text} y`, values: [] });
  });

  it.each<[unknown]>([[1], ['DROP TABLE x'], [null], [{ a: 1 }]])('param(%j) is a single bind parameter', (value) => {
    expect(render(param(value))).toEqual({ text: '$1', values: [value] });
    expect(render(sql`a = ${param(value)} AND b = ${2}`)).toEqual({ text: 'a = $1 AND b = $2', values: [value, 2] });
  });
});
