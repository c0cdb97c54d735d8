import { describe, expect, it } from 'vitest';
import { formatColumnType, isArray, isNumeric, isOrderable, isText, parseColumnType, type ColumnType, type ScalarKind } from './column-types.js';

const SPEC_TYPES = ['text', 'varchar', 'integer', 'bigint', 'numeric', 'float', 'boolean', 'uuid', 'timestamptz', 'date', 'jsonb', 'enum', 'text[]', 'integer[]'] as const;

describe('parseColumnType', () => {
  it.each(SPEC_TYPES)('%s', (raw) => {
    expect(parseColumnType(raw)).toEqual({ kind: raw });
  });

  // [raw, dimensions]
  const vectors: Array<[string, number]> = [
    ['vector(1)', 1],
    ['vector(3)', 3],
    ['vector(1536)', 1536],
    ['vector(16000)', 16000],
  ];
  it.each(vectors)('%s has %i dimensions', (raw, dimensions) => {
    expect(parseColumnType(raw)).toEqual({ kind: 'vector', dimensions });
  });

  // [raw, expected]
  const tolerant: Array<[string, ColumnType]> = [
    ['TEXT', { kind: 'text' }],
    ['Integer', { kind: 'integer' }],
    ['  bigint  ', { kind: 'bigint' }],
    ['\ttimestamptz\n', { kind: 'timestamptz' }],
    ['TEXT[]', { kind: 'text[]' }],
    [' Integer[] ', { kind: 'integer[]' }],
    ['JSONB', { kind: 'jsonb' }],
    ['VECTOR(3)', { kind: 'vector', dimensions: 3 }],
    [' Vector(8) ', { kind: 'vector', dimensions: 8 }],
  ];
  it.each(tolerant)('tolerates case and surrounding space: %j', (raw, expected) => {
    expect(parseColumnType(raw)).toEqual(expected);
  });

  const refused = [
    'vector(0)',
    'vector(20000)',
    'vector(16001)',
    'vector(100000)',
    'vector()',
    'vector',
    'vector(-1)',
    'vector(3.5)',
    'vector(3',
    'vector (3)',
    'money',
    'text; drop',
    'text; drop table users',
    'int',
    'int4',
    'serial',
    'json',
    'timestamp',
    'double precision',
    'varchar(255)',
    'numeric(10,2)',
    'text[][]',
    'uuid[]',
    'boolean[]',
    'te xt',
    '',
    '   ',
  ];
  it.each(refused)('refuses %j', (raw) => {
    expect(parseColumnType(raw)).toBeUndefined();
  });
});

describe('formatColumnType', () => {
  it.each([...SPEC_TYPES, 'vector(3)', 'vector(1536)'])('round-trips %s', (raw) => {
    const parsed = parseColumnType(raw)!;
    expect(parsed).toBeDefined();
    expect(formatColumnType(parsed)).toBe(raw);
    expect(parseColumnType(formatColumnType(parsed))).toEqual(parsed);
  });

  it('normalizes case and space', () => {
    expect(formatColumnType(parseColumnType('  VECTOR(12) ')!)).toBe('vector(12)');
    expect(formatColumnType(parseColumnType(' Text[] ')!)).toBe('text[]');
  });
});

describe('type predicates', () => {
  // [kind, orderable, numeric, text, array]
  const truth: Array<[ScalarKind, boolean, boolean, boolean, boolean]> = [
    ['text', true, false, true, false],
    ['varchar', true, false, true, false],
    ['integer', true, true, false, false],
    ['bigint', true, true, false, false],
    ['numeric', true, true, false, false],
    ['float', true, true, false, false],
    ['boolean', true, false, false, false],
    ['uuid', true, false, false, false],
    ['timestamptz', true, false, false, false],
    ['date', true, false, false, false],
    ['jsonb', false, false, false, false],
    ['enum', true, false, false, false],
    ['text[]', false, false, false, true],
    ['integer[]', false, false, false, true],
    ['vector', false, false, false, false],
  ];

  it('the table covers every kind', () => {
    expect(truth.map(([k]) => k).sort()).toEqual([...SPEC_TYPES, 'vector'].sort());
  });

  it.each(truth)('%s: orderable %s, numeric %s, text %s, array %s', (kind, orderable, numeric, text, array) => {
    expect(isOrderable(kind)).toBe(orderable);
    expect(isNumeric(kind)).toBe(numeric);
    expect(isText(kind)).toBe(text);
    expect(isArray(kind)).toBe(array);
  });

  it('numeric types are orderable; text and array types exclude each other', () => {
    for (const [kind] of truth) {
      if (isNumeric(kind)) expect(isOrderable(kind)).toBe(true);
      expect(isText(kind) && isArray(kind)).toBe(false);
      expect(isNumeric(kind) && isText(kind)).toBe(false);
    }
  });
});
