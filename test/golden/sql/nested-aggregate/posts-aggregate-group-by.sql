SELECT
  json_build_object(
    'users',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'name',
              "t0"."name",
              'postsAggregate',
              (
                SELECT
                  json_build_object(
                    'count',
                    count(*),
                    'sum',
                    json_build_object('score', sum("t1"."score")::text),
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
                              json_build_object('score', "t2"."score"),
                              'count',
                              count(*)
                            ) AS j,
                            "t2"."score" AS "o0"
                          FROM
                            "blog"."posts" "t2"
                          WHERE
                            "t2"."author_id" = "t0"."id"
                            AND "t2"."score" IS NOT NULL
                          GROUP BY
                            "t2"."score"
                          ORDER BY
                            "o0" DESC NULLS FIRST
                          LIMIT
                            $1
                        ) x
                    )
                  )
                FROM
                  "blog"."posts" "t1"
                WHERE
                  "t1"."author_id" = "t0"."id"
                  AND "t1"."score" IS NOT NULL
                GROUP BY
                  ()
              )
            )
            ORDER BY
              "t0"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*,
            "t0"."name" AS "_o0"
          FROM
            "blog"."users" "t0"
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $2
        ) "t0"
    )
  )::text AS body;
-- $1 = 1
-- $2 = 1000
