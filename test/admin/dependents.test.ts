/**
 * What depends on a column or a table, on both engines: policies that mention it (found by
 * parsing, so a word inside a string literal is no mention) refuse its drop by name and change
 * nothing; grants on a dropped column or table go with it; a dropped owner column is no longer
 * the table's owner column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('dependents of columns and tables on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const admin = async (q: string) => s.admin(q, {}, token);
  const ok = async (q: string) => {
    const r = await admin(q);
    expect(r.body.errors, q).toBeUndefined();
    return r.body.data!;
  };
  const columnsOf = async (table: string) =>
    (await s.app.db.query<{ column_name: string }>(sql`SELECT column_name FROM information_schema.columns WHERE table_schema = 'deps' AND table_name = ${table} ORDER BY column_name`)).map((r) => r.column_name);
  const grants = async () =>
    ((await ok('{ role(name: "auditor") { permissions { action resource } } }')).role.permissions as Array<{ resource: string }>).map((p) => p.resource).sort();

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await ok('mutation { createProject(input: { name: "Deps", slug: "deps" }) { slug } }');
    await ok(`mutation { createTable(input: { projectSlug: "deps", name: "teams", columns: [{ name: "name", type: "text" }, { name: "active", type: "boolean" }] }) { name } }`);
    await ok(`mutation { createTable(input: { projectSlug: "deps", name: "notes", columns: [{ name: "owner", type: "uuid" }, { name: "body", type: "text" },
      { name: "legacy", type: "text" }, { name: "extra", type: "text" }, { name: "team_id", type: "uuid" }] }) { name } }`);
    await ok('mutation { enableRowLevelSecurity(input: { projectSlug: "deps", table: "notes", enabled: true }) { rlsEnabled } }');
    await ok(`mutation { createPolicy(input: { projectSlug: "deps", table: "notes", name: "own", check: "owner = auth.uid() and body <> 'legacy'" }) { name } }`);
    await ok(`mutation { createPolicy(input: { projectSlug: "deps", table: "notes", name: "active_team", check: "exists(teams where teams.id = team_id and teams.active = true)" }) { name } }`);
    await ok('mutation { createRole(input: { name: "auditor", permissions: [{ action: SELECT, resource: "deps:notes.extra" }, { action: SELECT, resource: "deps:notes.body" }, { action: SELECT, resource: "deps:memos" }, { action: SELECT, resource: "deps:memos.memo" }, { action: SELECT, resource: "deps:memospad" }] }) { name } }');
    await ok(`mutation { createTable(input: { projectSlug: "deps", name: "memos", columns: [{ name: "memo", type: "text" }] }) { name } }`);
  });
  afterAll(async () => {
    await s?.close();
  });

  it.each([
    ['a column its own policy mentions', 'mutation { dropColumn(input: { projectSlug: "deps", table: "notes", name: "owner" }) { name } }', /policy own on table notes/],
    ['a column another table’s policy reads', 'mutation { dropColumn(input: { projectSlug: "deps", table: "teams", name: "active" }) { name } }', /policy active_team on table notes/],
    ['a table another table’s policy reads', 'mutation { dropTable(input: { projectSlug: "deps", name: "teams" }) { name } }', /policy active_team on table notes/],
    ['renaming a column a policy mentions', 'mutation { updateColumn(input: { projectSlug: "deps", table: "notes", name: "team_id", newName: "squad_id" }) { name } }', /policy active_team on table notes/],
  ])('refuses dropping or renaming %s, naming the policy, and changes nothing', async (_what, q, message) => {
    const before = { notes: await columnsOf('notes'), teams: await columnsOf('teams') };
    const r = await admin(q);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(message);
    expect(leaksInternals(r.text)).toBe(false);
    expect({ notes: await columnsOf('notes'), teams: await columnsOf('teams') }).toEqual(before);
  });

  it('lets a column go whose name only appears inside a policy’s string literal', async () => {
    await ok('mutation { dropColumn(input: { projectSlug: "deps", table: "notes", name: "legacy" }) { name } }');
    expect(await columnsOf('notes')).not.toContain('legacy');
  });

  it('drops the grants on a dropped column, and keeps the others', async () => {
    expect(await grants()).toContain('deps:notes.extra');
    await ok('mutation { dropColumn(input: { projectSlug: "deps", table: "notes", name: "extra" }) { name } }');
    expect(await grants()).toEqual(['deps:memos', 'deps:memos.memo', 'deps:memospad', 'deps:notes.body']);
  });

  it('drops the grants on a dropped table and its columns, not on a table whose name starts the same', async () => {
    await ok('mutation { dropTable(input: { projectSlug: "deps", name: "memos" }) { name } }');
    expect(await grants()).toEqual(['deps:memospad', 'deps:notes.body']);
  });

  it('forgets a dropped owner column', async () => {
    await ok('mutation { addColumn(input: { projectSlug: "deps", table: "teams", name: "lead", type: "uuid" }) { name } }');
    await ok('mutation { setOwnerColumn(input: { projectSlug: "deps", table: "teams", column: "lead" }) { name } }');
    await ok('mutation { dropColumn(input: { projectSlug: "deps", table: "teams", name: "lead" }) { name } }');
    const [row] = await s.app.db.query<{ owner_column: string | null }>(sql`SELECT t.owner_column FROM koyalite.tables t JOIN koyalite.projects p ON p.id = t.project_id WHERE p.slug = 'deps' AND t.name = 'teams'`);
    expect(row).toEqual({ owner_column: null });
  });
});
