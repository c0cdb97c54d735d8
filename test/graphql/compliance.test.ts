/**
 * Compliance modes: gdpr adds exportUserData / eraseUserData over every table's owner column
 * (self, admin or service only; erase in one statement, audited); hipaa audits reads as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('compliance on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  const users: Record<string, { token: string; id: string }> = {};
  const api = (query: string, token?: string, variables?: Record<string, unknown>) => s.gql('/projects/clinic/graphql', query, variables, token);
  const auditCount = async (action: string) =>
    Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM koyalite.audit_logs WHERE action = ${action}`))[0]?.n);

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "patient", permissions: [{ action: SELECT, resource: "clinic:visits" }] }) { name } }',
      'mutation { createProject(input: { name: "Clinic", slug: "clinic", settings: { allowSignUp: true, defaultRole: "patient", complianceFlags: { gdprEnabled: true, hipaaEnabled: true } } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "clinic", name: "visits", columns: [{ name: "patient", type: "uuid", isNullable: false }, { name: "note", type: "text" }, { name: "ssn", type: "text", encrypted: true }] }) { name } }',
      'mutation { setOwnerColumn(input: { projectSlug: "clinic", table: "visits", column: "patient" }) { ownerColumn } }',
      'mutation { createProject(input: { name: "Plain", slug: "plain" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "plain", name: "things", columns: [{ name: "name", type: "text" }] }) { name } }',
    ]) {
      const r = await s.admin(q, {}, admin);
      expect(r.body.errors, q).toBeUndefined();
    }
    for (const name of ['ann', 'bob']) {
      const r = await api('mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id } } }', undefined, { e: `${name}@example.com` });
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
      for (const n of [1, 2]) {
        const ins = await api(`mutation { insertVisit(input: { patient: "${users[name]!.id}", note: "${name} visit ${n}", ssn: "${name}-ssn" }) { id } }`, admin);
        expect(ins.body.errors).toBeUndefined();
      }
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('exports every row a user owns, decrypted, for the user themself or an admin only', async () => {
    const mine = await api(`{ exportUserData(userId: "${users.ann!.id}") }`, users.ann!.token);
    expect(mine.body.errors).toBeUndefined();
    const rows = mine.body.data!.exportUserData.visits as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.note).sort()).toEqual(['ann visit 1', 'ann visit 2']);
    expect(rows.every((r) => r.ssn === 'ann-ssn')).toBe(true);
    const byAdmin = await api(`{ exportUserData(userId: "${users.ann!.id}") }`, admin);
    expect(byAdmin.body.data!.exportUserData.visits).toHaveLength(2);
    const other = await api(`{ exportUserData(userId: "${users.bob!.id}") }`, users.ann!.token);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('erases every row a user owns in one audited operation, and nothing else', async () => {
    const before = await auditCount('compliance.erase');
    const r = await api(`mutation { eraseUserData(userId: "${users.ann!.id}") }`, admin);
    expect(r.body.data).toEqual({ eraseUserData: { visits: 2 } });
    const left = await api('{ visits(orderBy: [{ note: ASC }]) { note } }', admin);
    expect(left.body.data?.visits).toEqual([{ note: 'bob visit 1' }, { note: 'bob visit 2' }]);
    expect(await auditCount('compliance.erase')).toBe(before + 1);
  });

  it('audits reads in hipaa mode, on both paths', async () => {
    const before = await auditCount('data.read');
    await api('{ visitsAggregate { count } }', admin);
    const url = new URL(`${s.url}/projects/clinic/graphql`);
    url.searchParams.set('query', '{ visits { note } }');
    await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${admin}` } });
    expect(await auditCount('data.read')).toBe(before + 2);
    // a project without hipaa does not audit reads
    await s.gql('/projects/plain/graphql', '{ things { name } }', {}, admin);
    expect(await auditCount('data.read')).toBe(before + 2);
  });

  it('offers the operations only where the flags are on', async () => {
    const r = await s.gql('/projects/plain/graphql', `{ exportUserData(userId: "${users.ann!.id}") }`, {}, admin);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
