SELECT
  json_build_object(
    'postsConnection',
    (
      WITH
        q AS (
          SELECT
            json_build_object('title', "t0"."title", 'score', "t0"."score") AS "n0",
            translate(
              encode(
                convert_to(
                  json_build_array("t0"."score", "t0"."id")::text,
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
                "t0"."score" DESC NULLS FIRST,
                "t0"."id" ASC NULLS LAST
            ) AS rn
          FROM
            "blog"."posts" "t0"
          ORDER BY
            "t0"."score" DESC NULLS FIRST,
            "t0"."id" ASC NULLS LAST
          LIMIT
            $1
        )
      SELECT
        json_build_object(
          'totalCount',
          (
            SELECT
              count(*)
            FROM
              "blog"."posts" "t1"
          ),
          'edges',
          (
            SELECT
              coalesce(
                json_agg(
                  json_build_object('cursor', q.c, 'node', q."n0")
                  ORDER BY
                    q.rn
                ),
                '[]'::json
              )
            FROM
              q
            WHERE
              q.rn <= $2
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
              ) > $3
            ),
            'hasPreviousPage',
            false,
            'startCursor',
            (
              SELECT
                q.c
              FROM
                q
              WHERE
                q.rn = 1
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
                    least(count(*), $4)
                  FROM
                    q
                )
            )
          )
        )
    )
  )::text AS body;
-- $1 = 3
-- $2 = 2
-- $3 = 2
-- $4 = 2
