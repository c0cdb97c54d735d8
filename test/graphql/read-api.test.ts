/**
 * The generated read API of a project, over real HTTP on both engines, against the blog fixture
 * (test/fixtures/blog.ts). Every expected value is written out by hand from the fixture:
 *
 *   users     u1 ann  ann@example.com  karma 9007199254740993  ADMIN   (profile 41 "I write")
 *             u2 bob  bob@example.com  karma 5                 MEMBER
 *             u3 cy   email null       karma null              MEMBER
 *   posts     (created_at 2026-02-<10+n>, body always null)
 *             p11 ann "Hello world"  score 10   rating 4.50  meta {lang:en}              labels [news,intro]  tags tech, life
 *             p12 ann "Second post"  score 20   rating 3.25  meta {lang:fr}              labels [news]        tags tech
 *             p13 ann "Draft_50%"    score null rating null  meta null                   labels []
 *             p14 bob "Bob says hi"  score 30   rating 5.00  meta {lang:en,pinned:true}  labels [intro]       tags life
 *             p15 bob "Another one"  score 5    rating 1.00  meta null                   labels null
 *             p16 —   "Orphan"       score 1    rating 2.00  meta null                   labels null
 *   comments  c21 p11 by bob "nice"   c22 p11 by cy "great"  c23 p11 by bob "again"
 *             c24 p14 by ann "hi bob" c25 p12 by cy "merci"
 *
 * Successful queries are sent twice — as a JSON POST (the fast path: one statement for the whole
 * operation) and as a GraphQL-over-HTTP GET (yoga and graphql-js) — and both must give the same
 * `data`, so each expectation checks both execution paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlog, uid } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const PATH = '/projects/blog/graphql';

// post titles in created_at (= id) order, used by most filter expectations
const HELLO = 'Hello world';
const SECOND = 'Second post';
const DRAFT = 'Draft_50%';
const BOB = 'Bob says hi';
const ANOTHER = 'Another one';
const ORPHAN = 'Orphan';

describe.each(ENGINES)('generated read API on %s', (engine) => {
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

  const get = async (query: string, variables?: Record<string, unknown>): Promise<GqlResponse> => {
    const url = new URL(`${s.url}${PATH}`);
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text };
  };

  /** Runs a query on both paths; both must succeed with the same data, which is returned. */
  const q = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
    const viaPost = await s.gql(PATH, query, variables, token);
    expect(viaPost.body.errors, viaPost.text).toBeUndefined();
    expect(viaPost.status).toBe(200);
    const viaGet = await get(query, variables);
    expect(viaGet.body.errors, viaGet.text).toBeUndefined();
    expect(viaGet.status).toBe(200);
    expect(viaGet.body.data).toEqual(viaPost.body.data);
    return viaPost.body.data;
  };

  /** A request that must fail with BAD_USER_INPUT and nothing internal in the response. */
  const bad = async (query: string, variables?: Record<string, unknown>): Promise<GqlResponse> => {
    const r = await s.gql(PATH, query, variables, token);
    expect(r.body.errors?.length, r.text).toBeGreaterThan(0);
    expect(r.body.errors![0]!.extensions?.code, r.text).toBe('BAD_USER_INPUT');
    expect(r.body.data ?? null).toBeNull();
    expect(leaksInternals(r.text), r.text).toBe(false);
    expect(r.text).not.toMatch(/stack|pg_|syntax error at|column .* does not exist|\bselect\b.*\bfrom\b/i);
    return r;
  };

  const postTitles = async (where: string, variables?: Record<string, unknown>) => {
    const d = await q(`query($w: PostFilter) { posts(where: $w, orderBy: [{ created_at: ASC }]) { title } }`, { w: JSON.parse(where), ...variables });
    return d.posts.map((p: { title: string }) => p.title);
  };
  const postTitlesLiteral = async (where: string) => {
    const d = await q(`{ posts(where: ${where}, orderBy: [{ created_at: ASC }]) { title } }`);
    return d.posts.map((p: { title: string }) => p.title);
  };
  const userNames = async (where: string) => {
    const d = await q(`{ users(where: ${where}, orderBy: [{ name: ASC }]) { name } }`);
    return d.users.map((u: { name: string }) => u.name);
  };

  describe('lists and relations', () => {
    it('lists every column with its scalar representation', async () => {
      const d = await q('{ posts(orderBy: [{ created_at: ASC }]) { id title body score rating meta labels created_at author_id } }');
      expect(d.posts).toEqual([
        { id: uid(11), title: HELLO, body: null, score: 10, rating: '4.50', meta: { lang: 'en' }, labels: ['news', 'intro'], created_at: '2026-02-21T00:00:00+00:00', author_id: uid(1) },
        { id: uid(12), title: SECOND, body: null, score: 20, rating: '3.25', meta: { lang: 'fr' }, labels: ['news'], created_at: '2026-02-22T00:00:00+00:00', author_id: uid(1) },
        { id: uid(13), title: DRAFT, body: null, score: null, rating: null, meta: null, labels: [], created_at: '2026-02-23T00:00:00+00:00', author_id: uid(1) },
        { id: uid(14), title: BOB, body: null, score: 30, rating: '5.00', meta: { lang: 'en', pinned: true }, labels: ['intro'], created_at: '2026-02-24T00:00:00+00:00', author_id: uid(2) },
        { id: uid(15), title: ANOTHER, body: null, score: 5, rating: '1.00', meta: null, labels: null, created_at: '2026-02-25T00:00:00+00:00', author_id: uid(2) },
        { id: uid(16), title: ORPHAN, body: null, score: 1, rating: '2.00', meta: null, labels: null, created_at: '2026-02-26T00:00:00+00:00', author_id: null },
      ]);
      const u = await q('{ users(orderBy: [{ name: ASC }]) { id name email karma role created_at } }');
      expect(u.users).toEqual([
        { id: uid(1), name: 'ann', email: 'ann@example.com', karma: '9007199254740993', role: 'ADMIN', created_at: '2026-01-01T00:00:00+00:00' },
        { id: uid(2), name: 'bob', email: 'bob@example.com', karma: '5', role: 'MEMBER', created_at: '2026-01-02T00:00:00+00:00' },
        { id: uid(3), name: 'cy', email: null, karma: null, role: 'MEMBER', created_at: '2026-01-03T00:00:00+00:00' },
      ]);
    });

    it('nests to-one, to-many (with arguments), many-to-many and one-to-one relations', async () => {
      const d = await q(`{
        users(orderBy: [{ name: ASC }]) {
          name
          posts(orderBy: [{ score: DESC_NULLS_LAST }], limit: 2) {
            title
            comments(orderBy: [{ body: ASC }]) { body author { name } post { title } }
            tags(orderBy: [{ label: ASC }]) { label }
          }
          profile { bio user { name } }
          postsAggregate { count }
        }
      }`);
      expect(d.users).toEqual([
        {
          name: 'ann',
          posts: [
            { title: SECOND, comments: [{ body: 'merci', author: { name: 'cy' }, post: { title: SECOND } }], tags: [{ label: 'tech' }] },
            {
              title: HELLO,
              comments: [
                { body: 'again', author: { name: 'bob' }, post: { title: HELLO } },
                { body: 'great', author: { name: 'cy' }, post: { title: HELLO } },
                { body: 'nice', author: { name: 'bob' }, post: { title: HELLO } },
              ],
              tags: [{ label: 'life' }, { label: 'tech' }],
            },
          ],
          profile: { bio: 'I write', user: { name: 'ann' } },
          postsAggregate: { count: 3 },
        },
        {
          name: 'bob',
          posts: [
            { title: BOB, comments: [{ body: 'hi bob', author: { name: 'ann' }, post: { title: BOB } }], tags: [{ label: 'life' }] },
            { title: ANOTHER, comments: [], tags: [] },
          ],
          profile: null,
          postsAggregate: { count: 2 },
        },
        { name: 'cy', posts: [], profile: null, postsAggregate: { count: 0 } },
      ]);
    });

    it('serves a null to-one relation and the child → parent direction', async () => {
      const d = await q('{ posts(orderBy: [{ created_at: DESC }], limit: 2) { title author { name email } } comments(orderBy: [{ created_at: ASC }]) { body post { title author { name } } author { name } } }');
      expect(d.posts).toEqual([
        { title: ORPHAN, author: null },
        { title: ANOTHER, author: { name: 'bob', email: 'bob@example.com' } },
      ]);
      expect(d.comments).toEqual([
        { body: 'nice', post: { title: HELLO, author: { name: 'ann' } }, author: { name: 'bob' } },
        { body: 'great', post: { title: HELLO, author: { name: 'ann' } }, author: { name: 'cy' } },
        { body: 'again', post: { title: HELLO, author: { name: 'ann' } }, author: { name: 'bob' } },
        { body: 'hi bob', post: { title: BOB, author: { name: 'bob' } }, author: { name: 'ann' } },
        { body: 'merci', post: { title: SECOND, author: { name: 'ann' } }, author: { name: 'cy' } },
      ]);
    });

    it('serves many-to-many from both sides with where / orderBy / limit / offset', async () => {
      const d = await q(`{
        tags(orderBy: [{ label: ASC }]) {
          label
          all: posts(orderBy: [{ title: ASC }]) { title }
          top: posts(where: { score: { gt: 10 } }) { title }
          paged: posts(orderBy: [{ title: DESC }], limit: 1, offset: 1) { title }
          postsAggregate { count }
        }
        posts(where: { id: { in: ["${uid(11)}", "${uid(13)}"] } }, orderBy: [{ created_at: ASC }]) {
          title
          tags(orderBy: [{ label: DESC }]) { label posts(orderBy: [{ title: ASC }]) { title } }
          firstTag: tags(orderBy: [{ label: ASC }], limit: 1) { label }
          tagsAggregate { count }
        }
      }`);
      expect(d.tags).toEqual([
        { label: 'life', all: [{ title: BOB }, { title: HELLO }], top: [{ title: BOB }], paged: [{ title: BOB }], postsAggregate: { count: 2 } },
        { label: 'tech', all: [{ title: HELLO }, { title: SECOND }], top: [{ title: SECOND }], paged: [{ title: HELLO }], postsAggregate: { count: 2 } },
      ]);
      expect(d.posts).toEqual([
        {
          title: HELLO,
          tags: [
            { label: 'tech', posts: [{ title: HELLO }, { title: SECOND }] },
            { label: 'life', posts: [{ title: BOB }, { title: HELLO }] },
          ],
          firstTag: [{ label: 'life' }],
          tagsAggregate: { count: 2 },
        },
        { title: DRAFT, tags: [], firstTag: [], tagsAggregate: { count: 0 } },
      ]);
    });

    it('serves one-to-one from both sides', async () => {
      const d = await q('{ profiles { bio user { name profile { bio } } } users(orderBy: [{ name: ASC }]) { name profile { bio user { email } } } }');
      expect(d.profiles).toEqual([{ bio: 'I write', user: { name: 'ann', profile: { bio: 'I write' } } }]);
      expect(d.users).toEqual([
        { name: 'ann', profile: { bio: 'I write', user: { email: 'ann@example.com' } } },
        { name: 'bob', profile: null },
        { name: 'cy', profile: null },
      ]);
    });

    it('reads by primary key: found, and null when absent', async () => {
      const d = await q(`{ found: post(id: "${uid(14)}") { id title author { name } comments { body } } missing: post(id: "${uid(99)}") { title } user(id: "${uid(3)}") { name email } }`);
      expect(d).toEqual({
        found: { id: uid(14), title: BOB, author: { name: 'bob' }, comments: [{ body: 'hi bob' }] },
        missing: null,
        user: { name: 'cy', email: null },
      });
      // upper-case UUIDs are the same id
      const upper = await q(`{ post(id: "${uid(11).toUpperCase()}") { title } }`);
      expect(upper).toEqual({ post: { title: HELLO } });
    });
  });

  describe('filters', () => {
    it.each<[string, string, string[]]>([
      ['eq', '{ "score": { "eq": 10 } }', [HELLO]],
      ['neq (nulls never match)', '{ "score": { "neq": 10 } }', [SECOND, BOB, ANOTHER, ORPHAN]],
      ['gt', '{ "score": { "gt": 10 } }', [SECOND, BOB]],
      ['gte', '{ "score": { "gte": 10 } }', [HELLO, SECOND, BOB]],
      ['lt', '{ "score": { "lt": 5 } }', [ORPHAN]],
      ['lte', '{ "score": { "lte": 5 } }', [ANOTHER, ORPHAN]],
      ['in', '{ "score": { "in": [1, 30, 99] } }', [BOB, ORPHAN]],
      ['in empty', '{ "score": { "in": [] } }', []],
      ['nin (nulls never match)', '{ "score": { "nin": [1, 30] } }', [HELLO, SECOND, ANOTHER]],
      ['isNull true', '{ "score": { "isNull": true } }', [DRAFT]],
      ['isNull false', '{ "score": { "isNull": false } }', [HELLO, SECOND, BOB, ANOTHER, ORPHAN]],
      ['gte + lte on one column', '{ "score": { "gte": 5, "lte": 20 } }', [HELLO, SECOND, ANOTHER]],
      ['text eq', '{ "title": { "eq": "Orphan" } }', [ORPHAN]],
      ['text neq', '{ "title": { "neq": "Orphan" } }', [HELLO, SECOND, DRAFT, BOB, ANOTHER]],
      ['text gt', '{ "title": { "gt": "Orphan" } }', [SECOND]],
      ['text gte', '{ "title": { "gte": "Orphan" } }', [SECOND, ORPHAN]],
      ['text lt', '{ "title": { "lt": "Bob" } }', [ANOTHER]],
      ['text lte', '{ "title": { "lte": "Another one" } }', [ANOTHER]],
      ['text in', '{ "title": { "in": ["Orphan", "Hello world", "nope"] } }', [HELLO, ORPHAN]],
      ['text nin', '{ "title": { "nin": ["Orphan", "Hello world"] } }', [SECOND, DRAFT, BOB, ANOTHER]],
      ['like (case-sensitive, caller wildcards)', '{ "title": { "like": "%o%" } }', [HELLO, SECOND, BOB, ANOTHER]],
      ['like with _', '{ "title": { "like": "H_llo%" } }', [HELLO]],
      ['ilike', '{ "title": { "ilike": "%o%" } }', [HELLO, SECOND, BOB, ANOTHER, ORPHAN]],
      ['startsWith', '{ "title": { "startsWith": "Draft_5" } }', [DRAFT]],
      ['startsWith is case-sensitive', '{ "title": { "startsWith": "hello" } }', []],
      ['startsWith escapes %', '{ "title": { "startsWith": "%" } }', []],
      ['startsWith escapes _', '{ "title": { "startsWith": "_" } }', []],
      ['endsWith', '{ "title": { "endsWith": "world" } }', [HELLO]],
      ['endsWith escapes %', '{ "title": { "endsWith": "0%" } }', [DRAFT]],
      ['contains', '{ "title": { "contains": "o w" } }', [HELLO]],
      ['contains escapes _', '{ "title": { "contains": "_" } }', [DRAFT]],
      ['contains escapes %', '{ "title": { "contains": "%" } }', [DRAFT]],
      ['contains escapes a backslash', '{ "title": { "contains": "\\\\" } }', []],
      ['text isNull', '{ "body": { "isNull": true } }', [HELLO, SECOND, DRAFT, BOB, ANOTHER, ORPHAN]],
      ['decimal eq is numeric', '{ "rating": { "eq": "4.5" } }', [HELLO]],
      ['decimal gt', '{ "rating": { "gt": "3.25" } }', [HELLO, BOB]],
      ['decimal in', '{ "rating": { "in": ["1", "2.00"] } }', [ANOTHER, ORPHAN]],
      ['uuid eq', `{ "author_id": { "eq": "${uid(2)}" } }`, [BOB, ANOTHER]],
      ['uuid in', `{ "id": { "in": ["${uid(11)}", "${uid(16)}"] } }`, [HELLO, ORPHAN]],
      ['uuid nin', `{ "author_id": { "nin": ["${uid(1)}"] } }`, [BOB, ANOTHER]],
      ['uuid isNull', '{ "author_id": { "isNull": true } }', [ORPHAN]],
      ['datetime gte', '{ "created_at": { "gte": "2026-02-25T00:00:00Z" } }', [ANOTHER, ORPHAN]],
      ['datetime lt with offset', '{ "created_at": { "lt": "2026-02-22T01:00:00+02:00" } }', [HELLO]],
      ['datetime eq', '{ "created_at": { "eq": "2026-02-24T00:00:00.000Z" } }', [BOB]],
      ['json contains', '{ "meta": { "contains": { "lang": "en" } } }', [HELLO, BOB]],
      ['json contains nested value', '{ "meta": { "contains": { "pinned": true } } }', [BOB]],
      ['json hasKey', '{ "meta": { "hasKey": "pinned" } }', [BOB]],
      ['json isNull', '{ "meta": { "isNull": true } }', [DRAFT, ANOTHER, ORPHAN]],
      ['array contains', '{ "labels": { "contains": ["news"] } }', [HELLO, SECOND]],
      ['array contains all', '{ "labels": { "contains": ["news", "intro"] } }', [HELLO]],
      ['array contains [] (every non-null array)', '{ "labels": { "contains": [] } }', [HELLO, SECOND, DRAFT, BOB]],
      ['array overlaps', '{ "labels": { "overlaps": ["intro", "other"] } }', [HELLO, BOB]],
      ['array isNull', '{ "labels": { "isNull": true } }', [ANOTHER, ORPHAN]],
      ['and', '{ "and": [{ "author_id": { "isNull": false } }, { "score": { "gte": 10 } }] }', [HELLO, SECOND, BOB]],
      ['or', '{ "or": [{ "score": { "lt": 5 } }, { "score": { "gt": 20 } }] }', [BOB, ORPHAN]],
      ['or empty matches nothing', '{ "or": [] }', []],
      ['and empty matches everything', '{ "and": [] }', [HELLO, SECOND, DRAFT, BOB, ANOTHER, ORPHAN]],
      ['not (the complement: rows where the condition is null included)', '{ "not": { "score": { "gt": 5 } } }', [DRAFT, ANOTHER, ORPHAN]],
      ['not of or', '{ "not": { "or": [{ "title": { "startsWith": "B" } }, { "title": { "startsWith": "S" } }] } }', [HELLO, DRAFT, ANOTHER, ORPHAN]],
      ['nested and/or/not', '{ "and": [{ "or": [{ "score": { "isNull": true } }, { "score": { "gte": 20 } }] }, { "not": { "title": { "eq": "Bob says hi" } } }] }', [SECOND, DRAFT]],
      ['to-one relation', '{ "author": { "name": { "eq": "bob" } } }', [BOB, ANOTHER]],
      ['to-one relation, two levels', '{ "author": { "profile": { "bio": { "eq": "I write" } } } }', [HELLO, SECOND, DRAFT]],
      ['not over a to-one relation keeps rows without a target', '{ "not": { "author": { "name": { "eq": "ann" } } } }', [BOB, ANOTHER, ORPHAN]],
      ['to-many some', '{ "comments": { "some": { "author": { "name": { "eq": "cy" } } } } }', [HELLO, SECOND]],
      ['to-many none', '{ "comments": { "none": { "body": { "eq": "nice" } } } }', [SECOND, DRAFT, BOB, ANOTHER, ORPHAN]],
      ['to-many every (empty sets match)', '{ "comments": { "every": { "author": { "name": { "eq": "ann" } } } } }', [DRAFT, BOB, ANOTHER, ORPHAN]],
      ['many-to-many some', '{ "tags": { "some": { "label": { "eq": "life" } } } }', [HELLO, BOB]],
      ['many-to-many every', '{ "tags": { "every": { "label": { "eq": "tech" } } } }', [SECOND, DRAFT, ANOTHER, ORPHAN]],
      ['many-to-many none', '{ "tags": { "none": { "label": { "eq": "tech" } } } }', [DRAFT, BOB, ANOTHER, ORPHAN]],
    ])('posts where %s', async (_name, where, expected) => {
      expect(await postTitles(where)).toEqual(expected);
    });

    it('takes filters as literals as well as variables', async () => {
      expect(await postTitlesLiteral('{ title: { contains: "_" }, score: { isNull: true } }')).toEqual([DRAFT]);
      expect(await postTitlesLiteral('{ meta: { contains: { lang: "en", pinned: true } } }')).toEqual([BOB]);
      expect(await postTitlesLiteral('{ labels: { overlaps: ["news"] }, not: { rating: { lt: "4" } } }')).toEqual([HELLO]);
      expect(await postTitlesLiteral('{ created_at: { lte: "2026-02-21T15:59:00+15:59" } }')).toEqual([HELLO]);
      expect(await postTitlesLiteral('{ created_at: { lte: "2026-02-20 23:00:00-01" } }')).toEqual([HELLO]);
    });

    it.each<[string, string, string[]]>([
      ['bigint eq beyond 2^53', '{ karma: { eq: "9007199254740993" } }', ['ann']],
      ['bigint gt', '{ karma: { gt: "9007199254740992" } }', ['ann']],
      ['bigint lte (integer literal)', '{ karma: { lte: 5 } }', ['bob']],
      ['bigint isNull', '{ karma: { isNull: true } }', ['cy']],
      ['enum eq', '{ role: { eq: ADMIN } }', ['ann']],
      ['enum neq', '{ role: { neq: ADMIN } }', ['bob', 'cy']],
      ['enum in', '{ role: { in: [MEMBER] } }', ['bob', 'cy']],
      ['enum nin', '{ role: { nin: [MEMBER] } }', ['ann']],
      ['email isNull', '{ email: { isNull: true } }', ['cy']],
      ['email endsWith', '{ email: { endsWith: "@example.com" } }', ['ann', 'bob']],
      ['to-many some', '{ posts: { some: { score: { gte: 30 } } } }', ['bob']],
      ['to-many every (true over no posts)', '{ posts: { every: { score: { gte: 5 } } } }', ['bob', 'cy']],
      ['to-many every with a null column is false', '{ posts: { every: { score: { gte: 0 } } } }', ['bob', 'cy']],
      ['to-many none', '{ posts: { none: { title: { startsWith: "B" } } } }', ['ann', 'cy']],
      ['to-many of to-many', '{ posts: { some: { comments: { some: { author: { name: { eq: "ann" } } } } } } }', ['bob']],
      ['one-to-one from the parent', '{ profile: { bio: { isNull: false } } }', ['ann']],
      ['not one-to-one', '{ not: { profile: { bio: { eq: "I write" } } } }', ['bob', 'cy']],
      ['second to-many relation to the same table', '{ comments: { some: { body: { eq: "hi bob" } } } }', ['ann']],
      ['or across relation and column', '{ or: [{ name: { eq: "cy" } }, { posts: { some: { title: { eq: "Orphan" } } } }, { karma: { eq: "5" } }] }', ['bob', 'cy']],
    ])('users where %s', async (_name, where, expected) => {
      expect(await userNames(where)).toEqual(expected);
    });

    it('filters a comment through two to-one hops', async () => {
      const d = await q('{ comments(where: { post: { author: { name: { eq: "ann" } } } }, orderBy: [{ body: ASC }]) { body } }');
      expect(d.comments.map((c: { body: string }) => c.body)).toEqual(['again', 'great', 'merci', 'nice']);
    });
  });

  describe('ordering and paging', () => {
    const ordered = async (orderBy: string, extra = '') => {
      const d = await q(`{ posts(orderBy: ${orderBy}${extra}) { title } }`);
      return d.posts.map((p: { title: string }) => p.title);
    };

    it.each<[string, string, string[]]>([
      ['ASC puts nulls last', '[{ score: ASC }]', [ORPHAN, ANOTHER, HELLO, SECOND, BOB, DRAFT]],
      ['DESC puts nulls first', '[{ score: DESC }]', [DRAFT, BOB, SECOND, HELLO, ANOTHER, ORPHAN]],
      ['ASC_NULLS_FIRST', '[{ score: ASC_NULLS_FIRST }]', [DRAFT, ORPHAN, ANOTHER, HELLO, SECOND, BOB]],
      ['ASC_NULLS_LAST', '[{ score: ASC_NULLS_LAST }]', [ORPHAN, ANOTHER, HELLO, SECOND, BOB, DRAFT]],
      ['DESC_NULLS_FIRST', '[{ score: DESC_NULLS_FIRST }]', [DRAFT, BOB, SECOND, HELLO, ANOTHER, ORPHAN]],
      ['DESC_NULLS_LAST', '[{ score: DESC_NULLS_LAST }]', [BOB, SECOND, HELLO, ANOTHER, ORPHAN, DRAFT]],
      ['decimal DESC', '[{ rating: DESC }]', [DRAFT, BOB, HELLO, SECOND, ORPHAN, ANOTHER]],
      ['text ASC', '[{ title: ASC }]', [ANOTHER, BOB, DRAFT, HELLO, ORPHAN, SECOND]],
      ['multi-key', '[{ author_id: ASC }, { score: DESC }]', [DRAFT, SECOND, HELLO, BOB, ANOTHER, ORPHAN]],
      ['by a to-one related column (DESC: no author first)', '[{ author: { name: DESC } }, { title: ASC }]', [ORPHAN, ANOTHER, BOB, DRAFT, HELLO, SECOND]],
      ['by a to-one related column ASC_NULLS_FIRST', '[{ author: { name: ASC_NULLS_FIRST } }, { score: ASC }]', [ORPHAN, HELLO, SECOND, DRAFT, ANOTHER, BOB]],
      ['by a two-hop related column', '[{ author: { profile: { bio: ASC } } }, { created_at: DESC }]', [DRAFT, SECOND, HELLO, ORPHAN, ANOTHER, BOB]],
    ])('orders %s', async (_name, orderBy, expected) => {
      expect(await ordered(orderBy)).toEqual(expected);
    });

    it('orders comments by their post author, and users by their one-to-one profile', async () => {
      const d = await q('{ comments(orderBy: [{ post: { title: DESC } }, { body: ASC }]) { body } users(orderBy: [{ profile: { bio: ASC } }, { name: DESC }]) { name } }');
      expect(d.comments.map((c: { body: string }) => c.body)).toEqual(['merci', 'again', 'great', 'nice', 'hi bob']);
      expect(d.users.map((u: { name: string }) => u.name)).toEqual(['ann', 'cy', 'bob']);
    });

    it('pages with limit and offset', async () => {
      expect(await ordered('[{ created_at: ASC }]', ', limit: 2')).toEqual([HELLO, SECOND]);
      expect(await ordered('[{ created_at: ASC }]', ', limit: 2, offset: 1')).toEqual([SECOND, DRAFT]);
      expect(await ordered('[{ created_at: ASC }]', ', offset: 4')).toEqual([ANOTHER, ORPHAN]);
      expect(await ordered('[{ created_at: ASC }]', ', offset: 6')).toEqual([]);
      expect(await ordered('[{ created_at: ASC }]', ', limit: 0')).toEqual([]);
      expect(await ordered('[{ created_at: ASC }]', ', limit: 1000')).toEqual([HELLO, SECOND, DRAFT, BOB, ANOTHER, ORPHAN]);
      const d = await q('{ users(orderBy: [{ name: ASC }], limit: 1, offset: 1) { name comments(orderBy: [{ body: DESC }], limit: 1, offset: 1) { body } } }');
      expect(d.users).toEqual([{ name: 'bob', comments: [{ body: 'again' }] }]);
    });
  });

  describe('aggregates', () => {
    it('counts, sums, averages, min and max with exact numbers as strings', async () => {
      const d = await q(`{
        postsAggregate {
          count
          sum { score rating }
          avg { score rating }
          min { score rating title created_at }
          max { score rating title created_at }
        }
        usersAggregate { count sum { karma } avg { karma } min { karma name role } max { karma name role } }
        commentsAggregate { count min { body } max { body } }
      }`);
      expect(d.postsAggregate).toEqual({
        count: 6,
        sum: { score: '66', rating: '15.75' },
        avg: { score: 13.2, rating: '3.1500000000000000' },
        min: { score: 1, rating: '1.00', title: ANOTHER, created_at: '2026-02-21T00:00:00+00:00' },
        max: { score: 30, rating: '5.00', title: SECOND, created_at: '2026-02-26T00:00:00+00:00' },
      });
      expect(d.usersAggregate).toEqual({
        count: 3,
        sum: { karma: '9007199254740998' },
        avg: { karma: 4503599627370499 },
        min: { karma: '5', name: 'ann', role: 'ADMIN' },
        max: { karma: '9007199254740993', name: 'cy', role: 'MEMBER' },
      });
      expect(d.commentsAggregate).toEqual({ count: 5, min: { body: 'again' }, max: { body: 'nice' } });
    });

    it('aggregates with where, and over no rows', async () => {
      const d = await q(`{
        bob: postsAggregate(where: { author: { name: { eq: "bob" } } }) { count sum { score rating } avg { score } }
        none: postsAggregate(where: { score: { gt: 1000 } }) { count sum { score rating } avg { score rating } min { title } max { score } }
      }`);
      expect(d.bob).toEqual({ count: 2, sum: { score: '35', rating: '6.00' }, avg: { score: 17.5 } });
      expect(d.none).toEqual({ count: 0, sum: { score: null, rating: null }, avg: { score: null, rating: null }, min: { title: null }, max: { score: null } });
    });

    it('groups with orderBy and limit', async () => {
      const d = await q(`{
        postsAggregate {
          byAuthor: groupBy(by: [author_id], orderBy: [{ count: DESC }]) { key { author_id } count sum { score rating } max { title } }
          top: groupBy(by: [author_id], orderBy: [{ count: DESC }], limit: 2) { key { author_id } count }
          byAuthorId: groupBy(by: [author_id], orderBy: [{ author_id: ASC_NULLS_FIRST }]) { key { author_id } avg { score } }
        }
        usersAggregate { groupBy(by: [role], orderBy: [{ role: DESC }]) { key { role } count sum { karma } } }
      }`);
      expect(d.postsAggregate.byAuthor).toEqual([
        { key: { author_id: uid(1) }, count: 3, sum: { score: '30', rating: '7.75' }, max: { title: SECOND } },
        { key: { author_id: uid(2) }, count: 2, sum: { score: '35', rating: '6.00' }, max: { title: BOB } },
        { key: { author_id: null }, count: 1, sum: { score: '1', rating: '2.00' }, max: { title: ORPHAN } },
      ]);
      expect(d.postsAggregate.top).toEqual([
        { key: { author_id: uid(1) }, count: 3 },
        { key: { author_id: uid(2) }, count: 2 },
      ]);
      expect(d.postsAggregate.byAuthorId).toEqual([
        { key: { author_id: null }, avg: { score: 1 } },
        { key: { author_id: uid(1) }, avg: { score: 15 } },
        { key: { author_id: uid(2) }, avg: { score: 17.5 } },
      ]);
      expect(d.usersAggregate.groupBy).toEqual([
        { key: { role: 'MEMBER' }, count: 2, sum: { karma: '5' } },
        { key: { role: 'ADMIN' }, count: 1, sum: { karma: '9007199254740993' } },
      ]);
    });

    it('groups by several columns, with where', async () => {
      const d = await q(`{ commentsAggregate(where: { post: { title: { eq: "Hello world" } } }) {
        groupBy(by: [post_id, author_id], orderBy: [{ count: DESC }, { author_id: ASC }]) { key { post_id author_id } count min { body } }
      } }`);
      expect(d.commentsAggregate.groupBy).toEqual([
        { key: { post_id: uid(11), author_id: uid(2) }, count: 2, min: { body: 'again' } },
        { key: { post_id: uid(11), author_id: uid(3) }, count: 1, min: { body: 'great' } },
      ]);
    });

    it('nests commentsAggregate with and without where beside the list', async () => {
      const d = await q(`{ posts(orderBy: [{ created_at: ASC }]) {
        title
        all: commentsAggregate { count min { body } max { body } }
        byBob: commentsAggregate(where: { author: { name: { eq: "bob" } } }) { count }
        comments(where: { author: { name: { eq: "bob" } } }, orderBy: [{ body: ASC }]) { body }
        grouped: commentsAggregate { groupBy(by: [author_id], orderBy: [{ author_id: ASC }]) { key { author_id } count } }
        typename: commentsAggregate { __typename }
      } users(orderBy: [{ name: ASC }]) { name commentsAggregate { groupBy(by: [post_id], orderBy: [{ count: DESC }, { post_id: ASC }]) { key { post_id } count } } } }`);
      expect(d.posts).toEqual([
        {
          title: HELLO,
          all: { count: 3, min: { body: 'again' }, max: { body: 'nice' } },
          byBob: { count: 2 },
          comments: [{ body: 'again' }, { body: 'nice' }],
          grouped: { groupBy: [{ key: { author_id: uid(2) }, count: 2 }, { key: { author_id: uid(3) }, count: 1 }] },
        },
        { title: SECOND, all: { count: 1, min: { body: 'merci' }, max: { body: 'merci' } }, byBob: { count: 0 }, comments: [], grouped: { groupBy: [{ key: { author_id: uid(3) }, count: 1 }] } },
        { title: DRAFT, all: { count: 0, min: { body: null }, max: { body: null } }, byBob: { count: 0 }, comments: [], grouped: { groupBy: [] } },
        { title: BOB, all: { count: 1, min: { body: 'hi bob' }, max: { body: 'hi bob' } }, byBob: { count: 0 }, comments: [], grouped: { groupBy: [{ key: { author_id: uid(1) }, count: 1 }] } },
        { title: ANOTHER, all: { count: 0, min: { body: null }, max: { body: null } }, byBob: { count: 0 }, comments: [], grouped: { groupBy: [] } },
        { title: ORPHAN, all: { count: 0, min: { body: null }, max: { body: null } }, byBob: { count: 0 }, comments: [], grouped: { groupBy: [] } },
      ].map((p) => ({ ...p, typename: { __typename: 'CommentAggregate' } })));
      expect(d.users).toEqual([
        { name: 'ann', commentsAggregate: { groupBy: [{ key: { post_id: uid(14) }, count: 1 }] } },
        { name: 'bob', commentsAggregate: { groupBy: [{ key: { post_id: uid(11) }, count: 2 }] } },
        { name: 'cy', commentsAggregate: { groupBy: [{ key: { post_id: uid(11) }, count: 1 }, { key: { post_id: uid(12) }, count: 1 }] } },
      ]);
    });

    it('refuses a groupBy ordered by a column that is not grouped, or a key outside by', async () => {
      await bad('{ postsAggregate { groupBy(by: [author_id], orderBy: [{ score: ASC }]) { count } } }');
      await bad('{ postsAggregate { groupBy(by: [author_id]) { key { title } count } } }');
      await bad('{ postsAggregate { groupBy(by: []) { count } } }');
      await bad('{ postsAggregate { groupBy(by: [author_id], limit: -1) { count } } }');
      await bad('{ postsAggregate { groupBy(by: [author_id], limit: 1001) { count } } }');
    });
  });

  describe('GraphQL features', () => {
    it('honors aliases, fragments, inline fragments, @skip/@include and merges repeated fields', async () => {
      const query = `query($skip: Boolean!, $inc: Boolean!) {
        first: posts(orderBy: [{ created_at: ASC }], limit: 1) { ...P heading: title score @skip(if: $skip) }
        last: posts(orderBy: [{ created_at: DESC }], limit: 1) {
          ... on Post @include(if: $inc) { author { name } }
          ... @skip(if: $inc) { body }
          title
        }
        agg: postsAggregate @include(if: $inc) { n: count }
        gone: usersAggregate @skip(if: true) { count }
      }
      fragment P on Post { id author { name } author { email } ...C }
      fragment C on Post { comments(orderBy: [{ body: ASC }], limit: 1) { text: body } }`;
      expect(await q(query, { skip: true, inc: false })).toEqual({
        first: [{ id: uid(11), author: { name: 'ann', email: 'ann@example.com' }, comments: [{ text: 'again' }], heading: HELLO }],
        last: [{ body: null, title: ORPHAN }],
      });
      expect(await q(query, { skip: false, inc: true })).toEqual({
        first: [{ id: uid(11), author: { name: 'ann', email: 'ann@example.com' }, comments: [{ text: 'again' }], heading: HELLO, score: 10 }],
        last: [{ author: null, title: ORPHAN }],
        agg: { n: 6 },
      });
    });

    it('answers __typename at the root, on objects, relations and aggregates', async () => {
      const d = await q(`{ __typename
        post(id: "${uid(14)}") { __typename author { __typename } comments { __typename } tags { t: __typename } commentsAggregate { __typename } }
        postsAggregate { __typename sum { __typename score } groupBy(by: [author_id], orderBy: [{ author_id: ASC }], limit: 1) { __typename key { __typename author_id } } }
        usersAggregate { __typename }
        tagsAggregate(where: { label: { eq: "none" } }) { __typename max { __typename } }
      }`);
      expect(d).toEqual({
        __typename: 'Query',
        post: { __typename: 'Post', author: { __typename: 'User' }, comments: [{ __typename: 'Comment' }], tags: [{ t: 'Tag' }], commentsAggregate: { __typename: 'CommentAggregate' } },
        postsAggregate: { __typename: 'PostAggregate', sum: { __typename: 'PostSumFields', score: '66' }, groupBy: [{ __typename: 'PostGroup', key: { __typename: 'PostGroupKey', author_id: uid(1) } }] },
        usersAggregate: { __typename: 'UserAggregate' },
        tagsAggregate: { __typename: 'TagAggregate', max: { __typename: 'TagMaxFields' } },
      });
    });

    it('takes variables for ids, filters, order, paging and enums, and picks the named operation', async () => {
      const doc = `
        query One($id: UUID!) { post(id: $id) { title } }
        query Many($where: PostFilter, $order: [PostOrderBy!], $limit: Int, $offset: Int, $role: UserRole!, $karma: BigInt) {
          posts(where: $where, orderBy: $order, limit: $limit, offset: $offset) { title }
          users(where: { role: { eq: $role }, karma: { lt: $karma } }) { name }
        }`;
      const one = await s.gql(PATH, doc, { id: uid(12) }, token);
      expect(one.body.errors).toBeDefined(); // several operations and no operationName
      const post = async (operationName: string, variables: Record<string, unknown>) => {
        const res = await fetch(`${s.url}${PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: doc, variables, operationName }),
        });
        return JSON.parse(await res.text());
      };
      expect(await post('One', { id: uid(12) })).toEqual({ data: { post: { title: SECOND } } });
      expect(
        await post('Many', { where: { author: { name: { in: ['ann', 'bob'] } } }, order: [{ score: 'DESC_NULLS_LAST' }], limit: 2, offset: 1, role: 'MEMBER', karma: '9007199254740993' }),
      ).toEqual({ data: { posts: [{ title: SECOND }, { title: HELLO }], users: [{ name: 'bob' }] } });
      // the same through GET
      const url = new URL(`${s.url}${PATH}`);
      url.searchParams.set('query', doc);
      url.searchParams.set('operationName', 'One');
      url.searchParams.set('variables', JSON.stringify({ id: uid(13) }));
      const res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { post: { title: DRAFT } } });
    });

    it('answers a GraphQL-over-HTTP GET query, and refuses a mutation over GET', async () => {
      const r = await get('{ posts(where: { title: { startsWith: "Hello" } }) { title author { name } } }');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ data: { posts: [{ title: HELLO, author: { name: 'ann' } }] } });
      const m = await get('mutation { __typename }');
      expect(m.status).toBeGreaterThanOrEqual(400);
      expect(m.body.errors?.length).toBeGreaterThan(0);
    });
  });

  describe('bad input', () => {
    it.each<[string, string, Record<string, unknown>?]>([
      ['unknown column in a filter', '{ posts(where: { nope: { eq: 1 } }) { title } }'],
      ['unknown operator', '{ posts(where: { title: { regex: ".*" } }) { title } }'],
      ['unknown column in orderBy', '{ posts(orderBy: [{ nope: ASC }]) { title } }'],
      ['unknown field', '{ posts { title nope } }'],
      ['unknown column through a variable filter', 'query($w: PostFilter) { posts(where: $w) { title } }', { w: { 'title; drop table posts': { eq: 'x' } } }],
      ['unknown column through a variable orderBy', 'query($o: [PostOrderBy!]) { posts(orderBy: $o) { title } }', { o: [{ 'title" DESC; DROP TABLE blog.posts; --': 'ASC' }] }],
      ['unknown direction', '{ posts(orderBy: [{ title: SIDEWAYS }]) { title } }'],
      ['a field name that is not a GraphQL name', '{ posts { title; drop } }'],
      ['an alias that is not a GraphQL name', '{ "x": posts { title } }'],
      ['a malformed UUID', '{ post(id: "not-a-uuid") { title } }'],
      ['a malformed UUID variable', 'query($id: UUID!) { post(id: $id) { title } }', { id: "1' OR '1'='1" }],
      ['a malformed UUID in a filter', '{ posts(where: { id: { in: ["00000000-0000-4000-8000-00000000001"] } }) { title } }'],
      ['a malformed DateTime', '{ posts(where: { created_at: { gt: "yesterday" } }) { title } }'],
      ['a DateTime without time zone', '{ posts(where: { created_at: { gt: "2026-02-21T00:00:00" } }) { title } }'],
      ['an impossible calendar day', '{ posts(where: { created_at: { gt: "2026-02-30T00:00:00Z" } }) { title } }'],
      ['a day that is not in the month', 'query($t: DateTime) { posts(where: { created_at: { lt: $t } }) { title } }', { t: '2026-02-29T12:00:00Z' }],
      ['a time zone offset PostgreSQL refuses', '{ posts(where: { created_at: { gt: "2026-01-01T00:00:00+16:00" } }) { title } }'],
      ['year 0', '{ posts(where: { created_at: { gt: "0000-01-01T00:00:00Z" } }) { title } }'],
      ['a LIKE pattern ending in the escape character', '{ posts(where: { title: { like: "50\\\\" } }) { title } }'],
      ['an impossible DateTime variable', 'query($t: DateTime) { posts(where: { created_at: { gt: $t } }) { title } }', { t: '2026-13-45T00:00:00Z' }],
      ['a string for Int', '{ posts(limit: "3") { title } }'],
      ['a string for an Int filter', '{ posts(where: { score: { eq: "10" } }) { title } }'],
      ['a float for Int', 'query($l: Int) { posts(limit: $l) { title } }', { l: 1.5 }],
      ['a malformed BigInt', '{ users(where: { karma: { eq: "12x" } }) { name } }'],
      ['a BigInt out of range', '{ users(where: { karma: { eq: "9223372036854775808" } }) { name } }'],
      ['a malformed Decimal', '{ posts(where: { rating: { eq: "4,5" } }) { title } }'],
      ['an unknown enum value', '{ users(where: { role: { eq: VISITOR } }) { name } }'],
      ['an enum value as a string', '{ users(where: { role: { eq: "ADMIN" } }) { name } }'],
      ['null in a filter', '{ posts(where: { title: { eq: null } }) { title } }'],
      ['null filter object', '{ posts(where: { title: null }) { title } }'],
      ['negative limit', '{ posts(limit: -1) { title } }'],
      ['limit over the cap', '{ posts(limit: 1001) { title } }'],
      ['nested limit over the cap', '{ users { posts(limit: 5000) { title } } }'],
      ['negative offset', '{ posts(offset: -2) { title } }'],
      ['nested negative offset', '{ users { comments(offset: -1) { body } } }'],
      ['a missing required id', '{ post { title } }'],
      ['a syntax error', '{ posts { title '],
    ])('%s is BAD_USER_INPUT', async (_name, query, variables) => {
      await bad(query, variables);
    });

    it('treats injection attempts in values as plain values, and leaves the tables intact', async () => {
      const attempts = [
        "x' OR 1=1 --",
        "'; DROP TABLE blog.posts; --",
        '" OR ""="',
        "x'); DELETE FROM blog.comments; --",
        '%\' OR \'1\'=\'1',
      ];
      for (const value of attempts) {
        const d = await q('query($v: String!) { eq: posts(where: { title: { eq: $v } }) { title } like: posts(where: { title: { like: $v } }) { title } sw: posts(where: { title: { startsWith: $v } }) { title } c: posts(where: { title: { contains: $v } }) { title } hk: posts(where: { meta: { hasKey: $v } }) { title } }', { v: value });
        expect(d).toEqual({ eq: [], like: [], sw: [], c: [], hk: [] });
      }
      // a lone backslash: a literal for startsWith / contains, an error (not a server error) for like
      const slash = await q('query($v: String!) { sw: posts(where: { title: { startsWith: $v } }) { title } c: posts(where: { title: { contains: $v } }) { title } }', { v: '\\' });
      expect(slash).toEqual({ sw: [], c: [] });
      await bad('query($v: String!) { posts(where: { title: { like: $v } }) { title } }', { v: '\\' });
      await bad('query($v: String!) { posts(where: { title: { ilike: $v } }) { title } }', { v: 'abc\\\\\\' });
      // escapes written by the caller in like patterns are honored
      expect(await q('query($v: String!) { posts(where: { title: { like: $v } }) { title } }', { v: 'Draft\\_50\\%' })).toEqual({ posts: [{ title: DRAFT }] });
      expect(await q('query($v: String!) { posts(where: { title: { like: $v } }) { title } }', { v: '%\\\\' })).toEqual({ posts: [] });
      const literal = await q(`{ posts(where: { title: { eq: "x' OR 1=1 --" } }) { title } }`);
      expect(literal).toEqual({ posts: [] });
      const json = await q('query($m: JSON) { posts(where: { meta: { contains: $m } }) { title } }', { m: { "lang' OR '1'='1": "x'); DROP TABLE blog.posts; --" } });
      expect(json).toEqual({ posts: [] });
      const arr = await q('query($l: [String!]) { posts(where: { labels: { overlaps: $l } }) { title } }', { l: ["news'}", "') OR 1=1 --"] });
      expect(arr).toEqual({ posts: [] });
      const counts = await q('{ postsAggregate { count } commentsAggregate { count } usersAggregate { count } tagsAggregate { count } }');
      expect(counts).toEqual({ postsAggregate: { count: 6 }, commentsAggregate: { count: 5 }, usersAggregate: { count: 3 }, tagsAggregate: { count: 2 } });
    });

    it('reports a BAD_USER_INPUT error on its field with a message naming the argument', async () => {
      const r = await bad('{ posts(limit: 1001) { title } }');
      expect(r.body.errors![0]!.path).toEqual(['posts']);
      expect(r.body.errors![0]!.message).toMatch(/limit/);
      const o = await bad('{ posts(offset: -1) { title } }');
      expect(o.body.errors![0]!.message).toMatch(/offset/);
    });
  });

  describe("the project's maxPageSize", () => {
    it('is the default page size and the cap of limit, for root and nested lists and groupBy', async () => {
      const set = await s.admin('mutation { updateProject(input: { slug: "blog", settings: { maxPageSize: 2 } }) { slug settings { maxPageSize } } }', {}, token);
      expect(set.body.errors, set.text).toBeUndefined();
      // the schema is rebuilt on NOTIFY: wait for the new setting to be served
      const deadline = Date.now() + 5000;
      let served = -1;
      while (Date.now() < deadline) {
        const r = await s.gql(PATH, '{ posts { id } }', {}, token);
        served = r.body.data?.posts?.length ?? -1;
        if (served === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(served).toBe(2);

      const d = await q('{ posts(orderBy: [{ created_at: ASC }]) { title } users(orderBy: [{ name: ASC }]) { name posts(orderBy: [{ created_at: ASC }]) { title } } postsAggregate { count groupBy(by: [author_id], orderBy: [{ count: DESC }]) { count } } }');
      expect(d).toEqual({
        posts: [{ title: HELLO }, { title: SECOND }],
        users: [
          { name: 'ann', posts: [{ title: HELLO }, { title: SECOND }] },
          { name: 'bob', posts: [{ title: BOB }, { title: ANOTHER }] },
        ],
        postsAggregate: { count: 6, groupBy: [{ count: 3 }, { count: 2 }] },
      });
      expect(await q('{ posts(orderBy: [{ created_at: ASC }], limit: 2, offset: 4) { title } }')).toEqual({ posts: [{ title: ANOTHER }, { title: ORPHAN }] });
      await bad('{ posts(limit: 3) { title } }');
      await bad('{ users { posts(limit: 3) { title } } }');
      await bad('{ postsAggregate { groupBy(by: [author_id], limit: 3) { count } } }');
      await bad('query($n: Int) { posts(limit: $n) { title } }', { n: 3 });
    });
  });
});
