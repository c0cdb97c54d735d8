/**
 * The column types of the SPEC and how each maps to Postgres and GraphQL.
 *
 *   text varchar integer bigint numeric float boolean uuid timestamptz date jsonb enum
 *   text[] integer[] vector(<n>)
 */
export type ScalarKind =
  | 'text'
  | 'varchar'
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'float'
  | 'boolean'
  | 'uuid'
  | 'timestamptz'
  | 'date'
  | 'jsonb'
  | 'enum'
  | 'text[]'
  | 'integer[]'
  | 'vector';

export interface ColumnType {
  kind: ScalarKind;
  /** vector dimensions */
  dimensions?: number;
}

const SIMPLE = new Set<ScalarKind>(['text', 'varchar', 'integer', 'bigint', 'numeric', 'float', 'boolean', 'uuid', 'timestamptz', 'date', 'jsonb', 'enum', 'text[]', 'integer[]']);
const VECTOR = /^vector\((\d{1,5})\)$/;

/** Parses a type as written in metadata; undefined when it is not one of the SPEC's types. */
export function parseColumnType(raw: string): ColumnType | undefined {
  const t = raw.trim().toLowerCase();
  if (SIMPLE.has(t as ScalarKind)) return { kind: t as ScalarKind };
  const m = VECTOR.exec(t);
  if (m) {
    const dimensions = Number(m[1]);
    if (dimensions >= 1 && dimensions <= 16000) return { kind: 'vector', dimensions };
  }
  return undefined;
}

export function formatColumnType(type: ColumnType): string {
  return type.kind === 'vector' ? `vector(${type.dimensions})` : type.kind;
}

/** Types with a total order (min/max, ordering, range filters). */
export function isOrderable(kind: ScalarKind): boolean {
  return ['text', 'varchar', 'integer', 'bigint', 'numeric', 'float', 'uuid', 'timestamptz', 'date', 'enum', 'boolean'].includes(kind);
}

/** Types sum/avg apply to. */
export function isNumeric(kind: ScalarKind): boolean {
  return kind === 'integer' || kind === 'bigint' || kind === 'numeric' || kind === 'float';
}

export function isText(kind: ScalarKind): boolean {
  return kind === 'text' || kind === 'varchar';
}

export function isArray(kind: ScalarKind): boolean {
  return kind === 'text[]' || kind === 'integer[]';
}
