/**
 * The single gate between internal errors and clients (used as yoga's maskError):
 * - KoyaError → its code, and its message only when exposed;
 * - GraphQL parse / validation / variable-coercion errors → BAD_USER_INPUT with graphql-js's message;
 * - anything else (driver errors, bugs) → INTERNAL "Internal server error", logged with a stack.
 * No SQL, stack, value or secret of an unexpected error reaches a client.
 */
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { KoyaError } from '../lib/errors.js';

export function createMaskError(log: Logger) {
  return function maskError(error: unknown): Error {
    const gqlError = error instanceof GraphQLError ? error : undefined;
    const original = unwrap(error);
    const location = gqlError ? { nodes: gqlError.nodes, source: gqlError.source, positions: gqlError.positions, path: gqlError.path } : {};
    if (original instanceof KoyaError) {
      const message = original.expose ? original.message : 'Internal server error';
      if (!original.expose) log.error({ err: original }, 'unexposed error');
      return new GraphQLError(message, {
        ...location,
        extensions: { code: original.code, ...(original.expose && original.details ? original.details : {}), ...httpStatus(original.code) },
      });
    }
    if (gqlError && original instanceof GraphQLError) {
      // produced by graphql-js / yoga itself: syntax, validation, coercion, or our own coded errors
      const given = (gqlError.extensions?.code ?? original.extensions?.code) as string | undefined;
      const code = given === undefined || GRAPHQL_REQUEST_ERRORS.has(given) ? 'BAD_USER_INPUT' : given;
      return new GraphQLError(gqlError.message, { ...location, extensions: { ...gqlError.extensions, code } });
    }
    log.error({ err: original }, 'internal error');
    return new GraphQLError('Internal server error', { ...location, extensions: { code: 'INTERNAL' } });
  };
}

/** graphql-js / yoga codes for a request that is not valid GraphQL: all BAD_USER_INPUT to clients. */
const GRAPHQL_REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST']);

function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * Validation errors skip maskError in yoga; this envelop plugin gives them the same code.
 */
export const useBadUserInputValidation = {
  onValidate() {
    return ({ result, setResult }: { result: readonly GraphQLError[]; setResult: (errors: GraphQLError[]) => void }) => {
      if (result.length === 0) return;
      setResult(result.map((e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } })));
    };
  },
};

function httpStatus(code: string): Record<string, unknown> {
  // only RATE_LIMITED changes the HTTP status; other errors follow the GraphQL-over-HTTP defaults
  return code === 'RATE_LIMITED' ? { http: { status: 429 } } : {};
}
