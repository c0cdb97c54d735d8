/**
 * The fast path (POST, answered by one statement whose JSON Postgres builds) and the regular
 * path (GET through yoga and graphql-js) give the same responses — same values, same key order —
 * and the fast path really runs one statement for a whole multi-field operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../src/lib/sql.js';
import type { Database } from '../../src/db/database.js';
import { createBlog, uid } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { isBackgroundStatement, startTestServer, type TestServer } from '../support/server.js';

const CASES: Array<[string, string, Record<string, unknown>?]> = [
  ['nested list', '{ posts(orderBy: [{ created_at: DESC }], limit: 3) { id title score rating meta labels created_at author { name karma role profile { bio } } comments(orderBy: [{ created_at: ASC }]) { body } tags { label } commentsAggregate { count } } }'],
  ['by pk with aliases and typename', 'query($id: UUID!) { a: post(id: $id) { __typename t: title } b: post(id: "00000000-0000-4000-8000-000000000099") { title } }', { id: uid(11) }],
  ['filters', '{ users(where: { or: [{ name: { startsWith: "a" } }, { posts: { some: { score: { gte: 30 } } } }] }, orderBy: [{ name: DESC }]) { name } }'],
  ['aggregate with groupBy', '{ postsAggregate { count sum { score rating } avg { score rating } min { created_at title } max { score } groupBy(by: [author_id], orderBy: [{ count: DESC }, { author_id: ASC }]) { key { author_id } count avg { score } } } }'],
  ['connection', '{ postsConnection(orderBy: [{ score: DESC }], first: 2) { totalCount edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }'],
  ['fragments and directives', 'query($skip: Boolean!) { users(orderBy: [{ name: ASC }]) { ...U karma @skip(if: $skip) } } fragment U on User { name posts(limit: 1, orderBy: [{ title: ASC }]) { title } }', { skip: true }],
  ['several root fields', '{ __typename users(limit: 1, orderBy: [{ name: ASC }]) { name } tagsAggregate { count } }'],
];

describe.each(ENGINES)('fast path on %s', (engine) => {
  let s: TestServer;
  let token: string;
  let statements: string[] = [];

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await createBlog(s, token);
    // count the statements the live server runs (instrumenting the real database object)
    const db = s.app.db as Database;
    const original = db.query.bind(db);
    db.query = ((statement) => {
      const text = render(statement).text;
      if (!isBackgroundStatement(text)) statements.push(text);
      return original(statement);
    }) as Database['query'];
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${s.url}/projects/blog/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const get = async (query: string, variables?: Record<string, unknown>) => {
    const url = new URL(`${s.url}/projects/blog/graphql`);
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it.each(CASES)('%s: same response on both paths', async (_name, query, variables) => {
    statements = [];
    const fast = await post(query, variables);
    const fastStatements = statements.length;
    const regular = await get(query, variables);
    expect(fast.status).toBe(200);
    expect(regular.status).toBe(200);
    expect(fast.type).toBe(regular.type);
    const a = JSON.parse(fast.text);
    const b = JSON.parse(regular.text);
    expect(a.errors).toBeUndefined();
    // same values and the same key order
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(fastStatements).toBe(1);
  });

  it('answers a request with input errors through the regular path, with its exact error', async () => {
    const r = await post('{ posts(limit: -1) { title } }');
    const body = JSON.parse(r.text);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].path).toEqual(['posts']);
  });
});
