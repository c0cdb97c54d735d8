/**
 * Adding a column while queries run: no request fails, and the new field is queryable within
 * a second of the admin mutation returning (the schema is rebuilt on NOTIFY and swapped in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlog } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('schema swap on %s', (engine) => {
  let s: TestServer;
  let token: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await createBlog(s, token);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps every request answering while a column is added, and serves the new field within a second', async () => {
    let running = true;
    const failures: string[] = [];
    let answered = 0;
    const worker = async () => {
      while (running) {
        const r = await s.gql('/projects/blog/graphql', '{ posts(limit: 5, orderBy: [{ title: ASC }]) { title author { name } } postsAggregate { count } }', {}, token);
        if (r.status !== 200 || r.body.errors || r.body.data?.posts.length !== 5) failures.push(r.text);
        answered++;
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    // let the load establish itself
    while (answered < 20) await new Promise((r) => setImmediate(r));
    const add = await s.admin('mutation { addColumn(input: { projectSlug: "blog", table: "posts", name: "subtitle", type: "text", defaultValue: "none" }) { name } }', {}, token);
    expect(add.body.errors).toBeUndefined();
    const addedAt = Date.now();
    let visibleAfter: number | undefined;
    while (Date.now() - addedAt < 1000) {
      const r = await s.gql('/projects/blog/graphql', '{ posts(limit: 1) { subtitle } }', {}, token);
      if (r.body.data?.posts?.[0]?.subtitle === 'none') {
        visibleAfter = Date.now() - addedAt;
        break;
      }
    }
    const before = answered;
    while (answered < before + 20) await new Promise((r) => setImmediate(r));
    running = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(visibleAfter).toBeDefined();
    expect(visibleAfter!).toBeLessThan(1000);
  });
});
