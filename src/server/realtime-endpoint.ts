/**
 * graphql-ws on /projects/{slug}/graphql: the same port and path as HTTP, upgraded to a
 * websocket. The caller is authenticated once per connection, from `connectionParams`
 * (`{ authorization: "Bearer …" }`) or the upgrade request's Authorization header, exactly as
 * the HTTP endpoint does it (a bad token closes the connection: 4403); every subscribe then gets
 * the schema of the caller's role view of the project's current version, the same limits,
 * persisted-operation and production rules, and a request context whose statements run in the
 * caller's frame. Errors pass through the same mask as HTTP responses.
 */
import type http from 'node:http';
import { execute, GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, subscribe, validate, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AdminDeps } from '../admin/admin-context.js';
import type { ProjectPrincipal } from '../auth/project-authenticator.js';
import type { ChangeSource } from '../graphql/change-source.js';
import type { ProjectIdentity } from '../graphql/identity-schema.js';
import { limitRules, projectLimits } from '../graphql/operation-limits.js';
import { operationText } from '../graphql/persisted-operations.js';
import type { ProjectContext } from '../graphql/project-context.js';
import { viewFor, type ProjectSchema, type SchemaRegistry } from '../graphql/schema-registry.js';
import { KoyaError } from '../lib/errors.js';
import { MAX_BODY_BYTES } from './http-server.js';
import type { TokenBuckets } from '../lib/token-bucket.js';
import { createMaskError } from './mask-error.js';
import { takeRateLimit } from './rate-limit.js';
import { executeWithRequestTransaction } from './mutation-transaction.js';
import { authenticateCaller, callerContext } from './project-caller.js';
import { slugOf } from './project-endpoint.js';

type Extra = {
  request: http.IncomingMessage;
  socket: WebSocket;
  koya?: { slug: string; authorization: string | undefined; expiry?: NodeJS.Timeout };
};

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A principal's grants, order-free, for comparing two authentications of one caller. */
const grantKey = (p: ProjectPrincipal) => p.grants.map((g) => `${g.action} ${g.resource}`).sort().join('\n');

/** When the bearer token stops being valid (epoch ms), if it says. */
function expiresAt(authorization: string | undefined): number | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

type Result = ExecutionResult | AsyncIterable<ExecutionResult>;

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

