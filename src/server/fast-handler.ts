/**
 * node:http pre-handler of /projects/{slug}/graphql. A JSON POST whose operation the fast path
 * can answer runs as one statement and its JSON text is spliced into the body; everything else
 * (GET, GraphiQL, multipart, websockets, errors, introspection, mutations) goes to yoga with the
 * same buffered body. Authentication and access checks are the same as yoga's context.
 */
import type http from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { AdminDeps } from '../admin/admin-context.js';
import { authenticateAdmin } from '../auth/admin-authenticator.js';
import { can } from '../lib/permissions.js';
import { dbErrorInfo } from '../db/database.js';
import { compileFastRequest, prepareDocument } from '../graphql/fast-path.js';
import type { ProjectContext } from '../graphql/project-context.js';
import type { ProjectSchema } from '../graphql/schema-registry.js';
import { TokenBuckets } from '../lib/token-bucket.js';
import { MAX_BODY_BYTES, type NodeHandler } from './http-server.js';

type ProjectYoga = YogaServerInstance<Record<string, unknown>, ProjectContext>;

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

async function viaYoga(yoga: ProjectYoga, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const response = await yoga.fetch(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: req.method, headers, body });
  const out = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((v, k) => (outHeaders[k] = v));
  outHeaders['content-length'] = String(out.length);
  res.writeHead(response.status, outHeaders);
  res.end(out);
}

/**
 * Rate limits of the project's settings: a token bucket for the whole project and one per caller
 * (its token, or its address when it has none). Exceeding either answers HTTP 429 with
 * Retry-After and RATE_LIMITED before any work is done.
 */
function rateLimited(buckets: TokenBuckets, entry: ProjectSchema, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const limits = entry.model.rateLimits;
  if (!limits) return false;
  const caller = req.headers.authorization ?? req.socket.remoteAddress ?? 'unknown';
  const project = buckets.take(`p\u0000${entry.slug}`, limits.requestsPerSecond, limits.burstSize);
  const user = project.ok ? buckets.take(`u\u0000${entry.slug}\u0000${caller}`, limits.requestsPerSecond, limits.burstSize) : project;
  if (project.ok && user.ok) return false;
  const body = JSON.stringify({ errors: [{ message: 'rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }] });
  res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(user.retryAfter), 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

export function createFastHandler(deps: AdminDeps, yoga: ProjectYoga, entry: ProjectSchema, buckets: TokenBuckets): NodeHandler {
  return async (req, res) => {
    if (rateLimited(buckets, entry, req, res)) return;
    const type = responseType(req.headers.accept);
    if (req.method !== 'POST' || type === undefined || !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return yoga(req, res);
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(JSON.stringify({ errors: [{ message: `request body over ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] }));
      return;
    }
    let text: string | undefined;
    try {
      text = await fastAnswer(deps, entry, req, body);
    } catch (err) {
      if (err instanceof WriteOutcomeUnknown) throw err.cause;
      text = undefined;
    }
    if (text === undefined) return viaYoga(yoga, req, res, body);
    const out = `{"data":${text}}`;
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(out) });
    res.end(out);
  };
}

async function fastAnswer(deps: AdminDeps, entry: ProjectSchema, req: http.IncomingMessage, body: Buffer): Promise<string | undefined> {
  const request = JSON.parse(body.toString('utf8')) as { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown };
  if (typeof request.query !== 'string' || request.extensions !== undefined) return undefined;
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const variables = request.variables === undefined || request.variables === null ? undefined : request.variables;
  if (variables !== undefined && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  const principal = await authenticateAdmin(deps.meta, deps.tokens, req.headers.authorization, deps.principals);
  if (!principal || !can(principal.permissions, 'SELECT', `${entry.slug}:*`)) return undefined;
  const prepared = prepareDocument(entry.schema, request.query, operationName);
  if (!prepared) return undefined;
  const fast = compileFastRequest(entry.schema, entry.plans, prepared, variables as Record<string, unknown> | undefined, { userId: principal.userId, role: principal.role, cipher: deps.cipher });
  if (!fast) return undefined;
  try {
    const rows = await deps.db.query<{ body: string }>(fast.statement);
    return rows[0]?.body;
  } catch (err) {
    // A statement the database refused changed nothing: the regular path re-runs it and reports
    // the error exactly. Any other failure of a write (e.g. a connection lost after COMMIT)
    // must not be retried, or the write could happen twice.
    if (!fast.write || dbErrorInfo(err) !== undefined) return undefined;
    throw new WriteOutcomeUnknown(err);
  }
}
