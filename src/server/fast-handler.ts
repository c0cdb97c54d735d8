/**
 * node:http pre-handler of /projects/{slug}/graphql. A JSON POST whose operation the fast path
 * can answer runs as one statement and its JSON text is spliced into the body; everything else
 * (GET, GraphiQL, multipart, websockets, errors, introspection, mutations) goes to yoga with the
 * same buffered body. The caller, its schema view and its request context are resolved here,
 * once, and handed to yoga as server context: both paths authorize identically.
 */
import type http from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { AdminDeps } from '../admin/admin-context.js';
import { dbErrorInfo } from '../db/database.js';
import { compileFastRequest, prepareDocument } from '../graphql/fast-path.js';
import { projectLimits } from '../graphql/operation-limits.js';
import type { ProjectIdentity } from '../graphql/identity-schema.js';
import type { ProjectContext } from '../graphql/project-context.js';
import { operationText } from '../graphql/persisted-operations.js';
import { auditRead } from '../graphql/read-audit.js';
import { runStatement } from '../graphql/run-statement.js';
import { viewFor, type ProjectSchema, type SchemaView } from '../graphql/schema-registry.js';
import { KoyaError } from '../lib/errors.js';
import type { TokenBuckets } from '../lib/token-bucket.js';
import { authenticateCaller, callerContext } from './project-caller.js';
import { takeRateLimit } from './rate-limit.js';
import { MAX_BODY_BYTES, type NodeHandler } from './http-server.js';

import type { ProjectServerContext } from './project-endpoint.js';

type ProjectYoga = YogaServerInstance<ProjectServerContext, ProjectContext>;

/** yoga's own choice of media type for a successful result, or undefined to let yoga decide. */
function responseType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '' || accept.startsWith('*/*') || accept.startsWith('application/json')) return 'application/json; charset=utf-8';
  if (accept.startsWith('application/graphql-response+json')) return 'application/graphql-response+json; charset=utf-8';
  return undefined;
}

class WriteOutcomeUnknown extends Error {
  constructor(override readonly cause: unknown) {
    super('write outcome unknown');
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function viaYoga(yoga: ProjectYoga, koya: ProjectServerContext['koya'], req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: req.method, headers, body: new Uint8Array(body) });
  const response = await yoga.fetch(request, { koya });
  const out = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((v, k) => (outHeaders[k] = v));
  outHeaders['content-length'] = String(out.length);
  res.writeHead(response.status, outHeaders);
  res.end(out);
}

function rateLimited(buckets: TokenBuckets, entry: ProjectSchema, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const verdict = takeRateLimit(buckets, entry, req.headers.authorization ?? req.socket.remoteAddress ?? 'unknown');
  if (verdict.ok) return false;
  const body = JSON.stringify({ errors: [{ message: 'rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }] });
  res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(verdict.retryAfter), 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

/** The one extension the fast path understands; any other (or none inside `extensions`) goes to yoga. */
const onlyPersistedQuery = (extensions: unknown) =>
  typeof extensions === 'object' && extensions !== null && Object.keys(extensions).length === 1 && 'persistedQuery' in extensions;

function sendError(res: http.ServerResponse, err: KoyaError): void {
  const body = JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code } }] });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function createFastHandler(deps: AdminDeps, identity: ProjectIdentity, yoga: ProjectYoga, entry: ProjectSchema, buckets: TokenBuckets): NodeHandler {
  return async (req, res) => {
    if (rateLimited(buckets, entry, req, res)) return;
    let koya: ProjectServerContext['koya'];
    try {
      const principal = await authenticateCaller(deps, entry, req.headers.authorization);
      koya = { view: viewFor(entry, principal.bypass, principal.role, principal.grants), context: callerContext(deps, identity, principal) };
    } catch (err) {
      if (err instanceof KoyaError && err.expose) return sendError(res, err);
      throw err;
    }
    const type = responseType(req.headers.accept);
    if (req.method !== 'POST' || type === undefined || !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      await yoga(req, res, { koya });
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(JSON.stringify({ errors: [{ message: `request body over ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] }));
      return;
    }
    let text: string | undefined;
    try {
      text = await fastAnswer(deps, koya.view, koya.context, body);
    } catch (err) {
      if (err instanceof WriteOutcomeUnknown) throw err.cause;
      text = undefined;
    }
    if (text === undefined) return viaYoga(yoga, koya, req, res, body);
    const out = `{"data":${text}}`;
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(out) });
    res.end(out);
  };
}

async function fastAnswer(deps: AdminDeps, view: SchemaView, ctx: ProjectContext, body: Buffer): Promise<string | undefined> {
  const request = JSON.parse(body.toString('utf8')) as { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown };
  // extensions other than a persisted query, and every refusal, go through yoga (which reports it)
  if (request.extensions !== undefined && !onlyPersistedQuery(request.extensions)) return undefined;
  let query: string | undefined;
  try {
    query = operationText(view.plans.model, request.query, request.extensions, ctx.frame === null);
  } catch {
    return undefined;
  }
  if (query === undefined) return undefined;
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const variables = request.variables === undefined || request.variables === null ? undefined : request.variables;
  if (variables !== undefined && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  const prepared = prepareDocument(view.schema, query, operationName, projectLimits(view.plans.model.limits));
  if (!prepared) return undefined;
  const fast = compileFastRequest(view.schema, view.plans, prepared, variables as Record<string, unknown> | undefined, ctx);
  if (!fast) return undefined;
  try {
    const rows = await runStatement<{ body: string }>(deps.db, ctx.frame, fast.statement);
    if (!fast.write) await auditRead(ctx, view.plans.model, prepared.operation.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : [])));
    return rows[0]?.body;
  } catch (err) {
    // A statement the database refused changed nothing: the regular path re-runs it and reports
    // the error exactly. Any other failure of a write (e.g. a connection lost after COMMIT)
    // must not be retried, or the write could happen twice.
    if (!fast.write || dbErrorInfo(err) !== undefined) return undefined;
    throw new WriteOutcomeUnknown(err);
  }
}
