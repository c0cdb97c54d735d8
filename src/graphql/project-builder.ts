/** The Pothos builder type of a project schema (one builder per schema build). */
import SchemaBuilder from '@pothos/core';
import type { ProjectContext } from './project-context.js';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar, JSONScalar, UUIDScalar } from './scalars.js';

export type ProjectBuilder = any;

export function createProjectBuilder(): ProjectBuilder {
  const builder = new SchemaBuilder<{ Context: ProjectContext; DefaultFieldNullability: false }>({ defaultFieldNullability: false });
  builder.addScalarType('UUID' as never, UUIDScalar);
  builder.addScalarType('DateTime' as never, DateTimeScalar);
  builder.addScalarType('Date' as never, DateScalar);
  builder.addScalarType('JSON' as never, JSONScalar);
  builder.addScalarType('BigInt' as never, BigIntScalar);
  builder.addScalarType('Decimal' as never, DecimalScalar);
  return builder;
}
