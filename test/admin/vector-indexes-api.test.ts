/**
 * Vector indexes through the admin API on both engines: created, listed and deleted with their
 * metadata row, audit entry and (where the vector extension exists, i.e. PGlite) an HNSW index;
 * every refusal carries its code and changes nothing; a column in use cannot be dropped, a
 * dropped table takes its index along; without MANAGE on the project the answer is FORBIDDEN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const CREATE = `mutation($i: VectorIndexInput!) { createVectorIndex(input: $i) { id name table embeddingColumn dimensions metric createdAt } }`;
const DELETE = `mutation($i: DeleteVectorIndexInput!) { deleteVectorIndex(input: $i) { id name table embeddingColumn dimensions metric } }`;
const code = (r: GqlResponse) => r.body.errors?.[0]?.extensions?.code;

describe.each(ENGINES)('vector indexes on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const admin = (q: string, v: Record<string, unknown> = {}, t = token) => s.admin(q, v, t);
  const create = (i: Record<string, unknown>, t = token) => admin(CREATE, { i: { projectSlug: 'vec', ...i } }, t);
  const remove = (i: Record<string, unknown>, t = token) => admin(DELETE, { i: { projectSlug: 'vec', ...i } }, t);
  const createTable = async (name: string, columns: string) => {
    const r = await admin(`mutation { createTable(input: { projectSlug: "vec", name: "${name}", columns: [${columns}] }) { name } }`);
    expect(r.body.errors).toBeUndefined();
  };
  /** the HNSW indexes Postgres holds in the project's schema */
  const physical = async () =>
    (await s.app.db.query<{ indexname: string; indexdef: string }>(sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'vec' AND indexdef ILIKE '%USING hnsw%' ORDER BY indexname`));
  const rows = async () =>
    (await s.app.db.query<{ name: string; t: string }>(sql`SELECT v.name, t.name AS t FROM koyalite.vector_indexes v JOIN koyalite.tables t ON t.id = v.table_id ORDER BY t.name, v.name`)).map((r) => `${r.t}.${r.name}`);
  const version = async () => (await admin('{ project(slug: "vec") { metadataVersion } }')).body.data?.project.metadataVersion as number;
  /** everything a refused request must leave as it was */
  const state = async () => ({ rows: await rows(), physical: await physical(), version: await version() });

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    expect((await admin('mutation { createProject(input: { name: "Vec", slug: "vec" }) { slug } }')).body.errors).toBeUndefined();
    await createTable('posts', '{ name: "title", type: "text" }, { name: "embedding", type: "vector(3)" }');
    await createTable('docs', '{ name: "body", type: "text" }, { name: "embedding", type: "vector(3)" }');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates an index (COSINE by default), lists it and audits it; HNSW only where the vector extension exists', async () => {
    const v0 = await version();
    const r = await create({ table: 'posts', name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 3 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.createVectorIndex).toMatchObject({ name: 'by_meaning', table: 'posts', embeddingColumn: 'embedding', dimensions: 3, metric: 'COSINE' });
    expect(typeof r.body.data?.createVectorIndex.id).toBe('string');
    expect(Number.isNaN(Date.parse(r.body.data?.createVectorIndex.createdAt))).toBe(false);
    expect(await version()).toBe(v0 + 1);
    expect(await rows()).toEqual(['posts.by_meaning']);

    const all = await admin('{ vectorIndexes(projectSlug: "vec") { name table embeddingColumn dimensions metric } }');
    expect(all.body.data?.vectorIndexes).toEqual([{ name: 'by_meaning', table: 'posts', embeddingColumn: 'embedding', dimensions: 3, metric: 'COSINE' }]);
    expect((await admin('{ vectorIndexes(projectSlug: "vec", table: "docs") { name } }')).body.data?.vectorIndexes).toEqual([]);
    expect((await admin('{ vectorIndexes(projectSlug: "vec", table: "posts") { name } }')).body.data?.vectorIndexes).toEqual([{ name: 'by_meaning' }]);

    const logs = await admin('{ auditLogs(filter: { projectSlug: "vec", action: "vector_index.create" }, limit: 1) { targetType targetId metadata } }');
    expect(logs.body.data?.auditLogs[0]).toEqual({
      targetType: 'VectorIndex',
      targetId: r.body.data?.createVectorIndex.id,
      metadata: { table: 'posts', name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 3, metric: 'COSINE' },
    });

    const idx = await physical();
    if (engine === 'pglite') {
      expect(idx.map((i) => i.indexname)).toEqual(['koya_vec_posts_by_meaning']);
      expect(idx[0]!.indexdef).toMatch(/ON vec\.posts USING hnsw \(embedding vector_cosine_ops\)/);
    } else {
      expect(idx).toEqual([]);
    }
  });

  it.each([
    ['an invalid name', { table: 'docs', name: 'Bad Name', embeddingColumn: 'embedding', dimensions: 3 }, 'BAD_USER_INPUT', 'name', /lowercase letters/],
    ['a reserved word as name', { table: 'docs', name: 'select', embeddingColumn: 'embedding', dimensions: 3 }, 'BAD_USER_INPUT', 'name', /reserved word/],
    ['an unknown column', { table: 'docs', name: 'x', embeddingColumn: 'nope', dimensions: 3 }, 'BAD_USER_INPUT', 'embeddingColumn', /docs\.nope not found/],
    ['a column that is no vector', { table: 'docs', name: 'x', embeddingColumn: 'body', dimensions: 3 }, 'BAD_USER_INPUT', 'embeddingColumn', /docs\.body is text; .*vector\(<n>\)/],
    ['dimensions other than the column size', { table: 'docs', name: 'x', embeddingColumn: 'embedding', dimensions: 4 }, 'BAD_USER_INPUT', 'dimensions', /dimensions must be 3.*got 4/],
    ['the name of an existing index', { table: 'posts', name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 3 }, 'CONFLICT', undefined, /"by_meaning" already exists on posts/],
    ['a second index on the table', { table: 'posts', name: 'other', embeddingColumn: 'embedding', dimensions: 3, metric: 'L2' }, 'CONFLICT', undefined, /already has vector index "by_meaning"/],
    ['an unknown table', { table: 'nope', name: 'x', embeddingColumn: 'embedding', dimensions: 3 }, 'NOT_FOUND', undefined, /table "nope" not found/],
    ['an unknown project', { projectSlug: 'nope', table: 'posts', name: 'x', embeddingColumn: 'embedding', dimensions: 3 }, 'NOT_FOUND', undefined, /project "nope" not found/],
  ])('refuses %s with its code and changes nothing', async (_what, input, expected, field, message) => {
    const before = await state();
    const r = await create(input);
    expect(code(r)).toBe(expected);
    if (field) expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(r.body.errors?.[0]?.message).toMatch(message);
    expect(r.body.data ?? null).toBeNull();
    expect(leaksInternals(r.text)).toBe(false);
    expect(await state()).toEqual(before);
  });

  it('refuses to drop a column a vector index uses, naming the index, and changes nothing', async () => {
    const before = await state();
    const r = await admin('mutation { dropColumn(input: { projectSlug: "vec", table: "posts", name: "embedding" }) { name } }');
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.extensions?.field).toBe('name');
    expect(r.body.errors?.[0]?.message).toMatch(/vector index by_meaning; delete vector index by_meaning first/);
    expect(leaksInternals(r.text)).toBe(false);
    expect(await state()).toEqual(before);
    const cols = await s.app.db.query(sql`SELECT 1 FROM information_schema.columns WHERE table_schema = 'vec' AND table_name = 'posts' AND column_name = 'embedding'`);
    expect(cols).toHaveLength(1);
  });

  it('answers FORBIDDEN to a control-plane user without MANAGE on the project, and changes nothing', async () => {
    expect((await admin('mutation { createRole(input: { name: "vec_reader", permissions: [{ action: SELECT, resource: "vec:*" }, { action: MANAGE, resource: "other:*" }] }) { name } }')).body.errors).toBeUndefined();
    expect((await admin('mutation { createUser(input: { email: "reader@example.com", password: "reader-password-1", roleName: "vec_reader" }) { id } }')).body.errors).toBeUndefined();
    const signIn = await s.admin('mutation { signIn(email: "reader@example.com", password: "reader-password-1") { token } }');
    const readerToken = signIn.body.data?.signIn.token as string;
    expect(readerToken).toBeTruthy();
    const before = await state();
    for (const r of [
      await create({ table: 'docs', name: 'by_body', embeddingColumn: 'embedding', dimensions: 3 }, readerToken),
      await remove({ table: 'posts', name: 'by_meaning' }, readerToken),
    ]) {
      expect(code(r), r.text).toBe('FORBIDDEN');
      expect(leaksInternals(r.text)).toBe(false);
    }
    expect(await state()).toEqual(before);
    // reading needs SELECT on the project only; on a project without any grant the list is FORBIDDEN
    expect((await admin('{ vectorIndexes(projectSlug: "vec") { name } }', {}, readerToken)).body.data?.vectorIndexes).toEqual([{ name: 'by_meaning' }]);
    expect(code(await admin('{ vectorIndexes(projectSlug: "elsewhere") { name } }', {}, readerToken))).toBe('FORBIDDEN');
    expect(code(await admin('{ vectorIndexes(projectSlug: "vec") { name } }', {}, ''))).toBe('UNAUTHENTICATED');
  });

  it('deletes an index with its HNSW index, returning it; a missing one is NOT_FOUND', async () => {
    const v0 = await version();
    const r = await remove({ table: 'posts', name: 'by_meaning' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.deleteVectorIndex).toMatchObject({ name: 'by_meaning', table: 'posts', embeddingColumn: 'embedding', dimensions: 3, metric: 'COSINE' });
    expect(await version()).toBe(v0 + 1);
    expect(await rows()).toEqual([]);
    expect(await physical()).toEqual([]);
    const logs = await admin('{ auditLogs(filter: { projectSlug: "vec", action: "vector_index.delete" }, limit: 1) { targetId metadata } }');
    expect(logs.body.data?.auditLogs[0]).toEqual({ targetId: r.body.data?.deleteVectorIndex.id, metadata: { table: 'posts', name: 'by_meaning' } });

    const before = await state();
    const again = await remove({ table: 'posts', name: 'by_meaning' });
    expect(code(again)).toBe('NOT_FOUND');
    expect(leaksInternals(again.text)).toBe(false);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['L2', 'vector_l2_ops'],
    ['INNER_PRODUCT', 'vector_ip_ops'],
    ['COSINE', 'vector_cosine_ops'],
  ])('creates a %s index with its operator class, and the table can take a new one after a delete', async (metric, opclass) => {
    const r = await create({ table: 'posts', name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 3, metric });
    expect(r.body.data?.createVectorIndex).toMatchObject({ metric });
    const idx = await physical();
    if (engine === 'pglite') expect(idx.map((i) => i.indexdef)).toEqual([expect.stringContaining(`USING hnsw (embedding ${opclass})`)]);
    else expect(idx).toEqual([]);
    expect((await remove({ table: 'posts', name: 'by_meaning' })).body.errors).toBeUndefined();
    expect(await physical()).toEqual([]);
  });

  it('names the HNSW index within 63 bytes for long table and index names', async () => {
    const table = `t${'x'.repeat(56)}_posts`;
    const name = `n${'y'.repeat(61)}`;
    await createTable(table, '{ name: "embedding", type: "vector(3)" }');
    expect((await create({ table, name, embeddingColumn: 'embedding', dimensions: 3 })).body.errors).toBeUndefined();
    const idx = await physical();
    if (engine === 'pglite') {
      expect(idx).toHaveLength(1);
      expect(idx[0]!.indexname).toMatch(/^koya_vec_tx+_[0-9a-f]{8}$/);
      expect(Buffer.byteLength(idx[0]!.indexname)).toBeLessThanOrEqual(63);
    } else {
      expect(idx).toEqual([]);
    }
    expect((await remove({ table, name })).body.errors).toBeUndefined();
    expect(await physical()).toEqual([]);
    expect(await rows()).toEqual([]);
  });

  it('keeps the index row but makes no HNSW index above pgvector\'s 2000 dimensions (exact scan)', async () => {
    await createTable('wide_docs', '{ name: "embedding", type: "vector(2001)" }');
    const r = await create({ table: 'wide_docs', name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 2001 });
    expect(r.body.errors).toBeUndefined();
    expect(await rows()).toEqual(['wide_docs.by_meaning']);
    expect(await physical()).toEqual([]);
    expect((await remove({ table: 'wide_docs', name: 'by_meaning' })).body.errors).toBeUndefined();
  });

  it('drops the index row and HNSW index with its table', async () => {
    await createTable('scratch_items', '{ name: "embedding", type: "vector(3)" }');
    expect((await create({ table: 'scratch_items', name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 3 })).body.errors).toBeUndefined();
    expect(await rows()).toEqual(['scratch_items.by_meaning']);
    const r = await admin('mutation { dropTable(input: { projectSlug: "vec", name: "scratch_items" }) { name } }');
    expect(r.body.errors).toBeUndefined();
    expect(await rows()).toEqual([]);
    expect(await physical()).toEqual([]);
    expect((await admin('{ vectorIndexes(projectSlug: "vec") { name } }')).body.data?.vectorIndexes).toEqual([]);
  });

  it('lets a column be dropped once its index is deleted', async () => {
    expect((await create({ table: 'docs', name: 'by_body', embeddingColumn: 'embedding', dimensions: 3 })).body.errors).toBeUndefined();
    expect((await remove({ table: 'docs', name: 'by_body' })).body.errors).toBeUndefined();
    const r = await admin('mutation { dropColumn(input: { projectSlug: "vec", table: "docs", name: "embedding" }) { name } }');
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.dropColumn).toEqual({ name: 'embedding' });
  });
});
