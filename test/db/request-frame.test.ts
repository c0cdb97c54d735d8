/**
 * withFrame on both engines: statements run as koyalite_user with the request's claims, RLS
 * policies see them, and under concurrency no request ever runs with another request's role or
 * claims — framed or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { sql } from '../../src/lib/sql.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/engines.js';

const user = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(ENGINES)('request frames on %s', (engine) => {
  let tdb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    db = await tdb.open();
    await migrate(db);
    await db.exec(sql`
      CREATE SCHEMA frame_probe;
      GRANT USAGE ON SCHEMA frame_probe TO koyalite_user;
      CREATE TABLE frame_probe.notes (id serial PRIMARY KEY, owner uuid NOT NULL, body text);
      GRANT SELECT, INSERT ON frame_probe.notes TO koyalite_user;
      GRANT USAGE ON SEQUENCE frame_probe.notes_id_seq TO koyalite_user;
      ALTER TABLE frame_probe.notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY owner_only ON frame_probe.notes AS PERMISSIVE FOR ALL TO koyalite_user
        USING (owner = koyalite.try_uuid(koyalite.auth_uid())) WITH CHECK (owner = koyalite.try_uuid(koyalite.auth_uid()));
    `);
    for (let n = 1; n <= 4; n++) {
      for (let k = 0; k < 3; k++) await db.query(sql`INSERT INTO frame_probe.notes (owner, body) VALUES (${user(n)}, ${`note ${n}.${k}`})`);
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const claims = (n: number) => JSON.stringify({ sub: user(n), role: 'authenticated' });

  it('lets row-level security see the claims: each user reads and writes only their rows', async () => {
    const rows = await db.withFrame({ claims: claims(2) }, (q) => q.query<{ owner: string }>(sql`SELECT owner FROM frame_probe.notes`));
    expect(rows.map((r) => r.owner)).toEqual([user(2), user(2), user(2)]);
    await expect(db.withFrame({ claims: claims(2) }, (q) => q.query(sql`INSERT INTO frame_probe.notes (owner, body) VALUES (${user(3)}, 'forged')`))).rejects.toThrow();
    const all = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM frame_probe.notes`);
    expect(Number(all[0]!.n)).toBe(12);
  });

  it('sees nothing with a sub that is no uuid, and without claims', async () => {
    const bad = await db.withFrame({ claims: JSON.stringify({ sub: "x' OR '1'='1" }) }, (q) => q.query(sql`SELECT * FROM frame_probe.notes`));
    expect(bad).toEqual([]);
    const none = await db.withFrame({ claims: '{}' }, (q) => q.query(sql`SELECT * FROM frame_probe.notes`));
    expect(none).toEqual([]);
  });

  it('never leaks a role or claims between concurrent requests', async () => {
    const work = Array.from({ length: 120 }, async (_, i) => {
      const n = (i % 4) + 1;
      if (i % 3 === 0) {
        // an unframed (owner) request: must run as the owner, with no claims
        const [r] = await db.query<{ who: string; uid: string | null; n: number }>(sql`SELECT current_user AS who, koyalite.auth_uid() AS uid, (SELECT count(*)::int FROM frame_probe.notes) AS n`);
        return r!.who !== 'koyalite_user' && r!.uid === null && Number(r!.n) >= 12;
      }
      return db.withFrame({ claims: claims(n) }, async (q) => {
        const [r] = await q.query<{ who: string; uid: string; owners: string[] }>(
          sql`SELECT current_user AS who, koyalite.auth_uid() AS uid, (SELECT array_agg(DISTINCT owner::text) FROM frame_probe.notes) AS owners`,
        );
        return r!.who === 'koyalite_user' && r!.uid === user(n) && r!.owners.length === 1 && r!.owners[0] === user(n);
      });
    });
    const results = await Promise.all(work);
    expect(results.every(Boolean)).toBe(true);
  });
});
