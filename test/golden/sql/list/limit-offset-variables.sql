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
              'created_at',
              "t0"."created_at"
            )
            ORDER BY
              "t0"."_o0" DESC NULLS FIRST
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
            "_o0" DESC NULLS FIRST
          LIMIT
            $1
          OFFSET
            $2
        ) "t0"
    ),
    'users',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'name',
              "t1"."name",
              'top',
              (
                SELECT
                  coalesce(
                    json_agg(
                      json_build_object('title', "t2"."title", 'score', "t2"."score")
                      ORDER BY
                        "t2"."_o0" DESC NULLS LAST
                    ),
                    '[]'::json
                  )
                FROM
                  (
                    SELECT
                      "t2".*,
                      "t2"."score" AS "_o0"
                    FROM
                      "blog"."posts" "t2"
                    WHERE
                      "t2"."author_id" = "t1"."id"
                    ORDER BY
                      "_o0" DESC NULLS LAST
                    LIMIT
                      $3
                  ) "t2"
              )
            )
            ORDER BY
              "t1"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t1".*,
            "t1"."name" AS "_o0"
          FROM
            "blog"."users" "t1"
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $4
        ) "t1"
    )
  )::text AS body;
-- $1 = 2
-- $2 = 1
-- $3 = 1
-- $4 = 1000
