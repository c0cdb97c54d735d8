/**
 * Columns flagged `encrypted` are stored as AES-256-GCM ciphertext, read back decrypted on
 * every path, and refused in filters and ordering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('encrypted columns on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const api = (query: string, variables?: Record<string, unknown>) => s.gql('/projects/vault/graphql', query, variables, token);

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    for (const q of [
      'mutation { createProject(input: { name: "Vault", slug: "vault" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "vault", name: "patients", columns: [{ name: "name", type: "text", isNullable: false }, { name: "ssn", type: "text", encrypted: true }] }) { name } }',
    ]) {
      const r = await s.admin(q, {}, token);
      expect(r.body.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stores ciphertext, never the value, and returns the value on every path', async () => {
    const inserted = await api('mutation { insertPatient(input: { name: "Ann", ssn: "123-45-6789" }) { id name ssn } }');
    expect(inserted.body.data?.insertPatient).toMatchObject({ name: 'Ann', ssn: '123-45-6789' });
    const [row] = await s.app.db.query<{ ssn: string }>(sql`SELECT ssn FROM vault.patients`);
    expect(row!.ssn).not.toContain('123-45-6789');
    expect(row!.ssn.startsWith('v1:')).toBe(true);

    const post = await api('{ patients { name ssn } }');
    expect(post.body.data?.patients).toEqual([{ name: 'Ann', ssn: '123-45-6789' }]);
    const url = new URL(`${s.url}/projects/vault/graphql`);
    url.searchParams.set('query', '{ patients { ssn } }');
    const get = await (await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })).json();
    expect(get.data.patients).toEqual([{ ssn: '123-45-6789' }]);

    const updated = await api('mutation($id: UUID!) { updatePatient(id: $id, set: { ssn: "987-65-4321" }) { ssn } }', { id: inserted.body.data?.insertPatient.id });
    expect(updated.body.data?.updatePatient).toEqual({ ssn: '987-65-4321' });
    const [after] = await s.app.db.query<{ ssn: string }>(sql`SELECT ssn FROM vault.patients`);
    expect(after!.ssn).not.toContain('987-65-4321');
  });

  it('refuses filtering, ordering and aggregating on an encrypted column', async () => {
    for (const q of [
      '{ patients(where: { ssn: { eq: "123-45-6789" } }) { name } }',
      '{ patients(orderBy: [{ ssn: ASC }]) { name } }',
      '{ patientsAggregate { min { ssn } } }',
    ]) {
      const r = await api(q);
      expect(r.body.errors?.[0]?.extensions?.code, q).toBe('BAD_USER_INPUT');
    }
  });
});
