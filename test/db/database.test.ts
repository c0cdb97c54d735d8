import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { ident, sql } from '../../src/lib/sql.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('database layer on %s', (engine) => {
  let tdb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    db = await tdb.open();
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('binds every interpolated value as a parameter', async () => {
    const evil = "x'); DROP TABLE t; --";
    const [row] = await db.query<{ v: string }>(sql`SELECT ${evil}::text AS v`);
    expect(row?.v).toBe(evil);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.exec(sql`CREATE TABLE ${ident('tx_probe')} (n int)`);
    await db.transaction(async (tx) => {
      await tx.query(sql`INSERT INTO tx_probe VALUES (${1})`);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(sql`INSERT INTO tx_probe VALUES (${2})`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await db.query<{ n: number }>(sql`SELECT n FROM tx_probe ORDER BY n`);
    expect(rows.map((r) => Number(r.n))).toEqual([1]);
  });

  it('delivers NOTIFY payloads to listeners until they unlisten', async () => {
    const got: string[] = [];
    const stop = await db.listen('koya_probe', (p) => got.push(p));
    await db.notify('koya_probe', 'one');
    const deadline = Date.now() + 5000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['one']);
    await stop();
    await db.notify('koya_probe', 'two');
    // a round trip after the notify: anything still to arrive would have arrived by now
    await db.query(sql`SELECT 1`);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['one']);
  });

  it('refuses invalid identifiers before they reach SQL', () => {
    expect(() => ident('posts"; DROP TABLE x; --')).toThrow(/invalid identifier/);
  });
});
