SELECT
  json_build_object(
    'post',
    (
      SELECT
        json_build_object(
          '__typename',
          'Post',
          'id',
          "t0"."id",
          'title',
          "t0"."title",
          'body',
          "t0"."body",
          'score',
          "t0"."score",
          'rating',
          ("t0"."rating")::text,
          'meta',
          "t0"."meta",
          'labels',
          "t0"."labels",
          'created_at',
          "t0"."created_at",
          'author',
          (
            SELECT
              json_build_object(
                'name',
                "t1"."name",
                'email',
                "t1"."email",
                'karma',
                ("t1"."karma")::text,
                'role',
                "t1"."role"
              )
            FROM
              "blog"."users" "t1"
            WHERE
              "t1"."id" = "t0"."author_id"
            LIMIT
              1
          ),
          'comments',
          (
            SELECT
              coalesce(
                json_agg(
                  json_build_object('body', "t2"."body")
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
                  "t2"."post_id" = "t0"."id"
                ORDER BY
                  "_o0" ASC NULLS LAST
                LIMIT
                  $1
              ) "t2"
          ),
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
                  $2
              ) "t3"
          )
        )
      FROM
        "blog"."posts" "t0"
      WHERE
        "t0"."id" = $3
    ),
    'missing',
    (
      SELECT
        json_build_object('title', "t5"."title")
      FROM
        "blog"."posts" "t5"
      WHERE
        "t5"."id" = $4
    )
  )::text AS body;
-- $1 = 2
-- $2 = 1000
-- $3 = "00000000-0000-4000-8000-000000000011"
-- $4 = "00000000-0000-4000-8000-000000000099"
