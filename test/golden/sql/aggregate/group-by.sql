SELECT
  json_build_object(
    'postsAggregate',
    (
      SELECT
        json_build_object(
          'groupBy',
          (
            SELECT
              coalesce(
                json_agg(
                  x.j
                  ORDER BY
                    x."o0" DESC NULLS FIRST,
                    x."o1" ASC NULLS LAST
                ),
                '[]'::json
              )
            FROM
              (
                SELECT
                  json_build_object(
                    'key',
                    json_build_object('author_id', "t1"."author_id"),
                    'count',
                    count(*),
                    'sum',
                    json_build_object('score', sum("t1"."score")::text),
                    'avg',
                    json_build_object('rating', avg("t1"."rating")::text),
                    'max',
                    json_build_object('created_at', max("t1"."created_at"))
                  ) AS j,
                  count(*) AS "o0",
                  "t1"."author_id" AS "o1"
                FROM
                  "blog"."posts" "t1"
                GROUP BY
                  "t1"."author_id"
                ORDER BY
                  "o0" DESC NULLS FIRST,
                  "o1" ASC NULLS LAST
                LIMIT
                  $1
              ) x
          ),
          'all',
          (
            SELECT
              coalesce(
                json_agg(
                  x.j
                  ORDER BY
                    x."o0" ASC NULLS FIRST
                ),
                '[]'::json
              )
            FROM
              (
                SELECT
                  json_build_object(
                    'key',
                    json_build_object('author_id', "t2"."author_id"),
                    'count',
                    count(*)
                  ) AS j,
                  "t2"."author_id" AS "o0"
                FROM
                  "blog"."posts" "t2"
                GROUP BY
                  "t2"."author_id"
                ORDER BY
                  "o0" ASC NULLS FIRST
                LIMIT
                  $2
              ) x
          )
        )
      FROM
        "blog"."posts" "t0"
      GROUP BY
        ()
    ),
    'usersAggregate',
    (
      SELECT
        json_build_object(
          'groupBy',
          (
            SELECT
              coalesce(
                json_agg(
                  x.j
                  ORDER BY
                    x."o0" DESC NULLS FIRST
                ),
                '[]'::json
              )
            FROM
              (
                SELECT
                  json_build_object(
                    'key',
                    json_build_object('role', "t4"."role"),
                    'count',
                    count(*)
                  ) AS j,
                  "t4"."role" AS "o0"
                FROM
                  "blog"."users" "t4"
                GROUP BY
                  "t4"."role"
                ORDER BY
                  "o0" DESC NULLS FIRST
                LIMIT
                  $3
              ) x
          )
        )
      FROM
        "blog"."users" "t3"
      GROUP BY
        ()
    ),
    'commentsAggregate',
    (
      SELECT
        json_build_object(
          'groupBy',
          (
            SELECT
              coalesce(
                json_agg(
                  x.j
                  ORDER BY
                    x."o0" DESC NULLS FIRST,
                    x."o1" ASC NULLS LAST,
                    x."o2" ASC NULLS LAST
                ),
                '[]'::json
              )
            FROM
              (
                SELECT
                  json_build_object(
                    'key',
                    json_build_object(
                      'post_id',
                      "t6"."post_id",
                      'author_id',
                      "t6"."author_id"
                    ),
                    'count',
                    count(*)
                  ) AS j,
                  count(*) AS "o0",
                  "t6"."post_id" AS "o1",
                  "t6"."author_id" AS "o2"
                FROM
                  "blog"."comments" "t6"
                GROUP BY
                  "t6"."post_id",
                  "t6"."author_id"
                ORDER BY
                  "o0" DESC NULLS FIRST,
                  "o1" ASC NULLS LAST,
                  "o2" ASC NULLS LAST
                LIMIT
                  $4
              ) x
          )
        )
      FROM
        "blog"."comments" "t5"
      GROUP BY
        ()
    )
  )::text AS body;
-- $1 = 2
-- $2 = 1000
-- $3 = 1000
-- $4 = 1000
