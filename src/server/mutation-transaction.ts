/**
 * Envelop plugin ending a request's mutation transaction once the operation is executed:
 * committed when every field succeeded; rolled back otherwise, and then no data is returned
 * (nothing of it persisted). A failed commit becomes an error of the request.
 */
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ProjectContext } from '../graphql/project-context.js';
import { endRequestTransaction, markSingleWrite } from '../graphql/request-transaction.js';

/** A mutation with exactly one field is one atomic statement: it needs no BEGIN/COMMIT frame. */
function markIfSingleMutation(args: { document: DocumentNode; operationName?: string | null; contextValue?: unknown }): void {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  if (operation?.operation !== 'mutation') return;
  const fields = operation.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'));
  if (fields.length === 1 && fields[0]!.kind === Kind.FIELD) markSingleWrite(args.contextValue as ProjectContext);
}

export const useMutationTransaction = {
  onExecute({ args }: { args: { document: DocumentNode; operationName?: string | null; contextValue: unknown } }) {
    markIfSingleMutation(args);
    return {
      async onExecuteDone({ args, result, setResult }: { args: { contextValue: unknown }; result: unknown; setResult: (r: ExecutionResult) => void }) {
        const ctx = args.contextValue as ProjectContext;
        const r = result as ExecutionResult;
        const ok = !(r.errors && r.errors.length > 0);
        let wrote: boolean;
        try {
          wrote = await endRequestTransaction(ctx, ok);
        } catch (err) {
          setResult({ data: null, errors: [new GraphQLError('the transaction could not be committed', { originalError: err as Error })] });
          return;
        }
        if (!ok && wrote) setResult({ ...r, data: null });
      },
    };
  },
};

/**
 * The same for an execution outside yoga (graphql-ws): mark a one-field mutation, execute, then
 * commit or roll back the request's transaction.
 */
export async function executeWithRequestTransaction(args: ExecutionArgs, run: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult): Promise<ExecutionResult> {
  const ctx = args.contextValue as ProjectContext;
  markIfSingleMutation(args);
  let result: ExecutionResult;
  try {
    result = await run(args);
  } catch (err) {
    await endRequestTransaction(ctx, false).catch(() => {});
    throw err;
  }
  const ok = !(result.errors && result.errors.length > 0);
  try {
    const wrote = await endRequestTransaction(ctx, ok);
    return !ok && wrote ? { ...result, data: null } : result;
  } catch (err) {
    return { data: null, errors: [new GraphQLError('the transaction could not be committed', { originalError: err as Error })] };
  }
}
