/**
 * Which document a project request runs, given its `query` and `extensions`:
 *   - `extensions.persistedQuery.sha256Hash` (Apollo's persisted queries, version 1) names a
 *     registered operation; with a query too, the query must have that hash. An unknown hash is
 *     BAD_USER_INPUT "PersistedQueryNotFound" (what Apollo clients look for);
 *   - with the project's operationAllowList, callers other than admin and service may run only
 *     registered operations: any other text is FORBIDDEN before it is parsed.
 * Both paths (fast path and yoga) ask this one function, so they accept and refuse alike.
 */
import { badInput, forbidden } from '../lib/errors.js';
import { operationHash } from '../lib/operation-hash.js';
import type { ProjectModel } from '../model/project-model.js';

const hashes = new WeakMap<ProjectModel, Map<string, string>>();

/** sha256 of a query text, remembered per model for texts seen before (at most 1000). */
function sha256(model: ProjectModel, query: string): string {
  let seen = hashes.get(model);
  if (!seen) hashes.set(model, (seen = new Map()));
  let h = seen.get(query);
  if (h === undefined) {
    h = operationHash(query);
    if (seen.size >= 1000) seen.delete(seen.keys().next().value!);
    seen.set(query, h);
  }
  return h;
}

function persistedHash(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const pq = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof pq !== 'object' || pq === null) return undefined;
  const { version, sha256Hash } = pq as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string') throw badInput('extensions.persistedQuery needs version 1 and a sha256Hash', { field: 'extensions.persistedQuery' });
  return sha256Hash.toLowerCase();
}

/** The query text to run; undefined when the request has none (the server reports that). */
export function operationText(model: ProjectModel, query: unknown, extensions: unknown, bypass: boolean): string | undefined {
  const ops = model.operations;
  const hash = persistedHash(extensions);
  if (hash !== undefined) {
    const op = ops.byHash.get(hash);
    if (typeof query === 'string' && query !== '' && sha256(model, query) !== hash) throw badInput('the query does not have the given sha256Hash', { field: 'extensions.persistedQuery' });
    if (!op) {
      // not registered: run the text that came with it, where the project allows arbitrary operations
      if (typeof query === 'string' && query !== '' && (!ops.allowListOnly || bypass)) return query;
      throw badInput('PersistedQueryNotFound', { field: 'extensions.persistedQuery' });
    }
    return op.query;
  }
  if (typeof query !== 'string') return undefined;
  if (ops.allowListOnly && !bypass && !ops.byHash.has(sha256(model, query))) {
    throw forbidden('this project runs only registered operations; register this one, or send its sha256Hash');
  }
  return query;
}
