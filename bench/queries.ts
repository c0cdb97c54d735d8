/**
 * Q1–Q4 of the read benchmark: each as a KoyaLite GraphQL operation and as the one optimal SQL
 * statement a hand-written handler would run for the same answer (the practical limit).
 */
export interface BenchQuery {
  name: string;
  description: string;
  graphql: string;
  /** variables for the i-th request (deterministic) */
  variables(i: number): Record<string, unknown>;
  /** the limit handler's statement: returns one row with column `body` holding the response JSON text */
  sql: string;
  params(vars: Record<string, unknown>): unknown[];
  /** writes: answers differ per request (new ids), so only their shape is compared */
  write?: boolean;
}

export const uuidOf = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const postId = (n: number) => uuidOf('00000002', n);
export const userId = (n: number) => uuidOf('00000001', n);

export const QUERIES: BenchQuery[] = [
  {
    name: 'Q1',
    description: 'one post by id',
    graphql: 'query Q1($id: UUID!) { post(id: $id) { id title body score created_at } }',
    variables: (i) => ({ id: postId((i * 7919) % 100_000 + 1) }),
    sql: `SELECT json_build_object('data', json_build_object('post', (SELECT json_build_object('id', p.id, 'title', p.title, 'body', p.body, 'score', p.score, 'created_at', p.created_at) FROM bench.posts p WHERE p.id = $1)))::text AS body`,
    params: (v) => [v.id],
  },
  {
    name: 'Q2',
    description: '50 latest posts with their author name',
    graphql: 'query Q2 { posts(orderBy: [{ created_at: DESC }], limit: 50) { id title created_at author { name } } }',
    variables: () => ({}),
    // the 50 rows come from the created_at index; authors by primary key; JSON built for those rows only
    sql: `SELECT json_build_object('data', json_build_object('posts', coalesce(json_agg(json_build_object('id', p.id, 'title', p.title, 'created_at', p.created_at, 'author', (SELECT json_build_object('name', u.name) FROM bench.users u WHERE u.id = p.author_id)) ORDER BY p.created_at DESC), '[]')))::text AS body FROM (SELECT id, title, created_at, author_id FROM bench.posts ORDER BY created_at DESC LIMIT 50) p`,
    params: () => [],
  },
  {
    name: 'Q3',
    description: '10 users, each with 10 latest posts, each with 5 comments',
    graphql: 'query Q3($offset: Int!) { users(orderBy: [{ id: ASC }], limit: 10, offset: $offset) { id name posts(orderBy: [{ created_at: DESC }], limit: 10) { id title comments(orderBy: [{ created_at: DESC }], limit: 5) { id body } } } }',
    variables: (i) => ({ offset: (i * 10) % 9_000 }),
    sql: `SELECT json_build_object('data', json_build_object('users', coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'posts',
            (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title, 'comments',
               (SELECT coalesce(json_agg(json_build_object('id', c.id, 'body', c.body) ORDER BY c.created_at DESC), '[]') FROM (SELECT id, body, created_at FROM bench.comments WHERE post_id = p.id ORDER BY created_at DESC LIMIT 5) c)
             ) ORDER BY p.created_at DESC), '[]') FROM (SELECT id, title, created_at FROM bench.posts WHERE author_id = u.id ORDER BY created_at DESC LIMIT 10) p)
          ) ORDER BY u.id) FROM (SELECT id, name FROM bench.users ORDER BY id LIMIT 10 OFFSET $1) u), '[]')))::text AS body`,
    params: (v) => [v.offset],
  },
  {
    name: 'Q4',
    description: 'count of posts with score > 50 for one author',
    graphql: 'query Q4($author: UUID!) { postsAggregate(where: { author_id: { eq: $author }, score: { gt: 50 } }) { count } }',
    variables: (i) => ({ author: userId((i * 31) % 10_000 + 1) }),
    sql: `SELECT json_build_object('data', json_build_object('postsAggregate', json_build_object('count', (SELECT count(*) FROM bench.posts WHERE author_id = $1 AND score > 50))))::text AS body`,
    params: (v) => [v.author],
  },
  {
    name: 'Q5',
    description: 'insert one comment and return its id',
    graphql: 'mutation Q5($post: UUID!, $author: UUID!, $body: String!) { insertComment(input: { post_id: $post, author_id: $author, body: $body }) { id } }',
    variables: (i) => ({ post: postId((i * 13) % 100_000 + 1), author: userId((i * 17) % 10_000 + 1), body: `bench comment ${i}` }),
    sql: `INSERT INTO bench.comments (post_id, author_id, body) VALUES ($1, $2, $3) RETURNING json_build_object('data', json_build_object('insertComment', json_build_object('id', id)))::text AS body`,
    params: (v) => [v.post, v.author, v.body],
    write: true,
  },
];
