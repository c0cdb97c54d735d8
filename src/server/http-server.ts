/**
 * node:http front door: routes, readiness, request ids, body-size cap and graceful close.
 *
 *   GET /healthz          200 while the process runs
 *   GET /readyz           200 once migrations ran and endpoints are mounted, else 503
 *   /admin/graphql        control plane (yoga)
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Logger } from 'pino';

export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface Routes {
  /** exact path → handler */
  graphql: Map<string, NodeHandler>;
  /** paths with parameters (project endpoints): a handler, or undefined for 404 */
  resolve?: (path: string) => Promise<NodeHandler | undefined>;
}

export interface HttpServer {
  server: http.Server;
  routes: Routes;
  setReady(ready: boolean): void;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes sockets. */
  close(graceMs?: number): Promise<void>;
}

export const MAX_BODY_BYTES = 1024 * 1024;

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function createHttpServer(log: Logger): HttpServer {
  let ready = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const routes: Routes = { graphql: new Map() };

  const server = http.createServer(async (req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'starting' });
      if (!ready) return sendJson(res, 503, { errors: [{ message: 'starting', extensions: { code: 'INTERNAL' } }] }, { 'retry-after': '1' });
      const handler = routes.graphql.get(path) ?? (await routes.resolve?.(path));
      if (!handler) return sendJson(res, 404, { errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_BODY_BYTES) {
        return sendJson(res, 413, { errors: [{ message: `request body over ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] }, { connection: 'close' });
      }
      await handler(req, res);
    } catch (err) {
      log.error({ err, requestId }, 'unhandled request error');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL' } }] });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5000;

  return {
    server,
    routes,
    setReady(value) {
      ready = value;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async close(graceMs = 10_000) {
      ready = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
