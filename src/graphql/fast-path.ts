/**
 * The hot path of a project endpoint: compile once, run many; Postgres builds the response.
 *
 * prepareDocument() parses and validates a document once per (schema instance, text, operation
 * name) and keeps the result; compileFastRequest() then coerces the variables, plans every root
 * field and compiles the whole operation into one statement whose single text column is the
 * `data` object; a request with a single mutation field is likewise one atomic statement.
 * Anything it does not handle — several mutation fields, subscriptions, introspection, invalid
 * documents or variables, input errors — returns undefined and the request goes through yoga and
 * graphql-js, which give the exact errors. So the fast path never invents an error of its own.
 */
import {
  getArgumentValues,
  GraphQLError,
  getVariableValues,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { KoyaError } from '../lib/errors.js';
import type { Sql } from '../lib/sql.js';
import { compileMutationBody } from '../sql/mutation-compiler.js';
import { compileOperation, type OperationField } from '../sql/root-compiler.js';
import { planMutation } from './mutation-resolver.js';
import { collectFields } from './collect-fields.js';
import type { SchemaPlans } from './field-plans.js';
import { DEFAULT_LIMITS, limitRules, type OperationLimits } from './operation-limits.js';
import { planRootField } from './planner.js';
import type { ProjectContext } from './project-context.js';
import { selectsEncrypted } from './selects-encrypted.js';

export interface PreparedDocument {
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
}

const MAX_DOCUMENTS_PER_SCHEMA = 1000;
const MAX_QUERY_LENGTH = 100_000;
const documents = new WeakMap<GraphQLSchema, Map<string, PreparedDocument | null>>();

/** Parsed and validated once; null when the fast path must not take it. */
export function prepareDocument(schema: GraphQLSchema, query: string, operationName: string | undefined, limits: OperationLimits = DEFAULT_LIMITS): PreparedDocument | null {
  let cache = documents.get(schema);
  if (!cache) {
    cache = new Map();
    documents.set(schema, cache);
  }
  const key = `${operationName ?? ''}\u0000${query}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    // refresh recency (Map keeps insertion order: the oldest entry is evicted first)
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const prepared = query.length <= MAX_QUERY_LENGTH ? prepareUncached(schema, query, operationName, limits) : null;
  if (cache.size >= MAX_DOCUMENTS_PER_SCHEMA) cache.delete(cache.keys().next().value!);
  cache.set(key, prepared);
  return prepared;
}

function prepareUncached(schema: GraphQLSchema, query: string, operationName: string | undefined, limits: OperationLimits): PreparedDocument | null {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: DEFAULT_LIMITS.maxTokens });
  } catch {
    return null;
  }
  if (validate(schema, document, [...specifiedRules, ...limitRules(limits)]).length > 0) return null;
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation === 'subscription') return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { operation, fragments };
}

export interface FastStatement {
  statement: Sql;
  /** a write: its failure is only retried through the regular path when the database refused it */
  write: boolean;
}

/** The statement answering the request, or undefined to let yoga handle it. */
export function compileFastRequest(
  schema: GraphQLSchema,
  plans: SchemaPlans,
  prepared: PreparedDocument,
  inputs: Record<string, unknown> | undefined,
  actor: Pick<ProjectContext, 'userId' | 'role' | 'cipher'>,
): FastStatement | undefined {
  const coerced = getVariableValues(schema, prepared.operation.variableDefinitions ?? [], inputs ?? {});
  if (coerced.errors) return undefined;
  const variables = coerced.coerced;
  if (prepared.operation.operation === 'mutation') return compileFastMutation(schema, plans, prepared, variables, actor);
  const queryType = schema.getQueryType()!;
  const queryFields = queryType.getFields();
  const fields: OperationField[] = [];
  try {
    for (const [key, nodes] of collectFields({ fragments: prepared.fragments, variables }, [prepared.operation.selectionSet])) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        fields.push({ key, constant: queryType.name });
        continue;
      }
      const root = plans.roots.get(name);
      if (!root) return undefined;
      const args = getArgumentValues(queryFields[name]!, nodes[0]!, variables);
      const op = planRootField(plans, root, { schema, fragments: prepared.fragments, variables }, nodes, args);
      // encrypted values are decrypted in Node: such requests take the regular path
      if (selectsEncrypted(op)) return undefined;
      fields.push({ key, op });
    }
  } catch (err) {
    // input errors are reported by the regular path, with graphql-js's exact shape
    if (err instanceof KoyaError || err instanceof GraphQLError) return undefined;
    throw err;
  }
  if (fields.length === 0) return undefined;
  return { statement: compileOperation(plans.model.schemaName, fields), write: false };
}

/** A request with exactly one mutation field: one atomic statement, no transaction frame needed. */
function compileFastMutation(
  schema: GraphQLSchema,
  plans: SchemaPlans,
  prepared: PreparedDocument,
  variables: Record<string, unknown>,
  actor: Pick<ProjectContext, 'userId' | 'role' | 'cipher'>,
): FastStatement | undefined {
  const fields = [...collectFields({ fragments: prepared.fragments, variables }, [prepared.operation.selectionSet])];
  if (fields.length !== 1) return undefined;
  const [key, nodes] = fields[0]!;
  const plan = plans.mutations.get(nodes[0]!.name.value);
  if (!plan) return undefined;
  const def = schema.getMutationType()!.getFields()[nodes[0]!.name.value]!;
  try {
    const args = getArgumentValues(def, nodes[0]!, variables);
    const op = planMutation(plans, plan, actor, { schema, fragments: prepared.fragments, variables }, nodes, args);
    // nested inserts read their rows back with a second statement: the regular path does that
    if (selectsEncrypted(op) || (op.kind === 'insert' && op.nested.length > 0)) return undefined;
    return { statement: compileMutationBody(plans.model.schemaName, op, key), write: true };
  } catch (err) {
    if (err instanceof KoyaError || err instanceof GraphQLError) return undefined;
    throw err;
  }
}
