SELECT
  json_build_object(
    'logic',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t0"."title", 'score', "t0"."score")
            ORDER BY
              "t0"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*,
            "t0"."title" AS "_o0"
          FROM
            "blog"."posts" "t0"
          WHERE
            (
              (
                "t0"."score" IS NULL
                OR (
                  "t0"."author_id" IS NULL
                  AND "t0"."score" < $1
                )
              )
              AND NOT coalesce("t0"."title" = $2, false)
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $3
        ) "t0"
    ),
    'notGreater',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t1"."title", 'score', "t1"."score")
            ORDER BY
              "t1"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t1".*,
            "t1"."created_at" AS "_o0"
          FROM
            "blog"."posts" "t1"
          WHERE
            NOT coalesce("t1"."score" > $4, false)
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $5
        ) "t1"
    ),
    'withEmail',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('name', "t2"."name", 'email', "t2"."email")
            ORDER BY
              "t2"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t2".*,
            "t2"."name" AS "_o0"
          FROM
            "blog"."users" "t2"
          WHERE
            "t2"."email" IS NOT NULL
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $6
        ) "t2"
    )
  )::text AS body;
-- $1 = 5
-- $2 = "Hello world"
-- $3 = 1000
-- $4 = 10
-- $5 = 1000
-- $6 = 1000
