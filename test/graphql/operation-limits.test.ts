/**
 * Depth, alias, directive, cost and token limits on both paths (fast POST and yoga GET) and on
 * the admin endpoint: refused with BAD_USER_INPUT before any SQL runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlog } from '../fixtures/blog.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('operation limits', () => {
  let s: TestServer;
  let token: string;

  beforeAll(async () => {
    s = await startTestServer('pglite');
    token = await s.signInAdmin();
    await createBlog(s, token);
  });
  afterAll(async () => {
    await s?.close();
  });

  const deep = (levels: number) => `{ users(limit: 1) { posts(limit: 1) { ${'author { posts(limit: 1) { '.repeat(levels)} title ${' } }'.repeat(levels)} } } }`;
  const cases: Array<[string, string]> = [
    ['too deep', deep(8)],
    ['too many aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: posts(limit: 1) { title }`).join(' ')} }`],
    ['too many tokens', `{ posts(limit: 1) { ${'id '.repeat(3100)} } }`],
    ['too many directives', `{ posts(limit: 1) { title ${'@include(if: true) '.repeat(60)} } }`],
  ];

  it.each(cases)('refuses a document that is %s, on both paths', async (_what, query) => {
    const post = await s.gql('/projects/blog/graphql', query, {}, token);
    expect(post.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(post.body.data ?? null).toBeNull();
    const url = new URL(`${s.url}/projects/blog/graphql`);
    url.searchParams.set('query', query);
    const get = await (await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })).json();
    expect(get.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('still answers ordinary nested queries and introspection', async () => {
    const ok = await s.gql('/projects/blog/graphql', '{ users(limit: 1) { posts(limit: 1) { comments(limit: 1) { author { name } } } } }', {}, token);
    expect(ok.body.errors).toBeUndefined();
    const intro = await s.gql('/projects/blog/graphql', '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }', {}, token);
    expect(intro.body.errors).toBeUndefined();
  });

  it("follows a project's own limits, set through its settings", async () => {
    const query = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: posts(limit: 1) { title }`).join(' ')} }`;
    expect((await s.gql('/projects/blog/graphql', query, {}, token)).body.errors).toBeUndefined();
    const upd = await s.admin('mutation { updateProject(input: { slug: "blog", settings: { limits: { maxDepth: 12, maxAliases: 3, maxDirectives: 50, maxCost: 5000 } } }) { settings { limits { maxAliases } } } }', {}, token);
    expect(upd.body.data?.updateProject.settings.limits).toEqual({ maxAliases: 3 });
    const post = await s.gql('/projects/blog/graphql', query, {}, token);
    expect(post.body.errors?.[0]?.message).toMatch(/Aliases limit of 3/);
    const url = new URL(`${s.url}/projects/blog/graphql`);
    url.searchParams.set('query', query);
    const get = await (await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })).json();
    expect(get.errors?.[0]?.message).toMatch(/Aliases limit of 3/);
    await s.admin('mutation { updateProject(input: { slug: "blog", settings: { limits: null } }) { slug } }', {}, token);
    expect((await s.gql('/projects/blog/graphql', query, {}, token)).body.errors).toBeUndefined();
  });

  it('applies to the admin endpoint too', async () => {
    const r = await s.admin(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { email }`).join(' ')} }`, {}, token);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
