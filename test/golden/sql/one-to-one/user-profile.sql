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
              'profile',
              (
                SELECT
                  json_build_object(
                    'bio',
                    "t1"."bio",
                    'user',
                    (
                      SELECT
                        json_build_object('name', "t2"."name")
                      FROM
                        "blog"."users" "t2"
                      WHERE
                        "t2"."id" = "t1"."user_id"
                      LIMIT
                        1
                    )
                  )
                FROM
                  "blog"."profiles" "t1"
                WHERE
                  "t1"."user_id" = "t0"."id"
                LIMIT
                  1
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
            $1
        ) "t0"
    ),
    'profiles',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'bio',
              "t3"."bio",
              'user',
              (
                SELECT
                  json_build_object('name', "t4"."name", 'email', "t4"."email")
                FROM
                  "blog"."users" "t4"
                WHERE
                  "t4"."id" = "t3"."user_id"
                LIMIT
                  1
              )
            )
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t3".*
          FROM
            "blog"."profiles" "t3"
          LIMIT
            $2
        ) "t3"
    ),
    'withProfile',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('name', "t5"."name")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t5".*
          FROM
            "blog"."users" "t5"
          WHERE
            EXISTS (
              SELECT
                1
              FROM
                "blog"."profiles" "t6"
              WHERE
                "t6"."user_id" = "t5"."id"
                AND "t6"."bio" IS NOT NULL
            )
          LIMIT
            $3
        ) "t5"
    ),
    'byBio',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('name', "t7"."name")
            ORDER BY
              "t7"."_o0" ASC NULLS LAST,
              "t7"."_o1" DESC NULLS FIRST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t7".*,
            (
              SELECT
                "t8"."bio"
              FROM
                "blog"."profiles" "t8"
              WHERE
                "t8"."user_id" = "t7"."id"
              LIMIT
                1
            ) AS "_o0",
            "t7"."name" AS "_o1"
          FROM
            "blog"."users" "t7"
          ORDER BY
            "_o0" ASC NULLS LAST,
            "_o1" DESC NULLS FIRST
          LIMIT
            $4
        ) "t7"
    )
  )::text AS body;
-- $1 = 1000
-- $2 = 1000
-- $3 = 1000
-- $4 = 1000
