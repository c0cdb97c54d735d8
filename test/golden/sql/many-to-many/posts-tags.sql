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
              'tags',
              (
                SELECT
                  coalesce(
                    json_agg(
                      json_build_object('label', "t3"."label")
                      ORDER BY
                        "t3"."_o0" ASC NULLS LAST
                    ),
                    '[]'::json
                  )
                FROM
                  (
                    SELECT
                      "t3".*,
                      "t3"."label" AS "_o0"
                    FROM
                      "blog"."posts_tags" "t4"
                      JOIN "blog"."tags" "t3" ON "t3"."id" = "t4"."tag_id"
                    WHERE
                      "t4"."post_id" = "t0"."id"
                    ORDER BY
                      "_o0" ASC NULLS LAST
                    LIMIT
                      $1
                  ) "t3"
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
          WHERE
            EXISTS (
              SELECT
                1
              FROM
                "blog"."posts_tags" "t2"
                JOIN "blog"."tags" "t1" ON "t1"."id" = "t2"."tag_id"
              WHERE
                "t2"."post_id" = "t0"."id"
                AND TRUE
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $2
        ) "t0"
    ),
    'untagged',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t5"."title")
            ORDER BY
              "t5"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t5".*,
            "t5"."title" AS "_o0"
          FROM
            "blog"."posts" "t5"
          WHERE
            NOT EXISTS (
              SELECT
                1
              FROM
                "blog"."posts_tags" "t7"
                JOIN "blog"."tags" "t6" ON "t6"."id" = "t7"."tag_id"
              WHERE
                "t7"."post_id" = "t5"."id"
                AND TRUE
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $3
        ) "t5"
    ),
    'tags',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'label',
              "t8"."label",
              'posts',
              (
                SELECT
                  coalesce(
                    json_agg(
                      json_build_object('title', "t9"."title", 'score', "t9"."score")
                      ORDER BY
                        "t9"."_o0" DESC NULLS FIRST
                    ),
                    '[]'::json
                  )
                FROM
                  (
                    SELECT
                      "t9".*,
                      "t9"."score" AS "_o0"
                    FROM
                      "blog"."posts_tags" "t10"
                      JOIN "blog"."posts" "t9" ON "t9"."id" = "t10"."post_id"
                    WHERE
                      "t10"."tag_id" = "t8"."id"
                    ORDER BY
                      "_o0" DESC NULLS FIRST
                    LIMIT
                      $4
                  ) "t9"
              ),
              'postsAggregate',
              (
                SELECT
                  json_build_object(
                    'count',
                    count(*),
                    'avg',
                    json_build_object('score', avg("t11"."score")::float8)
                  )
                FROM
                  "blog"."posts_tags" "t12"
                  JOIN "blog"."posts" "t11" ON "t11"."id" = "t12"."post_id"
                WHERE
                  "t12"."tag_id" = "t8"."id"
                GROUP BY
                  ()
              )
            )
            ORDER BY
              "t8"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t8".*,
            "t8"."label" AS "_o0"
          FROM
            "blog"."tags" "t8"
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $5
        ) "t8"
    ),
    'techPosts',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t13"."title")
            ORDER BY
              "t13"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t13".*,
            "t13"."title" AS "_o0"
          FROM
            "blog"."posts" "t13"
          WHERE
            EXISTS (
              SELECT
                1
              FROM
                "blog"."posts_tags" "t15"
                JOIN "blog"."tags" "t14" ON "t14"."id" = "t15"."tag_id"
              WHERE
                "t15"."post_id" = "t13"."id"
                AND "t14"."label" = $6
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $7
        ) "t13"
    )
  )::text AS body;
-- $1 = 1000
-- $2 = 1000
-- $3 = 1000
-- $4 = 1000
-- $5 = 1000
-- $6 = "tech"
-- $7 = 1000
