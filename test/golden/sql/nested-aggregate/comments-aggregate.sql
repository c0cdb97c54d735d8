SELECT
  json_build_object(
    'posts',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'title',
              "t0"."title",
              'commentsAggregate',
              (
                SELECT
                  json_build_object(
                    'count',
                    count(*),
                    'max',
                    json_build_object('created_at', max("t1"."created_at"))
                  )
                FROM
                  "blog"."comments" "t1"
                WHERE
                  "t1"."post_id" = "t0"."id"
                GROUP BY
                  ()
              ),
              'fromCy',
              (
                SELECT
                  json_build_object('count', count(*))
                FROM
                  "blog"."comments" "t2"
                WHERE
                  "t2"."post_id" = "t0"."id"
                  AND EXISTS (
                    SELECT
                      1
                    FROM
                      "blog"."users" "t3"
                    WHERE
                      "t3"."id" = "t2"."author_id"
                      AND "t3"."name" = $1
                  )
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
            "t0"."created_at" AS "_o0"
          FROM
            "blog"."posts" "t0"
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $2
        ) "t0"
    )
  )::text AS body;
-- $1 = "cy"
-- $2 = 1000
