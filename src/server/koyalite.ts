/**
 * Composition root: config → database → migrations → meta client → bootstrap admin → endpoints.
 * The HTTP server listens first (so /healthz answers during start-up) and reports ready once
 * migrations ran and the endpoints are mounted.
 */
import type { Logger } from 'pino';
import type { AdminDeps } from '../admin/admin-context.js';
import { projectIdentity } from '../admin/project-identity.js';
import { ensureBootstrapAdmin } from '../admin/users-service.js';
import { AUTH_CHANNEL, PrincipalCache } from '../auth/principal-cache.js';
import { TokenService } from '../auth/tokens.js';
import { ColumnCipher } from '../lib/column-cipher.js';
import { TokenBuckets } from '../lib/token-bucket.js';
import type { Config } from '../config/config.js';
import { resolveSecrets } from '../config/secrets.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { createMetaClient, type MetaClient } from '../meta/meta-client.js';
import { METADATA_CHANNEL } from '../admin/metadata-change.js';
import { SchemaRegistry } from '../graphql/schema-registry.js';
import { snapshotSource } from '../meta/snapshot-loader.js';
import { ADMIN_PATH, createAdminEndpoint } from './admin-endpoint.js';
import { createFastHandler } from './fast-handler.js';
import { createProjectEndpoint, PROJECT_PATH } from './project-endpoint.js';
import { createHttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import { attachRealtime } from './realtime-endpoint.js';
import { ChangeFeed } from '../realtime/change-feed.js';
import { WebhookDelivery } from '../workers/webhook-delivery.js';

export interface KoyaLite {
  port: number;
  url: string;
  db: Database;
  meta: MetaClient;
  close(): Promise<void>;
}

export async function startKoyaLite(config: Config, log: Logger = createLogger(config.logLevel)): Promise<KoyaLite> {
  const secrets = resolveSecrets(config);
  const http = createHttpServer(log);
  const port = await http.listen(config.port, config.host);
  let db: Database | undefined;
  let meta: MetaClient | undefined;
  let stopListening: (() => Promise<void>) | undefined;
  let stopAuthListening: (() => Promise<void>) | undefined;
  let feed: ChangeFeed | undefined;
  let realtime: { close(): Promise<void> } | undefined;
  let webhooks: WebhookDelivery | undefined;
  try {
    db = await openDatabase(config);
    const result = await migrate(db);
    if (result.applied.length > 0) log.info({ applied: result.applied }, 'meta schema migrated');
    meta = createMetaClient(db);
    if (config.adminEmail && config.adminPassword) {
      if (await ensureBootstrapAdmin(meta, config.adminEmail, config.adminPassword)) {
        log.info({ email: config.adminEmail }, 'bootstrap admin created');
      }
    }
    const principals = new PrincipalCache();
    const deps: AdminDeps = { db, meta, log, principals, cipher: new ColumnCipher(secrets.encryptionKey), tokens: new TokenService(secrets.jwtSecret, config.tokenTtlSeconds) };
    stopAuthListening = await db.listen(AUTH_CHANNEL, () => principals.clear());
    const admin = createAdminEndpoint(deps);
    http.routes.graphql.set(ADMIN_PATH, admin);
    const registry = new SchemaRegistry(snapshotSource(meta), log);
    deps.metadataChanged = (projectId) => registry.invalidate(projectId);
    stopListening = await db.listen(METADATA_CHANNEL, (projectId) => {
      registry.invalidate(projectId).catch((err) => log.error({ err, projectId }, 'schema rebuild failed'));
    });
    const projects = createProjectEndpoint(deps);
    const identity = projectIdentity(meta, deps.tokens, () => principals.clear());
    const buckets = new TokenBuckets();
    http.routes.resolve = async (path) => {
      const slug = PROJECT_PATH.exec(path)?.[1];
      const entry = slug === undefined ? undefined : await registry.get(slug);
      return entry ? createFastHandler(deps, identity, projects, entry, buckets) : undefined;
    };
    feed = new ChangeFeed(db, log);
    await feed.start();
    realtime = attachRealtime(http.server, deps, identity, registry, feed, buckets);
    webhooks = new WebhookDelivery(db, deps.cipher, log);
    await webhooks.start();
    http.setReady(true);
  } catch (err) {
    await webhooks?.stop().catch(() => {});
    await realtime?.close().catch(() => {});
    await feed?.stop().catch(() => {});
    await http.close(0);
    await meta?.$disconnect().catch(() => {});
    await db?.close().catch(() => {});
    throw err;
  }
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  log.info({ port, engine: db.engine }, 'KoyaLite ready');
  let closing: Promise<void> | undefined;
  const finalDb = db;
  const finalMeta = meta;
  return {
    port,
    url: `http://${host}:${port}`,
    db: finalDb,
    meta: finalMeta,
    close() {
      closing ??= (async () => {
        await realtime?.close().catch(() => {});
        await http.close();
        await webhooks?.stop().catch(() => {});
        await feed?.stop().catch(() => {});
        await stopListening?.().catch(() => {});
        await stopAuthListening?.().catch(() => {});
        await finalMeta.$disconnect().catch(() => {});
        await finalDb.close();
        log.info('KoyaLite stopped');
      })();
      return closing;
    },
  };
}