export function attachRealtime(server: http.Server, deps: AdminDeps, identity: ProjectIdentity, registry: SchemaRegistry, changes: ChangeSource, buckets: TokenBuckets): { close(): Promise<void> } {
  const mask = createMaskError(deps.log);
  const masked = (r: ExecutionResult): ExecutionResult => (r.errors ? { ...r, errors: r.errors.map((e) => mask(e) as GraphQLError) } : r);
  const maskAll = async (result: Result | Promise<Result>): Promise<Result> => {
    const r = await result;
    if (!isAsyncIterable(r)) return masked(r);
    const iterator = r[Symbol.asyncIterator]();
    // an async generator's shape (next, return, throw): graphql-ws calls return() on complete
    // and on close only for such objects, which is what ends the stream and its listener
    const wrapped: AsyncGenerator<ExecutionResult> = {
      next: async () => {
        const step = await iterator.next();
        return step.done ? step : { done: false, value: masked(step.value) };
      },
      return: async () => (iterator.return ? iterator.return() : { done: true, value: undefined }),
      throw: async (err?: unknown) => (iterator.throw ? iterator.throw(err) : Promise.reject(err)),
      [Symbol.asyncIterator]: () => wrapped,
    };
    return wrapped;
  };
  const badInput = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })];

  // a message may be as large as an HTTP request body (1 MB); larger closes the socket (1009)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const onUpgrade = (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    if (slugOf(req.url ?? '/') === undefined) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  const dispose = useServer<Record<string, unknown> | undefined, Extra>(
    {
      async onConnect(ctx) {
        const slug = slugOf(ctx.extra.request.url ?? '/');
        const entry = slug === undefined ? undefined : await registry.get(slug);
        if (!slug || !entry) return false;
        const params = ctx.connectionParams ?? {};
        const given = params.authorization ?? params.Authorization ?? ctx.extra.request.headers.authorization;
        const authorization = typeof given === 'string' ? given : undefined;
        try {
          await authenticateCaller(deps, entry, authorization);
          ctx.extra.koya = { slug, authorization };
          // a connection lives no longer than its token: at expiry it closes (4403), streams with it
          const until = expiresAt(authorization);
          const koya = ctx.extra.koya;
          // timers hold at most 2^31-1 ms (~24.8 days): a later expiry is approached in steps
          const arm = () => {
            if (until === undefined) return;
            const left = until - Date.now();
            koya.expiry = left <= 0 ? undefined : setTimeout(arm, Math.min(left, MAX_TIMER_MS));
            koya.expiry?.unref();
            if (left <= 0) ctx.extra.socket.close(4403, 'token expired');
          };
          arm();
          return true;
        } catch (err) {
          if (err instanceof KoyaError) return false;
          throw err;
        }
      },
      async onSubscribe(ctx, _id, payload) {
        const koya = ctx.extra.koya!;
        const entry = await registry.get(koya.slug);
        if (!entry) return badInput(`project ${koya.slug} not found`);
        // every operation over the socket counts against the project's limits, as a request would
        const limit = takeRateLimit(buckets, entry, koya.authorization ?? ctx.extra.request.socket.remoteAddress ?? 'unknown');
        if (!limit.ok) return [mask(new KoyaError('RATE_LIMITED', 'rate limit exceeded', { details: { retryAfter: limit.retryAfter } })) as GraphQLError];
        // authenticated again (from caches) at every subscribe: a changed role or revoked grant applies to the next one
        let principal: ProjectPrincipal;
        try {
          principal = await authenticateCaller(deps, entry, koya.authorization);
        } catch (err) {
          if (err instanceof KoyaError) return [mask(err) as GraphQLError];
          throw err;
        }
        const view = viewFor(entry, principal.bypass, principal.role, principal.grants);
        const model = view.plans.model;
        let query: string | undefined;
        try {
          query = operationText(model, payload.query, payload.extensions, principal.bypass);
        } catch (err) {
          if (err instanceof KoyaError) return [mask(err) as GraphQLError];
          throw err;
        }
        if (query === undefined) return badInput('the subscribe message has no query');
        let document;
        try {
          document = parse(query, { maxTokens: projectLimits(model.limits).maxTokens });
        } catch (err) {
          return badInput((err as Error).message);
        }
        const rules = [...specifiedRules, ...limitRules(projectLimits(model.limits))];
        if (!principal.bypass && model.environment === 'PRODUCTION') rules.push(NoSchemaIntrospectionCustomRule);
        let errors: readonly GraphQLError[];
        try {
          errors = validate(view.schema, document, rules);
        } catch (err) {
          // GraphQL Armor's limits throw their refusal during validation
          if (err instanceof GraphQLError) return badInput(err.message);
          throw err;
        }
        if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } }));
        const contextValue: ProjectContext = {
          ...callerContext(deps, identity, principal),
          changes,
          stillValid: async () => {
            const now = await registry.get(koya.slug);
            if (!now) return false;
            try {
              const p = await authenticateCaller(deps, now, koya.authorization);
              return p.role === principal.role && p.bypass === principal.bypass && grantKey(p) === grantKey(principal);
            } catch {
              return false;
            }
          },
        };
        return { schema: view.schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined, contextValue } satisfies ExecutionArgs;
      },
      onClose(ctx) {
        clearTimeout(ctx.extra.koya?.expiry);
      },
      // queries and mutations may come over the socket too; a mutation's transaction ends with it
      execute: (args) => maskAll(executeWithRequestTransaction(args, (a) => execute(a) as Promise<ExecutionResult> | ExecutionResult)) as never,
      subscribe: (args) => maskAll(subscribe(args)) as never,
    },
    wss,
  );

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      await dispose.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
