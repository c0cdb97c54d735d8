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
              )
            )
            ORDER BY
              "t0"."_o0" DESC NULLS FIRST,
              "t0"."_o1" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*,
            (
              SELECT
                "t1"."name"
              FROM
                "blog"."users" "t1"
              WHERE
                "t1"."id" = "t0"."author_id"
              LIMIT
                1
            ) AS "_o0",
            "t0"."title" AS "_o1"
          FROM
            "blog"."posts" "t0"
          ORDER BY
            "_o0" DESC NULLS FIRST,
            "_o1" ASC NULLS LAST
          LIMIT
            $1
        ) "t0"
    ),
    'comments',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'body',
              "t3"."body",
              'post',
              (
                SELECT
                  json_build_object('title', "t6"."title")
                FROM
                  "blog"."posts" "t6"
                WHERE
                  "t6"."id" = "t3"."post_id"
                LIMIT
                  1
              )
            )
            ORDER BY
              "t3"."_o0" ASC NULLS LAST,
              "t3"."_o1" DESC NULLS FIRST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t3".*,
            (
              SELECT
                "t5"."name"
              FROM
                "blog"."posts" "t4",
                "blog"."users" "t5"
              WHERE
                "t4"."id" = "t3"."post_id"
                AND "t5"."id" = "t4"."author_id"
              LIMIT
                1
            ) AS "_o0",
            "t3"."created_at" AS "_o1"
          FROM
            "blog"."comments" "t3"
          ORDER BY
            "_o0" ASC NULLS LAST,
            "_o1" DESC NULLS FIRST
          LIMIT
            $2
        ) "t3"
    )
  )::text AS body;
-- $1 = 1000
-- $2 = 1000
