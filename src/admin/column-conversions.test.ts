import { describe, expect, it } from 'vitest';
import { ident, render } from '../lib/sql.js';
import { parseColumnType, type ColumnType } from '../model/column-types.js';
import { planConversion } from './column-conversions.js';

const TYPES = ['text', 'varchar', 'integer', 'bigint', 'numeric', 'float', 'boolean', 'uuid', 'timestamptz', 'date', 'jsonb', 'enum', 'text[]', 'integer[]', 'vector(3)'];
const type = (t: string): ColumnType => parseColumnType(t)!;
const PHYSICAL: Record<string, string> = { varchar: 'character varying', float: 'double precision', enum: 'text', 'vector(3)': 'real[]', timestamptz: 'timestamp with time zone' };
const plan = (from: string, to: string) => planConversion(type(from), type(to), ident('c'), PHYSICAL[from] ?? from);

describe('planConversion', () => {
  it.each(TYPES.flatMap((from) => TYPES.map((to) => [from, to] as const)))('%s → %s is planned as DDL without bind parameters, or refused with a reason', (from, to) => {
    const p = plan(from, to);
    if (p.ok) {
      if (p.using) expect(render(p.using).values).toEqual([]);
    } else {
      expect(p.reason.length).toBeGreaterThan(10);
    }
  });

  it.each(['jsonb', 'text[]', 'integer[]', 'vector(3)'])('%s converts only to text and varchar', (from) => {
    for (const to of TYPES) {
      if (to === from) continue;
      expect(plan(from, to).ok, `${from} → ${to}`).toBe(to === 'text' || to === 'varchar');
    }
  });

  it.each(['jsonb', 'text[]', 'integer[]', 'vector(3)'])('nothing converts to %s', (to) => {
    for (const from of TYPES) if (from !== to) expect(plan(from, to).ok, `${from} → ${to}`).toBe(false);
    expect(plan('vector(3)', 'vector(4)').ok).toBe(false);
  });

  it.each([
    ['integer', 'bigint'],
    ['integer', 'numeric'],
    ['integer', 'float'],
    ['bigint', 'numeric'],
    ['float', 'numeric'],
    ['date', 'timestamptz'],
    ['varchar', 'text'],
    ['text', 'varchar'],
    ['enum', 'text'],
    ['boolean', 'text'],
    ['timestamptz', 'varchar'],
  ])('%s → %s is widening: it cannot fail on data', (from, to) => {
    const p = plan(from, to);
    expect(p.ok && p.mustHold).toBeUndefined();
  });

  it.each([
    ['bigint', 'integer'],
    ['numeric', 'integer'],
    ['float', 'bigint'],
    ['numeric', 'float'],
    ['bigint', 'float'],
    ['text', 'integer'],
    ['text', 'boolean'],
    ['varchar', 'uuid'],
    ['enum', 'date'],
    ['text', 'timestamptz'],
    ['timestamptz', 'date'],
  ])('%s → %s checks every value', (from, to) => {
    const p = plan(from, to);
    expect(p.ok && p.mustHold).toMatch(/\w/);
  });

  it('keeps text in place for enums (the CHECK does the validation)', () => {
    expect(plan('text', 'enum')).toMatchObject({ ok: true, using: undefined });
    expect(plan('enum', 'text')).toMatchObject({ ok: true, using: undefined });
    expect(plan('varchar', 'enum')).toMatchObject({ ok: true });
    expect(plan('integer', 'enum')).toMatchObject({ ok: false, reason: expect.stringMatching(/text first/) });
  });

  it('never rounds numeric to integer: non-whole values take a cast that fails', () => {
    const p = plan('numeric', 'integer');
    expect(p.ok && render(p.using!).text).toBe(
      `CASE WHEN "c" IS NULL THEN NULL WHEN "c" = trunc("c") THEN trunc("c")::text::integer ELSE ('not convertible: ' || "c"::text)::integer END`,
    );
  });
});
