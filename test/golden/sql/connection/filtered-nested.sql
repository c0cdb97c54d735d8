SELECT
  json_build_object(
    'postsConnection',
    (
      WITH
        q AS (
          SELECT
            json_build_object(
              'title',
              "t0"."title",
              'author',
              (
                SELECT
                  json_build_object('name', "t2"."name")
                FROM
                  "blog"."users" "t2"
                WHERE
                  "t2"."id" = "t0"."author_id"
                LIMIT
                  1
              ),
              'commentsAggregate',
              (
                SELECT
                  json_build_object('count', count(*))
                FROM
                  "blog"."comments" "t3"
                WHERE
                  "t3"."post_id" = "t0"."id"
                GROUP BY
                  ()
              )
            ) AS "n0",
            translate(
              encode(
                convert_to(
                  json_build_array("t0"."created_at", "t0"."id")::text,
                  'UTF8'
                ),
                'base64'
              ),
              '+/=
',
              '-_'
            ) AS c,
            row_number() OVER (
              ORDER BY
                "t0"."created_at" ASC NULLS LAST,
                "t0"."id" ASC NULLS LAST
            ) AS rn
          FROM
            "blog"."posts" "t0"
          WHERE
            EXISTS (
              SELECT
                1
              FROM
                "blog"."users" "t1"
              WHERE
                "t1"."id" = "t0"."author_id"
                AND "t1"."name" = $1
            )
          ORDER BY
            "t0"."created_at" ASC NULLS LAST,
            "t0"."id" ASC NULLS LAST
          LIMIT
            $2
        )
      SELECT
        json_build_object(
          '__typename',
          'PostConnection',
          'totalCount',
          (
            SELECT
              count(*)
            FROM
              "blog"."posts" "t4"
            WHERE
              EXISTS (
                SELECT
                  1
                FROM
                  "blog"."users" "t5"
                WHERE
                  "t5"."id" = "t4"."author_id"
                  AND "t5"."name" = $3
              )
          ),
          'edges',
          (
            SELECT
              coalesce(
                json_agg(
                  json_build_object('__typename', 'PostEdge', 'node', q."n0")
                  ORDER BY
                    q.rn
                ),
                '[]'::json
              )
            FROM
              q
            WHERE
              q.rn <= $4
          ),
          'pageInfo',
          json_build_object(
            'hasNextPage',
            (
              (
                SELECT
                  count(*)
                FROM
                  q
              ) > $5
            ),
            'endCursor',
            (
              SELECT
                q.c
              FROM
                q
              WHERE
                q.rn = (
                  SELECT
                    least(count(*), $6)
                  FROM
                    q
                )
            )
          )
        )
    )
  )::text AS body;
-- $1 = "ann"
-- $2 = 6
-- $3 = "ann"
-- $4 = 5
-- $5 = 5
-- $6 = 5
