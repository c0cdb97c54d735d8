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
              'posts',
              (
                SELECT
                  coalesce(
                    json_agg(
                      json_build_object(
                        'title',
                        "t1"."title",
                        'comments',
                        (
                          SELECT
                            coalesce(
                              json_agg(
                                json_build_object(
                                  'body',
                                  "t2"."body",
                                  'author',
                                  (
                                    SELECT
                                      json_build_object('name', "t3"."name")
                                    FROM
                                      "blog"."users" "t3"
                                    WHERE
                                      "t3"."id" = "t2"."author_id"
                                    LIMIT
                                      1
                                  )
                                )
                                ORDER BY
                                  "t2"."_o0" ASC NULLS LAST
                              ),
                              '[]'::json
                            )
                          FROM
                            (
                              SELECT
                                "t2".*,
                                "t2"."created_at" AS "_o0"
                              FROM
                                "blog"."comments" "t2"
                              WHERE
                                "t2"."post_id" = "t1"."id"
                              ORDER BY
                                "_o0" ASC NULLS LAST
                              LIMIT
                                $1
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
                      "t1"."created_at" AS "_o0"
                    FROM
                      "blog"."posts" "t1"
                    WHERE
                      "t1"."author_id" = "t0"."id"
                    ORDER BY
                      "_o0" ASC NULLS LAST
                    LIMIT
                      $2
                  ) "t1"
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
            $3
        ) "t0"
    )
  )::text AS body;
-- $1 = 1000
-- $2 = 1000
-- $3 = 1000
