/**
 * The generated mutations of a project, over real HTTP on both engines, against the blog fixture
 * (test/fixtures/blog.ts): insertX / insertXs (with onConflict upserts), updateX / updateXs
 * (set, inc), deleteX / deleteXs; constraint violations mapped to stable codes naming the field;
 * created_at / updated_at kept by KoyaLite; one SQL statement per mutation field; all fields of a
 * request in one transaction; every write in the audit trail and nothing for reads.
 *
 * Fixture rows used (never modified by these tests, except where a test restores them):
 *   users  u1 ann ann@example.com ADMIN (profile "I write") · u2 bob bob@example.com · u3 cy (no email)
 *   posts  p11 "Hello world" by ann … p16 "Orphan"
 * Every test writes rows of its own (own titles / emails / ids), so tests stay independent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, OpenTransaction } from '../../src/db/database.js';
import { ident, render, sql, type Sql } from '../../src/lib/sql.js';
import { createBlog, uid } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { isBackgroundStatement, leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const PATH = '/projects/blog/graphql';
const MISSING = uid(999_999);

type GqlError = NonNullable<GqlResponse['body']['errors']>[number];

interface AuditEntry {
  id: string;
  action: string;
  targetType: string;
  targetId: string | null;
  metadata: { columns?: string[] } & Record<string, unknown>;
  actorRole: string | null;
  actorId: string | null;
}

const AUDIT = `query($limit: Int) { auditLogs(filter: { projectSlug: "blog" }, limit: $limit) { id action targetType targetId metadata actorRole actorId } }`;

describe.each(ENGINES)('generated mutations on %s', (engine) => {
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

  const send = (query: string, variables?: Record<string, unknown>) => s.gql(PATH, query, variables, token);

  /** A request that must succeed: its data. */
  const ok = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
    const r = await send(query, variables);
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.status).toBe(200);
    return r.body.data;
  };

  /** A request that must fail with one error of `code`, leaking nothing internal: that error and the response. */
  const fails = async (code: string, query: string, variables?: Record<string, unknown>): Promise<GqlError & { response: GqlResponse }> => {
    const r = await send(query, variables);
    expect(r.body.errors, r.text).toBeDefined();
    expect(r.body.errors![0]!.extensions?.code, r.text).toBe(code);
    expect(leaksInternals(r.text), r.text).toBe(false);
    return { ...r.body.errors![0]!, response: r };
  };

  const rows = <R = Record<string, unknown>>(q: Sql) => s.app.db.query<R>(q);
  const table = (name: string) => ident('blog', name);
  const countWhere = async (name: string, column: string, values: unknown[]): Promise<number> => {
    const [r] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${table(name)} WHERE ${ident(column)}::text = ANY(${values.map(String)}::text[])`);
    return r!.n;
  };

  const auditLog = async (): Promise<AuditEntry[]> => {
    const r = await s.admin<{ auditLogs: AuditEntry[] }>(AUDIT, { limit: 1000 }, token);
    expect(r.body.errors, r.text).toBeUndefined();
    return r.body.data!.auditLogs;
  };

  describe('inserts', () => {
    it('insertX returns the inserted row with its relations, all values stored as given', async () => {
      const d = await ok(
        `mutation($i: PostInsertInput!) { insertPost(input: $i) {
          id title body score rating meta labels author_id
          author { name email profile { bio } } comments { body } commentsAggregate { count } tags { label } } }`,
        { i: { id: uid(1001), title: 'Inserted one', score: 7, rating: '12.345', meta: { a: [1, { b: true }] }, labels: ['x', 'y'], author_id: uid(1) } },
      );
      expect(d.insertPost).toEqual({
        id: uid(1001),
        title: 'Inserted one',
        body: null,
        score: 7,
        rating: '12.345',
        meta: { a: [1, { b: true }] },
        labels: ['x', 'y'],
        author_id: uid(1),
        author: { name: 'ann', email: 'ann@example.com', profile: { bio: 'I write' } },
        comments: [],
        commentsAggregate: { count: 0 },
        tags: [],
      });
      const [row] = await rows<Record<string, unknown>>(sql`SELECT title, score, rating::text AS rating, meta, labels, author_id::text AS author_id FROM ${table('posts')} WHERE id = ${uid(1001)}`);
      expect(row).toEqual({ title: 'Inserted one', score: 7, rating: '12.345', meta: { a: [1, { b: true }] }, labels: ['x', 'y'], author_id: uid(1) });
      // the new row is visible to the read API at once
      expect((await ok(`{ post(id: "${uid(1001)}") { title author { name } } }`)).post).toEqual({ title: 'Inserted one', author: { name: 'ann' } });
    });

    it('insertXs returns { affectedRows, returning } for every row', async () => {
      const d = await ok(
        `mutation($i: [PostInsertInput!]!) { insertPosts(inputs: $i) { affectedRows returning { title score author { name } } } }`,
        { i: [{ title: 'Many 1', score: 1, author_id: uid(2) }, { title: 'Many 2', score: 2 }, { title: 'Many 3', author_id: uid(1), body: 'b' }] },
      );
      expect(d.insertPosts.affectedRows).toBe(3);
      const byTitle = [...d.insertPosts.returning].sort((a, b) => a.title.localeCompare(b.title));
      expect(byTitle).toEqual([
        { title: 'Many 1', score: 1, author: { name: 'bob' } },
        { title: 'Many 2', score: 2, author: null },
        { title: 'Many 3', score: null, author: { name: 'ann' } },
      ]);
      expect(await countWhere('posts', 'title', ['Many 1', 'Many 2', 'Many 3'])).toBe(3);
    });

    it('applies column defaults and sets created_at / updated_at; an update moves updated_at only', async () => {
      const before = Date.now();
      const d = await ok(`mutation { insertUser(input: { name: "dee" }) { id name email karma role created_at updated_at } }`);
      const u = d.insertUser;
      expect(u).toMatchObject({ name: 'dee', email: null, karma: null, role: 'MEMBER' });
      expect(u.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const created = Date.parse(u.created_at);
      expect(Math.abs(created - before)).toBeLessThan(60_000);
      expect(u.updated_at).toBe(u.created_at);

      await new Promise((r) => setTimeout(r, 30));
      const upd = (await ok(`mutation($id: UUID!) { updateUser(id: $id, set: { name: "dee2" }) { name created_at updated_at } }`, { id: u.id })).updateUser;
      expect(upd.name).toBe('dee2');
      expect(upd.created_at).toBe(u.created_at);
      expect(Date.parse(upd.updated_at)).toBeGreaterThan(Date.parse(u.updated_at));

      // an inc, too, is an update that moves updated_at
      await new Promise((r) => setTimeout(r, 30));
      const inc = (await ok(`mutation($id: UUID!) { updateUser(id: $id, set: { karma: "1" }) { karma created_at updated_at } }`, { id: u.id })).updateUser;
      expect(inc.created_at).toBe(u.created_at);
      expect(Date.parse(inc.updated_at)).toBeGreaterThan(Date.parse(upd.updated_at));

      const [row] = await rows<{ same: boolean; moved: boolean }>(
        sql`SELECT created_at = ${u.created_at}::timestamptz AS same, updated_at > created_at AS moved FROM ${table('users')} WHERE id = ${u.id}`,
      );
      expect(row).toEqual({ same: true, moved: true });
    });

    it('keeps created_at / updated_at out of every input', async () => {
      for (const q of [
        `mutation { insertUser(input: { name: "t", created_at: "2020-01-01T00:00:00Z" }) { id } }`,
        `mutation { updateUser(id: "${uid(3)}", set: { updated_at: "2020-01-01T00:00:00Z" }) { id } }`,
        `mutation { insertUsers(inputs: [{ name: "t" }], onConflict: { conflictColumns: [id], updateColumns: [created_at] }) { affectedRows } }`,
      ]) {
        await fails('BAD_USER_INPUT', q);
      }
      expect(await countWhere('users', 'name', ['t'])).toBe(0);
    });

    it('validates enum values: an invalid literal or variable is BAD_USER_INPUT and writes nothing', async () => {
      const lit = await fails('BAD_USER_INPUT', `mutation { insertUser(input: { name: "enum-bad", role: BOSS }) { id } }`);
      expect(lit.message).toMatch(/BOSS/);
      const v = await fails('BAD_USER_INPUT', `mutation($i: UserInsertInput!) { insertUser(input: $i) { id } }`, { i: { name: 'enum-bad', role: 'BOSS' } });
      expect(v.message).toMatch(/role|UserRole|BOSS/);
      await fails('BAD_USER_INPUT', `mutation { updateUser(id: "${uid(3)}", set: { role: boss }) { id } }`);
      expect(await countWhere('users', 'name', ['enum-bad'])).toBe(0);
      const d = await ok(`mutation { insertUser(input: { name: "enum-ok", role: ADMIN }) { role } }`);
      expect(d.insertUser.role).toBe('ADMIN');
    });

    it('rejects values of the wrong type as BAD_USER_INPUT', async () => {
      await fails('BAD_USER_INPUT', `mutation { insertPost(input: { title: "bad", rating: "abc" }) { id } }`);
      await fails('BAD_USER_INPUT', `mutation { insertUser(input: { name: "bad", karma: "12x" }) { id } }`);
      await fails('BAD_USER_INPUT', `mutation { insertPost(input: { title: "bad", id: "not-a-uuid" }) { id } }`);
      await fails('BAD_USER_INPUT', `mutation { insertPost(input: { score: 1 }) { id } }`); // title is required
      expect(await countWhere('posts', 'title', ['bad'])).toBe(0);
    });
  });

  describe('upserts', () => {
    it('upserts on the primary key, updating only the chosen columns', async () => {
      await ok(`mutation { insertPost(input: { id: "${uid(1101)}", title: "Upsert me", score: 1, body: "old" }) { id } }`);
      const d = await ok(
        `mutation($i: [PostInsertInput!]!) { insertPosts(inputs: $i, onConflict: { conflictColumns: [id], updateColumns: [title, body] }) {
          affectedRows returning { id title score body } } }`,
        { i: [{ id: uid(1101), title: 'Upserted', score: 99, body: 'new' }, { id: uid(1102), title: 'Fresh', score: 2 }] },
      );
      expect(d.insertPosts.affectedRows).toBe(2);
      const byId = [...d.insertPosts.returning].sort((a, b) => a.id.localeCompare(b.id));
      // score is not in updateColumns: the existing row keeps 1
      expect(byId).toEqual([
        { id: uid(1101), title: 'Upserted', score: 1, body: 'new' },
        { id: uid(1102), title: 'Fresh', score: 2, body: null },
      ]);
      const db = await rows(sql`SELECT id::text AS id, title, score FROM ${table('posts')} WHERE id IN (${uid(1101)}, ${uid(1102)}) ORDER BY id`);
      expect(db).toEqual([
        { id: uid(1101), title: 'Upserted', score: 1 },
        { id: uid(1102), title: 'Fresh', score: 2 },
      ]);
    });

    it('upserts on a unique column, keeping the existing row id and its other columns', async () => {
      const first = (await ok(`mutation { insertUser(input: { name: "fay", email: "fay@example.com", karma: "3" }) { id } }`)).insertUser;
      const d = await ok(
        `mutation { insertUsers(inputs: [{ name: "Fay", email: "fay@example.com", karma: "100" }, { name: "gus", email: "gus@example.com" }],
           onConflict: { conflictColumns: [email], updateColumns: [name] }) { affectedRows returning { id name email karma } } }`,
      );
      expect(d.insertUsers.affectedRows).toBe(2);
      const fay = d.insertUsers.returning.find((u: { email: string }) => u.email === 'fay@example.com');
      expect(fay).toEqual({ id: first.id, name: 'Fay', email: 'fay@example.com', karma: '3' });
      expect(d.insertUsers.returning.find((u: { email: string }) => u.email === 'gus@example.com')).toMatchObject({ name: 'gus', karma: null });
      expect(await countWhere('users', 'email', ['fay@example.com'])).toBe(1);
    });

    it('empty updateColumns does nothing for a conflicting row (affectedRows counts only the inserted ones)', async () => {
      await ok(`mutation { insertUser(input: { name: "hal", email: "hal@example.com" }) { id } }`);
      const only = await ok(
        `mutation { insertUsers(inputs: [{ name: "HAL 9000", email: "hal@example.com" }], onConflict: { conflictColumns: [email], updateColumns: [] }) {
          affectedRows returning { name } } }`,
      );
      expect(only.insertUsers).toEqual({ affectedRows: 0, returning: [] });
      const mixed = await ok(
        `mutation { insertUsers(inputs: [{ name: "HAL 9000", email: "hal@example.com" }, { name: "ivy", email: "ivy@example.com" }],
          onConflict: { conflictColumns: [email], updateColumns: [] }) { affectedRows returning { name email } } }`,
      );
      expect(mixed.insertUsers).toEqual({ affectedRows: 1, returning: [{ name: 'ivy', email: 'ivy@example.com' }] });
      // a do-nothing upsert batch repeating its own key keeps the first row and skips the repeat
      const rep = await ok(
        `mutation { insertUsers(inputs: [{ name: "jo", email: "jo@example.com" }, { name: "JO again", email: "jo@example.com" }],
          onConflict: { conflictColumns: [email], updateColumns: [] }) { affectedRows returning { name } } }`,
      );
      expect(rep.insertUsers).toEqual({ affectedRows: 1, returning: [{ name: 'jo' }] });
      const [hal] = await rows<{ name: string }>(sql`SELECT name FROM ${table('users')} WHERE email = 'hal@example.com'`);
      expect(hal!.name).toBe('hal');
      // on the primary key too, and on a junction's link pair
      const pk = await ok(`mutation { insertPosts(inputs: [{ id: "${uid(11)}", title: "Nope" }], onConflict: { conflictColumns: [id], updateColumns: [] }) { affectedRows } }`);
      expect(pk.insertPosts.affectedRows).toBe(0);
      const link = await ok(
        `mutation { insertPostsTags(inputs: [{ post_id: "${uid(11)}", tag_id: "${uid(31)}" }], onConflict: { conflictColumns: [post_id, tag_id], updateColumns: [] }) { affectedRows } }`,
      );
      expect(link.insertPostsTags.affectedRows).toBe(0);
      expect((await ok(`{ post(id: "${uid(11)}") { title } }`)).post.title).toBe('Hello world');
    });

    it('refuses a conflict target that is not a unique key, and updateColumns it may not write', async () => {
      const e = await fails('BAD_USER_INPUT', `mutation { insertUsers(inputs: [{ name: "x" }], onConflict: { conflictColumns: [name], updateColumns: [name] }) { affectedRows } }`);
      expect(e.extensions?.field).toBe('onConflict.conflictColumns');
      const p = await fails('BAD_USER_INPUT', `mutation { insertUsers(inputs: [{ name: "x", email: "x@example.com" }], onConflict: { conflictColumns: [email], updateColumns: [id] }) { affectedRows } }`);
      expect(p.extensions?.field).toBe('onConflict.updateColumns');
      expect(await countWhere('users', 'name', ['x'])).toBe(0);
    });
  });

  describe('updates and deletes', () => {
    it('updateX applies set and inc and returns the row with relations', async () => {
      await ok(`mutation { insertPost(input: { id: "${uid(1201)}", title: "To update", score: 10, rating: "1.25", author_id: "${uid(2)}" }) { id } }`);
      const d = await ok(
        `mutation { updatePost(id: "${uid(1201)}", set: { title: "Updated", labels: ["u"], meta: { k: "v" } }, inc: { score: 5, rating: "0.50" }) {
          id title score rating labels meta author { name } } }`,
      );
      expect(d.updatePost).toEqual({ id: uid(1201), title: 'Updated', score: 15, rating: '1.75', labels: ['u'], meta: { k: 'v' }, author: { name: 'bob' } });
      const neg = await ok(`mutation { updatePost(id: "${uid(1201)}", inc: { score: -20 }) { score } }`);
      expect(neg.updatePost.score).toBe(-5);
      const [row] = await rows<{ title: string; score: number; rating: string }>(sql`SELECT title, score, rating::text AS rating FROM ${table('posts')} WHERE id = ${uid(1201)}`);
      expect(row).toEqual({ title: 'Updated', score: -5, rating: '1.75' });
      // BigInt inc is exact beyond 2^53
      await ok(`mutation { insertUser(input: { id: "${uid(1202)}", name: "big", karma: "9007199254740993" }) { id } }`);
      expect((await ok(`mutation { updateUser(id: "${uid(1202)}", inc: { karma: "2" }) { karma } }`)).updateUser.karma).toBe('9007199254740995');
    });

    it('updateX returns null for a missing id and writes nothing', async () => {
      const r = await send(`mutation { updatePost(id: "${MISSING}", set: { title: "ghost" }) { id title } }`);
      expect(r.body).toEqual({ data: { updatePost: null } });
      expect(await countWhere('posts', 'title', ['ghost'])).toBe(0);
    });

    it('refuses a column in both set and inc', async () => {
      const e = await fails('BAD_USER_INPUT', `mutation { updatePost(id: "${uid(11)}", set: { score: 1 }, inc: { score: 1 }) { id } }`);
      expect(e.extensions?.field).toBe('inc.score');
    });

    it('updateXs and deleteXs act on the rows of a filter and report affectedRows', async () => {
      await ok(`mutation { insertPosts(inputs: [{ title: "Bulk-a", score: 1 }, { title: "Bulk-b", score: 2 }, { title: "Bulk-c", score: 3 }, { title: "Other-bulk", score: 4 }]) { affectedRows } }`);
      const u = await ok(
        `mutation { updatePosts(where: { title: { startsWith: "Bulk-" } }, set: { body: "bulk" }, inc: { score: 10 }) { affectedRows returning { title score body } } }`,
      );
      expect(u.updatePosts.affectedRows).toBe(3);
      expect([...u.updatePosts.returning].sort((a, b) => a.title.localeCompare(b.title))).toEqual([
        { title: 'Bulk-a', score: 11, body: 'bulk' },
        { title: 'Bulk-b', score: 12, body: 'bulk' },
        { title: 'Bulk-c', score: 13, body: 'bulk' },
      ]);
      const none = await ok(`mutation { updatePosts(where: { title: { eq: "no such title" } }, set: { body: "x" }) { affectedRows returning { id } } }`);
      expect(none.updatePosts).toEqual({ affectedRows: 0, returning: [] });
      // a filter through a relation
      const rel = await ok(`mutation { updatePosts(where: { and: [{ title: { startsWith: "Bulk-" } }, { score: { gt: 11 } }] }, inc: { score: 100 }) { affectedRows } }`);
      expect(rel.updatePosts.affectedRows).toBe(2);

      const del = await ok(`mutation { deletePosts(where: { title: { startsWith: "Bulk-" } }) { affectedRows returning { title score } } }`);
      expect(del.deletePosts.affectedRows).toBe(3);
      expect(del.deletePosts.returning.map((p: { score: number }) => p.score).sort((a: number, b: number) => a - b)).toEqual([11, 112, 113]);
      expect(await countWhere('posts', 'title', ['Bulk-a', 'Bulk-b', 'Bulk-c'])).toBe(0);
      expect(await countWhere('posts', 'title', ['Other-bulk'])).toBe(1);
      const again = await ok(`mutation { deletePosts(where: { title: { startsWith: "Bulk-" } }) { affectedRows } }`);
      expect(again.deletePosts.affectedRows).toBe(0);
    });

    it('deleteX returns the deleted row with a relation, and null when it does not exist', async () => {
      await ok(`mutation { insertPost(input: { id: "${uid(1301)}", title: "To delete", score: 3, author_id: "${uid(2)}" }) { id } }`);
      await ok(`mutation { insertComment(input: { id: "${uid(1302)}", body: "on a doomed post", post_id: "${uid(1301)}", author_id: "${uid(1)}" }) { id } }`);
      const d = await ok(`mutation { deletePost(id: "${uid(1301)}") { id title score author { name } } }`);
      expect(d.deletePost).toEqual({ id: uid(1301), title: 'To delete', score: 3, author: { name: 'bob' } });
      expect(await countWhere('posts', 'id', [uid(1301)])).toBe(0);
      // the relationship's ON DELETE CASCADE took the comment with it
      expect(await countWhere('comments', 'id', [uid(1302)])).toBe(0);
      const r = await send(`mutation { deletePost(id: "${uid(1301)}") { id title } }`);
      expect(r.body).toEqual({ data: { deletePost: null } });
    });
  });

  describe('constraint violations', () => {
    it('unique → CONFLICT naming the columns (insert and update)', async () => {
      const e = await fails('CONFLICT', `mutation { insertUser(input: { name: "dup", email: "bob@example.com" }) { id } }`);
      expect(e.extensions?.fields).toEqual(['email']);
      expect(e.extensions?.field).toBe('input.email');
      expect(e.message).toMatch(/email/);
      expect(e.response.body.data).toBeNull();
      const u = await fails('CONFLICT', `mutation { updateUser(id: "${uid(3)}", set: { email: "bob@example.com" }) { id } }`);
      expect(u.extensions?.fields).toEqual(['email']);
      expect(u.extensions?.field).toBe('set.email');
      const pk = await fails('CONFLICT', `mutation { insertPost(input: { id: "${uid(11)}", title: "same id" }) { id } }`);
      expect(pk.extensions?.fields).toEqual(['id']);
      expect(pk.extensions?.field).toBe('input.id');
      const link = await fails('CONFLICT', `mutation { insertPostsTag(input: { post_id: "${uid(11)}", tag_id: "${uid(31)}" }) { id } }`);
      expect(link.extensions?.fields).toEqual(expect.arrayContaining(['post_id', 'tag_id']));
      expect(await countWhere('users', 'name', ['dup'])).toBe(0);
      expect((await ok(`{ user(id: "${uid(3)}") { email } }`)).user.email).toBeNull();
    });

    it('foreign key → BAD_USER_INPUT naming the field (insert and update)', async () => {
      const e = await fails('BAD_USER_INPUT', `mutation { insertPost(input: { title: "fk-bad", author_id: "${MISSING}" }) { id } }`);
      expect(e.extensions?.field).toBe('input.author_id');
      expect(e.message).toMatch(/author_id/);
      const u = await fails('BAD_USER_INPUT', `mutation { updatePost(id: "${uid(12)}", set: { author_id: "${MISSING}" }) { id } }`);
      expect(u.extensions?.field).toBe('set.author_id');
      const many = await fails('BAD_USER_INPUT', `mutation { updatePosts(where: { id: { eq: "${uid(12)}" } }, set: { author_id: "${MISSING}" }) { affectedRows } }`);
      expect(many.extensions?.field).toBe('set.author_id');
      expect(await countWhere('posts', 'title', ['fk-bad'])).toBe(0);
      expect((await ok(`{ post(id: "${uid(12)}") { author { name } } }`)).post.author.name).toBe('ann');
    });

    it('not-null → BAD_USER_INPUT naming the field (set: { title: null })', async () => {
      const e = await fails('BAD_USER_INPUT', `mutation { updatePost(id: "${uid(12)}", set: { title: null }) { id } }`);
      expect(e.extensions?.field).toBe('set.title');
      expect(e.message).toMatch(/title/);
      const many = await fails('BAD_USER_INPUT', `mutation { updatePosts(where: { id: { eq: "${uid(12)}" } }, set: { title: null }) { affectedRows } }`);
      expect(many.extensions?.field).toBe('set.title');
      const user = await fails('BAD_USER_INPUT', `mutation($s: UserSetInput) { updateUser(id: "${uid(3)}", set: $s) { id } }`, { s: { name: null } });
      expect(user.extensions?.field).toBe('set.name');
      expect((await ok(`{ post(id: "${uid(12)}") { title } }`)).post.title).toBe('Second post');
    });

    it('never shows a raw database message', async () => {
      for (const q of [
        `mutation { insertUsers(inputs: [{ name: "a", email: "ann@example.com" }]) { affectedRows } }`,
        `mutation { insertComment(input: { body: "x", post_id: "${MISSING}" }) { id } }`,
        `mutation { updatePosts(where: {}, set: { title: null }) { affectedRows } }`,
      ]) {
        const r = await send(q);
        expect(r.body.errors?.length, r.text).toBeGreaterThan(0);
        expect(r.body.errors![0]!.extensions?.code).not.toBe('INTERNAL');
        expect(leaksInternals(r.text), r.text).toBe(false);
        expect(r.text).not.toMatch(/constraint|_fkey|_key\b|SQLSTATE|23505|23503|23502|"blog"/);
      }
    });
  });

  describe('acceptance', () => {
    it('(1) a batch insert with one bad row inserts nothing and names the row and field', async () => {
      // the 3rd of 4 rows repeats an existing user's email
      const dupEmails = ['batch1@example.com', 'batch2@example.com', 'ann@example.com', 'batch4@example.com'];
      const e = await fails('CONFLICT', `mutation($i: [UserInsertInput!]!) { insertUsers(inputs: $i) { affectedRows } }`, {
        i: dupEmails.map((email, n) => ({ name: `batch-${n}`, email })),
      });
      expect(e.extensions?.field).toBe('inputs[2].email');
      expect(e.extensions?.fields).toEqual(['email']);
      expect(e.response.body.data).toBeNull();
      expect(await countWhere('users', 'name', ['batch-0', 'batch-1', 'batch-2', 'batch-3'])).toBe(0);

      // the 3rd of 4 rows repeats the email of the 1st row of the same batch
      const inner = await fails('CONFLICT', `mutation($i: [UserInsertInput!]!) { insertUsers(inputs: $i) { affectedRows } }`, {
        i: ['twin@example.com', 'b2@example.com', 'twin@example.com', 'b4@example.com'].map((email, n) => ({ name: `twin-${n}`, email })),
      });
      expect(inner.extensions?.field).toBe('inputs[2].email');
      expect(await countWhere('users', 'name', ['twin-0', 'twin-1', 'twin-2', 'twin-3'])).toBe(0);

      // the 3rd of 4 rows references a missing author
      const fk = await fails('BAD_USER_INPUT', `mutation($i: [PostInsertInput!]!) { insertPosts(inputs: $i) { affectedRows } }`, {
        i: [uid(1), uid(2), MISSING, uid(3)].map((author_id, n) => ({ title: `fk-batch-${n}`, author_id })),
      });
      expect(fk.extensions?.field).toBe('inputs[2].author_id');
      expect(await countWhere('posts', 'title', ['fk-batch-0', 'fk-batch-1', 'fk-batch-2', 'fk-batch-3'])).toBe(0);

      // the 3rd of 4 rows has an invalid enum value: refused before anything runs
      const en = await fails('BAD_USER_INPUT', `mutation($i: [UserInsertInput!]!) { insertUsers(inputs: $i) { affectedRows } }`, {
        i: ['MEMBER', 'ADMIN', 'OWNER', 'MEMBER'].map((role, n) => ({ name: `enum-batch-${n}`, role })),
      });
      expect(en.message).toMatch(/inputs|\[2\]|OWNER/);
      expect(await countWhere('users', 'name', ['enum-batch-0', 'enum-batch-1', 'enum-batch-2', 'enum-batch-3'])).toBe(0);

      // an upsert batch repeating its own conflict key is refused the same way, not an internal error
      const up = await send(
        `mutation { insertUsers(inputs: [{ name: "u0", email: "rep@example.com" }, { name: "u1", email: "rep2@example.com" }, { name: "u2", email: "rep@example.com" }],
          onConflict: { conflictColumns: [email], updateColumns: [name] }) { affectedRows } }`,
      );
      expect(['CONFLICT', 'BAD_USER_INPUT'], up.text).toContain(up.body.errors?.[0]?.extensions?.code);
      expect(up.body.errors![0]!.extensions?.field).toBe('inputs[2].email');
      expect(leaksInternals(up.text)).toBe(false);
      expect(await countWhere('users', 'name', ['u0', 'u1', 'u2'])).toBe(0);

      // the same batch without the bad row goes through whole
      const good = await ok(`mutation($i: [UserInsertInput!]!) { insertUsers(inputs: $i) { affectedRows } }`, {
        i: ['batch1@example.com', 'batch2@example.com', 'batch4@example.com'].map((email, n) => ({ name: `batch-${n}`, email })),
      });
      expect(good.insertUsers.affectedRows).toBe(3);
    });

    it('(2) concurrent upserts on the same key from 16 clients leave exactly one row, with no unexpected errors', async () => {
      const UPSERT = `mutation($name: String!) { insertUsers(inputs: [{ name: $name, email: "race@example.com" }],
        onConflict: { conflictColumns: [email], updateColumns: [name] }) { affectedRows returning { id name email } } }`;
      for (const round of [1, 2]) {
        // round 1 races on a key that does not exist yet, round 2 on an existing one
        const responses = await Promise.all(Array.from({ length: 16 }, (_, i) => send(UPSERT, { name: `client-${round}-${i}` })));
        const ids = new Set<string>();
        let succeeded = 0;
        for (const r of responses) {
          expect(r.status).toBe(200);
          expect(leaksInternals(r.text), r.text).toBe(false);
          if (r.body.errors) {
            // the only acceptable failures: a conflict / serialization-type error with a stable code
            expect(['CONFLICT'], r.text).toContain(r.body.errors[0]!.extensions?.code);
            continue;
          }
          succeeded++;
          expect(r.body.data!.insertUsers.affectedRows).toBe(1);
          ids.add(r.body.data!.insertUsers.returning[0].id);
        }
        // a one-statement upsert is atomic: every client succeeds, all on the same row
        expect(succeeded).toBe(16);
        expect(ids.size).toBe(1);
        const db = await rows<{ id: string; name: string }>(sql`SELECT id::text AS id, name FROM ${table('users')} WHERE email = 'race@example.com'`);
        expect(db).toHaveLength(1);
        expect([...ids]).toEqual([db[0]!.id]);
        expect(db[0]!.name).toMatch(new RegExp(`^client-${round}-\\d+$`));
      }
    });

    it('(3) the audit log shows every write of a scripted session, with column names and never values, and nothing for reads', async () => {
      const before = new Set((await auditLog()).map((e) => e.id));
      const SECRET_TITLE = 'audit-secret-title-7a1';
      const SECRET_BODY = 'audit-secret-body-c3f';

      const ins = await ok(`mutation($i: [PostInsertInput!]!) { insertPosts(inputs: $i) { returning { id } } }`, {
        i: [
          { title: SECRET_TITLE, author_id: uid(1) },
          { title: `${SECRET_TITLE}-2`, author_id: uid(2) },
        ],
      });
      const [p1, p2] = ins.insertPosts.returning.map((p: { id: string }) => p.id) as [string, string];
      const c = await ok(`mutation($p: UUID!, $b: String!) { insertComment(input: { post_id: $p, body: $b }) { id } }`, { p: p1, b: SECRET_BODY });
      const c1 = c.insertComment.id as string;
      await ok(`mutation($id: UUID!, $b: String!) { updatePost(id: $id, set: { body: $b }, inc: { score: 1 }) { id } }`, { id: p1, b: SECRET_BODY });
      await ok(`mutation($ids: [UUID!]!) { updatePosts(where: { id: { in: $ids } }, set: { title: "${SECRET_TITLE}-3" }) { affectedRows } }`, { ids: [p1, p2] });
      // writes that change nothing or fail leave no entry
      await ok(`mutation { updatePost(id: "${MISSING}", set: { title: "none" }) { id } }`);
      await ok(`mutation { deletePosts(where: { title: { eq: "no such post" } }) { affectedRows } }`);
      await fails('CONFLICT', `mutation { insertUser(input: { name: "audit-dup", email: "ann@example.com" }) { id } }`);
      await ok(`mutation($id: UUID!) { deleteComment(id: $id) { id } }`, { id: c1 });
      await ok(`mutation($ids: [UUID!]!) { deletePosts(where: { id: { in: $ids } }) { affectedRows } }`, { ids: [p1, p2] });

      const after = await auditLog();
      const session = after.filter((e) => !before.has(e.id));
      const summary = session.map((e) => `${e.action} ${e.targetType} ${e.targetId} ${[...(e.metadata.columns ?? [])].sort().join(',')}`).sort();
      expect(summary).toEqual(
        [
          `posts.insert posts ${p1} author_id,title`,
          `posts.insert posts ${p2} author_id,title`,
          `comments.insert comments ${c1} body,post_id`,
          `posts.update posts ${p1} body,score`,
          `posts.update posts ${p1} title`,
          `posts.update posts ${p2} title`,
          `comments.delete comments ${c1} `,
          `posts.delete posts ${p1} `,
          `posts.delete posts ${p2} `,
        ].sort(),
      );
      for (const e of session) {
        expect(e.actorId).toBeTruthy();
        expect(e.actorId).toBe(session[0]!.actorId);
        expect(e.actorRole).toBeTruthy();
        expect(Array.isArray(e.metadata.columns)).toBe(true);
      }
      // never values
      const text = JSON.stringify(session);
      expect(text).not.toContain(SECRET_TITLE);
      expect(text).not.toContain(SECRET_BODY);
      expect(text).not.toContain('audit-secret');

      // reads: nothing
      const count = after.length;
      await ok(`{ posts(orderBy: [{ title: ASC }]) { title author { name } comments { body } } users { name } }`);
      await ok(`{ postsAggregate { count } post(id: "${uid(11)}") { title } }`);
      await ok(`{ usersConnection(first: 2) { edges { node { name } } } }`);
      const g = new URL(`${s.url}${PATH}`);
      g.searchParams.set('query', '{ comments { body } }');
      expect((await fetch(g, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await auditLog()).length).toBe(count);
    });

    it('(4) a request whose second mutation fails rolls back the first', async () => {
      const r = await send(`mutation {
        a: insertPost(input: { id: "${uid(1401)}", title: "Rolled back" }) { id }
        b: insertUser(input: { name: "rb", email: "ann@example.com" }) { id }
      }`);
      expect(r.body.data).toBeNull();
      expect(r.body.errors?.[0]?.extensions?.code, r.text).toBe('CONFLICT');
      expect(leaksInternals(r.text)).toBe(false);
      expect(await countWhere('posts', 'id', [uid(1401)])).toBe(0);
      expect(await countWhere('users', 'name', ['rb'])).toBe(0);

      // an update and a delete are undone as well; a field after the failure does not run
      const audit = (await auditLog()).length;
      const r2 = await send(`mutation {
        u: updatePost(id: "${uid(14)}", set: { title: "Changed" }, inc: { score: 1 }) { id }
        d: deleteComment(id: "${uid(24)}") { id }
        f: updatePost(id: "${uid(15)}", set: { title: null }) { id }
        after: insertTag(input: { label: "never" }) { id }
      }`);
      expect(r2.body.data).toBeNull();
      expect(r2.body.errors?.map((e) => e.extensions?.code)).toContain('BAD_USER_INPUT');
      expect(leaksInternals(r2.text)).toBe(false);
      const p14 = await ok(`{ post(id: "${uid(14)}") { title score comments { body } } }`);
      expect(p14.post).toEqual({ title: 'Bob says hi', score: 30, comments: [{ body: 'hi bob' }] });
      expect(await countWhere('tags', 'label', ['never'])).toBe(0);
      // nor did the rolled-back writes leave audit entries
      expect((await auditLog()).length).toBe(audit);
    });

    it('all mutation fields of a request share one transaction: a later field sees an earlier one', async () => {
      const d = await ok(`mutation {
        u: insertUser(input: { id: "${uid(1501)}", name: "zed" }) { id }
        p: insertPost(input: { id: "${uid(1502)}", title: "by zed", author_id: "${uid(1501)}" }) { title author { name } }
        n: updatePosts(where: { author: { name: { eq: "zed" } } }, inc: { score: 1 }) { affectedRows }
      }`);
      expect(d).toEqual({ u: { id: uid(1501) }, p: { title: 'by zed', author: { name: 'zed' } }, n: { affectedRows: 1 } });
      expect(await countWhere('posts', 'id', [uid(1502)])).toBe(1);
    });
  });

  describe('returned rows and statements', () => {
    it('returns rows through the selection compiler: aliases, __typename, fragments, nested to-one', async () => {
      const one = await ok(`mutation { insertPost(input: { title: "Sel", score: 4, author_id: "${uid(1)}" }) {
        __typename t: title again: title ...F
        writer: author { __typename n: name profile { bio } }
      } }
      fragment F on Post { s: score }`);
      expect(one.insertPost).toEqual({ __typename: 'Post', t: 'Sel', again: 'Sel', s: 4, writer: { __typename: 'User', n: 'ann', profile: { bio: 'I write' } } });

      const many = await ok(`mutation { r: insertPosts(inputs: [{ title: "Sel2", author_id: "${uid(2)}" }]) {
        __typename n: affectedRows count: affectedRows rows: returning { __typename t: title author { name } } more: returning { id }
      } }`);
      expect(many.r).toMatchObject({ __typename: 'PostMutationResult', n: 1, count: 1, rows: [{ __typename: 'Post', t: 'Sel2', author: { name: 'bob' } }] });
      expect(many.r.more).toHaveLength(1);

      const upd = await ok(`mutation { x: updatePosts(where: { title: { in: ["Sel", "Sel2"] } }, set: { body: "b" }) { affectedRows returning { title by: author { name } } } }`);
      expect(upd.x.affectedRows).toBe(2);
      expect([...upd.x.returning].sort((a, b) => a.title.localeCompare(b.title))).toEqual([
        { title: 'Sel', by: { name: 'ann' } },
        { title: 'Sel2', by: { name: 'bob' } },
      ]);
      const del = await ok(`mutation { deletePosts(where: { title: { in: ["Sel", "Sel2"] } }) { __typename affectedRows } }`);
      expect(del.deletePosts).toEqual({ __typename: 'PostMutationResult', affectedRows: 2 });
    });

    it('runs each mutation field as exactly one statement (write, audit and returned rows together)', async () => {
      const db = s.app.db as Database;
      const original = { query: db.query, exec: db.exec, begin: db.begin };
      let statements: string[] = [];
      let begins = 0;
      const record = (q: Sql) => {
        const text = render(q).text;
        if (!isBackgroundStatement(text)) statements.push(text);
      };
      db.query = ((q: Sql) => {
        record(q);
        return original.query.call(db, q);
      }) as Database['query'];
      db.exec = (q: Sql) => {
        record(q);
        return original.exec.call(db, q);
      };
      db.begin = async () => {
        begins++;
        const tx = await original.begin.call(db);
        const wrapped: OpenTransaction = {
          query: ((q: Sql) => {
            record(q);
            return tx.query(q);
          }) as OpenTransaction['query'],
          exec: (q: Sql) => {
            record(q);
            return tx.exec(q);
          },
          commit: () => tx.commit(),
          rollback: () => tx.rollback(),
        };
        return wrapped;
      };
      const measure = async (query: string) => {
        statements = [];
        begins = 0;
        const r = await send(query);
        // only statements on the project's data count (workers may poll the meta store meanwhile)
        return { r, data: statements.filter((t) => t.includes('"blog".')), begins };
      };
      try {
        // warm-up: schema built, token cached
        await measure(`mutation { updatePosts(where: { title: { eq: "nothing" } }, set: { body: "x" }) { affectedRows } }`);

        const single = await measure(`mutation { insertPosts(inputs: [{ title: "Count 1", author_id: "${uid(1)}" }, { title: "Count 2" }]) {
          affectedRows returning { title author { name profile { bio } } } } }`);
        expect(single.r.body.errors, single.r.text).toBeUndefined();
        expect(single.data).toHaveLength(1);
        expect(single.data[0]).toMatch(/^WITH m AS \(INSERT INTO "blog"\."posts"/);
        expect(single.data[0]).toContain('koyalite.audit_logs');

        const multi = await measure(`mutation {
          a: insertPost(input: { id: "${uid(1601)}", title: "Count 3", author_id: "${uid(2)}" }) { title author { name } }
          b: updatePosts(where: { title: { startsWith: "Count " } }, inc: { score: 1 }) { affectedRows returning { author { name } } }
          c: deletePost(id: "${uid(1601)}") { id author { name } }
        }`);
        expect(multi.r.body.errors, multi.r.text).toBeUndefined();
        expect(multi.r.body.data!.b.affectedRows).toBe(3);
        expect(multi.begins).toBe(1);
        expect(multi.data).toHaveLength(3);
        expect(multi.data.map((t) => /^WITH m AS \((\w+)/.exec(t)?.[1])).toEqual(['INSERT', 'UPDATE', 'DELETE']);

        const many = await measure(`mutation { deletePosts(where: { title: { startsWith: "Count " } }) { affectedRows returning { title comments { body } tags { label } } } }`);
        expect(many.r.body.data!.deletePosts.affectedRows).toBe(2);
        expect(many.data).toHaveLength(1);
      } finally {
        Object.assign(db, original);
      }
    });
  });
});
