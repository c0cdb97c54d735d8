SELECT
  json_build_object(
    'withProfile',
    (
      SELECT
        json_build_object(
          'body',
          "t0"."body",
          'post',
          (
            SELECT
              json_build_object(
                'title',
                "t1"."title",
                'author',
                (
                  SELECT
                    json_build_object(
                      'name',
                      "t2"."name",
                      'profile',
                      (
                        SELECT
                          json_build_object('bio', "t3"."bio")
                        FROM
                          "blog"."profiles" "t3"
                        WHERE
                          "t3"."user_id" = "t2"."id"
                        LIMIT
                          1
                      )
                    )
                  FROM
                    "blog"."users" "t2"
                  WHERE
                    "t2"."id" = "t1"."author_id"
                  LIMIT
                    1
                )
              )
            FROM
              "blog"."posts" "t1"
            WHERE
              "t1"."id" = "t0"."post_id"
            LIMIT
              1
          )
        )
      FROM
        "blog"."comments" "t0"
      WHERE
        "t0"."id" = $1
    ),
    'withoutProfile',
    (
      SELECT
        json_build_object(
          'body',
          "t4"."body",
          'post',
          (
            SELECT
              json_build_object(
                'title',
                "t5"."title",
                'author',
                (
                  SELECT
                    json_build_object(
                      'name',
                      "t6"."name",
                      'profile',
                      (
                        SELECT
                          json_build_object('bio', "t7"."bio")
                        FROM
                          "blog"."profiles" "t7"
                        WHERE
                          "t7"."user_id" = "t6"."id"
                        LIMIT
                          1
                      )
                    )
                  FROM
                    "blog"."users" "t6"
                  WHERE
                    "t6"."id" = "t5"."author_id"
                  LIMIT
                    1
                )
              )
            FROM
              "blog"."posts" "t5"
            WHERE
              "t5"."id" = "t4"."post_id"
            LIMIT
              1
          )
        )
      FROM
        "blog"."comments" "t4"
      WHERE
        "t4"."id" = $2
    )
  )::text AS body;
-- $1 = "00000000-0000-4000-8000-000000000025"
-- $2 = "00000000-0000-4000-8000-000000000024"
