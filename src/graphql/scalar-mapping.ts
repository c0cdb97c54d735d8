/** Column type → GraphQL scalar (output/input) and scalar filter input. */
import type { ScalarKind } from '../model/column-types.js';

export function scalarOf(kind: ScalarKind): string {
  switch (kind) {
    case 'text':
    case 'varchar':
      return 'String';
    case 'integer':
      return 'Int';
    case 'bigint':
      return 'BigInt';
    case 'numeric':
      return 'Decimal';
    case 'float':
      return 'Float';
    case 'boolean':
      return 'Boolean';
    case 'uuid':
      return 'UUID';
    case 'timestamptz':
      return 'DateTime';
    case 'date':
      return 'Date';
    case 'jsonb':
      return 'JSON';
    case 'text[]':
      return 'String';
    case 'integer[]':
      return 'Int';
    case 'vector':
      return 'Float';
    case 'enum':
      return 'String';
  }
}

/** Filter input for a column type; undefined = not filterable (vectors). Enums get their own. */
export function filterOf(kind: ScalarKind): string | undefined {
  switch (kind) {
    case 'text':
    case 'varchar':
      return 'StringFilter';
    case 'integer':
      return 'IntFilter';
    case 'bigint':
      return 'BigIntFilter';
    case 'numeric':
      return 'DecimalFilter';
    case 'float':
      return 'FloatFilter';
    case 'boolean':
      return 'BooleanFilter';
    case 'uuid':
      return 'UUIDFilter';
    case 'timestamptz':
      return 'DateTimeFilter';
    case 'date':
      return 'DateFilter';
    case 'jsonb':
      return 'JSONFilter';
    case 'text[]':
      return 'StringArrayFilter';
    case 'integer[]':
      return 'IntArrayFilter';
    default:
      return undefined;
  }
}

export const isListKind = (kind: ScalarKind) => kind === 'text[]' || kind === 'integer[]' || kind === 'vector';
