/**
 * graphql-codegen: each project's SDL and TypeScript types, for client code.
 *
 *   KOYALITE_URL=http://localhost:4000 KOYALITE_TOKEN=<admin token> KOYALITE_PROJECTS=shop,blog npm run codegen
 *   → generated/<slug>/schema.graphql and generated/<slug>/types.ts   (KOYALITE_CODEGEN_OUT changes the folder)
 *
 * The schema is read by introspection from the running server, exactly as clients see it.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const url = process.env.KOYALITE_URL ?? 'http://localhost:4000';
const token = process.env.KOYALITE_TOKEN;
const out = process.env.KOYALITE_CODEGEN_OUT ?? 'generated';
const projects = (process.env.KOYALITE_PROJECTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const generates: CodegenConfig['generates'] = {};
for (const slug of projects) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const schema = [{ [`${url}/projects/${slug}/graphql`]: { headers } }];
  generates[`${out}/${slug}/schema.graphql`] = { schema, plugins: ['schema-ast'] };
  generates[`${out}/${slug}/types.ts`] = {
    schema,
    plugins: ['typescript'],
    config: {
      scalars: { UUID: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown', BigInt: 'string', Decimal: 'string' },
      enumsAsTypes: true,
    },
  };
}

const config: CodegenConfig = { overwrite: true, generates, ignoreNoDocuments: true };
export default config;
