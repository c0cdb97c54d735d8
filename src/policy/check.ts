/**
 * checkPolicy: validates a parsed policy against the project model, before it is saved.
 *
 * - names: unqualified columns are the policy table's (the outer row); a qualified one names the
 *   innermost enclosing exists(table where …) over that table; unknown tables and columns are
 *   errors with a "did you mean"; encrypted columns cannot be used at all.
 * - conditions: the whole policy, each operand of and/or/not and each exists(… where …) must be
 *   true/false (a comparison, a boolean column, true/false, exists(…)).
 * - comparisons and in lists compare values of one type: text (text, varchar, enum), numbers
 *   (integer, bigint, numeric, float), boolean, uuid, dates and timestamps (date and timestamptz
 *   together). jsonb, arrays and vectors only take is null / is not null. Ordering (< <= > >=)
 *   needs text, numbers, dates or timestamps.
 * - text literals adapt to the other side: compared with a uuid column they must be a uuid, with
 *   a date/timestamptz column an ISO date or timestamp, with an enum column one of its values.
 * - auth.uid(), auth.role(), auth.claim('x') are text; compared with uuid values they are cast
 *   with koyalite.try_uuid (recorded in `uuidCasts`), so a claim that is no uuid makes the
 *   comparison NULL (false), never an error.
 * - like needs text (not enum) on the left; its pattern must not end with the escape character.
 *
 * Exists over a table with no relationship to the policy table is allowed: the condition decides.
 */
import { isUuid } from '../lib/ids.js';
import { formatColumnType } from '../model/column-types.js';
import type { ColumnModel, ProjectModel, TableModel } from '../model/project-model.js';
import type { Call, ComparisonOp, Expr, Position } from './ast.js';
import { PolicyError } from './policy-error.js';

export interface ColumnReference {
  readonly table: string;
  readonly column: string;
}

export interface CheckedPolicy {
  /** the policy's own table */
  readonly table: string;
  readonly ast: Expr;
  /** auth.* calls compared with uuid values: compiled as koyalite.try_uuid(call) */
  readonly uuidCasts: ReadonlySet<Call>;
  /** every column the policy reads (its own table's and exists tables'), distinct, in order of first use */
  readonly columns: readonly ColumnReference[];
  /** tables read through exists(…), distinct, in order of first use */
  readonly tables: readonly string[];
}

/** Value classes of the language. */
type Cls = 'text' | 'number' | 'boolean' | 'uuid' | 'date' | 'timestamptz' | 'other';

interface Typed {
  node: Expr;
  cls: Cls;
  /** text literals and auth.* calls adapt to the other side's type (within limits) */
  flex: 'none' | 'textLiteral' | 'function';
  column?: ColumnModel;
  label: string;
}

function classOf(column: ColumnModel): Cls {
  switch (column.type.kind) {
    case 'text':
    case 'varchar':
    case 'enum':
      return 'text';
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'float':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'uuid':
      return 'uuid';
    case 'date':
      return 'date';
    case 'timestamptz':
      return 'timestamptz';
    default:
      return 'other';
  }
}

const CLASS_NAMES: Record<Cls, string> = {
  text: 'text',
  number: 'a number',
  boolean: 'true/false',
  uuid: 'a uuid',
  date: 'a date',
  timestamptz: 'a timestamp',
  other: 'a value',
};

function compatible(a: Cls, b: Cls): boolean {
  if (a === b) return a !== 'other';
  return (a === 'date' && b === 'timestamptz') || (a === 'timestamptz' && b === 'date');
}

const ORDERING: ReadonlySet<ComparisonOp> = new Set(['<', '<=', '>', '>=']);
const ORDERABLE: ReadonlySet<Cls> = new Set(['text', 'number', 'date', 'timestamptz']);

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
const quoted = (s: string) => `'${short(s).replace(/'/g, "''")}'`;

function isValidDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 as Postgres reads it: date, optional time (T or space), optional zone Z / ±HH / ±HH:MM / ±HHMM */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

