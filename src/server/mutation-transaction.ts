/**
 * Envelop plugin ending a request's mutation transaction once the operation is executed:
 * committed when every field succeeded; rolled back otherwise, and then no data is returned
 * (nothing of it persisted). A failed commit becomes an error of the request.
 */
import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql';
import type { ProjectContext } from '../graphql/project-context.js';
import { endRequestTransaction } from '../graphql/request-transaction.js';

export const useMutationTransaction = {
  onExecute() {
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
