/**
 * Every database-touching test runs against both engines: PGlite (in memory) and a real
 * PostgreSQL server (a fresh database per call, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database, Engine } from '../../src/db/database.js';
import { openPglite } from '../../src/db/pglite-database.js';
import { openPostgres } from '../../src/db/pg-database.js';

export const ENGINES: Engine[] = ['pglite', 'postgres'];

export interface TestDatabase {
  engine: Engine;
  /** set for postgres: the URL of the fresh database */
  url: string | undefined;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  return inject('pgUrl');
}

/** A fresh, empty database on the engine. For pglite, `open` gives a new in-memory instance. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    return { engine, url: undefined, open: () => openPglite(undefined), drop: async () => {} };
  }
  const name = `koya_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    engine,
    url: url.toString(),
    open: () => openPostgres(url.toString(), 5),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
