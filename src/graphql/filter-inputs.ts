/**
 * Shared scalar filter inputs of a project schema.
 *
 *   input StringFilter { eq neq gt gte lt lte in nin isNull like ilike startsWith endsWith contains }
 *   input IntFilter { eq neq gt gte lt lte in nin isNull }   (and Float/BigInt/Decimal/UUID/DateTime/Date)
 *   input BooleanFilter { eq neq isNull }
 *   input JSONFilter { contains hasKey isNull }
 *   input StringArrayFilter { contains overlaps isNull }   (and IntArrayFilter)
 *   enum OrderDirection { ASC DESC ASC_NULLS_FIRST ASC_NULLS_LAST DESC_NULLS_FIRST DESC_NULLS_LAST }
 */
import type { ProjectBuilder } from './project-builder.js';

export function addFilterInputs(builder: ProjectBuilder): void {
  const ordered = (name: string, scalar: string, text = false) =>
    builder.inputType(name, {
      fields: (t: any) => ({
        eq: t.field({ type: scalar }),
        neq: t.field({ type: scalar }),
        gt: t.field({ type: scalar }),
        gte: t.field({ type: scalar }),
        lt: t.field({ type: scalar }),
        lte: t.field({ type: scalar }),
        in: t.field({ type: [scalar] }),
        nin: t.field({ type: [scalar] }),
        isNull: t.boolean(),
        ...(text
          ? { like: t.string(), ilike: t.string(), startsWith: t.string(), endsWith: t.string(), contains: t.string() }
          : {}),
      }),
    });
  ordered('StringFilter', 'String', true);
  ordered('IntFilter', 'Int');
  ordered('FloatFilter', 'Float');
  ordered('BigIntFilter', 'BigInt');
  ordered('DecimalFilter', 'Decimal');
  ordered('UUIDFilter', 'UUID');
  ordered('DateTimeFilter', 'DateTime');
  ordered('DateFilter', 'Date');
  builder.inputType('BooleanFilter', { fields: (t: any) => ({ eq: t.boolean(), neq: t.boolean(), isNull: t.boolean() }) });
  builder.inputType('JSONFilter', { fields: (t: any) => ({ contains: t.field({ type: 'JSON' }), hasKey: t.string(), isNull: t.boolean() }) });
  builder.inputType('StringArrayFilter', { fields: (t: any) => ({ contains: t.stringList(), overlaps: t.stringList(), isNull: t.boolean() }) });
  builder.inputType('IntArrayFilter', { fields: (t: any) => ({ contains: t.intList(), overlaps: t.intList(), isNull: t.boolean() }) });
  builder.enumType('OrderDirection', { values: ['ASC', 'DESC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'] as const });
}
