/**
 * Tables, columns and relationships through /admin/graphql on both engines: metadata and DDL
 * commit together, names are checked at creation, data is never silently dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const code = (r: GqlResponse) => r.body.errors?.[0]?.extensions?.code;

describe.each(ENGINES)('tables API on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const admin = (q: string, v?: Record<string, unknown>) => s.admin(q, v, token);
  const physicalColumns = async (table: string) =>
    (await s.app.db.query<{ column_name: string; data_type: string; is_nullable: string }>(
      sql`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = ${table} ORDER BY ordinal_position`,
    )).map((c) => `${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}`);
  const version = async () => Number((await s.app.db.query<{ v: number }>(sql`SELECT metadata_version AS v FROM koyalite.projects WHERE slug = 'shop'`))[0]?.v);

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await admin('mutation { createProject(input: { name: "Shop", slug: "shop" }) { slug } }');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates a table with every column type, a uuid key and timestamps', async () => {
    const r = await admin(`mutation { createTable(input: { projectSlug: "shop", name: "users", columns: [
      { name: "name", type: "text", isNullable: false },
      { name: "email", type: "varchar", isUnique: true },
      { name: "age", type: "integer", defaultValue: "18" },
      { name: "visits", type: "bigint" },
      { name: "balance", type: "numeric", defaultValue: "0.50" },
      { name: "rating", type: "float" },
      { name: "active", type: "boolean", defaultValue: "true" },
      { name: "external_id", type: "uuid", defaultValue: "gen_random_uuid()" },
      { name: "last_seen", type: "timestamptz", defaultValue: "now()" },
      { name: "birthday", type: "date" },
      { name: "prefs", type: "jsonb", defaultValue: "{\\"theme\\":\\"dark\\"}" },
      { name: "status", type: "enum", enumValues: ["ACTIVE", "BANNED"], defaultValue: "ACTIVE" },
      { name: "tags", type: "text[]" },
      { name: "scores", type: "integer[]", defaultValue: "[1,2]" },
      { name: "embedding", type: "vector(3)" }
    ] }) { name primaryKeyType timestamps columns { name type isNullable isUnique defaultValue enumValues } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.createTable.columns.map((c: { name: string }) => c.name)).toEqual([
      'id', 'name', 'email', 'age', 'visits', 'balance', 'rating', 'active', 'external_id', 'last_seen', 'birthday', 'prefs', 'status', 'tags', 'scores', 'embedding', 'created_at', 'updated_at',
    ]);
    const cols = await physicalColumns('users');
    expect(cols[0]).toBe('id uuid not null');
    expect(cols).toContain('name text not null');
    expect(cols).toContain('rating double precision');
    expect(cols).toContain('created_at timestamp with time zone not null');
    // defaults apply, and the enum is enforced by the database
    await s.app.db.query(sql`INSERT INTO shop.users (name) VALUES ('ann')`);
    const [row] = await s.app.db.query<Record<string, unknown>>(sql`SELECT age, active, status, prefs, scores::text AS scores FROM shop.users`);
    expect(row).toMatchObject({ age: 18, active: true, status: 'ACTIVE', prefs: { theme: 'dark' }, scores: '{1,2}' });
    await expect(s.app.db.query(sql`INSERT INTO shop.users (name, status) VALUES ('bob', 'NOPE')`)).rejects.toThrow();
  });

  it('relates tables one-to-many (FK column created and indexed), one-to-one and many-to-many', async () => {
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "posts", columns: [{ name: "title", type: "text", isNullable: false }] }) { name } }');
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "tags", primaryKey: BIGINT, columns: [{ name: "label", type: "text" }] }) { name } }');
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "profiles", columns: [{ name: "bio", type: "text" }] }) { name } }');
    const o2m = await admin('mutation { createRelationship(input: { projectSlug: "shop", type: ONE_TO_MANY, fromTable: "users", toTable: "posts", foreignKeyColumn: "author_id" }) { type fromTable toTable foreignKeyColumn fromFieldName toFieldName onDelete } }');
    expect(o2m.body.data?.createRelationship).toEqual({ type: 'ONE_TO_MANY', fromTable: 'users', toTable: 'posts', foreignKeyColumn: 'author_id', fromFieldName: 'posts', toFieldName: 'author', onDelete: 'CASCADE' });
    expect(await physicalColumns('posts')).toContain('author_id uuid');
    const o2o = await admin('mutation { createRelationship(input: { projectSlug: "shop", type: ONE_TO_ONE, fromTable: "users", toTable: "profiles" }) { foreignKeyColumn fromFieldName toFieldName } }');
    expect(o2o.body.data?.createRelationship).toEqual({ foreignKeyColumn: 'user_id', fromFieldName: 'profile', toFieldName: 'user' });
    const m2m = await admin('mutation { createRelationship(input: { projectSlug: "shop", type: MANY_TO_MANY, fromTable: "posts", toTable: "tags" }) { junctionTable fromFieldName toFieldName } }');
    expect(m2m.body.data?.createRelationship).toEqual({ junctionTable: 'posts_tags', fromFieldName: 'tags', toFieldName: 'posts' });
    expect(await physicalColumns('posts_tags')).toEqual(['id uuid not null', 'created_at timestamp with time zone not null', 'updated_at timestamp with time zone not null', 'post_id uuid not null', 'tag_id bigint not null']);
    // the constraints are real
    await expect(s.app.db.query(sql`INSERT INTO shop.posts (title, author_id) VALUES ('x', gen_random_uuid())`)).rejects.toThrow();
  });

  it('adds and drops columns, bumping the metadata version each time', async () => {
    const v0 = await version();
    const add = await admin('mutation { addColumn(input: { projectSlug: "shop", table: "posts", name: "score", type: "integer", isNullable: false, defaultValue: "0" }) { name type } }');
    expect(add.body.data?.addColumn).toEqual({ name: 'score', type: 'integer' });
    expect(await version()).toBe(v0 + 1);
    const drop = await admin('mutation { dropColumn(input: { projectSlug: "shop", table: "posts", name: "score" }) { name } }');
    expect(drop.body.data?.dropColumn).toEqual({ name: 'score' });
    expect(await physicalColumns('posts')).not.toContain('score integer not null');
    expect(await version()).toBe(v0 + 2);
  });

  it('refuses a NOT NULL column without default on a table with rows, and changes nothing', async () => {
    const v0 = await version();
    const r = await admin('mutation { addColumn(input: { projectSlug: "shop", table: "users", name: "nickname", type: "text", isNullable: false }) { name } }');
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(/default or make it nullable/);
    expect(await physicalColumns('users')).not.toContain('nickname text not null');
    const meta = await admin('{ table(projectSlug: "shop", name: "users") { columns { name } } }');
    expect(meta.body.data?.table.columns.map((c: { name: string }) => c.name)).not.toContain('nickname');
    expect(await version()).toBe(v0);
    expect(leaksInternals(r.text)).toBe(false);
  });

  it.each([
    ['a reserved word', '{ projectSlug: "shop", name: "select" }', /reserved word/],
    ['an uppercase name', '{ projectSlug: "shop", name: "Posts" }', /lowercase/],
    ['a name over 63 bytes', `{ projectSlug: "shop", name: "${'t'.repeat(64)}" }`, /63 bytes/],
    ['an injection attempt', '{ projectSlug: "shop", name: "x\\"; DROP TABLE shop.users; --" }', /lowercase/],
    ['an unknown type', '{ projectSlug: "shop", name: "things", columns: [{ name: "a", type: "money" }] }', /unknown type/],
    ['a bad default', '{ projectSlug: "shop", name: "things", columns: [{ name: "a", type: "integer", defaultValue: "1; DROP" }] }', /must be an integer/],
    ['an enum without values', '{ projectSlug: "shop", name: "things", columns: [{ name: "a", type: "enum" }] }', /enumValues/],
    ['a managed column', '{ projectSlug: "shop", name: "things", columns: [{ name: "created_at", type: "text" }] }', /kept by KoyaLite/],
    ['a name colliding with a built-in type', '{ projectSlug: "shop", name: "queries", singularName: "query" }', /built in|reserved/],
    ['a name whose singular equals its plural', '{ projectSlug: "shop", name: "sheep" }', /singularName or pluralName/],
    ['a name colliding with another table', '{ projectSlug: "shop", name: "people", singularName: "user" }', /collides with table users/],
  ])('refuses %s at creation with a message saying what to change', async (_what, input, message) => {
    const v0 = await version();
    const r = await admin(`mutation { createTable(input: ${input}) { name } }`);
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toMatch(message);
    expect(await version()).toBe(v0);
    expect(leaksInternals(r.text)).toBe(false);
  });

  it('refuses a duplicate table with CONFLICT', async () => {
    const r = await admin('mutation { createTable(input: { projectSlug: "shop", name: "users" }) { name } }');
    expect(code(r)).toBe('CONFLICT');
  });

  it('drops a table with its relationships', async () => {
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "drafts" }) { name } }');
    await admin('mutation { createRelationship(input: { projectSlug: "shop", type: ONE_TO_MANY, fromTable: "posts", toTable: "drafts" }) { type } }');
    const r = await admin('mutation { dropTable(input: { projectSlug: "shop", name: "drafts" }) { name } }');
    expect(r.body.data?.dropTable).toEqual({ name: 'drafts' });
    expect(await physicalColumns('drafts')).toEqual([]);
    const rels = await admin('{ relationships(projectSlug: "shop") { toTable } }');
    expect(rels.body.data?.relationships.map((x: { toTable: string }) => x.toTable)).not.toContain('drafts');
  });
});
