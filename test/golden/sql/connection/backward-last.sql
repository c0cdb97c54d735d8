SELECT
  json_build_object(
    'lastTwo',
    (
      WITH
        q AS (
          SELECT
            json_build_object('name', "t0"."name") AS "n0",
            translate(
              encode(
                convert_to(
                  json_build_array("t0"."name", "t0"."id")::text,
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
                "t0"."name" DESC NULLS FIRST,
                "t0"."id" DESC NULLS FIRST
            ) AS rn
          FROM
            "blog"."users" "t0"
          ORDER BY
            "t0"."name" DESC NULLS FIRST,
            "t0"."id" DESC NULLS FIRST
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
              "blog"."users" "t1"
          ),
          'edges',
          (
            SELECT
              coalesce(
                json_agg(
                  json_build_object('cursor', q.c, 'node', q."n0")
                  ORDER BY
                    q.rn DESC
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
            false,
            'hasPreviousPage',
            (
              (
                SELECT
                  count(*)
                FROM
                  q
              ) > $3
            ),
            'startCursor',
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
            ),
            'endCursor',
            (
              SELECT
                q.c
              FROM
                q
              WHERE
                q.rn = 1
            )
          )
        )
    ),
    'beforeBob',
    (
      WITH
        q AS (
          SELECT
            json_build_object('name', "t2"."name") AS "n0",
            translate(
              encode(
                convert_to(
                  json_build_array("t2"."name", "t2"."id")::text,
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
                "t2"."name" DESC NULLS FIRST,
                "t2"."id" DESC NULLS FIRST
            ) AS rn
          FROM
            "blog"."users" "t2"
          WHERE
            (
              ("t2"."name" < $5)
              OR (
                "t2"."name" = $6
                AND "t2"."id" < $7
              )
            )
          ORDER BY
            "t2"."name" DESC NULLS FIRST,
            "t2"."id" DESC NULLS FIRST
          LIMIT
            $8
        )
      SELECT
        json_build_object(
          'edges',
          (
            SELECT
              coalesce(
                json_agg(
                  json_build_object('node', q."n0")
                  ORDER BY
                    q.rn DESC
                ),
                '[]'::json
              )
            FROM
              q
            WHERE
              q.rn <= $9
          ),
          'pageInfo',
          json_build_object(
            'hasNextPage',
            true,
            'hasPreviousPage',
            (
              (
                SELECT
                  count(*)
                FROM
                  q
              ) > $10
            )
          )
        )
    )
  )::text AS body;
-- $1 = 3
-- $2 = 2
-- $3 = 2
-- $4 = 2
-- $5 = "bob"
-- $6 = "bob"
-- $7 = "00000000-0000-4000-8000-000000000002"
-- $8 = 3
-- $9 = 2
-- $10 = 2
