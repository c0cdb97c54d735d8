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
          WHERE
            (
              ("t0"."score" < $1)
              OR (
                "t0"."score" = $2
                AND (
                  "t0"."id" > $3
                  OR "t0"."id" IS NULL
                )
              )
            )
          ORDER BY
            "t0"."score" DESC NULLS FIRST,
            "t0"."id" ASC NULLS LAST
          LIMIT
            $4
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
              q.rn <= $5
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
              ) > $6
            ),
            'hasPreviousPage',
            true,
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
                    least(count(*), $7)
                  FROM
                    q
                )
            )
          )
        )
    )
  )::text AS body;
-- $1 = 30
-- $2 = 30
-- $3 = "00000000-0000-4000-8000-000000000014"
-- $4 = 3
-- $5 = 2
-- $6 = 2
-- $7 = 2