function isDateText(s: string): boolean {
  const m = DATE.exec(s);
  return !!m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isTimestampText(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  const over = (group: string | undefined, max: number) => group !== undefined && Number(group) > max;
  return !over(m[4], 23) && !over(m[5], 59) && !over(m[6], 59) && !over(m[7], 15) && !over(m[8], 59);
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** "; did you mean x?" for a close name, else "". */
function suggest(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = c.toLowerCase() === name.toLowerCase() ? 0 : distance(name.toLowerCase(), c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  return best !== undefined && bestScore <= limit ? `; did you mean ${best}?` : '';
}

export function checkPolicy(model: ProjectModel, tableName: string, ast: Expr): CheckedPolicy {
  const found = model.tablesByName.get(tableName);
  if (!found) throw new PolicyError(`table ${tableName} does not exist in project ${model.slug}`, { offset: 0, line: 1, column: 1 });
  const outer: TableModel = found;

  const uuidCasts = new Set<Call>();
  const columns = new Map<string, ColumnReference>();
  const tables = new Set<string>();
  /** enclosing exists(…) tables, innermost last */
  const scopes: TableModel[] = [];

  function fail(reason: string, at: Position): never {
    throw new PolicyError(reason, at);
  }

  function resolveColumn(node: Expr & { kind: 'column' }): { table: TableModel; column: ColumnModel; qualified: boolean } {
    if (node.table === null) {
      const column = outer.columnsByName.get(node.column);
      if (!column) {
        const inner = [...scopes].reverse().find((t) => t.columnsByName.has(node.column));
        if (inner) {
          fail(`unknown column "${node.column}" on table ${outer.name} (unqualified names are columns of the policy's table ${outer.name}); write ${inner.name}.${node.column} for the column of ${inner.name}`, node.pos);
        }
        fail(`unknown column "${node.column}" on table ${outer.name}${suggest(node.column, outer.columnsByName.keys())}`, node.pos);
      }
      return { table: outer, column, qualified: false };
    }

    if (node.table.toLowerCase() === 'auth') {
      const fn = node.column.toLowerCase();
      if (fn === 'uid' || fn === 'role') fail(`auth.${fn} is a function: write auth.${fn}()`, node.pos);
      if (fn === 'claim') fail("auth.claim is a function: write auth.claim('name')", node.pos);
      fail(`unknown function auth.${node.column}: the policy language has only auth.uid(), auth.role() and auth.claim('name')`, node.pos);
    }
    const table = [...scopes].reverse().find((t) => t.name === node.table);
    if (!table) {
      if (node.table === outer.name) {
        fail(`write the columns of the policy's table ${outer.name} unqualified: ${node.column} instead of ${node.table}.${node.column} (qualified names are for the tables of exists(…))`, node.pos);
      }
      if (model.tablesByName.has(node.table)) {
        fail(`${node.table}.${node.column}: the columns of table ${node.table} can only be used inside exists(${node.table} where …)`, node.pos);
      }
      fail(`unknown table "${node.table}"${suggest(node.table, model.tablesByName.keys())}`, node.pos);
    }
    const column = table.columnsByName.get(node.column);
    if (!column) fail(`unknown column "${node.column}" on table ${table.name}${suggest(node.column, table.columnsByName.keys())}`, node.pos);
    return { table, column, qualified: true };
  }

  function typeOf(node: Expr): Typed {
    switch (node.kind) {
      case 'column': {
        const { table, column, qualified } = resolveColumn(node);
        const name = qualified ? `${table.name}.${column.name}` : column.name;
        if (column.encrypted) fail(`column ${name} is encrypted; policies cannot use encrypted columns (the database only sees ciphertext)`, node.pos);
        const key = `${table.name}.${column.name}`;
        if (!columns.has(key)) columns.set(key, { table: table.name, column: column.name });
        return { node, cls: classOf(column), flex: 'none', column, label: `column ${name} (${formatColumnType(column.type)})` };
      }
      case 'text':
        return { node, cls: 'text', flex: 'textLiteral', label: `text ${quoted(node.value)}` };
      case 'number':
        return { node, cls: 'number', flex: 'none', label: `number ${node.raw}` };
      case 'boolean':
        return { node, cls: 'boolean', flex: 'none', label: node.value ? 'true' : 'false' };
      case 'null':
        return fail('null cannot be compared (the result is never true): write x is null or x is not null', node.pos);
      case 'call':
        return { node, cls: 'text', flex: 'function', label: `${node.fn === 'auth.claim' ? `auth.claim(${quoted(node.arg ?? '')})` : `${node.fn}()`} (text)` };
      default:
        checkCondition(node);
        return { node, cls: 'boolean', flex: 'none', label: 'a condition (true/false)' };
    }
  }

  function mismatch(anchor: Typed, member: Typed): never {
    let hint = 'compare values of the same type';
    if (anchor.cls === 'number' && member.node.kind === 'text') hint = 'write numbers without quotes';
    else if (anchor.cls === 'text' && member.node.kind === 'number') hint = `write text in single quotes ('${member.node.raw}')`;
    else if (anchor.cls === 'boolean' && member.node.kind === 'text') hint = 'write true or false without quotes';
    else if (member.flex === 'function') hint = `${member.label.replace(/ \(text\)$/, '')} is text; it compares with text${anchor.cls === 'number' ? '' : ' and uuid'} values only`;
    else if (anchor.cls === 'uuid' && member.cls === 'text') hint = 'uuid columns compare with uuid columns, auth.uid() or a uuid literal';
    return fail(`cannot compare ${anchor.label} with ${member.label}: ${hint}`, member.node.pos);
  }

  /** A comparison (2 members) or an in list (operand first). */
  function checkGroup(members: readonly Expr[], op: ComparisonOp, opPos: Position, equality: boolean): void {
    const typed = members.map(typeOf);
    for (const t of typed) {
      if (t.cls === 'other') fail(`${t.label} cannot be compared in a policy; only is null / is not null apply to it`, t.node.pos);
    }
    const strong = typed.filter((t) => t.flex === 'none');
    const anchor = strong.find((t) => t.column) ?? strong[0];
    const target: Cls = anchor?.cls ?? 'text';

    for (const t of strong) {
      if (!compatible(target, t.cls)) mismatch(anchor!, t);
    }
    if (ORDERING.has(op) && !ORDERABLE.has(target)) {
      fail(`${op} needs numbers, text, dates or timestamps; ${anchor!.label} is ${CLASS_NAMES[target]}: use = or <>`, opPos);
    }

    const enums = strong.filter((t) => t.column?.type.kind === 'enum');
    for (const t of typed) {
      if (t.flex === 'textLiteral') {
        const value = (t.node as Expr & { kind: 'text' }).value;
        switch (target) {
          case 'text':
            if (equality) {
              for (const e of enums) {
                if (!e.column!.enumValues.includes(value)) {
                  fail(`${quoted(value)} is not a value of ${e.label}: use one of ${e.column!.enumValues.map((v) => `'${v}'`).join(', ')}`, t.node.pos);
                }
              }
            }
            break;
          case 'uuid':
            if (!isUuid(value)) fail(`${t.label} is not a uuid, so it can never equal ${anchor!.label}: write a uuid such as '3f2504e0-4f89-11d3-9a0c-0305e82c3301'`, t.node.pos);
            break;
          case 'date':
            if (!isDateText(value)) fail(`${t.label} is not a date: write it as 'YYYY-MM-DD' to compare with ${anchor!.label}`, t.node.pos);
            break;
          case 'timestamptz':
            if (!isTimestampText(value)) fail(`${t.label} is not a timestamp: write it as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SSZ' to compare with ${anchor!.label}`, t.node.pos);
            break;
          default:
            mismatch(anchor!, t);
        }
      } else if (t.flex === 'function') {
        if (target === 'uuid') uuidCasts.add(t.node as Call);
        else if (target !== 'text') mismatch(anchor!, t);
      }
    }
  }

  /** The node must be true/false. */
  function checkCondition(node: Expr): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        for (const operand of node.operands) checkCondition(operand);
        return;
      case 'not':
        checkCondition(node.operand);
        return;
      case 'compare':
        checkGroup([node.left, node.right], node.op, node.opPos, node.op === '=' || node.op === '<>');
        return;
      case 'in':
        checkGroup([node.operand, ...node.list], '=', node.opPos, true);
        return;
      case 'isNull': {
        if (node.operand.kind === 'null') fail('null is null is always true; write true instead, or test a column: x is null', node.operand.pos);
        typeOf(node.operand);
        return;
      }
      case 'like': {
        const t = typeOf(node.operand);
        if (t.cls !== 'text' || t.column?.type.kind === 'enum') {
          fail(`like needs text on the left; ${t.label} is not text${t.column?.type.kind === 'enum' ? ' (for an enum use = or in)' : ''}`, node.opPos);
        }
        const trailing = /\\+$/.exec(node.pattern.value)?.[0].length ?? 0;
        if (trailing % 2 === 1) fail('a like pattern cannot end with the escape character \\ (write \\\\ to match a backslash)', node.pattern.pos);
        return;
      }
      case 'exists': {
        const inner = model.tablesByName.get(node.table);
        if (!inner) fail(`unknown table "${node.table}"${suggest(node.table, model.tablesByName.keys())}`, node.tablePos);
        tables.add(inner.name);
        scopes.push(inner);
        try {
          checkCondition(node.where);
        } finally {
          scopes.pop();
        }
        return;
      }
      case 'boolean':
        return;
      case 'column': {
        const t = typeOf(node);
        if (t.cls !== 'boolean') fail(`${t.label} is not a condition: compare it, e.g. ${formatName(node)} = …, or test it with is null`, node.pos);
        return;
      }
      case 'call':
        return fail(`${typeOf(node).label.replace(/ \(text\)$/, '')} is text, not a condition: compare it, e.g. ${node.fn === 'auth.role' ? "auth.role() = 'editor'" : node.fn === 'auth.uid' ? 'owner_id = auth.uid()' : `${node.fn}('${node.arg ?? ''}') = 'value'`}`, node.pos);
      case 'null':
        return fail('null is not a condition: write true or false, or test a column with is null', node.pos);
      case 'text':
      case 'number':
        return fail(`${typeOf(node).label} is not a condition: a policy must be true or false for a row, e.g. status = 'active'`, node.pos);
    }
  }

  checkCondition(ast);
  return { table: outer.name, ast, uuidCasts, columns: [...columns.values()], tables: [...tables] };
}

function formatName(node: Expr & { kind: 'column' }): string {
  return node.table === null ? node.column : `${node.table}.${node.column}`;
}
