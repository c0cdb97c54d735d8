/**
 * The policy language's lexer: text → tokens with positions. Refuses anything that is not part
 * of the language (semicolons, comments, casts, arithmetic, double quotes, …) with a PolicyError
 * that says what to write instead. Hand-written, one character at a time.
 *
 *   identifier  [A-Za-z_][A-Za-z0-9_]*, optionally qualified: name.name (no spaces around the dot)
 *   keyword     and or not in is like exists where true false null   (case-insensitive)
 *   text        '…' with '' for a quote; any Unicode except NUL
 *   number      -?[0-9]+(.[0-9]+)?
 *   operator    = != <> < <= > >=          punctuation ( ) ,
 */
import type { ComparisonOp, Position } from './ast.js';
import { PolicyError } from './policy-error.js';

/** Longest policy text accepted, in UTF-16 code units. */
export const MAX_POLICY_LENGTH = 4000;

export const KEYWORDS = ['and', 'or', 'not', 'in', 'is', 'like', 'exists', 'where', 'true', 'false', 'null'] as const;
export type Keyword = (typeof KEYWORDS)[number];
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

interface TokenBase {
  readonly pos: Position;
  /** offset just past the token */
  readonly end: number;
  /** the source text of the token */
  readonly text: string;
}

export type Token =
  | (TokenBase & { readonly kind: 'ident'; readonly parts: readonly string[] })
  | (TokenBase & { readonly kind: 'keyword'; readonly keyword: Keyword })
  | (TokenBase & { readonly kind: 'string'; readonly value: string })
  | (TokenBase & { readonly kind: 'number'; readonly raw: string })
  | (TokenBase & { readonly kind: 'op'; readonly op: ComparisonOp })
  | (TokenBase & { readonly kind: '(' | ')' | ',' | 'eof' });

type TokenData = Token extends infer T ? (T extends unknown ? Omit<T, 'pos' | 'end' | 'text'> : never) : never;

const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function describeChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp === 0xa0 || cp === 0xfeff || (cp >= 0x2000 && cp <= 0x200f) || cp === 0x3000) {
    return hex;
  }
  return `"${String.fromCodePoint(cp)}" (${hex})`;
}

