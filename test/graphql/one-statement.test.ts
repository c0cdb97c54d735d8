/**
 * A nested query runs as ONE SQL statement, however deep: users → posts → comments → author
 * (→ profile), each level with its own arguments. Counted on the live server by instrumenting
 * the real Database object the resolvers use (every call of s.app.db.query is recorded, then
 * passed on to the original), on both engines and both execution paths:
 *   - JSON POST: the fast path compiles the whole operation — every root field — into one statement;
 *   - GET (yoga + graphql-js): one statement per root field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { render, type Sql } from '../../src/lib/sql.js';
import { createBlog, uid } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { isBackgroundStatement, startTestServer, type TestServer } from '../support/server.js';

const PATH = '/projects/blog/graphql';

const NESTED = `query($min: Int!, $perUser: Int!) {
  users(where: { posts: { some: { score: { gte: $min } } } }, orderBy: [{ name: ASC }]) {
    name
    posts(orderBy: [{ created_at: ASC }], limit: $perUser) {
      title
      comments(where: { body: { neq: "x" } }, orderBy: [{ body: ASC }], limit: 10) {
        body
        author { name profile { bio } }
      }
      commentsAggregate { count }
      tags(orderBy: [{ label: ASC }]) { label }
    }
  }
}`;

const NESTED_DATA = {
  users: [
    {
      name: 'ann',
      posts: [
        {
          title: 'Hello world',
          comments: [
            { body: 'again', author: { name: 'bob', profile: null } },
            { body: 'great', author: { name: 'cy', profile: null } },
            { body: 'nice', author: { name: 'bob', profile: null } },
          ],
          commentsAggregate: { count: 3 },
          tags: [{ label: 'life' }, { label: 'tech' }],
        },
        { title: 'Second post', comments: [{ body: 'merci', author: { name: 'cy', profile: null } }], commentsAggregate: { count: 1 }, tags: [{ label: 'tech' }] },
      ],
    },
    {
      name: 'bob',
      posts: [
        { title: 'Bob says hi', comments: [{ body: 'hi bob', author: { name: 'ann', profile: { bio: 'I write' } } }], commentsAggregate: { count: 1 }, tags: [{ label: 'life' }] },
        { title: 'Another one', comments: [], commentsAggregate: { count: 0 }, tags: [] },
      ],
    },
  ],
};

const MULTI = `{
  __typename
  a: users(orderBy: [{ name: ASC }], limit: 1) { name posts(orderBy: [{ title: ASC }]) { title comments(orderBy: [{ body: ASC }]) { author { name } } } }
  b: posts(where: { author: { name: { eq: "bob" } } }, orderBy: [{ score: DESC }]) { title author { name } }
  c: postsAggregate { count groupBy(by: [author_id], orderBy: [{ count: DESC }]) { count } }
  d: post(id: "${uid(14)}") { title tags { label } }
}`;

const MULTI_DATA = {
  __typename: 'Query',
  a: [
    {
      name: 'ann',
      posts: [
        { title: 'Draft_50%', comments: [] },
        { title: 'Hello world', comments: [{ author: { name: 'bob' } }, { author: { name: 'cy' } }, { author: { name: 'bob' } }] },
        { title: 'Second post', comments: [{ author: { name: 'cy' } }] },
      ],
    },
  ],
  b: [
    { title: 'Bob says hi', author: { name: 'bob' } },
    { title: 'Another one', author: { name: 'bob' } },
  ],
  c: { count: 6, groupBy: [{ count: 3 }, { count: 2 }, { count: 1 }] },
  d: { title: 'Bob says hi', tags: [{ label: 'life' }] },
};

describe.each(ENGINES)('one statement per query on %s', (engine) => {
  let s: TestServer;
  let token: string;
  /** every statement the server ran through the Database since the last reset */
  let statements: string[] = [];
  let transactions = 0;

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await createBlog(s, token);
    const db = s.app.db as Database;
    const query = db.query.bind(db);
    const exec = db.exec.bind(db);
    const transaction = db.transaction.bind(db);
    const record = (q: Sql) => {
      const text = render(q).text;
      if (!isBackgroundStatement(text)) statements.push(text);
    };
    db.query = ((statement: Sql) => {
      record(statement);
      return query(statement);
    }) as Database['query'];
    db.exec = (script: Sql) => {
      record(script);
      return exec(script);
    };
    db.transaction = ((fn: Parameters<Database['transaction']>[0]) => {
      transactions++;
      return transaction(fn);
    }) as Database['transaction'];
    // warm up: schema built, token verified and cached, documents prepared
    for (const [query, variables] of [[NESTED, { min: 10, perUser: 2 }], [MULTI, undefined]] as const) {
      await s.gql(PATH, query, variables, token);
      await viaGet(query, variables);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  const viaGet = async (query: string, variables?: Record<string, unknown>) => {
    const url = new URL(`${s.url}${PATH}`);
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };

  /** Runs one request and returns its body with the statements it ran. */
  const measure = async (send: () => Promise<{ status: number; body: any }>) => {
    statements = [];
    transactions = 0;
    const r = await send();
    return { ...r, statements: [...statements], transactions };
  };

  it('runs the 3-level nested query with arguments at every level as exactly one statement (POST)', async () => {
    const r = await measure(() => s.gql(PATH, NESTED, { min: 10, perUser: 2 }, token));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual(NESTED_DATA);
    expect(r.statements).toHaveLength(1);
    expect(r.transactions).toBe(0);
    // the one statement reads every table of the query
    for (const table of ['users', 'posts', 'comments', 'profiles', 'tags', 'posts_tags']) expect(r.statements[0]).toContain(`"blog"."${table}"`);
  });

  it('runs the same query as exactly one statement on the regular path (GET)', async () => {
    const r = await measure(() => viaGet(NESTED, { min: 10, perUser: 2 }));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: NESTED_DATA });
    expect(r.statements).toHaveLength(1);
    expect(r.transactions).toBe(0);
  });

  it('does not run more statements for more rows or other arguments', async () => {
    const r = await measure(() => s.gql(PATH, NESTED, { min: 0, perUser: 1000 }, token));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.users.map((u: { name: string; posts: unknown[] }) => [u.name, u.posts.length])).toEqual([
      ['ann', 3],
      ['bob', 2],
    ]);
    expect(r.statements).toHaveLength(1);
    const g = await measure(() => viaGet(NESTED, { min: 1000, perUser: 1 }));
    expect(g.body).toEqual({ data: { users: [] } });
    expect(g.statements).toHaveLength(1);
  });

  it('runs N statements for N root fields on the regular path (GET), __typename needing none', async () => {
    const r = await measure(() => viaGet(MULTI));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: MULTI_DATA });
    expect(r.statements).toHaveLength(4);
    expect(r.transactions).toBe(0);
  });

  it('runs one statement for a whole operation of N root fields on the fast path (POST)', async () => {
    const r = await measure(() => s.gql(PATH, MULTI, undefined, token));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual(MULTI_DATA);
    expect(r.statements).toHaveLength(1);
    expect(r.transactions).toBe(0);
  });

  it('runs no statement for a request refused as bad input', async () => {
    for (const query of ['{ posts(limit: -1) { title } }', '{ users { posts(offset: -1) { title } } }', '{ posts(where: { nope: { eq: 1 } }) { title } }', '{ post(id: "nope") { title } }']) {
      const r = await measure(() => s.gql(PATH, query, undefined, token));
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.statements).toEqual([]);
    }
  });
});
