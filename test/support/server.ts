/**
 * Starts a real KoyaLite (in-process, real HTTP on 127.0.0.1, random port) on one engine, with
 * a bootstrap admin, and offers a small GraphQL-over-HTTP client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import type { Engine } from '../../src/db/database.js';
import { startKoyaLite, type KoyaLite } from '../../src/server/koyalite.js';
import { createLogger } from '../../src/server/logger.js';
import { createTestDatabase, type TestDatabase } from './engines.js';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct-horse-battery';
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown }> };
  text: string;
}

export interface TestServer {
  app: KoyaLite;
  url: string;
  dataDir: string;
  gql<T = Record<string, any>>(path: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>>;
  admin<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>>;
  signInAdmin(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(engine: Engine, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-test-'));
  let tdb: TestDatabase | undefined;
  const fullEnv: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    KOYALITE_DATA_DIR: dataDir,
    KOYALITE_ADMIN_EMAIL: ADMIN_EMAIL,
    KOYALITE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  };
  if (engine === 'postgres') {
    tdb = await createTestDatabase('postgres');
    fullEnv.DATABASE_URL = tdb.url!;
    fullEnv.KOYALITE_JWT_SECRET ??= TEST_JWT_SECRET;
    fullEnv.KOYALITE_ENCRYPTION_KEY ??= 'a'.repeat(64);
  }
  const config = loadConfig(fullEnv, dataDir);
  const app = await startKoyaLite(config, createLogger(config.logLevel));
  const gql = async <T,>(p: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>> => {
    const res = await fetch(`${app.url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text };
  };
  const admin = <T,>(query: string, variables?: Record<string, unknown>, token?: string) => gql<T>('/admin/graphql', query, variables, token);
  return {
    app,
    url: app.url,
    dataDir,
    gql,
    admin,
    async signInAdmin() {
      const r = await admin<{ signIn: { token: string } }>(
        'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
        { e: ADMIN_EMAIL, p: ADMIN_PASSWORD },
      );
      if (!r.body.data?.signIn) throw new Error(`admin sign-in failed: ${r.text}`);
      return r.body.data.signIn.token;
    },
    async close() {
      await app.close();
      await tdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asserts a response carries no internals: no stack frames, SQL or driver messages. */
export function leaksInternals(text: string): boolean {
  return /\bat .+\(.+:\d+:\d+\)|node_modules|\bSELECT\b[^\"]*\bFROM\b|\bINSERT INTO\b|\bALTER TABLE\b|\bCREATE (SCHEMA|TABLE)\b|duplicate key|violates|prisma|P20\d\d|relation \\\"/i.test(text);
}

/**
 * Statements of the background workers (webhook delivery sweeps, realtime leases): tests that
 * record what a request runs leave these out, since they may run at any moment.
 */
export function isBackgroundStatement(text: string): boolean {
  return /\bkoyalite\.(webhooks|webhook_endpoints|change_listeners)\b/.test(text);
}
