/**
 * Project identities and row-level security through the real endpoint, on both engines and both
 * paths: sign-up/sign-in issue project tokens; a role sees only what its permissions grant;
 * policies decide the rows; anonymous sees nothing; tokens are valid on their project only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('project identities on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  const users: Record<string, { token: string; id: string }> = {};
  const api = (slug: string, query: string, token?: string, variables?: Record<string, unknown>) => s.gql(`/projects/${slug}/graphql`, query, variables, token);
  const viaGet = async (slug: string, query: string, token?: string) => {
    const url = new URL(`${s.url}/projects/${slug}/graphql`);
    url.searchParams.set('query', query);
    return (await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } })).json();
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "member", permissions: [{ action: SELECT, resource: "app:notes" }, { action: INSERT, resource: "app:notes" }] }) { name } }',
      'mutation { createProject(input: { name: "App", slug: "app", settings: { allowSignUp: true, defaultRole: "member" } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "app", name: "notes", columns: [{ name: "owner", type: "uuid", isNullable: false }, { name: "body", type: "text" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "app", name: "secrets", columns: [{ name: "body", type: "text" }] }) { name } }',
      'mutation { enableRowLevelSecurity(input: { projectSlug: "app", table: "notes", enabled: true }) { rlsEnabled } }',
      'mutation { createPolicy(input: { projectSlug: "app", table: "notes", name: "own", check: "owner = auth.uid()" }) { name } }',
      'mutation { createProject(input: { name: "Other", slug: "other" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "other", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }',
    ]) {
      const r = await s.admin(q, {}, admin);
      expect(r.body.errors, q).toBeUndefined();
    }
    for (const name of ['ann', 'bob']) {
      const r = await api('app', 'mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id email role } } }', undefined, { e: `${name}@example.com` });
      expect(r.body.data?.signUp.user).toMatchObject({ email: `${name}@example.com`, role: 'member' });
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lets each user write and read only their own rows, on both paths', async () => {
    for (const [name, u] of Object.entries(users)) {
      for (const n of [1, 2]) {
        const r = await api('app', `mutation { insertNote(input: { owner: "${u.id}", body: "${name} ${n}" }) { body } }`, u.token);
        expect(r.body.errors).toBeUndefined();
      }
    }
    await s.admin('{ me { email } }', {}, admin);
    const q = '{ notes(orderBy: [{ body: ASC }]) { body } notesAggregate { count } }';
    for (const [name, u] of Object.entries(users)) {
      const post = await api('app', q, u.token);
      expect(post.body.data).toEqual({ notes: [{ body: `${name} 1` }, { body: `${name} 2` }], notesAggregate: { count: 2 } });
      const get = await viaGet('app', q, u.token);
      expect(get.data).toEqual(post.body.data);
    }
    // the admin bypasses row-level security by design
    const all = await api('app', '{ notesAggregate { count } }', admin);
    expect(all.body.data).toEqual({ notesAggregate: { count: 4 } });
  });

  it("refuses writing a row the policies don't allow, and changes nothing", async () => {
    const r = await api('app', `mutation { insertNote(input: { owner: "${users.bob!.id}", body: "forged" }) { body } }`, users.ann!.token);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(leaksInternals(r.text)).toBe(false);
    const count = await api('app', '{ notesAggregate(where: { body: { eq: "forged" } }) { count } }', admin);
    expect(count.body.data).toEqual({ notesAggregate: { count: 0 } });
  });

  it('shows a role only the tables and operations it was granted', async () => {
    const secret = await api('app', '{ secrets { body } }', users.ann!.token);
    expect(secret.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const del = await api('app', `mutation { deleteNotes(where: {}) { affectedRows } }`, users.ann!.token);
    expect(del.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets an upsert update only a role that may update', async () => {
    const upsert = (updateColumns: string) =>
      api('app', `mutation($o: UUID!) { insertNotes(inputs: [{ owner: $o, body: "upserted" }], onConflict: { conflictColumns: [id], updateColumns: [${updateColumns}] }) { affectedRows } }`, users.ann!.token, { o: users.ann!.id });
    const r = await upsert('body');
    expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(r.body.errors?.[0]?.message).toMatch(/updating notes is not permitted/);
    const count = async () => (await api('app', '{ notesAggregate(where: { body: { eq: "upserted" } }) { count } }', admin)).body.data!.notesAggregate.count;
    expect(await count()).toBe(0);
    // DO NOTHING on conflict is an insert, which member may do
    expect((await upsert('')).body.data?.insertNotes).toEqual({ affectedRows: 1 });
    expect(await count()).toBe(1);
    await api('app', 'mutation { deleteNotes(where: { body: { eq: "upserted" } }) { affectedRows } }', admin);
  });

  it('applies column permissions to selection, filters, ordering and aggregates', async () => {
    await s.admin('mutation { createRole(input: { name: "bodies", permissions: [{ action: SELECT, resource: "app:notes.body" }] }) { name } }', {}, admin);
    await s.admin('mutation { updateProject(input: { slug: "app", settings: { defaultRole: "bodies" } }) { slug } }', {}, admin);
    const r = await api('app', 'mutation { signUp(email: "cols@example.com", password: "password-123") { token } }');
    const token = r.body.data!.signUp.token;
    expect((await api('app', '{ notes { body } }', token)).body.errors).toBeUndefined();
    for (const q of ['{ notes { owner } }', '{ notes(where: { owner: { isNull: false } }) { body } }', '{ notes(orderBy: [{ owner: ASC }]) { body } }', '{ notesAggregate { min { owner } } }']) {
      expect((await api('app', q, token)).body.errors?.[0]?.extensions?.code, q).toBe('BAD_USER_INPUT');
    }
    await s.admin('mutation { updateProject(input: { slug: "app", settings: { defaultRole: "member" } }) { slug } }', {}, admin);
  });

  it('gives anonymous nothing unless granted', async () => {
    const r = await api('app', '{ notes { body } }');
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('accepts a project token on its own project only, and refuses bad tokens', async () => {
    const other = await api('other', '{ notes { body } }', users.ann!.token);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const bad of ['garbage', `${users.ann!.token.slice(0, -2)}xx`]) {
      const r = await api('app', '{ notes { body } }', bad);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('signs in with the same error for a wrong password and an unknown user', async () => {
    const ok = await api('app', 'mutation { signIn(email: "ann@example.com", password: "password-123") { user { email } } }');
    expect(ok.body.data?.signIn.user.email).toBe('ann@example.com');
    const wrong = await api('app', 'mutation { signIn(email: "ann@example.com", password: "nope-nope-nope") { token } }');
    const unknown = await api('app', 'mutation { signIn(email: "zed@example.com", password: "nope-nope-nope") { token } }');
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.body).toEqual(unknown.body);
  });

  it('offers signUp only where the project allows it', async () => {
    const r = await api('other', 'mutation { signUp(email: "x@example.com", password: "password-123") { token } }');
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const dup = await api('app', 'mutation { signUp(email: "ann@example.com", password: "password-123") { token } }');
    expect(dup.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
