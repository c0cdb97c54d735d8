/**
 * Nested inserts through relationships in every direction, written in one statement and read
 * back with their new relations; a failure anywhere in the tree writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, sql } from '../../src/lib/sql.js';
import { createBlog, uid } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('nested inserts on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const api = (query: string, variables?: Record<string, unknown>) => s.gql('/projects/blog/graphql', query, variables, token);
  const count = async (table: string) => Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${ident('blog', table)}`))[0]?.n);

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await createBlog(s, token);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates a post with a new author (and their profile), comments and tags, and returns them', async () => {
    const r = await api(`mutation {
      insertPost(input: {
        title: "Nested",
        author: { data: { name: "newbie", profile: { data: { bio: "hi" } } } },
        comments: { data: [{ body: "c1" }, { body: "c2", author_id: "${uid(2)}" }] },
        tags: { data: [{ label: "fresh" }] }
      }) { title author { name profile { bio } } comments(orderBy: [{ body: ASC }]) { body author { name } } tags { label } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.insertPost).toEqual({
      title: 'Nested',
      author: { name: 'newbie', profile: { bio: 'hi' } },
      comments: [
        { body: 'c1', author: null },
        { body: 'c2', author: { name: 'bob' } },
      ],
      tags: [{ label: 'fresh' }],
    });
    // the rows really link up in the tables
    const [link] = await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM blog.posts p JOIN blog.users u ON u.id = p.author_id JOIN blog.profiles f ON f.user_id = u.id WHERE p.title = 'Nested' AND u.name = 'newbie'`);
    expect(Number(link!.n)).toBe(1);
  });

  it('nests per row in a batch and reports affectedRows for the root rows', async () => {
    const r = await api('mutation { insertPosts(inputs: [{ title: "P1", comments: { data: [{ body: "x" }, { body: "y" }] } }, { title: "P2" }]) { affectedRows returning { title commentsAggregate { count } } } }');
    expect(r.body.data?.insertPosts).toEqual({ affectedRows: 2, returning: [{ title: 'P1', commentsAggregate: { count: 2 } }, { title: 'P2', commentsAggregate: { count: 0 } }] });
  });

  it('writes nothing when any row of the tree is refused', async () => {
    const before = { posts: await count('posts'), users: await count('users'), comments: await count('comments') };
    const r = await api(`mutation { insertPost(input: { title: "T", author: { data: { name: "x", email: "ann@example.com" } }, comments: { data: [{ body: "z" }] } }) { title } }`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect({ posts: await count('posts'), users: await count('users'), comments: await count('comments') }).toEqual(before);
  });

  it('refuses a foreign key and the nested row for the same relation together', async () => {
    const r = await api(`mutation { insertPost(input: { title: "T", author_id: "${uid(1)}", author: { data: { name: "z" } } }) { title } }`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(/either author_id or author/);
  });

  it('audits every nested row with its own table', async () => {
    const logs = await s.admin('{ auditLogs(filter: { projectSlug: "blog", action: "profiles.insert" }) { targetType } }', {}, token);
    expect(logs.body.data?.auditLogs).toEqual([{ targetType: 'profiles' }]);
  });
});
