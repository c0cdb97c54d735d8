/**
 * Vector search on both engines: PGlite has pgvector (vector(n) columns, HNSW index, its
 * operators), the test PostgreSQL server does not (real[] columns, exact scan by KoyaLite's
 * functions); both must give the same nearest rows and distances. Through both paths (POST fast
 * path, GET yoga), under row-level security, with the dimensions validated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const DOCS: Array<[string, number[] | null]> = [
  ['a', [1, 0, 0]],
  ['b', [0.9, 0.1, 0]],
  ['c', [0, 1, 0]],
  ['d', [-0.1, 0, 1]],
  ['e', null],
  ['f', [-1, 0, 0]],
];

describe.each(ENGINES)('vector search on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  const users: Record<string, { token: string; id: string }> = {};
  const post = (query: string, token?: string, variables?: Record<string, unknown>) => s.gql('/projects/vec/graphql', query, variables, token);
  const get = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const url = new URL(`${s.url}/projects/vec/graphql`);
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    return (await (await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } })).json()) as GqlResponse['body'];
  };
  /** both paths must agree and succeed */
  const read = async (query: string, token: string, variables?: Record<string, unknown>) => {
    const viaPost = await post(query, token, variables);
    expect(viaPost.body.errors, query).toBeUndefined();
    expect(await get(query, token, variables)).toEqual(viaPost.body);
    return viaPost.body.data!;
  };
  const adminOk = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await s.admin(query, variables, admin);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const setIndex = async (metric: string) => {
    const existing = await adminOk('{ vectorIndexes(projectSlug: "vec") { name } }');
    for (const { name } of existing.vectorIndexes as Array<{ name: string }>) {
      await adminOk(`mutation { deleteVectorIndex(input: { projectSlug: "vec", table: "docs", name: "${name}" }) { name } }`);
    }
    await adminOk(`mutation { createVectorIndex(input: { projectSlug: "vec", table: "docs", name: "by_${metric.toLowerCase()}", embeddingColumn: "embedding", dimensions: 3, metric: ${metric} }) { name } }`);
  };
  const search = 'query($v: [Float!]!, $n: Int, $w: DocFilter) { similarDocs(vector: $v, limit: $n, where: $w) { distance node { title } } }';
  const found = (d: Record<string, any>) => (d.similarDocs as Array<{ distance: number; node: { title: string } }>).map((r) => [r.node.title, Number(r.distance.toFixed(4))]);

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    await adminOk('mutation { createRole(input: { name: "reader", permissions: [{ action: SELECT, resource: "vec:docs" }, { action: INSERT, resource: "vec:docs" }] }) { name } }');
    await adminOk('mutation { createProject(input: { name: "Vec", slug: "vec", settings: { allowSignUp: true, defaultRole: "reader" } }) { slug } }');
    await adminOk(`mutation { createTable(input: { projectSlug: "vec", name: "docs", columns: [{ name: "title", type: "text", isNullable: false },
      { name: "owner", type: "uuid" }, { name: "embedding", type: "vector(3)" }] }) { name } }`);
    for (const name of ['ann', 'bob']) {
      const r = await post('mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id } } }', undefined, { e: `${name}@example.com` });
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
    }
    const r = await post('mutation($rows: [DocInsertInput!]!) { insertDocs(inputs: $rows) { affectedRows } }', admin, {
      rows: DOCS.map(([title, embedding]) => ({ title, embedding, owner: title === 'b' ? users.bob!.id : users.ann!.id })),
    });
    expect(r.body.data?.insertDocs).toEqual({ affectedRows: DOCS.length });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('offers no search before the table has a vector index', async () => {
    const r = await post(search, admin, { v: [1, 0, 0] });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('finds the nearest rows by cosine distance, nearest first, skipping rows without an embedding', async () => {
    await setIndex('COSINE');
    const d = await read(search, admin, { v: [1, 0, 0], n: 3 });
    expect(found(d)).toEqual([['a', 0], ['b', 0.0061], ['c', 1]]);
    const all = await read(search, admin, { v: [2, 0, 0] });
    expect(found(all).map(([t]) => t)).toEqual(['a', 'b', 'c', 'd', 'f']);
    expect(found(all).at(-1)).toEqual(['f', 2]);
  });

  it('combines the search with a filter', async () => {
    const d = await read(search, admin, { v: [1, 0, 0], n: 2, w: { title: { nin: ['a'] } } });
    expect(found(d)).toEqual([['b', 0.0061], ['c', 1]]);
    expect(found(await read(search, admin, { v: [1, 0, 0], w: { title: { in: ['d', 'f'] } } }))).toEqual([['d', 1.0995], ['f', 2]]);
  });

  it('ranks by L2 distance and by negative inner product when the index says so', async () => {
    await setIndex('L2');
    expect(found(await read(search, admin, { v: [1, 0, 0], n: 3 }))).toEqual([['a', 0], ['b', 0.1414], ['c', 1.4142]]);
    expect(found(await read(search, admin, { v: [1, 0, 0], w: { title: { in: ['d', 'f'] } } }))).toEqual([['d', 1.4866], ['f', 2]]);
    await setIndex('INNER_PRODUCT');
    expect(found(await read(search, admin, { v: [1, 0, 0], n: 3 }))).toEqual([['a', -1], ['b', -0.9], ['c', 0]]);
    expect(found(await read(search, admin, { v: [1, 0, 0], w: { title: { in: ['d', 'f'] } } }))).toEqual([['d', 0.1], ['f', 1]]);
    await setIndex('COSINE');
  });

  it('refuses a vector of the wrong dimensions or a bad limit, as bad input without internals', async () => {
    for (const [variables, field] of [
      [{ v: [1, 0] }, 'vector'],
      [{ v: [1, 0, 0, 0] }, 'vector'],
      [{ v: [1, 0, 0], n: 0 }, 'limit'],
      [{ v: [1, 0, 0], n: 100000 }, 'limit'],
    ] as const) {
      const r = await post(search, admin, variables);
      expect(r.body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
      expect(leaksInternals(r.text)).toBe(false);
    }
  });

  it('finds only the rows the caller’s policies allow', async () => {
    await adminOk('mutation { enableRowLevelSecurity(input: { projectSlug: "vec", table: "docs", enabled: true }) { rlsEnabled } }');
    await adminOk('mutation { createPolicy(input: { projectSlug: "vec", table: "docs", name: "own", check: "owner = auth.uid()" }) { name } }');
    expect(found(await read(search, users.bob!.token, { v: [1, 0, 0] }))).toEqual([['b', 0.0061]]);
    expect(found(await read(search, users.ann!.token, { v: [1, 0, 0], n: 2 }))).toEqual([['a', 0], ['c', 1]]);
    // the admin bypasses row-level security by design
    expect(found(await read(search, admin, { v: [1, 0, 0], n: 2 }))).toEqual([['a', 0], ['b', 0.0061]]);
  });

  it('offers the search only to roles that may read the embedding', async () => {
    await adminOk('mutation { updateRole(input: { name: "reader", permissions: [{ action: SELECT, resource: "vec:docs.title" }, { action: SELECT, resource: "vec:docs.owner" }] }) { name } }');
    const r = await post('query($v: [Float!]!) { similarDocs(vector: $v) { node { title } } }', users.ann!.token, { v: [1, 0, 0] });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(/similarDocs/);
    await adminOk('mutation { updateRole(input: { name: "reader", permissions: [{ action: SELECT, resource: "vec:docs" }] }) { name } }');
    expect(found(await read(search, users.ann!.token, { v: [0, 1, 0], n: 1 }))).toEqual([['c', 0]]);
  });

  it('removes the search with its index', async () => {
    await adminOk('mutation { deleteVectorIndex(input: { projectSlug: "vec", table: "docs", name: "by_cosine" }) { name } }');
    const r = await post(search, admin, { v: [1, 0, 0] });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
