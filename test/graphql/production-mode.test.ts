/**
 * A project in the `production` environment hides its schema from everyone but admin and
 * service: no introspection, no GraphiQL; ordinary queries keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('production environment on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "viewer", permissions: [{ action: SELECT, resource: "live:items" }] }) { name } }',
      'mutation { createProject(input: { name: "Live", slug: "live", settings: { environment: PRODUCTION, allowSignUp: true, defaultRole: "viewer" } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "live", name: "items", columns: [{ name: "name", type: "text" }] }) { name } }',
    ]) {
      expect((await s.admin(q, {}, admin)).body.errors).toBeUndefined();
    }
    const r = await s.gql('/projects/live/graphql', 'mutation { signUp(email: "v@example.com", password: "password-123") { token } }');
    user = r.body.data!.signUp.token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const graphiql = (token: string) =>
    fetch(`${s.url}/projects/live/graphql`, { headers: { accept: 'text/html', authorization: `Bearer ${token}` } });

  it('refuses introspection and GraphiQL to a user, but answers their queries', async () => {
    const intro = await s.gql('/projects/live/graphql', '{ __schema { types { name } } }', {}, user);
    expect(intro.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(intro.body.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await graphiql(user);
    expect((await page.text()).includes('graphiql')).toBe(false);
    const ok = await s.gql('/projects/live/graphql', '{ __typename items { name } }', {}, user);
    expect(ok.body).toEqual({ data: { __typename: 'Query', items: [] } });
  });

  it('keeps both for the admin', async () => {
    const intro = await s.gql('/projects/live/graphql', '{ __schema { queryType { name } } }', {}, admin);
    expect(intro.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const page = await graphiql(admin);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
  });
});
