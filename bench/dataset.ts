/**
 * The deterministic benchmark dataset, defined through KoyaLite's own admin API and bulk-loaded
 * with SQL: users 10,000; posts 100,000 (author_id → users, title, body ~200 chars, score 0–99,
 * created_at); comments 500,000 (post_id → posts, author_id → users, body, created_at).
 */
import pg from 'pg';

type Admin = (query: string) => Promise<unknown>;

export async function defineSchema(admin: Admin): Promise<void> {
  await admin('mutation { createProject(input: { name: "Bench", slug: "bench" }) { slug } }');
  await admin('mutation { createTable(input: { projectSlug: "bench", name: "users", columns: [{ name: "name", type: "text", isNullable: false }] }) { name } }');
  await admin('mutation { createTable(input: { projectSlug: "bench", name: "posts", columns: [{ name: "title", type: "text", isNullable: false }, { name: "body", type: "text" }, { name: "score", type: "integer" }] }) { name } }');
  await admin('mutation { createTable(input: { projectSlug: "bench", name: "comments", columns: [{ name: "body", type: "text" }] }) { name } }');
  await admin('mutation { createRelationship(input: { projectSlug: "bench", type: ONE_TO_MANY, fromTable: "users", toTable: "posts", foreignKeyColumn: "author_id" }) { type } }');
  await admin('mutation { createRelationship(input: { projectSlug: "bench", type: ONE_TO_MANY, fromTable: "posts", toTable: "comments" }) { type } }');
  await admin('mutation { createRelationship(input: { projectSlug: "bench", type: ONE_TO_MANY, fromTable: "users", toTable: "comments", foreignKeyColumn: "author_id", fromFieldName: "comments" }) { type } }');
}

export async function loadRows(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`INSERT INTO bench.users (id, name, created_at)
      SELECT ('00000001-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'user ' || i, timestamptz '2025-01-01' + i * interval '1 minute'
      FROM generate_series(1, 10000) i`);
    await c.query(`INSERT INTO bench.posts (id, author_id, title, body, score, created_at)
      SELECT ('00000002-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
             ('00000001-0000-4000-8000-' || lpad((i % 10000 + 1)::text, 12, '0'))::uuid,
             'post ' || i, repeat(md5(i::text), 6) || left(md5((i + 1)::text), 8), (i * 37) % 100,
             timestamptz '2025-02-01' + i * interval '17 seconds'
      FROM generate_series(1, 100000) i`);
    await c.query(`INSERT INTO bench.comments (id, post_id, author_id, body, created_at)
      SELECT ('00000003-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
             ('00000002-0000-4000-8000-' || lpad((i % 100000 + 1)::text, 12, '0'))::uuid,
             ('00000001-0000-4000-8000-' || lpad(((i * 7) % 10000 + 1)::text, 12, '0'))::uuid,
             'comment ' || i || ' ' || md5(i::text), timestamptz '2025-03-01' + i * interval '3 seconds'
      FROM generate_series(1, 500000) i`);
    // access paths both servers rely on (FK indexes come from the relationships)
    await c.query('CREATE INDEX posts_created_at_idx ON bench.posts (created_at)');
    await c.query('CREATE INDEX comments_post_created_idx ON bench.comments (post_id, created_at)');
    await c.query('CREATE INDEX posts_author_created_idx ON bench.posts (author_id, created_at)');
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}
