/** Validation of table and column inputs into ColumnSpecs (before any I/O). */
import { badInput } from '../lib/errors.js';
import { formatColumnType, parseColumnType } from '../model/column-types.js';
import { defaultSql, type ColumnSpec } from './ddl.js';
import { MANAGED_COLUMNS, validateEnumValues, validateName } from './identifiers.js';

export interface ColumnInput {
  name: string;
  type: string;
  isNullable?: boolean | null;
  defaultValue?: string | null;
  isUnique?: boolean | null;
  encrypted?: boolean | null;
  enumValues?: string[] | null;
}

export function toColumnSpec(input: ColumnInput, field: string): ColumnSpec & { encrypted: boolean } {
  const name = validateName('column', input.name, `${field}.name`);
  if (MANAGED_COLUMNS.has(name)) throw badInput(`column "${name}" is created and kept by KoyaLite; choose another name`, { field: `${field}.name` });
  const type = parseColumnType(input.type);
  if (!type) {
    throw badInput(
      `column ${name}: unknown type "${String(input.type).slice(0, 40)}"; use one of text varchar integer bigint numeric float boolean uuid timestamptz date jsonb enum text[] integer[] vector(<n>)`,
      { field: `${field}.type` },
    );
  }
  const enumValues = type.kind === 'enum' ? validateEnumValues(input.enumValues ?? [], `${field}.enumValues`) : [];
  if (type.kind !== 'enum' && input.enumValues && input.enumValues.length > 0) {
    throw badInput(`column ${name}: enumValues only apply to enum columns`, { field: `${field}.enumValues` });
  }
  const encrypted = input.encrypted ?? false;
  if (encrypted && (input.isUnique || type.kind !== 'text')) {
    throw badInput(`column ${name}: only non-unique text columns can be encrypted`, { field: `${field}.encrypted` });
  }
  const spec = {
    name,
    type,
    isNullable: input.isNullable ?? true,
    isUnique: input.isUnique ?? false,
    defaultValue: input.defaultValue ?? null,
    enumValues,
    encrypted,
  };
  defaultSql(spec, true); // validates the default now, before anything is written
  return spec;
}

export function columnRow(spec: ColumnSpec & { encrypted: boolean }, position: number) {
  return {
    name: spec.name,
    type: formatColumnType(spec.type),
    isNullable: spec.isNullable,
    defaultValue: spec.defaultValue,
    isUnique: spec.isUnique,
    encrypted: spec.encrypted,
    enumValues: spec.enumValues,
    position,
  };
}