/** Splits a policy into tokens, ending with one `eof` token. */
export function tokenize(text: string): Token[] {
  if (typeof text !== 'string') throw new PolicyError('a policy must be text', { offset: 0, line: 1, column: 1 });

  // position tracking: offset → (line, column), advanced as we go
  let offset = 0;
  let line = 1;
  let column = 1;
  const here = (): Position => ({ offset, line, column });
  const advance = (to: number): void => {
    while (offset < to) {
      const code = text.charCodeAt(offset);
      if (code === 0x0a || (code === 0x0d && text.charCodeAt(offset + 1) !== 0x0a)) {
        line++;
        column = 1;
        offset++;
      } else if (code === 0x0d) {
        offset++;
      } else {
        offset += text.codePointAt(offset)! > 0xffff ? 2 : 1;
        column++;
      }
    }
  };
  function fail(reason: string, at: Position = here()): never {
    throw new PolicyError(reason, at);
  }

  if (text.length > MAX_POLICY_LENGTH) {
    advance(MAX_POLICY_LENGTH);
    fail(`a policy is at most ${MAX_POLICY_LENGTH} characters long (this one has ${text.length}); simplify it`);
  }

  const tokens: Token[] = [];
  const push = (start: Position, rest: TokenData): void => {
    tokens.push({ ...rest, pos: start, end: offset, text: text.slice(start.offset, offset) } as Token);
  };

  while (offset < text.length) {
    const c = text[offset]!;
    const next = text[offset + 1] ?? '';
    const start = here();

    if (isSpace(c)) {
      advance(offset + 1);
      continue;
    }

    if (isIdentStart(c)) {
      const parts: string[] = [];
      let i = offset;
      for (;;) {
        const from = i;
        while (i < text.length && isIdentPart(text[i]!)) i++;
        parts.push(text.slice(from, i));
        if (text[i] === '.' && i + 1 < text.length && isIdentStart(text[i + 1]!)) {
          i++;
          continue;
        }
        if (text[i] === '.') {
          advance(i);
          fail(`expected a column name right after "${text.slice(start.offset, i)}." (no spaces around the dot)`);
        }
        break;
      }
      advance(i);
      if (parts.length === 1 && KEYWORD_SET.has(parts[0]!.toLowerCase())) {
        push(start, { kind: 'keyword', keyword: parts[0]!.toLowerCase() as Keyword });
      } else {
        push(start, { kind: 'ident', parts });
      }
      continue;
    }

    if (isDigit(c) || (c === '-' && isDigit(next))) {
      let i = offset + 1;
      while (i < text.length && isDigit(text[i]!)) i++;
      if (text[i] === '.') {
        if (!isDigit(text[i + 1] ?? '')) {
          advance(i);
          fail(`a decimal number needs digits after the point (write ${text.slice(start.offset, i)} or ${text.slice(start.offset, i)}.0)`);
        }
        i++;
        while (i < text.length && isDigit(text[i]!)) i++;
      }
      const after = text[i] ?? '';
      if (isIdentPart(after) || after === '.') {
        fail(`invalid number "${text.slice(start.offset, i)}${after}": numbers are digits with an optional decimal part (e.g. 42, -7, 3.5)`, start);
      }
      advance(i);
      push(start, { kind: 'number', raw: text.slice(start.offset, i) });
      continue;
    }

    if (c === "'") {
      let i = offset + 1;
      let value = '';
      for (;;) {
        if (i >= text.length) fail("unterminated text literal: end it with a single quote ' (write '' for a quote inside text)", start);
        const ch = text[i]!;
        if (ch === '\u0000') {
          advance(i);
          fail('text literals cannot contain NUL characters');
        }
        if (ch === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      advance(i);
      push(start, { kind: 'string', value });
      continue;
    }

    switch (c) {
      case '(':
      case ')':
      case ',':
        advance(offset + 1);
        push(start, { kind: c });
        continue;
      case '=':
        if (next === '=') fail('use = to compare (not ==)');
        advance(offset + 1);
        push(start, { kind: 'op', op: '=' });
        continue;
      case '!':
        if (next !== '=') fail('"!" is not an operator here: write not … or != for "not equal"');
        advance(offset + 2);
        push(start, { kind: 'op', op: '<>' });
        continue;
      case '<':
        if (next === '=' || next === '>') {
          advance(offset + 2);
          push(start, { kind: 'op', op: next === '=' ? '<=' : '<>' });
        } else {
          advance(offset + 1);
          push(start, { kind: 'op', op: '<' });
        }
        continue;
      case '>':
        if (next === '=') {
          advance(offset + 2);
          push(start, { kind: 'op', op: '>=' });
        } else {
          advance(offset + 1);
          push(start, { kind: 'op', op: '>' });
        }
        continue;
      case ';':
        fail('";" is not allowed: a policy is a single boolean expression, not SQL statements; remove the semicolon and what follows');
        break;
      case '-':
        if (next === '-') fail('comments (--) are not allowed in a policy; remove them');
        fail('"-" is not an operator in the policy language (no arithmetic); only a number may start with a minus sign (-5)');
        break;
      case '/':
        if (next === '*') fail('comments (/* */) are not allowed in a policy; remove them');
        fail('"/" is not an operator in the policy language (no arithmetic)');
        break;
      case '#':
        fail('"#" is not allowed (no comments or operators other than = != <> < <= > >=)');
        break;
      case ':':
        fail(next === ':' ? 'casts (::) are not part of the policy language; compare values of the same type (auth.uid() compares with uuid columns as is)' : '":" is not allowed in a policy');
        break;
      case '"':
        fail('double quotes are not used in policies: write names unquoted (tenant_id) and text in single quotes (\'active\')');
        break;
      case '`':
        fail('backquotes are not used in policies: write names unquoted (tenant_id) and text in single quotes (\'active\')');
        break;
      case '$':
        fail('"$" is not allowed: parameters and dollar-quoted text are not part of the policy language; write text in single quotes');
        break;
      case '\\':
        fail('"\\" is only allowed inside a text literal');
        break;
      case '+':
      case '*':
      case '%':
      case '^':
      case '|':
      case '&':
      case '~':
      case '@':
      case '?':
        fail(`"${c}" is not an operator in the policy language; use = != <> < <= > >=, and, or, not, in, is null, like`);
        break;
      case '.':
        fail('"." must join a table and a column name (tenant_members.user_id); a decimal number needs a digit before the point (0.5)');
        break;
      default:
        if (c === '\u0000') fail('a policy cannot contain NUL characters');
        fail(`unexpected character ${describeChar(text, offset)}; policies use names, 'text', numbers, = != <> < <= > >=, parentheses and commas`);
    }
  }

  tokens.push({ kind: 'eof', pos: here(), end: offset, text: '' });
  return tokens;
}
