/**
 * migrate() on both engines: fresh install, upgrade, edited history, a failing migration, and
 * (PostgreSQL only, where several instances can share a server) concurrent starts.
 *
 * Each test gets its own fresh database: migrations are about the state a database starts in.
 * Scenarios that need other migrations than the committed ones build a temporary migrations
 * directory (a copy of 0001_init plus test migrations) and read it with readMigrations().
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../src/db/migrate.js';
import { sql } from '../../src/lib/sql.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/engines.js';

/** A temporary migrations directory starting with a copy of the committed 0001_init. */
function tempMigrations(): { dir: string; write(id: string, text: string): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-migrations-'));
  cpSync(path.join(MIGRATIONS_DIR, '0001_init'), path.join(dir, '0001_init'), { recursive: true });
  return {
    dir,
    write(id, text) {
      mkdirSync(path.join(dir, id), { recursive: true });
      writeFileSync(path.join(dir, id, 'migration.sql'), text);
    },
  };
}

async function appliedIds(db: Database): Promise<string[]> {
  const rows = await db.query<{ id: string }>(sql`SELECT id FROM koyalite.schema_migrations ORDER BY id`);
  return rows.map((r) => r.id);
}

async function tableExists(db: Database, qualifiedName: string): Promise<boolean> {
  const [row] = await db.query<{ found: boolean }>(sql`SELECT to_regclass(${qualifiedName}) IS NOT NULL AS found`);
  return row?.found === true;
}

describe.each(ENGINES)('migrate() on %s', (engine) => {
  let tdb: TestDatabase;
  let db: Database;
  let temp: ReturnType<typeof tempMigrations> | undefined;

  beforeEach(async () => {
    tdb = await createTestDatabase(engine);
    db = await tdb.open();
  });
  afterEach(async () => {
    await db?.close();
    await tdb?.drop();
    if (temp) rmSync(temp.dir, { recursive: true, force: true });
    temp = undefined;
  });

  it('migrates a fresh database, then does nothing on the next start', async () => {
    const all = readMigrations().map((m) => m.id);
    expect(all[0]).toBe('0001_init');
    expect(await migrate(db)).toEqual({ applied: all, alreadyApplied: 0 });
    expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: all.length });
    expect(await appliedIds(db)).toEqual(all);
    // the seed rows of 0001 were inserted once, not once per run
    const roles = await db.query<{ name: string }>(sql`SELECT name FROM koyalite.roles ORDER BY name`);
    expect(roles.map((r) => r.name)).toEqual(['admin', 'anonymous', 'authenticated', 'service']);
  });

  it('upgrades a database of the previous release: only the new migration runs, data survives', async () => {
    temp = tempMigrations();
    expect(await migrate(db, readMigrations(temp.dir))).toEqual({ applied: ['0001_init'], alreadyApplied: 0 });
    await db.query(sql`INSERT INTO koyalite.roles (name) VALUES (${'editor'})`);

    // the next release ships a second migration
    temp.write('0002_add_probe', 'CREATE TABLE koyalite.probe (id integer PRIMARY KEY);\n');
    expect(await migrate(db, readMigrations(temp.dir))).toEqual({ applied: ['0002_add_probe'], alreadyApplied: 1 });

    expect(await appliedIds(db)).toEqual(['0001_init', '0002_add_probe']);
    expect(await tableExists(db, 'koyalite.probe')).toBe(true);
    const [editor] = await db.query(sql`SELECT 1 FROM koyalite.roles WHERE name = ${'editor'}`);
    expect(editor).toBeDefined();
  });

  it('refuses to start when an applied migration was edited afterwards, naming it', async () => {
    temp = tempMigrations();
    await migrate(db, readMigrations(temp.dir));
    appendFileSync(path.join(temp.dir, '0001_init', 'migration.sql'), '\n-- an innocent-looking edit\n');
    await expect(migrate(db, readMigrations(temp.dir))).rejects.toThrow(/0001_init.*changed/);
  });

  it('rolls back a failing migration completely, and applies it once fixed', async () => {
    temp = tempMigrations();
    // the first statement succeeds, the second fails: the first must not survive either
    temp.write('0002_half', 'CREATE TABLE koyalite.half (id integer);\nSELECT * FROM koyalite.no_such_table;\n');
    await expect(migrate(db, readMigrations(temp.dir))).rejects.toThrow(/no_such_table/);

    // 0001 ran in its own transaction and stays; nothing of 0002 is left, not even bookkeeping
    expect(await appliedIds(db)).toEqual(['0001_init']);
    expect(await tableExists(db, 'koyalite.half')).toBe(false);

    temp.write('0002_half', 'CREATE TABLE koyalite.half (id integer);\n');
    expect(await migrate(db, readMigrations(temp.dir))).toEqual({ applied: ['0002_half'], alreadyApplied: 1 });
    expect(await tableExists(db, 'koyalite.half')).toBe(true);
  });
});

describe('migrate() with concurrent starts on postgres', () => {
  let tdb: TestDatabase | undefined;
  const dbs: Database[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
    await tdb?.drop();
    tdb = undefined;
  });

  // a lost race shows up only some of the time, so race a few fresh databases
  it.each([1, 2, 3])('applies each migration exactly once when two instances start together (round %i)', async () => {
    tdb = await createTestDatabase('postgres');
    // two separate pools, as two KoyaLite processes sharing one server would have
    dbs.push(await tdb.open(), await tdb.open());
    const results = await Promise.all(dbs.map((db) => migrate(db)));

    // each migration was applied by exactly one instance; the other waited for the lock and found it done
    const all = readMigrations().map((m) => m.id);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(all);
    expect(results.reduce((n, r) => n + r.alreadyApplied, 0)).toBe(all.length);
    expect(await appliedIds(dbs[0]!)).toEqual(all);
    const roles = await dbs[0]!.query<{ n: string }>(sql`SELECT count(*) AS n FROM koyalite.roles`);
    expect(Number(roles[0]?.n)).toBe(4);
  });
});
