/**
 * Policies through the admin API, installed as Postgres row-level security and enforced for
 * framed (non-admin) statements, on both engines: allow OR-ed, deny wins, disabled does
 * nothing, RLS on without allow shows nothing; bad expressions refused with a position.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type TestServer } from '../support/server.js';

const user = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(ENGINES)('policies on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const admin = (q: string) => s.admin(q, {}, token);
  /** what a signed-in user sees of the table, through the request frame */
  const visibleTo = async (n: number, extra: Record<string, unknown> = {}) =>
    (await s.app.db.withFrame({ claims: JSON.stringify({ sub: user(n), role: 'authenticated', ...extra }) }, (q) =>
      q.query<{ body: string }>(sql`SELECT body FROM secure.notes ORDER BY body`),
    )).map((r) => r.body);
  const installed = async () => (await s.app.db.query<{ policyname: string }>(sql`SELECT policyname FROM pg_policies WHERE schemaname = 'secure' ORDER BY policyname`)).map((r) => r.policyname);

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    for (const q of [
      'mutation { createProject(input: { name: "Secure", slug: "secure" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "secure", name: "notes", columns: [{ name: "owner", type: "uuid", isNullable: false }, { name: "body", type: "text" }, { name: "hidden", type: "boolean", defaultValue: "false" }] }) { name } }',
    ]) {
      expect((await admin(q)).body.errors).toBeUndefined();
    }
    for (const [n, body, hidden] of [[1, 'a1', false], [1, 'a2', true], [2, 'b1', false]] as const) {
      await s.app.db.query(sql`INSERT INTO secure.notes (owner, body, hidden) VALUES (${user(n)}, ${body}, ${hidden})`);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows everything before RLS is on, and nothing once it is on without an allow policy', async () => {
    expect(await visibleTo(1)).toEqual(['a1', 'a2', 'b1']);
    const r = await admin('mutation { enableRowLevelSecurity(input: { projectSlug: "secure", table: "notes", enabled: true }) { rlsEnabled } }');
    expect(r.body.data?.enableRowLevelSecurity).toEqual({ rlsEnabled: true });
    expect(await visibleTo(1)).toEqual([]);
  });

  it('enforces an allow policy, ORs allows, and lets a deny policy win', async () => {
    const r = await admin('mutation { createPolicy(input: { projectSlug: "secure", table: "notes", name: "own", check: "owner = auth.uid()" }) { name effect command enabled } }');
    expect(r.body.data?.createPolicy).toEqual({ name: 'own', effect: 'ALLOW', command: 'ALL', enabled: true });
    expect(await installed()).toEqual(['koya_own']);
    expect(await visibleTo(1)).toEqual(['a1', 'a2']);
    expect(await visibleTo(2)).toEqual(['b1']);
    await admin(`mutation { createPolicy(input: { projectSlug: "secure", table: "notes", name: "staff", check: "auth.claim('staff') = 'yes'", command: SELECT }) { name } }`);
    expect(await visibleTo(2, { staff: 'yes' })).toEqual(['a1', 'a2', 'b1']);
    await admin('mutation { createPolicy(input: { projectSlug: "secure", table: "notes", name: "no_hidden", check: "hidden = true", effect: DENY }) { name } }');
    expect(await visibleTo(1)).toEqual(['a1']);
    expect(await visibleTo(2, { staff: 'yes' })).toEqual(['a1', 'b1']);
  });

  it('does nothing for a disabled policy, and removes a deleted one', async () => {
    await admin('mutation { updatePolicy(input: { projectSlug: "secure", table: "notes", name: "no_hidden", enabled: false }) { enabled } }');
    expect(await visibleTo(1)).toEqual(['a1', 'a2']);
    const d = await admin('mutation { deletePolicy(input: { projectSlug: "secure", table: "notes", name: "staff" }) { name } }');
    expect(d.body.data?.deletePolicy).toEqual({ name: 'staff' });
    expect(await installed()).toEqual(['koya_own']);
    expect(await visibleTo(2, { staff: 'yes' })).toEqual(['b1']);
  });

  it('treats a sub that is no uuid as no match, never an error', async () => {
    const rows = await s.app.db.withFrame({ claims: JSON.stringify({ sub: 'not-a-uuid' }) }, (q) => q.query(sql`SELECT body FROM secure.notes`));
    expect(rows).toEqual([]);
  });

  it.each([
    ['an unknown column', 'nope = auth.uid()', /nope/],
    ['an unknown function', 'pg_sleep(1) = 1', /function/i],
    ['a subquery outside the language', 'owner = (select owner from secure.notes limit 1)', /line 1, column/],
    ['an injection attempt', "body = 'x'; drop table secure.notes; --", /line 1, column/],
    ['a type mismatch', 'hidden = 3', /line 1, column/],
    ['an expression over the node cap', Array.from({ length: 120 }, (_, i) => `body = 'x${i}'`).join(' or '), /at most 200 parts.*line 1, column/],
    ['an expression nested too deep', `${'('.repeat(40)}hidden${')'.repeat(40)}`, /nests at most.*line 1, column/],
  ])('refuses %s at creation with a message and position, and installs nothing', async (_what, check, message) => {
    const before = await installed();
    const r = await s.admin('mutation($c: String!) { createPolicy(input: { projectSlug: "secure", table: "notes", name: "bad", check: $c }) { name } }', { c: check }, token);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(message);
    expect(r.body.errors?.[0]?.extensions?.position).toBeDefined();
    expect(leaksInternals(r.text)).toBe(false);
    expect(await installed()).toEqual(before);
    const [count] = await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM secure.notes`);
    expect(Number(count!.n)).toBe(3);
  });

  it('refuses a policy Postgres would reject as infinitely recursive', async () => {
    const before = await installed();
    const r = await admin('mutation { createPolicy(input: { projectSlug: "secure", table: "notes", name: "loop", check: "exists(notes where notes.owner = auth.uid())" }) { name } }');
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(/infinite recursion/);
    expect(await installed()).toEqual(before);
  });

  it('lists the policies of a project', async () => {
    const r = await admin('{ policies(projectSlug: "secure") { name table enabled } }');
    expect(r.body.data?.policies).toEqual([
      { name: 'own', table: 'notes', enabled: true },
      { name: 'no_hidden', table: 'notes', enabled: false },
    ]);
  });
});
