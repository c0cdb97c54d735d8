/**
 * A write refused by a foreign key names the referencing table only to a role that can see it;
 * anyone else learns that other rows refer to it, not where. Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { uid } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('foreign-key refusals on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let editor: string;
  const api = (q: string, token: string) => s.gql('/projects/lib/graphql', q, {}, token);

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "editor", permissions: [{ action: SELECT, resource: "lib:authors" }, { action: DELETE, resource: "lib:authors" }] }) { name } }',
      'mutation { createProject(input: { name: "Lib", slug: "lib", settings: { allowSignUp: true, defaultRole: "editor" } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "lib", name: "authors", columns: [{ name: "name", type: "text" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "lib", name: "manuscripts", columns: [{ name: "title", type: "text" }] }) { name } }',
      'mutation { createRelationship(input: { projectSlug: "lib", type: ONE_TO_MANY, fromTable: "authors", toTable: "manuscripts", onDelete: RESTRICT }) { type } }',
    ]) {
      const r = await s.admin(q, {}, admin);
      expect(r.body.errors, q).toBeUndefined();
    }
    await s.app.db.query(sql`INSERT INTO lib.authors (id, name) VALUES (${uid(1)}, 'ann'), (${uid(2)}, 'bob')`);
    await s.app.db.query(sql`INSERT INTO lib.manuscripts (id, author_id, title) VALUES (${uid(11)}, ${uid(1)}, 'secret draft'), (${uid(12)}, ${uid(2)}, 'other')`);
    const r = await s.gql('/projects/lib/graphql', 'mutation { signUp(email: "ed@example.com", password: "password-123") { token } }');
    editor = r.body.data!.signUp.token;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('names the referencing table to a role that sees it', async () => {
    const r = await api(`mutation { deleteAuthor(id: "${uid(1)}") { id } }`, admin);
    expect(r.body.errors?.[0]).toMatchObject({ message: 'Author is still referenced by manuscripts', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('does not name it to a role that cannot see it, and deletes nothing', async () => {
    const r = await api(`mutation { deleteAuthor(id: "${uid(2)}") { id } }`, editor);
    expect(r.body.errors?.[0]).toMatchObject({ message: 'Author is still referenced by rows of another table', extensions: { code: 'BAD_USER_INPUT' } });
    expect(r.text).not.toMatch(/manuscript/i);
    expect(leaksInternals(r.text)).toBe(false);
    const [row] = await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM lib.authors`);
    expect(Number(row!.n)).toBe(2);
  });
});
