/**
 * Brings the meta schema up to date from the SQL migrations committed under prisma/migrations
 * (one folder per migration, applied in name order). No network, no Prisma engine.
 *
 * - Each migration runs in its own transaction together with its bookkeeping row, so a crash
 *   mid-way leaves the database at the previous version.
 * - An advisory lock serializes concurrent starts of several instances.
 * - An applied migration whose file changed is an error: releases never edit history.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KoyaError } from '../lib/errors.js';
import { sql, trusted } from '../lib/sql.js';
import type { Database } from './database.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

/** Arbitrary constant identifying KoyaLite's migration lock among advisory locks. */
const MIGRATION_LOCK_KEY = 727_001;

export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((id) => {
      const text = readFileSync(path.join(dir, id, 'migration.sql'), 'utf8');
      return { id, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(db: Database, migrations = readMigrations()): Promise<MigrationResult> {
  // under the lock too: concurrent CREATE … IF NOT EXISTS can still collide in the catalogs
  // (duplicate key in pg_namespace / pg_type) when two instances start on a fresh database
  await db.transaction(async (tx) => {
    await tx.query(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(sql`
      CREATE SCHEMA IF NOT EXISTS koyalite;
      CREATE TABLE IF NOT EXISTS koyalite.schema_migrations (
        id text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
  });
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      const [row] = await tx.query<{ checksum: string }>(sql`SELECT checksum FROM koyalite.schema_migrations WHERE id = ${m.id}`);
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new KoyaError('INTERNAL', `migration ${m.id} was changed after it was applied`, { expose: true });
        }
        return true;
      }
      // migration files are part of the release, never user input
      await tx.exec(trusted(m.sql));
      await tx.query(sql`INSERT INTO koyalite.schema_migrations (id, checksum) VALUES (${m.id}, ${m.checksum})`);
      return false;
    });
    if (done) alreadyApplied++;
    else applied.push(m.id);
  }
  return { applied, alreadyApplied };
}
