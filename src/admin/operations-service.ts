/**
 * Persisted operations of a project: registered documents addressed by the sha256 of their exact
 * text. Registering checks the text is one parseable GraphQL document; the project's schema is
 * rebuilt (a metadata change) so every instance knows the new hash at once.
 */
import { parse } from 'graphql';
import { badInput, conflict, notFound } from '../lib/errors.js';
import { operationHash } from '../lib/operation-hash.js';
import { isUniqueViolation } from '../meta/prisma-errors.js';
import type { AdminContext } from './admin-context.js';
import { commitMetadataChange, metadataTransaction } from './metadata-change.js';
import { projectForChange } from './tables-service.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_QUERY_LENGTH = 100_000;

export async function registerOperation(ctx: AdminContext, input: { projectSlug: string; name: string; query: string }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  if (!NAME.test(input.name)) throw badInput('name must be a GraphQL-style name (letters, digits, _; at most 64)', { field: 'name' });
  if (input.query.length > MAX_QUERY_LENGTH) throw badInput(`query is over ${MAX_QUERY_LENGTH} characters`, { field: 'query' });
  try {
    parse(input.query);
  } catch (err) {
    throw badInput(`query is not a GraphQL document: ${(err as Error).message.slice(0, 200)}`, { field: 'query' });
  }
  const sha256 = operationHash(input.query);
  try {
    return await metadataTransaction(ctx, project.id, async (tx) => {
      const same = await tx.persistedOperation.findFirst({ where: { projectId: project.id, OR: [{ name: input.name }, { sha256 }] }, select: { name: true, sha256: true } });
      if (same?.name === input.name) throw conflict(`operation ${input.name} is already registered in ${project.slug}`, { fields: ['name'] });
      if (same) throw conflict(`this query is already registered in ${project.slug} as ${same.name}`, { fields: ['query'] });
      const op = await tx.persistedOperation.create({ data: { projectId: project.id, name: input.name, sha256, query: input.query } });
      await commitMetadataChange(tx, project.id, principal, { action: 'operation.register', targetType: 'PersistedOperation', targetId: op.id, metadata: { name: op.name, sha256 } });
      return op;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`operation ${input.name} or its query is already registered in ${project.slug}`, { fields: ['name'] });
    throw err;
  }
}

export async function deleteOperation(ctx: AdminContext, input: { projectSlug: string; name: string }) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const current = await ctx.meta.persistedOperation.findUnique({ where: { projectId_name: { projectId: project.id, name: input.name } } });
  if (!current) throw notFound(`operation ${input.name.slice(0, 64)} not found in ${project.slug}`);
  return metadataTransaction(ctx, project.id, async (tx) => {
    await tx.persistedOperation.delete({ where: { id: current.id } });
    await commitMetadataChange(tx, project.id, principal, { action: 'operation.delete', targetType: 'PersistedOperation', targetId: current.id, metadata: { name: current.name } });
    return current;
  });
}
