/**
 * Scalars of the generated data API. Output values arrive already in their JSON form from
 * Postgres (ISO timestamps, uuid text, exact numbers as strings), so serialize passes them
 * through; parse validates input strictly, so no malformed value ever reaches SQL.
 *
 *   scalar UUID  scalar DateTime  scalar Date  scalar JSON  scalar BigInt  scalar Decimal
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';

function bad(name: string, value: unknown): GraphQLError {
  return new GraphQLError(`${name} cannot represent ${JSON.stringify(value)?.slice(0, 60) ?? String(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function stringScalar(name: string, description: string, check: (s: string) => boolean, normalize: (s: string) => string = (s) => s) {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !check(value)) throw bad(name, value);
    return normalize(value);
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (v) => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v)),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw bad(name, (ast as { value?: unknown }).value ?? ast.kind);
      return parse(ast.value);
    },
  });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
// offsets up to ±15:59, as PostgreSQL accepts (Date.parse takes +16:00 and more)
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)$/i;
const INT_RE = /^-?\d{1,19}$/;
const DEC_RE = /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d{1,4})?$/;

/**
 * The YYYY-MM-DD at the start of s names a real day: Date.parse rolls 2026-02-30 over to
 * March 2, which PostgreSQL refuses; there is no year 0.
 */
function realDay(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return y >= 1 && days !== undefined && d >= 1 && d <= days;
}

/** Date.parse reads only `T` and ±hh:mm offsets; the ISO 8601 forms ±hh and ±hhmm are the same instants. */
const forDateParse = (s: string) => s.replace(' ', 'T').replace(/([+-]\d{2}):?(\d{2})?$/, (_m, h: string, m: string | undefined) => `${h}:${m ?? '00'}`);

export const UUIDScalar = stringScalar('UUID', 'A UUID, e.g. "0b6f6c2e-5f0e-4c47-9d8f-6d3c1f2b8a10".', (s) => UUID_RE.test(s), (s) => s.toLowerCase());
export const DateTimeScalar = stringScalar('DateTime', 'An ISO 8601 timestamp with time zone.', (s) => DATETIME_RE.test(s) && realDay(s) && !Number.isNaN(Date.parse(forDateParse(s))));
export const DateScalar = stringScalar('Date', 'A calendar date, YYYY-MM-DD.', (s) => DATE_RE.test(s) && realDay(s) && !Number.isNaN(Date.parse(s)));

/** BigInt and Decimal are exact: JSON strings on output; strings (or integers for BigInt) on input. */
function exactScalar(name: string, description: string, re: RegExp) {
  const parse = (value: unknown): string => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string' && re.test(value)) {
      if (name === 'BigInt' && (BigInt(value) > 9223372036854775807n || BigInt(value) < -9223372036854775808n)) throw bad(name, value);
      return value;
    }
    throw bad(name, value);
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (v) => String(v),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind === Kind.STRING) return parse(ast.value);
      if (ast.kind === Kind.INT || (ast.kind === Kind.FLOAT && name === 'Decimal')) return parse(name === 'BigInt' ? ast.value : ast.value);
      throw bad(name, ast.kind);
    },
  });
}

export const BigIntScalar = exactScalar('BigInt', 'A 64-bit integer, serialized as a string.', INT_RE);
export const DecimalScalar = exactScalar('Decimal', 'An exact decimal number, serialized as a string.', DEC_RE);
export const JSONScalar = new GraphQLScalarType({ ...JSONResolver.toConfig(), name: 'JSON' });
